//===- EvaluatorTest.cpp - The reference evaluator on its own -------------===//
//
// This file checks graft::evaluateReference against values worked out by
// hand (no JIT involved), its error messages, graft::ReferenceFunction's
// options, graft::compareTensors and graft::checkGradients (on gradients
// known in closed form). The evaluator is the yardstick of the op,
// differential and gradient tests, so its own semantics are pinned down
// here on small cases whose answers are known.
//
//===----------------------------------------------------------------------===//

#include "graft/Reference/Reference.h"
#include "graft/Runtime/Random.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace graft;

namespace {

Tensor f64(std::vector<double> values, std::vector<int64_t> shape) {
  return Tensor::fromData(std::move(values), std::move(shape));
}

/// Evaluates `source` and returns its results; a failure is a test failure.
std::vector<Tensor> evaluate(const std::string &source,
                             const std::vector<Tensor> &inputs = {}) {
  Expected<std::vector<Tensor>> results = evaluateReference(source, inputs);
  if (!results) {
    ADD_FAILURE() << results.error().message() << "\nsource:\n" << source;
    return {};
  }
  return results.take();
}

/// The elements of an F64 result.
std::vector<double> values(const Tensor &tensor) {
  EXPECT_EQ(tensor.dtype(), DType::F64);
  const double *data = tensor.data<double>();
  return std::vector<double>(data, data + tensor.numel());
}

bool startsWith(const std::string &text, const std::string &prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

std::string evaluationError(const std::string &source,
                            const std::vector<Tensor> &inputs = {},
                            const std::string &entry = "") {
  Expected<std::vector<Tensor>> results =
      evaluateReference(source, inputs, entry, "test.mlir");
  EXPECT_FALSE(results) << "evaluation unexpectedly succeeded";
  return results ? std::string() : results.error().message();
}

TEST(EvaluatorTest, BroadcastingAndElementwise) {
  std::vector<Tensor> results =
      evaluate(R"(
    func.func @f(%x: tensor<2x1xf64>, %y: tensor<3xf64>) -> (tensor<2x3xf64>, tensor<2x3xf64>, tensor<2x3xf64>) {
      %a = graft.sub %x, %y : (tensor<2x1xf64>, tensor<3xf64>) -> tensor<2x3xf64>
      %p = graft.pow %x, %y : (tensor<2x1xf64>, tensor<3xf64>) -> tensor<2x3xf64>
      %m = graft.maximum %x, %y : (tensor<2x1xf64>, tensor<3xf64>) -> tensor<2x3xf64>
      return %a, %p, %m : tensor<2x3xf64>, tensor<2x3xf64>, tensor<2x3xf64>
    })",
               {f64({2.0, 3.0}, {2, 1}), f64({1.0, 2.0, 3.0}, {3})});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].shape(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values(results[0]), (std::vector<double>{1, 0, -1, 2, 1, 0}));
  EXPECT_EQ(values(results[1]), (std::vector<double>{2, 4, 8, 3, 9, 27}));
  EXPECT_EQ(values(results[2]), (std::vector<double>{2, 2, 3, 3, 3, 3}));
}

TEST(EvaluatorTest, UnaryOpsAndNaN) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<Tensor> results = evaluate(R"(
    func.func @f(%x: tensor<4xf64>) -> (tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>) {
      %r = graft.relu %x : tensor<4xf64>
      %a = graft.abs %x : tensor<4xf64>
      %n = graft.neg %x : tensor<4xf64>
      %m = graft.minimum %x, %a : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
      return %r, %a, %n, %m : tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>
    })",
                                         {f64({-2.0, 0.5, nan, 3.0}, {4})});
  ASSERT_EQ(results.size(), 4u);
  std::vector<double> relu = values(results[0]);
  EXPECT_EQ(relu[0], 0.0);
  EXPECT_EQ(relu[1], 0.5);
  EXPECT_TRUE(std::isnan(relu[2])) << "relu(NaN) is NaN, as in PyTorch";
  EXPECT_EQ(relu[3], 3.0);
  EXPECT_EQ(values(results[1])[0], 2.0);
  EXPECT_EQ(values(results[2])[3], -3.0);
  std::vector<double> minimum = values(results[3]);
  EXPECT_EQ(minimum[0], -2.0);
  EXPECT_TRUE(std::isnan(minimum[2])) << "minimum propagates NaN";
}

