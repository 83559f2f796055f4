//===- GraphFuzzer.cpp - Fuzz the C++ graph builder -----------------------===//
//
// This file implements the libFuzzer target for graft::Graph. The input is
// a program: each step reads an opcode and its arguments from the bytes and
// makes one API call (an input, a creation op, an op on values drawn from a
// pool, an output, a gradient). Shapes, dims and permutations come from the
// bytes too, so most programs also make ill-typed calls, and some pass
// invalid values or values of another graph.
//
// Every call must either build a value or leave an Error on the graph. A
// graph without an error must print and parse back; if its tensors are
// small it is compiled with graft::Engine and called on random inputs,
// where any failure must be an Error. A graph with a build error must fail
// to compile with that error.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "graft/API/Graph.h"
#include "graft/Engine/Engine.h"
#include "graft/Runtime/Tensor.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

namespace {

// Sizes that keep one input to about a second of compile and run.
constexpr int64_t kMaxSteps = 24;
constexpr int64_t kMaxValueBytes = 4 << 20;

[[noreturn]] void fail(const std::string &message) {
  std::fprintf(stderr, "graph fuzzer: %s\n", message.c_str());
  std::abort();
}

/// Builds one graph from the bytes of a fuzz input.
class GraphProgram {
  using Graph = graft::Graph;
  using Value = graft::Value;
  using DType = graft::DType;

public:
  explicit GraphProgram(FuzzedDataProvider &bytes)
      : bytes(bytes), graph(pickName()), other("other") {
    foreign = other.input("y", {2});
  }

  void run() {
    for (int64_t step = 0; step < kMaxSteps && bytes.remaining_bytes(); ++step)
      this->step();
  }

  Graph &result() { return graph; }
  const std::vector<graft::Value> &values() const { return pool; }

private:
  std::string pickName() {
    static const char *const names[] = {"main", "f", "", "with space",
                                        "q\"uote", "0digit"};
    return names[bytes.ConsumeIntegralInRange<size_t>(0, 5)];
  }

  int64_t dimension() {
    // Mostly small sizes; sometimes a size no tensor can have.
    static const int64_t dims[] = {1, 2, 3, 4, 5, 8, 0, 16, 64, -1,
                                   int64_t(1) << 40,
                                   std::numeric_limits<int64_t>::max()};
    uint8_t pick = bytes.ConsumeIntegral<uint8_t>();
    return dims[pick % 12 < 9 ? pick % 9 : pick % 12];
  }

  std::vector<int64_t> shape() {
    std::vector<int64_t> result(bytes.ConsumeIntegralInRange<size_t>(0, 4));
    for (int64_t &dim : result)
      dim = dimension();
    return result;
  }

  /// Dims or a permutation: small integers, negative ones counting from the
  /// back, and sometimes out of range.
  std::vector<int64_t> indices() {
    std::vector<int64_t> result(bytes.ConsumeIntegralInRange<size_t>(0, 4));
    for (int64_t &index : result)
      index = bytes.ConsumeIntegralInRange<int64_t>(-5, 5);
    return result;
  }

  DType dtype() {
    uint8_t pick = bytes.ConsumeIntegralInRange<uint8_t>(0, 7);
    return pick == 7 ? DType::I64 : pick >= 4 ? DType::F64 : DType::F32;
  }

  double scalar() {
    static const double values[] = {0.0,
                                    1.0,
                                    -2.5,
                                    0.5,
                                    std::numeric_limits<double>::infinity(),
                                    std::numeric_limits<double>::quiet_NaN(),
                                    1e300,
                                    -0.0};
    return values[bytes.ConsumeIntegralInRange<size_t>(0, 7)];
  }

  /// A value from the pool, an invalid value, or one of another graph.
  Value value() {
    size_t pick = bytes.ConsumeIntegralInRange<size_t>(0, pool.size() + 1);
    if (pick < pool.size())
      return pool[pool.size() - 1 - pick]; // recent values first
    return pick == pool.size() ? Value() : foreign;
  }

  void add(Value v) {
    if (v.valid())
      pool.push_back(v);
  }

  /// A small tensor for graft.constant; a shape too large for a constant
  /// becomes a scalar.
  graft::Tensor constantTensor() {
    std::vector<int64_t> s = shape();
    graft::Expected<int64_t> numel = graft::Tensor::checkedNumel(s);
    if (!numel || *numel > 256)
      s.clear();
    DType type = dtype();
    return type == DType::I64 ? graft::Tensor::zeros(s, type)
                              : graft::Tensor::rand(s, 0, type);
  }

