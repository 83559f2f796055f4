//===- GradientTest.cpp - Finite-difference checks of every VJP rule ------===//
//
// For every differentiable op, this file compiles a small f64 graph twice
// with graft::Engine: once as is (the forward function f) and once with
// graft.wrt on every argument (f and its gradients from graft-autodiff). For
// a random incoming cotangent v it compares the gradient of L(x) = <v, f(x)>
// with central differences of the forward function.
//
// Accuracy: with step h = 1e-6 * max(1, |x|) the truncation error of a
// central difference is O(h^2 f''') ~ 1e-12 and the rounding error is about
// u |L| / h ~ 1e-10 |L| (u = 2^-53), both far below the 1e-6 bound on the
// normwise relative error max|fd - g| / max|g| required here. Inputs are
// kept inside each op's smooth region (positive for log, sqrt, pow and div
// denominators; away from 0 for relu and abs; ties have probability ~0).
//
//===----------------------------------------------------------------------===//

#include "graft/Engine/Engine.h"
#include "graft/Runtime/Random.h"
#include "graft/Runtime/Tensor.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace graft;

namespace {

using Shape = std::vector<int64_t>;

enum class Domain { Any, Positive, AwayFromZero };

struct Case {
  const char *name;
  std::vector<Shape> args;
  Shape result;
  /// The body, using %a0, %a1, ... and defining %out.
  const char *body;
  Domain domain = Domain::Any;
};

// gtest prints a failing parameter with this instead of its bytes.
void PrintTo(const Case &c, std::ostream *os) { *os << c.name; }

std::string tensorType(const Shape &shape) {
  std::string text = "tensor<";
  for (int64_t dim : shape)
    text += std::to_string(dim) + "x";
  return text + "f64>";
}

std::string source(const Case &c, bool differentiate) {
  std::string text = "func.func @f(";
  std::string wrt;
  for (size_t i = 0; i < c.args.size(); ++i) {
    text += (i ? ", %a" : "%a") + std::to_string(i) + ": " +
            tensorType(c.args[i]);
    wrt += (i ? ", " : "") + std::to_string(i);
  }
  text += ") -> " + tensorType(c.result);
  if (differentiate)
    text += " attributes {graft.wrt = array<i64: " + wrt + ">}";
  text += " {\n" + std::string(c.body) + "\n  return %out : " +
          tensorType(c.result) + "\n}\n";
  return text;
}

Tensor randomTensor(const Shape &shape, uint64_t seed, Domain domain) {
  Tensor t = Tensor::rand(shape, seed, DType::F64);
  double *data = t.data<double>();
  for (int64_t i = 0; i < t.numel(); ++i) {
    double u = data[i];
    switch (domain) {
    case Domain::Any:
      data[i] = 2 * u - 1;
      break;
    case Domain::Positive:
      data[i] = 0.5 + u;
      break;
    case Domain::AwayFromZero:
      data[i] = (i % 2 ? -1 : 1) * (0.2 + u);
      break;
    }
  }
  return t;
}

double dot(const Tensor &a, const Tensor &b) {
  double sum = 0;
  for (int64_t i = 0; i < a.numel(); ++i)
    sum += a.data<double>()[i] * b.data<double>()[i];
  return sum;
}

void checkGradients(const Case &c) {
  SCOPED_TRACE(c.name);
  Engine engine;
  Expected<Function> forward = engine.compile(source(c, false));
  ASSERT_TRUE(forward) << forward.error().message();
  Expected<Function> backward = engine.compile(source(c, true));
  ASSERT_TRUE(backward) << backward.error().message() << "\n"
                        << source(c, true);

  std::vector<Tensor> inputs;
  for (size_t i = 0; i < c.args.size(); ++i)
    inputs.push_back(randomTensor(c.args[i], 100 + i, c.domain));
  // The cotangent: 1 for a scalar result (no extra argument), else random.
  Tensor v = c.result.empty() ? Tensor::full({}, 1.0, DType::F64)
                              : randomTensor(c.result, 99, Domain::Any);
  std::vector<Tensor> backwardInputs = inputs;
  if (!c.result.empty())
    backwardInputs.push_back(v);
  Expected<std::vector<Tensor>> grads = (*backward)(backwardInputs);
  ASSERT_TRUE(grads) << grads.error().message();
  ASSERT_EQ(grads->size(), 1 + c.args.size());

  auto loss = [&](const std::vector<Tensor> &args) {
    Expected<std::vector<Tensor>> out = (*forward)(args);
    EXPECT_TRUE(out) << out.error().message();
    return out ? dot((*out)[0], v) : NAN;
  };
  for (size_t arg = 0; arg < c.args.size(); ++arg) {
    SCOPED_TRACE("argument " + std::to_string(arg));
    const Tensor &grad = (*grads)[1 + arg];
    ASSERT_EQ(grad.shape(), c.args[arg]);
    double scale = 0, worst = 0;
    for (int64_t i = 0; i < grad.numel(); ++i)
      scale = std::max(scale, std::fabs(grad.data<double>()[i]));
    for (int64_t i = 0; i < grad.numel(); ++i) {
      std::vector<Tensor> shifted = inputs;
      shifted[arg] = inputs[arg].clone();
      double *x = shifted[arg].data<double>() + i;
      double x0 = *x, h = 1e-6 * std::max(1.0, std::fabs(x0));
      *x = x0 + h;
      double up = loss(shifted);
      *x = x0 - h;
      double down = loss(shifted);
      double fd = (up - down) / (2 * h);
      worst = std::max(worst, std::fabs(fd - grad.data<double>()[i]));
    }
    EXPECT_LE(worst, 1e-6 * std::max(scale, 1e-3))
        << "max |fd - grad| = " << worst << ", max |grad| = " << scale;
  }
}

// Elementwise binary ops, with and without broadcasting.
const Case kBinaryCases[] = {
    {"add", {{3, 4}, {3, 4}}, {3, 4},
     "  %out = graft.add %a0, %a1 : (tensor<3x4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>"},
    {"add_broadcast", {{2, 1, 4}, {3, 1}}, {2, 3, 4},
     "  %out = graft.add %a0, %a1 : (tensor<2x1x4xf64>, tensor<3x1xf64>) -> tensor<2x3x4xf64>"},
    {"sub", {{3, 4}, {3, 4}}, {3, 4},
     "  %out = graft.sub %a0, %a1 : (tensor<3x4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>"},
    {"sub_broadcast", {{3, 4}, {3, 1}}, {3, 4},
     "  %out = graft.sub %a0, %a1 : (tensor<3x4xf64>, tensor<3x1xf64>) -> tensor<3x4xf64>"},
    {"mul", {{3, 4}, {3, 4}}, {3, 4},
     "  %out = graft.mul %a0, %a1 : (tensor<3x4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>"},
    {"mul_scalar", {{}, {3, 4}}, {3, 4},
     "  %out = graft.mul %a0, %a1 : (tensor<f64>, tensor<3x4xf64>) -> tensor<3x4xf64>"},
    {"div", {{3, 4}, {3, 4}}, {3, 4},
     "  %out = graft.div %a0, %a1 : (tensor<3x4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>",
     Domain::Positive},
    {"div_broadcast", {{4}, {3, 4}}, {3, 4},
     "  %out = graft.div %a0, %a1 : (tensor<4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>",
     Domain::Positive},
    {"pow", {{3, 4}, {3, 4}}, {3, 4},
     "  %out = graft.pow %a0, %a1 : (tensor<3x4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>",
     Domain::Positive},
    {"pow_broadcast", {{3, 4}, {4}}, {3, 4},
     "  %out = graft.pow %a0, %a1 : (tensor<3x4xf64>, tensor<4xf64>) -> tensor<3x4xf64>",
     Domain::Positive},
    {"maximum", {{3, 4}, {3, 4}}, {3, 4},
     "  %out = graft.maximum %a0, %a1 : (tensor<3x4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>"},
    {"maximum_broadcast", {{3, 4}, {4}}, {3, 4},
     "  %out = graft.maximum %a0, %a1 : (tensor<3x4xf64>, tensor<4xf64>) -> tensor<3x4xf64>"},
    {"minimum", {{3, 4}, {3, 4}}, {3, 4},
     "  %out = graft.minimum %a0, %a1 : (tensor<3x4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>"},
    {"minimum_broadcast", {{3, 1}, {3, 4}}, {3, 4},
     "  %out = graft.minimum %a0, %a1 : (tensor<3x1xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>"},
};

const Case kUnaryCases[] = {
    {"neg", {{3, 4}}, {3, 4}, "  %out = graft.neg %a0 : tensor<3x4xf64>"},
    {"exp", {{3, 4}}, {3, 4}, "  %out = graft.exp %a0 : tensor<3x4xf64>"},
    {"log", {{3, 4}}, {3, 4}, "  %out = graft.log %a0 : tensor<3x4xf64>",
     Domain::Positive},
    {"sqrt", {{3, 4}}, {3, 4}, "  %out = graft.sqrt %a0 : tensor<3x4xf64>",
     Domain::Positive},
    {"tanh", {{3, 4}}, {3, 4}, "  %out = graft.tanh %a0 : tensor<3x4xf64>"},
    {"sigmoid", {{3, 4}}, {3, 4},
     "  %out = graft.sigmoid %a0 : tensor<3x4xf64>"},
    {"relu", {{3, 4}}, {3, 4}, "  %out = graft.relu %a0 : tensor<3x4xf64>",
     Domain::AwayFromZero},
    {"abs", {{3, 4}}, {3, 4}, "  %out = graft.abs %a0 : tensor<3x4xf64>",
     Domain::AwayFromZero},
};

const Case kStructuralCases[] = {
    {"matmul", {{3, 4}, {4, 5}}, {3, 5},
     "  %out = graft.matmul %a0, %a1 : (tensor<3x4xf64>, tensor<4x5xf64>) -> tensor<3x5xf64>"},
    {"matmul_batched_lhs", {{2, 3, 4}, {4, 5}}, {2, 3, 5},
     "  %out = graft.matmul %a0, %a1 : (tensor<2x3x4xf64>, tensor<4x5xf64>) -> tensor<2x3x5xf64>"},
    {"matmul_broadcast_batch", {{3, 4}, {2, 4, 5}}, {2, 3, 5},
     "  %out = graft.matmul %a0, %a1 : (tensor<3x4xf64>, tensor<2x4x5xf64>) -> tensor<2x3x5xf64>"},
    {"matmul_batched", {{2, 1, 3, 4}, {3, 4, 2}}, {2, 3, 3, 2},
     "  %out = graft.matmul %a0, %a1 : (tensor<2x1x3x4xf64>, tensor<3x4x2xf64>) -> tensor<2x3x3x2xf64>"},
    {"transpose", {{2, 3, 4}}, {4, 2, 3},
     "  %out = graft.transpose %a0 {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf64>) -> tensor<4x2x3xf64>"},
    {"reshape", {{2, 6}}, {3, 4},
     "  %out = graft.reshape %a0 : (tensor<2x6xf64>) -> tensor<3x4xf64>"},
    {"broadcast_to", {{3, 1}}, {2, 3, 4},
     "  %out = graft.broadcast_to %a0 : (tensor<3x1xf64>) -> tensor<2x3x4xf64>"},
    {"sum_dim", {{3, 4}}, {3},
     "  %out = graft.sum %a0 {dims = array<i64: 1>} : (tensor<3x4xf64>) -> tensor<3xf64>"},
    {"sum_keepdim", {{2, 3, 4}}, {2, 1, 4},
     "  %out = graft.sum %a0 {dims = array<i64: -2>, keepdim = true} : (tensor<2x3x4xf64>) -> tensor<2x1x4xf64>"},
    {"sum_all", {{3, 4}}, {},
     "  %out = graft.sum %a0 : (tensor<3x4xf64>) -> tensor<f64>"},
    {"mean_dims", {{2, 3, 4}}, {3},
     "  %out = graft.mean %a0 {dims = array<i64: 0, 2>} : (tensor<2x3x4xf64>) -> tensor<3xf64>"},
    {"mean_all_keepdim", {{3, 4}}, {1, 1},
     "  %out = graft.mean %a0 {dims = array<i64>, keepdim = true} : (tensor<3x4xf64>) -> tensor<1x1xf64>"},
    {"max_dim", {{3, 4}}, {3},
     "  %out = graft.max %a0 {dims = array<i64: 1>} : (tensor<3x4xf64>) -> tensor<3xf64>"},
    {"max_all", {{3, 4}}, {},
     "  %out = graft.max %a0 : (tensor<3x4xf64>) -> tensor<f64>"},
    {"softmax", {{3, 4}}, {3, 4},
     "  %out = graft.softmax %a0 {dim = 1 : i64} : tensor<3x4xf64>"},
    {"softmax_dim0", {{3, 4}}, {3, 4},
     "  %out = graft.softmax %a0 {dim = 0 : i64} : tensor<3x4xf64>"},
    {"log_softmax", {{3, 4}}, {3, 4},
     "  %out = graft.log_softmax %a0 {dim = -1 : i64} : tensor<3x4xf64>"},
};

// Composite graphs: the seed's forward pass, fan-out, and a small MLP.
const Case kCompositeCases[] = {
    {"seed_forward", {{4, 5}, {5, 3}, {4, 3}}, {},
     "  %q = graft.matmul %a0, %a1 : (tensor<4x5xf64>, tensor<5x3xf64>) -> tensor<4x3xf64>\n"
     "  %f = graft.mul %q, %a2 : (tensor<4x3xf64>, tensor<4x3xf64>) -> tensor<4x3xf64>\n"
     "  %out = graft.mean %f : (tensor<4x3xf64>) -> tensor<f64>"},
    {"fan_out", {{3, 4}}, {3, 4},
     "  %e = graft.exp %a0 : tensor<3x4xf64>\n"
     "  %m = graft.mul %e, %a0 : (tensor<3x4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>\n"
     "  %out = graft.add %m, %e : (tensor<3x4xf64>, tensor<3x4xf64>) -> tensor<3x4xf64>"},
    {"mlp", {{5, 4}, {4, 3}, {3}}, {},
     "  %h = graft.matmul %a0, %a1 : (tensor<5x4xf64>, tensor<4x3xf64>) -> tensor<5x3xf64>\n"
     "  %b = graft.add %h, %a2 : (tensor<5x3xf64>, tensor<3xf64>) -> tensor<5x3xf64>\n"
     "  %t = graft.tanh %b : tensor<5x3xf64>\n"
     "  %l = graft.log_softmax %t {dim = 1 : i64} : tensor<5x3xf64>\n"
     "  %out = graft.mean %l : (tensor<5x3xf64>) -> tensor<f64>"},
};

class BinaryGradientTest : public testing::TestWithParam<Case> {};
TEST_P(BinaryGradientTest, MatchesFiniteDifferences) {
  checkGradients(GetParam());
}
INSTANTIATE_TEST_SUITE_P(Ops, BinaryGradientTest,
                         testing::ValuesIn(kBinaryCases),
                         [](const auto &info) { return info.param.name; });

class UnaryGradientTest : public testing::TestWithParam<Case> {};
TEST_P(UnaryGradientTest, MatchesFiniteDifferences) {
  checkGradients(GetParam());
}
INSTANTIATE_TEST_SUITE_P(Ops, UnaryGradientTest,
                         testing::ValuesIn(kUnaryCases),
                         [](const auto &info) { return info.param.name; });

class StructuralGradientTest : public testing::TestWithParam<Case> {};
TEST_P(StructuralGradientTest, MatchesFiniteDifferences) {
  checkGradients(GetParam());
}
INSTANTIATE_TEST_SUITE_P(Ops, StructuralGradientTest,
                         testing::ValuesIn(kStructuralCases),
                         [](const auto &info) { return info.param.name; });

class CompositeGradientTest : public testing::TestWithParam<Case> {};
TEST_P(CompositeGradientTest, MatchesFiniteDifferences) {
  checkGradients(GetParam());
}
INSTANTIATE_TEST_SUITE_P(Graphs, CompositeGradientTest,
                         testing::ValuesIn(kCompositeCases),
                         [](const auto &info) { return info.param.name; });

} // namespace