TEST(EvaluatorTest, ComparisonsAreMasks) {
  // Broadcasting [2, 1] against [3]; NaN compares false except with ne.
  double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<Tensor> results = evaluate(
      R"(
    func.func @f(%x: tensor<2x1xf32>, %y: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
      %eq = graft.eq %x, %y : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
      %ne = graft.ne %x, %y : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
      %lt = graft.lt %x, %y : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
      %le = graft.le %x, %y : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
      %gt = graft.gt %x, %y : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
      %ge = graft.ge %x, %y : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
      return %eq, %ne, %lt, %le, %gt, %ge : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
    })",
      {Tensor::fromData(std::vector<float>{1.0f, static_cast<float>(nan)},
                        {2, 1}),
       Tensor::fromData(std::vector<float>{0.0f, 1.0f, 2.0f}, {3})});
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(results[0].shape(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(values(results[0]), (std::vector<double>{0, 1, 0, 0, 0, 0}));
  EXPECT_EQ(values(results[1]), (std::vector<double>{1, 0, 1, 1, 1, 1}));
  EXPECT_EQ(values(results[2]), (std::vector<double>{0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(values(results[3]), (std::vector<double>{0, 1, 1, 0, 0, 0}));
  EXPECT_EQ(values(results[4]), (std::vector<double>{1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(values(results[5]), (std::vector<double>{1, 1, 0, 0, 0, 0}));
}

TEST(EvaluatorTest, TransposeReshapeBroadcastTo) {
  // x = [[0, 1, 2], [3, 4, 5]]
  std::vector<Tensor> results = evaluate(
      R"(
    func.func @f(%x: tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>, tensor<2x2x3xf32>, tensor<1x3x2xf32>) {
      %t = graft.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
      %r = graft.reshape %x : (tensor<2x3xf32>) -> tensor<3x2xf32>
      %b = graft.broadcast_to %x : (tensor<2x3xf32>) -> tensor<2x2x3xf32>
      %x3 = graft.reshape %x : (tensor<2x3xf32>) -> tensor<1x2x3xf32>
      %p = graft.transpose %x3 {perm = array<i64: 0, 2, 1>} : (tensor<1x2x3xf32>) -> tensor<1x3x2xf32>
      return %t, %r, %b, %p : tensor<3x2xf32>, tensor<3x2xf32>, tensor<2x2x3xf32>, tensor<1x3x2xf32>
    })",
      {Tensor::fromData(std::vector<float>{0, 1, 2, 3, 4, 5}, {2, 3})});
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(values(results[0]), (std::vector<double>{0, 3, 1, 4, 2, 5}));
  EXPECT_EQ(values(results[1]), (std::vector<double>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(values(results[2]),
            (std::vector<double>{0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(values(results[3]), (std::vector<double>{0, 3, 1, 4, 2, 5}));
}

TEST(EvaluatorTest, MatMulBroadcastsBatchDims) {
  // a: 2 batches of [[1, 2]] (1x2); b: one 2x2 [[1, 2], [3, 4]].
  std::vector<Tensor> results =
      evaluate(R"(
    func.func @f(%a: tensor<2x1x2xf64>, %b: tensor<1x2x2xf64>) -> tensor<2x1x2xf64> {
      %c = graft.matmul %a, %b : (tensor<2x1x2xf64>, tensor<1x2x2xf64>) -> tensor<2x1x2xf64>
      return %c : tensor<2x1x2xf64>
    })",
               {f64({1.0, 2.0, -1.0, 0.0}, {2, 1, 2}),
                f64({1.0, 2.0, 3.0, 4.0}, {1, 2, 2})});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(values(results[0]), (std::vector<double>{7, 10, -1, -2}));
}

TEST(EvaluatorTest, Reductions) {
  // x = [[1, 5, 3], [4, 2, 6]]
  std::vector<Tensor> results =
      evaluate(R"(
    func.func @f(%x: tensor<2x3xf64>, %s: tensor<f64>) -> (tensor<3xf64>, tensor<2x1xf64>, tensor<f64>, tensor<1x1xf64>, tensor<f64>, tensor<f64>) {
      %a = graft.sum %x {dims = array<i64: 0>} : (tensor<2x3xf64>) -> tensor<3xf64>
      %b = graft.max %x {dims = array<i64: -1>, keepdim = true} : (tensor<2x3xf64>) -> tensor<2x1xf64>
      %c = graft.mean %x : (tensor<2x3xf64>) -> tensor<f64>
      %d = graft.sum %x {keepdim = true} : (tensor<2x3xf64>) -> tensor<1x1xf64>
      %e = graft.mean %s {dims = array<i64: 0>} : (tensor<f64>) -> tensor<f64>
      %f = graft.max %s {dims = array<i64: -1>, keepdim = true} : (tensor<f64>) -> tensor<f64>
      return %a, %b, %c, %d, %e, %f : tensor<3xf64>, tensor<2x1xf64>, tensor<f64>, tensor<1x1xf64>, tensor<f64>, tensor<f64>
    })",
               {f64({1.0, 5.0, 3.0, 4.0, 2.0, 6.0}, {2, 3}), f64({-7.0}, {})});
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(values(results[0]), (std::vector<double>{5, 7, 9}));
  EXPECT_EQ(results[1].shape(), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(values(results[1]), (std::vector<double>{5, 6}));
  EXPECT_EQ(values(results[2]), (std::vector<double>{3.5}));
  EXPECT_EQ(values(results[3]), (std::vector<double>{21}));
  // A scalar accepts dim 0 / -1 and has nothing to reduce.
  EXPECT_EQ(values(results[4]), (std::vector<double>{-7}));
  EXPECT_EQ(values(results[5]), (std::vector<double>{-7}));
}

TEST(EvaluatorTest, SoftmaxIsMaxSubtracted) {
  // Without subtracting the max, exp(1000) overflows to inf.
  std::vector<Tensor> results =
      evaluate(R"(
    func.func @f(%x: tensor<2x2xf64>, %s: tensor<f64>) -> (tensor<2x2xf64>, tensor<2x2xf64>, tensor<f64>, tensor<f64>) {
      %a = graft.softmax %x {dim = 0 : i64} : tensor<2x2xf64>
      %b = graft.log_softmax %x {dim = -1 : i64} : tensor<2x2xf64>
      %c = graft.softmax %s {dim = -1 : i64} : tensor<f64>
      %d = graft.log_softmax %s {dim = 0 : i64} : tensor<f64>
      return %a, %b, %c, %d : tensor<2x2xf64>, tensor<2x2xf64>, tensor<f64>, tensor<f64>
    })",
               {f64({1000.0, 0.0, 1000.0, 1.0}, {2, 2}), f64({3.0}, {})});
  ASSERT_EQ(results.size(), 4u);
  std::vector<double> a = values(results[0]);
  EXPECT_EQ(a[0], 0.5);
  EXPECT_EQ(a[2], 0.5);
  EXPECT_NEAR(a[1], 1 / (1 + std::exp(1.0)), 1e-15);
  std::vector<double> b = values(results[1]);
  EXPECT_NEAR(b[0], 0.0, 1e-15);
  EXPECT_NEAR(b[1], -1000.0, 1e-12);
  EXPECT_NEAR(b[2], 0.0, 1e-15);
  EXPECT_NEAR(b[3], -999.0, 1e-12);
  EXPECT_EQ(values(results[2]), (std::vector<double>{1.0}));
  EXPECT_EQ(values(results[3]), (std::vector<double>{0.0}));
}

TEST(EvaluatorTest, CreationOps) {
  std::vector<Tensor> results = evaluate(R"(
    func.func @f() -> (tensor<2x3xf32>, tensor<2xf32>, tensor<3x3xf32>, tensor<20xf64>, tensor<2x2xf64>, tensor<17xf32>) {
      %e = graft.eye : tensor<2x3xf32>
      %f = graft.full {value = 1.000000e-01 : f64} : tensor<2xf32>
      %r = graft.rand {seed = 0 : i64} : tensor<3x3xf32>
      %q = graft.randn {seed = 7 : i64} : tensor<20xf64>
      %c = graft.constant dense<[[1.5, -2.0], [0.25, 8.0]]> : tensor<2x2xf64>
      %n = graft.randn {seed = 3 : i64} : tensor<17xf32>
      return %e, %f, %r, %q, %c, %n : tensor<2x3xf32>, tensor<2xf32>, tensor<3x3xf32>, tensor<20xf64>, tensor<2x2xf64>, tensor<17xf32>
    })");
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(values(results[0]), (std::vector<double>{1, 0, 0, 0, 1, 0}));
  // The value is converted to the f32 element type.
  EXPECT_EQ(values(results[1])[0], static_cast<double>(0.1f));
  // DESIGN.md's check values for seed 0.
  std::vector<double> rand = values(results[2]);
  EXPECT_NEAR(rand[0], 0.4963, 5e-5);
  EXPECT_NEAR(rand[8], 0.4556, 5e-5);
  std::vector<float> want(9);
  fillRand(want.data(), 9, 0);
  for (int i = 0; i < 9; ++i)
    EXPECT_EQ(rand[i], static_cast<double>(want[i]));
  std::vector<double> normal(20);
  fillRandn(normal.data(), 20, 7);
  EXPECT_EQ(values(results[3]), normal);
  EXPECT_EQ(values(results[4]), (std::vector<double>{1.5, -2.0, 0.25, 8.0}));
  std::vector<float> normal32(17);
  fillRandn(normal32.data(), 17, 3);
  EXPECT_EQ(values(results[5]),
            std::vector<double>(normal32.begin(), normal32.end()));
}

TEST(EvaluatorTest, RandnIsStandardNormal) {
  // An independent check of the generator both sides share: the sample
  // mean and variance of 10^5 draws are within 5 standard errors of 0 and
  // 1 (standard errors 1/sqrt(n) = 0.0032 and sqrt(2/n) = 0.0045).
  std::vector<Tensor> results = evaluate(R"(
    func.func @f() -> tensor<100000xf64> {
      %r = graft.randn {seed = 11 : i64} : tensor<100000xf64>
      return %r : tensor<100000xf64>
    })");
  ASSERT_EQ(results.size(), 1u);
  std::vector<double> x = values(results[0]);
  double mean = 0, square = 0;
  for (double v : x)
    mean += v / x.size();
  for (double v : x)
    square += (v - mean) * (v - mean) / x.size();
  EXPECT_NEAR(mean, 0.0, 5 * 0.0032);
  EXPECT_NEAR(square, 1.0, 5 * 0.0045);
}

TEST(EvaluatorTest, IntermediatesAreDouble) {
  // In f32, 2^24 + 1 rounds to 2^24; the reference keeps every
  // intermediate in double, so (x + 1) - x is exactly 1.
  std::vector<Tensor> results =
      evaluate(R"(
    func.func @f(%x: tensor<f32>, %one: tensor<f32>) -> tensor<f32> {
      %a = graft.add %x, %one : (tensor<f32>, tensor<f32>) -> tensor<f32>
      %b = graft.sub %a, %x : (tensor<f32>, tensor<f32>) -> tensor<f32>
      return %b : tensor<f32>
    })",
               {Tensor::fromData(std::vector<float>{16777216.0f}, {}),
                Tensor::fromData(std::vector<float>{1.0f}, {})});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(values(results[0]), (std::vector<double>{1.0}));
}

TEST(EvaluatorTest, ReturnsArgumentsAndI64) {
  std::vector<Tensor> results =
      evaluate(R"(
    func.func @f(%x: tensor<2xi64>) -> tensor<2xi64> {
      return %x : tensor<2xi64>
    })",
               {Tensor::fromData(std::vector<int64_t>{3, -4}, {2})});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(values(results[0]), (std::vector<double>{3, -4}));
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

const char *kIdentity = R"(func.func @g(%x: tensor<3xf64>) -> tensor<3xf64> {
  return %x : tensor<3xf64>
}
)";

TEST(EvaluatorErrorTest, WrongInputs) {
  EXPECT_EQ(evaluationError(kIdentity),
            "function 'g' expects 1 inputs (tensor<3xf64>), got 0");
  EXPECT_EQ(evaluationError(kIdentity, {Tensor::zeros({2}, DType::F64)}),
            "function 'g' input 0 must be tensor<3xf64>, got tensor<2xf64>");
  EXPECT_EQ(evaluationError(kIdentity, {Tensor::zeros({3}, DType::F32)}),
            "function 'g' input 0 must be tensor<3xf64>, got tensor<3xf32>");
  EXPECT_EQ(evaluationError(kIdentity, {Tensor()}),
            "function 'g' input 0 must be tensor<3xf64>, got no tensor");
}

TEST(EvaluatorErrorTest, ParseAndVerifyErrorsNameTheLocation) {
  EXPECT_PRED2(startsWith,
               evaluationError("func.func @f() {\n  %x = graft.nope\n}\n"),
               std::string("test.mlir:2:8: error: custom op 'graft.nope' is "
                           "unknown"));
  std::string message = evaluationError(
      R"(func.func @f(%x: tensor<2x3xf32>, %y: tensor<4xf32>) -> tensor<2x3xf32> {
  %z = graft.add %x, %y : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %z : tensor<2x3xf32>
}
)");
  EXPECT_NE(message.find("test.mlir:2:8: error: 'graft.add' op operand shapes "
                         "[2, 3] and [4] do not broadcast"),
            std::string::npos)
      << message;
}

TEST(EvaluatorErrorTest, UnsupportedOpNamesOpAndLocation) {
  EXPECT_PRED2(startsWith, evaluationError(R"(func.func @f() -> tensor<2xf32> {
  %c = arith.constant dense<1.0> : tensor<2xf32>
  return %c : tensor<2xf32>
}
)"),
               std::string("test.mlir:2:8: error: the reference evaluator does "
                           "not support 'arith.constant'"));
}

TEST(EvaluatorErrorTest, EntrySelection) {
  std::string two = std::string(kIdentity) +
                    "func.func @h() -> tensor<f32> {\n"
                    "  %c = graft.full {value = 2.0 : f32} : tensor<f32>\n"
                    "  return %c : tensor<f32>\n}\n";
  EXPECT_EQ(evaluationError(two),
            "the module has several public functions (g, h); choose one with "
            "an entry name");
  EXPECT_EQ(evaluationError(two, {}, "k"),
            "no function named 'k' in the module");
  Expected<std::vector<Tensor>> h = evaluateReference(two, {}, "h");
  ASSERT_TRUE(h) << h.error().message();
  EXPECT_EQ(values((*h)[0]), (std::vector<double>{2.0}));
  EXPECT_EQ(evaluationError("func.func private @p() {\n  return\n}\n"),
            "the module has no public function");
}

TEST(EvaluatorErrorTest, DifferentiationIsNotItsJob) {
  std::string message = evaluationError(
      R"(func.func @f(%x: tensor<f32>) -> tensor<f32> attributes {graft.wrt = array<i64: 0>} {
  return %x : tensor<f32>
}
)",
      {Tensor::zeros({})});
  EXPECT_NE(message.find("graft.wrt"), std::string::npos) << message;
}

//===----------------------------------------------------------------------===//
// ReferenceFunction and its options
//===----------------------------------------------------------------------===//

const char *kSquareSum =
    R"(func.func @f(%x: tensor<3xf32>, %y: tensor<f32>) -> tensor<f32>
    attributes {graft.wrt = array<i64: 1, 0>} {
  %s = graft.mul %x, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %p = graft.mul %s, %y : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %r = graft.sum %p : (tensor<3xf32>) -> tensor<f32>
  return %r : tensor<f32>
}
)";

TEST(ReferenceFunctionTest, ForwardOfAWrtFunction) {
  ReferenceOptions options;
  options.ignoreWrt = true;
  Expected<ReferenceFunction> f =
      ReferenceFunction::create(kSquareSum, "", "test.mlir", options);
  ASSERT_TRUE(f) << f.error().message();
  EXPECT_EQ(f->name(), "f");
  EXPECT_TRUE(f->hasWrt());
  EXPECT_EQ(f->wrt(), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(f->argumentShapes(), (std::vector<std::vector<int64_t>>{{3}, {}}));
  EXPECT_EQ(f->resultShapes(), (std::vector<std::vector<int64_t>>{{}}));
  // Evaluating twice gives the same answer: nothing leaks between runs.
  std::vector<Tensor> inputs = {
      Tensor::fromData(std::vector<float>{1.0f, 2.0f, 3.0f}, {3}),
      Tensor::fromData(std::vector<float>{0.5f}, {})};
  for (int run = 0; run < 2; ++run) {
    Expected<std::vector<Tensor>> r = f->evaluate(inputs);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(values((*r)[0]), (std::vector<double>{7.0}));
  }
  // F64 inputs for f32 arguments only with acceptF64Inputs.
  std::vector<Tensor> wide = {f64({1.0, 2.0, 3.0 + 1e-12}, {3}),
                              f64({0.5}, {})};
  Expected<std::vector<Tensor>> strict = f->evaluate(wide);
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().message(),
            "function 'f' input 0 must be tensor<3xf32>, got tensor<3xf64>");
  options.acceptF64Inputs = true;
  Expected<ReferenceFunction> g =
      ReferenceFunction::create(kSquareSum, "f", "test.mlir", options);
  ASSERT_TRUE(g) << g.error().message();
  Expected<std::vector<Tensor>> r = g->evaluate(wide);
  ASSERT_TRUE(r) << r.error().message();
  // 0.5 (1 + 4 + (3 + 1e-12)^2): the 1e-12 survives in double.
  EXPECT_NEAR(values((*r)[0])[0], 7.0 + 3e-12, 1e-14);
}

TEST(ReferenceFunctionTest, WrtIsRejectedByDefault) {
  Expected<ReferenceFunction> f = ReferenceFunction::create(kSquareSum);
  ASSERT_FALSE(f);
  EXPECT_NE(f.error().message().find("is marked graft.wrt"), std::string::npos)
      << f.error().message();
  Expected<ReferenceFunction> plain = ReferenceFunction::create(kIdentity);
  ASSERT_TRUE(plain) << plain.error().message();
  EXPECT_FALSE(plain->hasWrt());
  EXPECT_TRUE(plain->wrt().empty());
}

//===----------------------------------------------------------------------===//
// checkGradients
//===----------------------------------------------------------------------===//

/// The forward function of `source`, as checkGradients wants it.
ReferenceFunction forwardOf(const std::string &source) {
  ReferenceOptions options;
  options.ignoreWrt = true;
  options.acceptF64Inputs = true;
  Expected<ReferenceFunction> f =
      ReferenceFunction::create(source, "", "test.mlir", options);
  if (!f)
    reportFatalError(f.error().message());
  return f.take();
}

TEST(CheckGradientsTest, ScalarResultInWrtOrder) {
  // r = y sum(x^2): dr/dy = sum(x^2) = 14, dr/dx = 2 y x = (1, 2, 3).
  ReferenceFunction f = forwardOf(kSquareSum);
  std::vector<Tensor> inputs = {
      Tensor::fromData(std::vector<float>{1.0f, 2.0f, 3.0f}, {3}),
      Tensor::fromData(std::vector<float>{0.5f}, {})};
  std::vector<Tensor> results = {
      Tensor::fromData(std::vector<float>{7.0f}, {}),
      Tensor::fromData(std::vector<float>{14.0f}, {}),
      Tensor::fromData(std::vector<float>{1.0f, 2.0f, 3.5f}, {3})};
  Expected<std::vector<GradientDiscrepancy>> report =
      checkGradients(f, inputs, results);
  ASSERT_TRUE(report) << report.error().message();
  ASSERT_EQ(report->size(), 2u);
  const GradientDiscrepancy &dy = (*report)[0], &dx = (*report)[1];
  EXPECT_EQ(dy.argument, 1);
  EXPECT_EQ(dy.numel, 1);
  EXPECT_LT(dy.maxRelError, 1e-8);
  EXPECT_EQ(dx.argument, 0);
  EXPECT_EQ(dx.indices, (std::vector<int64_t>{0, 1, 2}));
  ASSERT_EQ(dx.finiteDifference.size(), 3u);
  EXPECT_NEAR(dx.finiteDifference[2], 3.0, 1e-8);
  EXPECT_EQ(dx.gradient[2], 3.5);
  // The wrong element: |3 - 3.5| / max |g| = 0.5 / 3.5.
  EXPECT_EQ(dx.worstIndex, 2);
  EXPECT_NEAR(dx.maxAbsError, 0.5, 1e-8);
  EXPECT_NEAR(dx.maxRelError, 0.5 / 3.5, 1e-8);
  EXPECT_FALSE(dx.nanMismatch);
}

TEST(CheckGradientsTest, IncomingGradientAndSampling) {
  // r = x * w (broadcast): for L = <v, r>, dL/dx_i = v_i w and
  // dL/dw = sum_i v_i x_i. x has 1000 elements, so 16 are sampled.
  const char *source =
      R"(func.func @f(%x: tensor<1000xf64>, %w: tensor<f64>) -> tensor<1000xf64>
    attributes {graft.wrt = array<i64: 0, 1>} {
  %r = graft.mul %x, %w : (tensor<1000xf64>, tensor<f64>) -> tensor<1000xf64>
  return %r : tensor<1000xf64>
}
)";
  ReferenceFunction f = forwardOf(source);
  Tensor x = Tensor::rand({1000}, 1, DType::F64);
  Tensor v = Tensor::rand({1000}, 2, DType::F64);
  double w = 0.75, dw = 0;
  std::vector<double> dx(1000);
  for (int64_t i = 0; i < 1000; ++i) {
    dx[i] = v.data<double>()[i] * w;
    dw += v.data<double>()[i] * x.data<double>()[i];
  }
  std::vector<Tensor> inputs = {x, f64({w}, {}), v};
  std::vector<Tensor> results = {Tensor::zeros({1000}, DType::F64),
                                 f64(dx, {1000}), f64({dw}, {})};
  GradientCheckOptions options;
  options.maxSamples = 16;
  Expected<std::vector<GradientDiscrepancy>> report =
      checkGradients(f, inputs, results, options);
  ASSERT_TRUE(report) << report.error().message();
  ASSERT_EQ(report->size(), 2u);
  const GradientDiscrepancy &d = (*report)[0];
  EXPECT_EQ(d.numel, 1000);
  ASSERT_EQ(d.indices.size(), 16u);
  EXPECT_EQ(d.indices.front(), 0);
  EXPECT_EQ(d.indices.back(), 999);
  EXPECT_TRUE(std::is_sorted(d.indices.begin(), d.indices.end()));
  EXPECT_EQ(std::adjacent_find(d.indices.begin(), d.indices.end()),
            d.indices.end());
  EXPECT_LT(d.maxRelError, 1e-8);
  EXPECT_LT((*report)[1].maxRelError, 1e-8);
  // The sample is deterministic.
  Expected<std::vector<GradientDiscrepancy>> again =
      checkGradients(f, inputs, results, options);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ((*again)[0].indices, d.indices);
}