  void step() {
    using namespace graft;
    switch (bytes.ConsumeIntegralInRange<int>(0, 26)) {
    case 0: {
      std::vector<int64_t> s = shape();
      add(graph.input("x" + std::to_string(pool.size()), s, dtype()));
      break;
    }
    case 1:
      add(graph.constant(constantTensor()));
      break;
    case 2: {
      std::vector<int64_t> s = shape();
      double v = scalar();
      add(graph.full(s, v, dtype()));
      break;
    }
    case 3: {
      int64_t n = dimension(), m = bytes.ConsumeBool() ? -1 : dimension();
      add(graph.eye(n, m, dtype()));
      break;
    }
    case 4: {
      std::vector<int64_t> s = shape();
      uint64_t seed = bytes.ConsumeIntegral<uint64_t>();
      add(bytes.ConsumeBool() ? graph.rand(s, seed, dtype())
                              : graph.randn(s, seed, dtype()));
      break;
    }
    case 5: {
      static Value (*const binary[])(const Value &, const Value &) = {
          graft::add, sub, mul, div, pow,     maximum, minimum,
          eq,         ne,  lt,  le,  graft::gt, ge,      matmul};
      Value lhs = value(), rhs = value();
      add(binary[bytes.ConsumeIntegralInRange<size_t>(0, 13)](lhs, rhs));
      break;
    }
    case 6: {
      static Value (*const unary[])(const Value &) = {
          neg, graft::exp, graft::log, graft::sqrt,
          graft::tanh, sigmoid, relu, graft::abs};
      Value x = value();
      add(unary[bytes.ConsumeIntegralInRange<size_t>(0, 7)](x));
      break;
    }
    case 7: {
      Value x = value();
      double c = scalar();
      switch (bytes.ConsumeIntegralInRange<int>(0, 3)) {
      case 0:
        add(x + c);
        break;
      case 1:
        add(c - x);
        break;
      case 2:
        add(x * c);
        break;
      default:
        add(c / x);
        break;
      }
      break;
    }
    case 8: {
      Value x = value();
      add(transpose(x, indices()));
      break;
    }
    case 9: {
      static Value (*const reshapes[])(const Value &, std::vector<int64_t>) = {
          reshape, broadcastTo};
      Value x = value();
      bool broadcast = bytes.ConsumeBool();
      add(reshapes[broadcast](x, shape()));
      break;
    }
    case 10: {
      static Value (*const reductions[])(const Value &, std::vector<int64_t>,
                                         bool) = {sum, mean, graft::max};
      Value x = value();
      std::vector<int64_t> dims = indices();
      bool keepdim = bytes.ConsumeBool();
      add(reductions[bytes.ConsumeIntegralInRange<size_t>(0, 2)](x, dims,
                                                                 keepdim));
      break;
    }
    case 11: {
      Value x = value();
      int64_t dim = bytes.ConsumeIntegralInRange<int64_t>(-5, 5);
      add(bytes.ConsumeBool() ? softmax(x, dim) : logSoftmax(x, dim));
      break;
    }
    case 12: {
      Value loss = value();
      std::vector<Value> wrt(bytes.ConsumeIntegralInRange<size_t>(0, 3));
      for (Value &w : wrt)
        w = value();
      Expected<std::vector<Value>> grads = grad(loss, wrt);
      if (grads)
        for (const Value &g : *grads)
          add(g);
      else if (grads.error().message().empty())
        fail("grad failed with an empty message");
      break;
    }
    default:
      // The most common step: more outputs make more of the graph live.
      graph.output(value());
      break;
    }
  }

  FuzzedDataProvider &bytes;
  Graph graph;
  Graph other;
  Value foreign;
  std::vector<Value> pool;
};

/// Whether every value of the graph is small enough to compile and run.
bool smallEnough(const std::vector<graft::Value> &values) {
  for (const graft::Value &value : values) {
    graft::Expected<int64_t> numel = graft::Tensor::checkedNumel(value.shape());
    if (!numel ||
        *numel > kMaxValueBytes / int64_t(graft::dtypeSize(value.dtype())))
      return false;
  }
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzedDataProvider bytes(data, size);
  GraphProgram program(bytes);
  program.run();
  graft::Graph &graph = program.result();

  graft::Engine engine;
  graft::CompileOptions options;
  options.threads = 1;
  options.useCache = false;
  if (const graft::Error &error = graph.error()) {
    if (error.message().empty())
      fail("a build error with an empty message");
    graft::Expected<graft::Function> function = engine.compile(graph, options);
    if (function || function.error().message() != error.message())
      fail("compiling a graph with the build error '" + error.message() +
           "' did not fail with it");
    return 0;
  }

  std::string text = graph.print();
  graft::Expected<graft::Graph> reparsed = graft::Graph::parse(text);
  if (!reparsed)
    fail("a graph that built does not parse back: " +
         reparsed.error().message() + "\n" + text);
  if (graph.outputs().empty() || !smallEnough(program.values()))
    return 0;

  graft::Expected<graft::Function> function = engine.compile(graph, options);
  if (!function) {
    // Some graphs build and still cannot compile, e.g. a zero-size tensor
    // at the function boundary: an Error is the right outcome then.
    graft::fuzz::checkError("compile", function.error());
    return 0;
  }
  graft::Expected<std::vector<graft::Tensor>> outputs =
      graft::fuzz::callOnRandomInputs(*function);
  if (!outputs)
    graft::fuzz::checkError("call", outputs.error());
  return 0;
}
