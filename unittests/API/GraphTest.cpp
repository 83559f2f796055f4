//===- GraphTest.cpp - The C++ graph API ----------------------------------===//
//
// Tests every entry point of graft/API/Graph.h with graft::Engine: building,
// build-time shape errors, printing and parsing, grad, compiling and
// calling, including the error paths. Expected values come from naive host
// loops in this file.
//
//===----------------------------------------------------------------------===//

#include "graft/API/Graph.h"
#include "graft/Engine/Engine.h"
#include "graft/Runtime/Format.h"
#include "graft/Runtime/Random.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>

using namespace graft;

namespace {

bool contains(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

std::vector<Tensor> run(const Graph &graph, const std::vector<Tensor> &inputs,
                        const CompileOptions &options = {}) {
  Engine engine;
  Expected<Function> fn = engine.compile(graph, options);
  EXPECT_TRUE(fn) << fn.error().message() << "\n" << graph.print();
  if (!fn)
    return {};
  Expected<std::vector<Tensor>> out = (*fn)(inputs);
  EXPECT_TRUE(out) << out.error().message();
  return out ? out.take() : std::vector<Tensor>{};
}

// The seed tutorial, step by step, through the graph API.
TEST(GraphTest, SeedRandAndShape) {
  Graph g("first_tensor");
  Value r = g.rand({3, 3}, 0);
  EXPECT_EQ(r.shape(), (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(r.dtype(), DType::F32);
  g.output(r);
  std::vector<Tensor> out = run(g, {});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(formatTensor(out[0]), "tensor([[0.4963, 0.7682, 0.0885],\n"
                                  "        [0.1320, 0.3074, 0.6341],\n"
                                  "        [0.4901, 0.8964, 0.4556]])");
  EXPECT_EQ(formatShape(out[0].shape()), "torch.Size([3, 3])");
}

TEST(GraphTest, SeedOnesAndEye) {
  Graph g;
  Value ones = g.ones({3, 3});
  Value eye = g.eye(3);
  g.output({matmul(ones, eye), ones * eye});
  std::vector<Tensor> out = run(g, {});
  ASSERT_EQ(out.size(), 2u);
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 3; ++j) {
      EXPECT_EQ(out[0].at({i, j}), 1.0);
      EXPECT_EQ(out[1].at({i, j}), i == j ? 1.0 : 0.0);
    }
}

TEST(GraphTest, SeedForwardMatchesHostLoop) {
  const int64_t n = 37;
  Graph g("forward");
  Value x = g.input("x", {n, n}), y = g.input("y", {n, n}),
        z = g.input("z", {n, n});
  Value q = matmul(x, y);
  g.output({mean(q * z), mean(z * q)});
  std::vector<Tensor> in = {Tensor::rand({n, n}, 1), Tensor::rand({n, n}, 2),
                            Tensor::rand({n, n}, 3)};
  std::vector<Tensor> out = run(g, in);
  ASSERT_EQ(out.size(), 2u);
  double expected = 0;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double qij = 0;
      for (int64_t k = 0; k < n; ++k)
        qij += double(in[0].at({i, k})) * in[1].at({k, j});
      expected += qij * in[2].at({i, j});
    }
  expected /= n * n;
  EXPECT_NEAR(out[0].at({}), expected, 1e-5 * expected);
  EXPECT_EQ(out[0].at({}), out[1].at({}));
}

TEST(GraphTest, SeedBackward) {
  Graph g("backward");
  Value x = g.input("x", {}), y = g.input("y", {}), z = g.input("z", {});
  Value f = (x + y) * z;
  Expected<std::vector<Value>> grads = grad(f, {x, y, z});
  ASSERT_TRUE(grads) << grads.error().message();
  g.output(f);
  g.output(*grads);
  std::vector<Tensor> out =
      run(g, {Tensor::full({}, 4), Tensor::full({}, -3), Tensor::full({}, 5)});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(formatTensor(out[0]), "tensor(5.)");
  EXPECT_EQ(formatTensor(out[1]), "tensor(5.)");
  EXPECT_EQ(formatTensor(out[2]), "tensor(5.)");
  EXPECT_EQ(formatTensor(out[3]), "tensor(1.)");
}

TEST(GraphTest, GradOfNonScalarAddsAnIncomingGradientInput) {
  Graph g;
  Value x = g.input("x", {2, 3}, DType::F64);
  Value y = x * x;
  Expected<std::vector<Value>> grads = grad(y, {x});
  ASSERT_TRUE(grads) << grads.error().message();
  ASSERT_EQ(g.inputs().size(), 2u);
  EXPECT_EQ(g.inputs()[1].shape(), (std::vector<int64_t>{2, 3}));
  g.output((*grads)[0]);
  Tensor xv = Tensor::rand({2, 3}, 4, DType::F64);
  Tensor v = Tensor::rand({2, 3}, 5, DType::F64);
  std::vector<Tensor> out = run(g, {xv, v});
  ASSERT_EQ(out.size(), 1u);
  for (int64_t i = 0; i < 6; ++i)
    EXPECT_DOUBLE_EQ(out[0].data<double>()[i],
                     2 * xv.data<double>()[i] * v.data<double>()[i]);
}

TEST(GraphTest, ScalarOperatorsAndUnaryOps) {
  Graph g;
  Value x = g.input("x", {4}, DType::F64);
  g.output({x * 2.0 + 1.0, 1.0 - x, 3.0 / (x + 1.0), -x, relu(x - 0.5),
            softmax(x, 0), logSoftmax(x, -1), sum(x), max(x), sqrt(exp(x))});
  Tensor xv = Tensor::fromData(std::vector<double>{0.0, 0.25, 0.5, 1.0}, {4});
  std::vector<Tensor> out = run(g, {xv});
  ASSERT_EQ(out.size(), 10u);
  double z = 0;
  for (int64_t i = 0; i < 4; ++i)
    z += std::exp(xv.at({i}));
  for (int64_t i = 0; i < 4; ++i) {
    double v = xv.at({i});
    EXPECT_DOUBLE_EQ(out[0].at({i}), v * 2 + 1);
    EXPECT_DOUBLE_EQ(out[1].at({i}), 1 - v);
    EXPECT_DOUBLE_EQ(out[2].at({i}), 3 / (v + 1));
    EXPECT_DOUBLE_EQ(out[3].at({i}), -v);
    EXPECT_DOUBLE_EQ(out[4].at({i}), std::max(v - 0.5, 0.0));
    EXPECT_NEAR(out[5].at({i}), std::exp(v) / z, 1e-15);
    EXPECT_NEAR(out[6].at({i}), v - std::log(z), 1e-15);
    EXPECT_NEAR(out[9].at({i}), std::exp(v / 2), 1e-15);
  }
  EXPECT_DOUBLE_EQ(out[7].at({}), 1.75);
  EXPECT_DOUBLE_EQ(out[8].at({}), 1.0);
}

TEST(GraphTest, ConstantsAndShapeOps) {
  Graph g;
  Value c = g.constant(
      Tensor::fromData(std::vector<float>{1, 2, 3, 4, 5, 6}, {2, 3}));
  g.output({transpose(c, {1, 0}), reshape(c, {3, 2}), broadcastTo(c, {2, 2, 3}),
            g.full({2}, 2.5), g.zeros({1}), g.eye(2, 3), g.randn({2}, 1)});
  std::vector<Tensor> out = run(g, {});
  ASSERT_EQ(out.size(), 7u);
  EXPECT_EQ(out[0].at({2, 1}), 6.0);
  EXPECT_EQ(out[1].at({2, 0}), 5.0);
  EXPECT_EQ(out[2].at({1, 1, 2}), 6.0);
  EXPECT_EQ(out[3].at({1}), 2.5);
  EXPECT_EQ(out[4].at({0}), 0.0);
  EXPECT_EQ(out[5].at({1, 1}), 1.0);
  EXPECT_EQ(out[5].at({1, 2}), 0.0);
  Tensor expected = Tensor::randn({2}, 1);
  EXPECT_EQ(out[6].at({0}), expected.at({0}));
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

TEST(GraphErrorTest, ShapesThatDoNotBroadcastFailAtBuildTime) {
  Graph g;
  Value a = g.input("a", {2, 3}), b = g.input("b", {4});
  Value c = a + b;
  EXPECT_FALSE(c.valid());
  ASSERT_TRUE(g.error());
  EXPECT_TRUE(contains(g.error().message(), "'graft.add'"));
  EXPECT_TRUE(contains(g.error().message(), "[2, 3] and [4]"));
  // Later ops on the invalid value are no-ops; the first error sticks.
  Value d = exp(c) * a;
  EXPECT_FALSE(d.valid());
  Value e = matmul(a, a);
  EXPECT_FALSE(e.valid());
  EXPECT_TRUE(contains(g.error().message(), "'graft.add'"));
  g.output(a);
  Engine engine;
  Expected<Function> fn = engine.compile(g);
  ASSERT_FALSE(fn);
  EXPECT_EQ(fn.error().message(), g.error().message());
}

TEST(GraphErrorTest, EveryVerifierRuleNamesTheOp) {
  struct Probe {
    const char *op;
    std::function<Value(Graph &)> build;
  };
  std::vector<Probe> probes = {
      {"'graft.matmul'",
       [](Graph &g) {
         return matmul(g.input("a", {2, 3}), g.input("b", {2, 3}));
       }},
      {"'graft.transpose'",
       [](Graph &g) {
         return transpose(g.input("a", {2, 3}), {0, 0});
       }},
      {"'graft.reshape'",
       [](Graph &g) {
         return reshape(g.input("a", {2, 3}), {7});
       }},
      {"'graft.broadcast_to'",
       [](Graph &g) {
         return broadcastTo(g.input("a", {3}), {2, 4});
       }},
      {"'graft.sum'",
       [](Graph &g) {
         return sum(g.input("a", {2, 3}), {2});
       }},
      {"'graft.softmax'",
       [](Graph &g) {
         return softmax(g.input("a", {2, 3}), 5);
       }},
      {"'graft.mul'",
       [](Graph &g) {
         return g.input("a", {2}, DType::F32) * g.input("b", {2}, DType::F64);
       }},
      {"'graft.input'",
       [](Graph &g) {
         return g.input("a", {-1, 2});
       }},
  };
  for (const Probe &probe : probes) {
    SCOPED_TRACE(probe.op);
    Graph g;
    EXPECT_FALSE(probe.build(g).valid());
    ASSERT_TRUE(g.error());
    EXPECT_TRUE(contains(g.error().message(), probe.op)) << g.error().message();
  }
}

TEST(GraphErrorTest, ValueFromAnotherGraph) {
  Graph g1, g2;
  Value a = g1.input("a", {2}), b = g2.input("b", {2});
  EXPECT_FALSE((a + b).valid());
  EXPECT_TRUE(contains(g1.error().message(), "another graph"));
  g2.output(a);
  EXPECT_TRUE(contains(g2.error().message(), "another graph"));
}

TEST(GraphErrorTest, EmptyNameIsABuildError) {
  Graph g("");
  g.output(g.input("x", {2}));
  ASSERT_TRUE(g.error());
  EXPECT_TRUE(contains(g.error().message(), "name must not be empty"));
  Engine engine;
  Expected<Function> fn = engine.compile(g);
  ASSERT_FALSE(fn);
  EXPECT_EQ(fn.error().message(), g.error().message());
}

TEST(GraphErrorTest, GradErrors) {
  Graph g;
  Value x = g.input("x", {3}), y = g.input("y", {3});
  Value s = sum(x * y);
  Expected<std::vector<Value>> notInput = grad(s, {x * y});
  ASSERT_FALSE(notInput);
  EXPECT_TRUE(contains(notInput.error().message(), "not a graph input"));
  Value masked = sum(gt(x, y));
  Expected<std::vector<Value>> throughComparison = grad(masked, {x});
  ASSERT_FALSE(throughComparison);
  EXPECT_TRUE(contains(throughComparison.error().message(), "'graft.gt'"));
  EXPECT_FALSE(grad(Value(), {x}));
  // The graph is unchanged and still usable.
  EXPECT_FALSE(g.error());
  Expected<std::vector<Value>> ok = grad(s, {x, y});
  ASSERT_TRUE(ok) << ok.error().message();
}

TEST(GraphErrorTest, CallErrors) {
  Graph g("f");
  Value x = g.input("x", {2, 3});
  g.output(x * 2.0);
  Engine engine;
  Expected<Function> fn = engine.compile(g);
  ASSERT_TRUE(fn) << fn.error().message();
  EXPECT_FALSE((*fn)({}));
  EXPECT_FALSE((*fn)({Tensor::empty({3, 2})}));
  EXPECT_FALSE((*fn)({Tensor::empty({2, 3}, DType::F64)}));
  // An output buffer too small for the result.
  std::vector<float> small(4);
  Error err = fn->call({Tensor::rand({2, 3}, 0)},
                       {Tensor::view(small.data(), {2, 2}, DType::F32)});
  ASSERT_TRUE(err);
  EXPECT_TRUE(contains(err.message(), "tensor<2x3xf32>")) << err.message();
  for (float v : small)
    EXPECT_EQ(v, 0.0f); // Nothing was written.
}

//===----------------------------------------------------------------------===//
// Printing, parsing and options
//===----------------------------------------------------------------------===//

TEST(GraphTest, PrintAndParseRoundTrip) {
  Graph g("model");
  Value x = g.input("x", {4, 3}), w = g.input("w", {3, 2});
  g.output(softmax(matmul(x, w), 1));
  std::string text = g.print();
  EXPECT_TRUE(contains(text, "func.func @model"));
  EXPECT_TRUE(contains(text, "graft.matmul"));
  EXPECT_TRUE(contains(text, "graft.softmax"));
  Expected<Graph> parsed = Graph::parse(text);
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->print(), text);
  EXPECT_EQ(parsed->inputs().size(), 2u);
  EXPECT_EQ(parsed->outputs().size(), 1u);
  std::vector<Tensor> in = {Tensor::rand({4, 3}, 1), Tensor::rand({3, 2}, 2)};
  std::vector<Tensor> a = run(g, in), b = run(*parsed, in);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  for (int64_t i = 0; i < 8; ++i)
    EXPECT_EQ(a[0].data<float>()[i], b[0].data<float>()[i]);
  // The parsed graph grows like a built one.
  Value more = parsed->outputs()[0] * 2.0;
  EXPECT_TRUE(more.valid());
  EXPECT_FALSE(Graph::parse("func.func @f( {"));
  EXPECT_FALSE(
      Graph::parse("func.func @f() { return }\nfunc.func @g() { return }"));
}

TEST(GraphErrorTest, ParseRejectsNonTensorSignatures) {
  Expected<Graph> scalar =
      Graph::parse("func.func @f(%a: i32) -> i32 {\n  return %a : i32\n}\n");
  ASSERT_FALSE(scalar);
  EXPECT_TRUE(contains(scalar.error().message(), "f32 or f64 tensor"));
  Expected<Graph> dynamic =
      Graph::parse("func.func @f(%a: tensor<?xf32>) -> tensor<?xf32> {\n"
                   "  return %a : tensor<?xf32>\n}\n");
  EXPECT_FALSE(dynamic);
}

TEST(GraphErrorTest, OptionsOutOfRange) {
  Graph g;
  g.output(g.ones({2}));
  Engine engine;
  CompileOptions options;
  options.optLevel = 9;
  Expected<Function> fn = engine.compile(g, options);
  ASSERT_FALSE(fn);
  EXPECT_TRUE(contains(fn.error().message(), "optimization level 9"));
}

TEST(GraphTest, MovedFromGraphStartsOver) {
  Graph g("first");
  Value x = g.input("x", {2});
  Graph moved = std::move(g);
  EXPECT_TRUE(x.valid());
  EXPECT_EQ(moved.inputs().size(), 1u);
  // The moved-from graph is empty and usable, not a crash.
  EXPECT_EQ(g.inputs().size(), 0u); // NOLINT(bugprone-use-after-move)
  Value y = g.input("y", {3});
  g.output(y * 2.0);
  std::vector<Tensor> out = run(g, {Tensor::full({3}, 1.5)});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].at({2}), 3.0);
}

TEST(GraphTest, DumpDirAndOptLevel) {
  Graph g;
  Value x = g.input("x", {8});
  g.output(exp(x));
  std::string dir = testing::TempDir() + "graft-dump";
  CompileOptions options;
  options.dumpDir = dir;
  options.optLevel = 0;
  std::vector<Tensor> out = run(g, {Tensor::full({8}, 0.0)}, options);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].at({3}), 1.0);
  for (const char *name : {"0-input.mlir", "1-frontend.mlir",
                           "2-llvm-dialect.mlir", "3-optimized.ll"}) {
    std::ifstream file(dir + "/" + name);
    EXPECT_TRUE(file.good()) << name;
  }
}

} // namespace
