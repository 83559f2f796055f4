//===- DifferentialTest.cpp - Random graphs: JIT vs. reference ------------===//
//
// This file generates random well-typed graft functions from a fixed seed,
// compiles each with graft::Engine, runs it, evaluates it with the reference
// evaluator on the same inputs, and compares every result. The generator
// draws from the whole op set and respects every shape rule: broadcasting
// partners, matmul contraction dims and broadcast batch dims, permutations,
// reduction dims (negative, unsorted, empty, on scalars), element-count
// preserving reshapes and broadcast_to targets.
//
// Replaying. Arguments are filled exactly as `tensor-run --seed=S` fills
// them (torch.manual_seed(S), then one torch.rand per argument); the graph
// itself maps each one to [-1, 1). So a failing graph, which the test prints
// in full together with S, replays with
//
//   tensor-run graph.mlir --seed=S --check
//
// Values are kept where both sides are well defined: log, sqrt and pow see
// `abs(x) + 0.5`, divisors are `abs(y) + 0.5` (possibly negated), exp's
// argument is scaled into [-4, 4], and the generator tracks a bound on |x|
// for every value, rescaling by a constant when it passes 64.
//
// Tolerance. A wrong index, dim or broadcast shows up as an O(1) relative
// error; rounding does not. Each result element must satisfy
// |jit - ref| <= rtol (|ref| + scale), where scale is the tracked bound of
// the result, i.e. an upper estimate of the magnitude of everything that
// flowed into it, so that cancellation (x - y, sums of mixed signs) is
// judged against the size of its operands. Per op the rounding error
// against that scale is at most about K u (K <= 33^2 terms of a dot product
// or a sum) and nonlinear ops amplify it by small factors. rtol is 1e-4 for
// f32 (~1700 u) and 1e-11 for f64 (~90000 u); the worst ratios observed over
// all graphs are printed at the end, far below these.
//
//===----------------------------------------------------------------------===//

#include "graft/Engine/Engine.h"
#include "graft/Reference/Reference.h"
#include "graft/Runtime/Random.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace graft;

namespace {

using Shape = std::vector<int64_t>;

constexpr int kGraphs = 200;
constexpr uint64_t kBaseSeed = 20240601;
/// Limits that keep every graph fast to run naively.
constexpr int64_t kMaxNumel = 20000;
constexpr int64_t kMaxMatMulWork = 1 << 20; // multiply-adds
constexpr size_t kMaxRank = 4;
/// Values whose bound passes this are rescaled to 1.
constexpr double kMaxBound = 64;
/// See the file comment.
constexpr double kRtolF32 = 1e-4;
constexpr double kRtolF64 = 1e-11;

const int64_t kDims[] = {1, 2, 3, 5, 7, 16, 33};

int64_t numel(const Shape &shape) {
  int64_t n = 1;
  for (int64_t dim : shape)
    n *= dim;
  return n;
}

std::string join(const std::vector<std::string> &items) {
  std::string text;
  for (size_t i = 0; i < items.size(); ++i)
    text += (i ? ", " : "") + items[i];
  return text;
}

std::string i64Array(const Shape &values) {
  std::string text = "array<i64";
  for (size_t i = 0; i < values.size(); ++i)
    text += (i ? ", " : ": ") + std::to_string(values[i]);
  return text + ">";
}

Shape broadcast(const Shape &lhs, const Shape &rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  Shape result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t l = i + lhs.size() < rank ? 1 : lhs[i + lhs.size() - rank];
    int64_t r = i + rhs.size() < rank ? 1 : rhs[i + rhs.size() - rank];
    result[i] = l == 1 ? r : l;
  }
  return result;
}