TEST(CheckGradientsTest, NaNAndErrors) {
  ReferenceFunction f = forwardOf(kSquareSum);
  std::vector<Tensor> inputs = {
      Tensor::fromData(std::vector<float>{1.0f, 2.0f, 3.0f}, {3}),
      Tensor::fromData(std::vector<float>{0.5f}, {})};
  float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<Tensor> results = {
      Tensor::fromData(std::vector<float>{7.0f}, {}),
      Tensor::fromData(std::vector<float>{nan}, {}),
      Tensor::fromData(std::vector<float>{1.0f, 2.0f, 3.0f}, {3})};
  Expected<std::vector<GradientDiscrepancy>> report =
      checkGradients(f, inputs, results);
  ASSERT_TRUE(report) << report.error().message();
  EXPECT_TRUE((*report)[0].nanMismatch);
  EXPECT_FALSE((*report)[1].nanMismatch);

  Expected<std::vector<GradientDiscrepancy>> short_ =
      checkGradients(f, inputs, {results[0], results[1]});
  ASSERT_FALSE(short_);
  EXPECT_EQ(short_.error().message(),
            "the gradient check of 'f' expects 3 results (the function's, "
            "then one gradient per graft.wrt argument), got 2");

  ReferenceOptions options;
  options.ignoreWrt = true;
  Expected<ReferenceFunction> plain =
      ReferenceFunction::create(kIdentity, "", "test.mlir", options);
  ASSERT_TRUE(plain) << plain.error().message();
  Expected<std::vector<GradientDiscrepancy>> none =
      checkGradients(*plain, {Tensor::zeros({3}, DType::F64)},
                     {Tensor::zeros({3}, DType::F64)});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().message(),
            "function 'g' has no graft.wrt, so there are no gradients to "
            "check");
}

//===----------------------------------------------------------------------===//
// compareTensors
//===----------------------------------------------------------------------===//

TEST(CompareTensorsTest, Errors) {
  Tensor expected = f64({1.0, -2.0, 0.0, 4.0}, {4});
  Tensor actual =
      Tensor::fromData(std::vector<float>{1.0f, -2.5f, 0.0f, 4.0f}, {4});
  Discrepancy d = compareTensors(actual, expected);
  EXPECT_EQ(d.maxAbsError, 0.5);
  EXPECT_EQ(d.maxRelError, 0.25);
  EXPECT_EQ(d.worstIndex, 1);
  EXPECT_FALSE(d.nanMismatch);
  EXPECT_FALSE(d.shapeMismatch);

  Discrepancy same = compareTensors(expected, expected);
  EXPECT_EQ(same.maxAbsError, 0.0);
  EXPECT_EQ(same.maxRelError, 0.0);
}

TEST(CompareTensorsTest, NaNAndInfinity) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  double inf = std::numeric_limits<double>::infinity();
  Tensor expected = f64({nan, inf, 1.0}, {3});
  Discrepancy both = compareTensors(f64({nan, inf, 1.0}, {3}), expected);
  EXPECT_FALSE(both.nanMismatch);
  EXPECT_EQ(both.maxAbsError, 0.0);
  Discrepancy one = compareTensors(f64({0.0, inf, 1.0}, {3}), expected);
  EXPECT_TRUE(one.nanMismatch);
  Discrepancy finite = compareTensors(f64({nan, 5.0, 1.0}, {3}), expected);
  EXPECT_FALSE(finite.nanMismatch);
  EXPECT_EQ(finite.maxAbsError, inf);
}

TEST(CompareTensorsTest, ShapeMismatch) {
  Discrepancy d = compareTensors(Tensor::zeros({2, 3}), Tensor::zeros({3, 2}));
  EXPECT_TRUE(d.shapeMismatch);
  EXPECT_EQ(d.maxAbsError, std::numeric_limits<double>::infinity());
}

} // namespace