bool broadcasts(const Shape &lhs, const Shape &rhs) {
  for (size_t i = 1; i <= std::min(lhs.size(), rhs.size()); ++i) {
    int64_t l = lhs[lhs.size() - i], r = rhs[rhs.size() - i];
    if (l != r && l != 1 && r != 1)
      return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// The generator
//===----------------------------------------------------------------------===//

/// Builds one random function. Only std::mt19937's output, which the
/// standard fixes, feeds the choices, so a seed gives the same graph on
/// every platform.
class GraphGenerator {
public:
  GraphGenerator(uint64_t seed, DType dtype)
      : rng(static_cast<uint32_t>(seed)), dtype(dtype) {}

  /// The `.mlir` text of a function with 3-10 random ops (plus the guard
  /// and rescaling ops they need); `bounds` receives the bound of each
  /// result.
  std::string generate(std::vector<double> &bounds) {
    int steps = static_cast<int>(between(3, 10));
    for (int i = 0; i < steps; ++i)
      step();
    std::vector<std::string> results, types;
    for (const Value &value : values)
      if (!value.used && !value.helper) {
        results.push_back(value.name);
        types.push_back(typeOf(value.shape));
        bounds.push_back(value.bound);
      }
    std::string text =
        "func.func @graph(" + join(args) + ") -> (" + join(types) + ") {\n";
    for (const std::string &line : lines)
      text += "  " + line + "\n";
    return text + "  return " + join(results) + " : " + join(types) + "\n}\n";
  }

private:
  struct Value {
    Value(std::string name, Shape shape, double bound, std::string op = "")
        : name(std::move(name)), shape(std::move(shape)), bound(bound),
          op(std::move(op)) {}

    std::string name;
    Shape shape;
    double bound; ///< an upper estimate of max |x|
    bool used = false;
    bool helper = false; ///< a constant or raw argument, never a result
    std::string op;      ///< the graft op that defines it; empty for args
  };

  // Random choices ------------------------------------------------------

  int64_t between(int64_t lo, int64_t hi) { // inclusive
    return lo +
           static_cast<int64_t>(rng() % static_cast<uint32_t>(hi - lo + 1));
  }
  bool chance(double p) { return rng() < p * 4294967296.0; }
  int64_t randomDim() { return kDims[between(0, 6)]; }
  Shape randomShape(size_t maxRank = 3) {
    for (;;) {
      Shape shape(between(0, static_cast<int64_t>(maxRank)));
      for (int64_t &dim : shape)
        dim = randomDim();
      if (numel(shape) <= kMaxNumel)
        return shape;
    }
  }
  template <typename T> void shuffle(std::vector<T> &items) {
    for (size_t i = items.size(); i > 1; --i)
      std::swap(items[i - 1], items[between(0, static_cast<int64_t>(i) - 1)]);
  }

  /// A shape that broadcasts with `shape`: aligned on the right, each dim
  /// is `shape`'s, or 1, or anything where `shape` has a 1 or no dim; the
  /// rank may be lower or higher.
  Shape broadcastPartner(const Shape &shape) {
    for (int attempt = 0; attempt < 20; ++attempt) {
      size_t rank = shape.size();
      if (chance(0.3))
        rank = between(0, static_cast<int64_t>(rank));
      else if (rank < kMaxRank && chance(0.3))
        rank = between(static_cast<int64_t>(rank) + 1, kMaxRank);
      Shape partner(rank);
      for (size_t i = 0; i < rank; ++i) { // i counts dims from the right
        int64_t &dim = partner[rank - 1 - i];
        if (i >= shape.size())
          dim = chance(0.5) ? 1 : randomDim();
        else if (shape[shape.size() - 1 - i] == 1)
          dim = chance(0.3) ? randomDim() : 1;
        else
          dim = chance(0.25) ? 1 : shape[shape.size() - 1 - i];
      }
      if (numel(broadcast(shape, partner)) <= kMaxNumel)
        return partner;
    }
    return shape;
  }

  // Emitting ------------------------------------------------------------

  std::string typeOf(const Shape &shape) const {
    return TensorSpec{shape, dtype}.str();
  }
  std::string element() const { return dtypeName(dtype); }

  std::string number(double value) const {
    char text[32];
    std::snprintf(text, sizeof(text), "%.6e", value);
    return text;
  }

  int add(Value value) {
    values.push_back(std::move(value));
    return static_cast<int>(values.size()) - 1;
  }

  /// `%vN = "graft.<op>"(operands) attrs : (types) -> result`.
  int emit(const std::string &op, const std::vector<int> &operands,
           const std::string &attrs, Shape result, double bound) {
    std::vector<std::string> names, types;
    for (int id : operands) {
      values[id].used = true;
      names.push_back(values[id].name);
      types.push_back(typeOf(values[id].shape));
    }
    std::string name = "%v" + std::to_string(values.size());
    lines.push_back(name + " = \"graft." + op + "\"(" + join(names) + ")" +
                    (attrs.empty() ? "" : " " + attrs) + " : (" + join(types) +
                    ") -> " + typeOf(result));
    return add({name, std::move(result), bound, op});
  }

  /// A rank-0 `graft.full` of `value`, shared by every use.
  int scalar(double value) {
    std::string text = number(value);
    for (const auto &[known, id] : scalars)
      if (known == text)
        return id;
    int id = emit("full", {}, "{value = " + text + " : " + element() + "}", {},
                  std::fabs(value));
    values[id].helper = true;
    scalars.push_back({text, id});
    return id;
  }

  /// A new function argument, mapped from torch.rand's [0, 1) to [-1, 1).
  int argument(const Shape &shape) {
    std::string name = "%arg" + std::to_string(args.size());
    args.push_back(name + ": " + typeOf(shape));
    int raw = add({name, shape, 1.0});
    values[raw].helper = true;
    int twice = emit("mul", {raw, scalar(2.0)}, "", shape, 2.0);
    values[twice].helper = true;
    return emit("sub", {twice, scalar(1.0)}, "", shape, 1.0);
  }

  /// A fresh value of `shape`: an argument or a creation op.
  int leaf(const Shape &shape) {
    int64_t kind = between(0, 9);
    if (kind < 5)
      return argument(shape);
    if (kind == 5)
      return emit("rand", {},
                  "{seed = " + std::to_string(between(0, 999)) + " : i64}",
                  shape, 1.0);
    if (kind == 6)
      // |randn| < 6 except with probability 2e-9 per element.
      return emit("randn", {},
                  "{seed = " + std::to_string(between(0, 999)) + " : i64}",
                  shape, 6.0);
    if (kind == 7 && shape.size() == 2)
      return emit("eye", {}, "", shape, 1.0);
    if (kind <= 8 && numel(shape) <= 16) {
      // A dense literal, nested by dim.
      std::vector<double> data(numel(shape));
      for (double &x : data)
        x = static_cast<double>(between(-1000, 1000)) / 1000;
      return emit("constant", {},
                  "{value = dense<" + literal(data, shape, 0, 0) +
                      "> : " + typeOf(shape) + "}",
                  shape, 1.0);
    }
    double value = static_cast<double>(between(-2000, 2000)) / 1000;
    return emit("full", {},
                "{value = " + number(value) + " : " + element() + "}", shape,
                std::max(std::fabs(value), 1e-3));
  }

  std::string literal(const std::vector<double> &data, const Shape &shape,
                      size_t dim, int64_t offset) const {
    if (dim == shape.size())
      return number(data[offset]);
    int64_t stride = numel(Shape(shape.begin() + dim + 1, shape.end()));
    std::string text = "[";
    for (int64_t i = 0; i < shape[dim]; ++i)
      text +=
          (i ? ", " : "") + literal(data, shape, dim + 1, offset + i * stride);
    return text + "]";
  }

  /// An existing value of exactly `shape` half of the time, else a leaf.
  int valueOfShape(const Shape &shape) {
    std::vector<int> matches;
    for (size_t i = 0; i < values.size(); ++i)
      if (!values[i].helper && values[i].shape == shape)
        matches.push_back(static_cast<int>(i));
    if (!matches.empty() && chance(0.5))
      return matches[between(0, static_cast<int64_t>(matches.size()) - 1)];
    return leaf(shape);
  }

  /// The value the next op works on: usually the newest one, so graphs are
  /// chains with side branches.
  int current() {
    std::vector<int> candidates;
    for (size_t i = 0; i < values.size(); ++i)
      if (!values[i].helper)
        candidates.push_back(static_cast<int>(i));
    if (candidates.empty())
      return leaf(randomShape());
    if (chance(0.6))
      return candidates.back();
    return candidates[between(0, static_cast<int64_t>(candidates.size()) - 1)];
  }

  // Guards: keep values where both sides are well defined -----------------

  /// abs(x) + 0.5, in [0.5, bound + 0.5].
  int positive(int x) {
    Shape shape = values[x].shape;
    double bound = values[x].bound + 0.5;
    int a = emit("abs", {x}, "", shape, values[x].bound);
    return emit("add", {a, scalar(0.5)}, "", shape, bound);
  }

  /// Scales x by a constant so that its bound is at most `limit`.
  int limit(int x, double limit) {
    if (values[x].bound <= limit)
      return x;
    double factor = limit / values[x].bound;
    return emit("mul", {x, scalar(factor)}, "", values[x].shape,
                limit * (1 + 1e-6));
  }

  // One random op -------------------------------------------------------

  void step() {
    static const char *const kOps[] = {
        "add",          "sub",  "mul",  "div",    "pow",       "maximum",
        "minimum",      "neg",  "exp",  "log",    "sqrt",      "tanh",
        "sigmoid",      "relu", "abs",  "matmul", "transpose", "reshape",
        "broadcast_to", "sum",  "mean", "max",    "softmax",   "log_softmax"};
    constexpr int64_t kNumOps = sizeof(kOps) / sizeof(kOps[0]);
    std::string op = kOps[between(0, kNumOps - 1)];
    int x = current();
    const int result = [&] {
      if (op == "add" || op == "sub" || op == "mul" || op == "div" ||
          op == "pow" || op == "maximum" || op == "minimum")
        return binary(op, x);
      if (op == "matmul")
        return matmul(x);
      if (op == "transpose")
        return transpose(x);
      if (op == "reshape")
        return reshape(x, randomReshape(values[x].shape));
      if (op == "broadcast_to")
        return broadcastTo(x);
      if (op == "sum" || op == "mean" || op == "max")
        return reduction(op, x);
      if (op == "softmax" || op == "log_softmax")
        return softmax(op, x);
      return unary(op, x);
    }();
    limit(result, kMaxBound);
  }

  int binary(const std::string &op, int x) {
    Shape partner = broadcastPartner(values[x].shape);
    int y = -1;
    if (chance(0.4)) {
      // An existing value that broadcasts with x.
      std::vector<int> matches;
      for (size_t i = 0; i < values.size(); ++i)
        if (!values[i].helper && broadcasts(values[i].shape, values[x].shape) &&
            numel(broadcast(values[i].shape, values[x].shape)) <= kMaxNumel &&
            broadcast(values[i].shape, values[x].shape).size() <= kMaxRank)
          matches.push_back(static_cast<int>(i));
      y = matches[between(0, static_cast<int64_t>(matches.size()) - 1)];
    } else {
      y = leaf(partner);
    }
    if (chance(0.5))
      std::swap(x, y);
    double bx = values[x].bound, by = values[y].bound;
    double bound = 0;
    if (op == "div") {
      y = positive(y);
      if (chance(0.5))
        y = emit("neg", {y}, "", values[y].shape, values[y].bound);
      bound = 2 * bx;
    } else if (op == "pow") {
      x = positive(x);
      if (by > 2)
        y = emit("tanh", {y}, "", values[y].shape, 1.0);
      double base = std::max(values[x].bound, 2.0);
      bound = std::pow(base, values[y].bound);
    } else if (op == "add" || op == "sub") {
      bound = bx + by;
    } else if (op == "mul") {
      bound = bx * by;
    } else {
      bound = std::max(bx, by);
    }
    return emit(op, {x, y}, "", broadcast(values[x].shape, values[y].shape),
                bound);
  }

  int unary(const std::string &op, int x) {
    double b = values[x].bound;
    if (op == "exp") {
      x = limit(x, 4);
      return emit(op, {x}, "", values[x].shape, std::exp(values[x].bound));
    }
    if (op == "log") {
      x = positive(x);
      return emit(op, {x}, "", values[x].shape,
                  std::max(std::log(2.0), std::log(values[x].bound)));
    }
    if (op == "sqrt") {
      x = positive(x);
      return emit(op, {x}, "", values[x].shape, std::sqrt(values[x].bound));
    }
    double bound = op == "tanh" || op == "sigmoid" ? 1.0 : b;
    return emit(op, {x}, "", values[x].shape, bound);
  }

  int matmul(int x) {
    if (values[x].shape.size() < 2) {
      // Make a matrix of it first: [n] -> [1, n] or [n, 1].
      int64_t n = numel(values[x].shape);
      x = reshape(x, chance(0.5) ? Shape{1, n} : Shape{n, 1});
    }
    const Shape xs = values[x].shape;
    bool xIsLhs = chance(0.7);
    Shape batch(xs.begin(), xs.end() - 2);
    for (int attempt = 0; attempt < 20; ++attempt) {
      Shape otherBatch = broadcastPartner(batch);
      if (otherBatch.size() + 2 > kMaxRank)
        continue;
      int64_t free = randomDim();
      Shape other = otherBatch;
      if (xIsLhs) {
        other.push_back(xs.back()); // K
        other.push_back(free);      // N
      } else {
        other.push_back(free);              // M
        other.push_back(xs[xs.size() - 2]); // K
      }
      if (numel(other) > kMaxNumel)
        continue;
      Shape result = broadcast(batch, otherBatch);
      int64_t m = xIsLhs ? xs[xs.size() - 2] : free;
      int64_t n = xIsLhs ? free : xs.back();
      int64_t k = xIsLhs ? xs.back() : xs[xs.size() - 2];
      result.push_back(m);
      result.push_back(n);
      if (numel(result) > kMaxNumel || numel(result) * k > kMaxMatMulWork)
        continue;
      int y = valueOfShape(other);
      int lhs = xIsLhs ? x : y, rhs = xIsLhs ? y : x;
      return emit("matmul", {lhs, rhs}, "", result,
                  k * values[lhs].bound * values[rhs].bound);
    }
    return unary("neg", x);
  }

  int transpose(int x) {
    Shape perm(values[x].shape.size());
    for (size_t i = 0; i < perm.size(); ++i)
      perm[i] = static_cast<int64_t>(i);
    shuffle(perm);
    Shape result;
    for (int64_t p : perm)
      result.push_back(values[x].shape[p]);
    return emit("transpose", {x}, "{perm = " + i64Array(perm) + "}", result,
                values[x].bound);
  }

  /// The same element count in a random shape of rank <= 4.
  Shape randomReshape(const Shape &shape) {
    std::vector<int64_t> factors;
    int64_t n = numel(shape);
    for (int64_t p = 2; p <= n; ++p)
      while (n % p == 0) {
        factors.push_back(p);
        n /= p;
      }
    Shape result(between(factors.empty() ? 0 : 1, 4), 1);
    for (int64_t factor : factors)
      result[between(0, static_cast<int64_t>(result.size()) - 1)] *= factor;
    return result;
  }

  int reshape(int x, const Shape &shape) {
    return emit("reshape", {x}, "", shape, values[x].bound);
  }

  int broadcastTo(int x) {
    Shape target = values[x].shape;
    for (int attempt = 0; attempt < 20; ++attempt) {
      target = values[x].shape;
      for (int64_t &dim : target)
        if (dim == 1 && chance(0.5))
          dim = randomDim();
      while (target.size() < kMaxRank && chance(0.3))
        target.insert(target.begin(), randomDim());
      if (numel(target) <= kMaxNumel)
        break;
      target = values[x].shape;
    }
    return emit("broadcast_to", {x}, "", target, values[x].bound);
  }

  int reduction(const std::string &op, int x) {
    const Shape shape = values[x].shape;
    int64_t rank = static_cast<int64_t>(shape.size());
    Shape dims;
    if (rank == 0) {
      int64_t choice = between(0, 2);
      if (choice > 0)
        dims.push_back(choice == 1 ? 0 : -1);
    } else if (!chance(0.2)) {
      for (int64_t d = 0; d < rank; ++d)
        if (chance(0.5))
          dims.push_back(chance(0.5) ? d - rank : d);
      if (dims.empty())
        dims.push_back(between(-rank, rank - 1));
      shuffle(dims);
    }
    bool keepdim = chance(0.5);
    Shape result;
    int64_t count = 1;
    for (int64_t d = 0; d < rank; ++d) {
      bool reduced = dims.empty() || std::count(dims.begin(), dims.end(), d) ||
                     std::count(dims.begin(), dims.end(), d - rank);
      if (reduced)
        count *= shape[d];
      if (!reduced)
        result.push_back(shape[d]);
      else if (keepdim)
        result.push_back(1);
    }
    double bound = op == "sum" ? count * values[x].bound : values[x].bound;
    return emit(op, {x},
                "{dims = " + i64Array(dims) +
                    ", keepdim = " + (keepdim ? "true" : "false") + "}",
                result, bound);
  }

  int softmax(const std::string &op, int x) {
    const Shape shape = values[x].shape;
    int64_t rank = static_cast<int64_t>(shape.size());
    int64_t dim = rank == 0 ? -between(0, 1) : between(-rank, rank - 1);
    int64_t n = rank == 0 ? 1 : shape[dim < 0 ? dim + rank : dim];
    double bound = op == "softmax"
                       ? 1.0
                       : 2 * values[x].bound + std::log(static_cast<double>(n));
    return emit(op, {x}, "{dim = " + std::to_string(dim) + " : i64}", shape,
                std::max(bound, 1e-3));
  }

  std::mt19937 rng;
  DType dtype;
  std::vector<Value> values;
  std::vector<std::pair<std::string, int>> scalars;
  std::vector<std::string> args, lines;
};

//===----------------------------------------------------------------------===//
// The test
//===----------------------------------------------------------------------===//

double elementAt(const Tensor &tensor, int64_t i) {
  return tensor.dtype() == DType::F32 ? tensor.data<float>()[i]
                                      : tensor.data<double>()[i];
}

/// What one worker saw.
struct Summary {
  int failures = 0;
  /// max |jit - ref| / (rtol (|ref| + scale)) per dtype, and where.
  double worst[2] = {0, 0};
  int worstGraph[2] = {-1, -1};
  std::map<std::string, int> opCounts;
};

/// Runs graph `index`; reports and returns false when it fails.
bool runGraph(int index, Summary &summary) {
  uint64_t seed = kBaseSeed + index;
  DType dtype = index % 2 ? DType::F64 : DType::F32;
  std::vector<double> bounds;
  std::string source = GraphGenerator(seed, dtype).generate(bounds);
  std::string replay =
      "differential graph " + std::to_string(index) +
      "; replay with `tensor-run graph.mlir --seed=" + std::to_string(seed) +
      " --check` on:\n" + source;
  for (size_t at = source.find("\"graft."); at != std::string::npos;
       at = source.find("\"graft.", at + 1))
    ++summary
          .opCounts[source.substr(at + 7, source.find('"', at + 1) - at - 7)];

  Engine engine;
  Expected<Function> function = engine.compile(source, {}, "graph.mlir");
  if (!function) {
    ADD_FAILURE() << "compile failed: " << function.error().message() << "\n"
                  << replay;
    return false;
  }
  std::vector<Tensor> inputs;
  for (const TensorSpec &spec : function->inputs())
    inputs.push_back(Tensor::empty(spec.shape, spec.dtype));
  fillRandSequence(inputs, seed);
  Expected<std::vector<Tensor>> actual = (*function)(inputs);
  if (!actual) {
    ADD_FAILURE() << "call failed: " << actual.error().message() << "\n"
                  << replay;
    return false;
  }
  Expected<std::vector<Tensor>> expected =
      evaluateReference(source, inputs, "", "graph.mlir");
  if (!expected) {
    ADD_FAILURE() << "reference failed: " << expected.error().message() << "\n"
                  << replay;
    return false;
  }
  double rtol = dtype == DType::F32 ? kRtolF32 : kRtolF64;
  int which = dtype == DType::F32 ? 0 : 1;
  for (size_t r = 0; r < actual->size(); ++r) {
    const Tensor &a = (*actual)[r], &e = (*expected)[r];
    for (int64_t i = 0; i < e.numel(); ++i) {
      double x = elementAt(a, i), y = elementAt(e, i);
      if (std::isnan(x) && std::isnan(y))
        continue;
      double ratio = std::fabs(x - y) / (rtol * (std::fabs(y) + bounds[r]));
      if (!(ratio <= 1)) { // also catches a NaN on one side
        ADD_FAILURE() << "result " << r << " element " << i << ": jit "
                      << ::testing::PrintToString(x) << ", reference "
                      << ::testing::PrintToString(y) << ", scale " << bounds[r]
                      << "\n"
                      << replay;
        return false;
      }
      if (ratio > summary.worst[which]) {
        summary.worst[which] = ratio;
        summary.worstGraph[which] = index;
      }
    }
  }
  return true;
}

TEST(DifferentialTest, RandomGraphs) {
  // Graphs are independent and each is deterministic, so two workers (the
  // machine has two cores) split them: even and odd indices.
  Summary summaries[2];
  auto work = [&](int worker) {
    for (int index = worker; index < kGraphs; index += 2)
      summaries[worker].failures += !runGraph(index, summaries[worker]);
  };
  std::thread other(work, 1);
  work(0);
  other.join();

  Summary total;
  for (const Summary &summary : summaries) {
    total.failures += summary.failures;
    for (const auto &[op, count] : summary.opCounts)
      total.opCounts[op] += count;
    for (int d = 0; d < 2; ++d)
      if (summary.worst[d] >= total.worst[d]) {
        total.worst[d] = summary.worst[d];
        total.worstGraph[d] = summary.worstGraph[d];
      }
  }
  EXPECT_EQ(total.failures, 0) << "of " << kGraphs << " graphs";
  std::cout << "ops generated:";
  for (const auto &[op, count] : total.opCounts)
    std::cout << " " << op << " " << count;
  std::cout << "\nworst error / tolerance: f32 " << total.worst[0] << " (graph "
            << total.worstGraph[0] << "), f64 " << total.worst[1] << " (graph "
            << total.worstGraph[1] << ")\n";
  // Every op of DESIGN.md's table appears.
  EXPECT_EQ(total.opCounts.size(), 29u);
}

} // namespace
