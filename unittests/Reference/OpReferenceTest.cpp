//===- OpReferenceTest.cpp - Every graft op: JIT vs. reference ------------===//
//
// This file runs every graft op through graft::Engine and through the
// reference evaluator on the same random inputs, in f32 and f64, and checks
// each result element. Each test builds one function holding all the cases
// of its op (one compile per op and dtype keeps the binary fast). The cases
// cover rank 0, size-1 dims, broadcasting on either side and lengths 1, 7,
// 33 and 1000 that fit no tile or vector size. Ops are written in the
// generic syntax that DESIGN.md fixes.
//
// Tolerances. Each element must satisfy
//
//   |jit - ref| <= rtol |ref| + atol + stol * scale
//
// where ref is the reference (in double) and scale is the reference run on
// |inputs|, i.e. sum |terms| for a sum or a dot product. With u the unit
// roundoff of the element type (2^-24 for f32, 2^-53 for f64) and
// gamma(n) = n u / (1 - n u), the classic bound on an n-term sum:
//
// * Exact (0): creation ops (both sides use the same attributes and the
//   runtime's generator), neg, abs, relu, maximum, minimum, max, transpose,
//   reshape, broadcast_to, and the comparisons eq, ne, lt, le, gt, ge
//   (1/0 masks). None of them rounds.
// * add, sub, mul, div, sqrt: IEEE correctly rounded in the element type on
//   exactly representable inputs; the f64 reference of an f32 op is exact
//   (or, for div and sqrt, within u_f64), so rtol = u + u_f64.
// * exp, log, tanh, sigmoid, pow: math library results, accurate to a few
//   ulps; sigmoid is three rounded steps 1 / (1 + exp(-x)) and pow may be
//   exp(y log x), whose error grows with |y log x| <= 2 log 2 on our
//   domain. rtol = 1e-6 for f32 (17 u) and 1e-12 for f64 (4500 u) leaves
//   room for any reasonable implementation while still catching a wrong
//   formula, and atol = u covers results near 0 (log near 1, tanh near 0)
//   where an ulp-of-1 accurate implementation is still right.
// * matmul: a K-term dot product in any order, with or without FMA:
//   |C - C_exact| <= gamma_T(K) sum_k |a_ik b_kj|; the f64 reference adds
//   gamma_f64(K) of the same sum. stol = gamma_T(K) + gamma_f64(K).
// * sum over n elements: stol = gamma_T(n) + gamma_f64(n), rtol = u (the
//   final rounding to T); mean adds one division: gamma_T(n + 1).
// * softmax over n elements: x - max is rounded (|x - max| <= 8 here, so an
//   error of 8u that exp turns into a relative 8u), the exp itself (the
//   transcendental rtol above), the n-term sum (gamma(n)) and the division.
//   rtol = tTrans + 2 (n + 10) u. log_softmax is x - max - log(sum), so the
//   same budget is an absolute one: atol = tTrans + 2 (n + 10) u.
//
//===----------------------------------------------------------------------===//

#include "RandomGraph.h"

#include "graft/Engine/Engine.h"
#include "graft/Reference/Reference.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <vector>

using namespace graft;

namespace graft {
/// Test names and failure messages say f32 / f64, not a byte dump.
void PrintTo(DType dtype, std::ostream *os) { *os << dtypeName(dtype); }
} // namespace graft

namespace {

using Shape = std::vector<int64_t>;

std::string typeOf(const Shape &shape, DType dtype) {
  return TensorSpec{shape, dtype}.str();
}

using test::i64Array;

std::string join(const std::vector<std::string> &items) {
  return test::joinWithCommas(items);
}

double elementAt(const Tensor &tensor, int64_t i) {
  return tensor.dtype() == DType::F32 ? tensor.data<float>()[i]
                                      : tensor.data<double>()[i];
}

/// NumPy broadcasting of two shapes (the cases below always broadcast).
Shape broadcast(const Shape &lhs, const Shape &rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  Shape result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t l = i + lhs.size() < rank ? 1 : lhs[i + lhs.size() - rank];
    int64_t r = i + rhs.size() < rank ? 1 : rhs[i + rhs.size() - rank];
    result[i] = std::max(l, r);
  }
  return result;
}

double unitRoundoff(DType dtype) {
  return dtype == DType::F32 ? 0x1p-24 : 0x1p-53;
}

double gamma(int64_t n, double u) { return n * u / (1 - n * u); }

//===----------------------------------------------------------------------===//
// Input domains: maps from a torch.rand draw in [0, 1) to an input value
//===----------------------------------------------------------------------===//

using Domain = double (*)(double);
double signedUnit(double u) { return 2 * u - 1; }   // [-1, 1)
double wide(double u) { return 8 * u - 4; }         // [-4, 4)
double positive(double u) { return 0.5 + 1.5 * u; } // [0.5, 2)
double exponent(double u) { return 4 * u - 2; }     // [-2, 2)
/// [-2, -0.5) and [0.5, 2): divisors away from 0.
double awayFromZero(double u) {
  return u < 0.5 ? -(0.5 + 3 * u) : 0.5 + 3 * (u - 0.5);
}
/// {-1, -0.5, 0, 0.5}: so few values that equal elements, also across a
/// broadcast, are common and comparisons see ties.
double coarse(double u) { return std::floor(4 * u) / 2 - 1; }
/// NaN for 1 draw in 8, else [-2, 2): for checking that NaN and domain
/// errors (log, sqrt, pow of negatives) agree.
double withNaN(double u) {
  return u < 0.125 ? std::numeric_limits<double>::quiet_NaN() : 4 * u - 2;
}

//===----------------------------------------------------------------------===//
// One op, many cases, one function
//===----------------------------------------------------------------------===//

/// Per element: |jit - ref| <= rtol |ref| + atol + stol * scale (see the
/// file comment).
struct Tolerance {
  Tolerance(double rtol = 0, double atol = 0, double stol = 0)
      : rtol(rtol), atol(atol), stol(stol) {}
  double rtol, atol, stol;
};

struct Case {
  Case(std::vector<Shape> operands, Shape result, std::string attrs = "",
       Tolerance tolerance = {}, std::vector<Domain> domains = {},
       std::string op = "")
      : operands(std::move(operands)), result(std::move(result)),
        attrs(std::move(attrs)), tolerance(tolerance),
        domains(std::move(domains)), op(std::move(op)) {}

  std::vector<Shape> operands;
  Shape result;
  /// The generic attribute dictionary, e.g. `{dim = 1 : i64}`; may be empty.
  std::string attrs;
  Tolerance tolerance;
  /// One per operand; signedUnit when missing.
  std::vector<Domain> domains;
  /// The op, when it is not the one `check` is called with.
  std::string op;
};

class OpReferenceTest : public ::testing::TestWithParam<DType> {
protected:
  DType dtype() const { return GetParam(); }
  std::string element() const { return dtypeName(dtype()); }
  double u() const { return unitRoundoff(dtype()); }
  /// The tolerance of a math-library function (see the file comment).
  double tTrans() const { return dtype() == DType::F32 ? 1e-6 : 1e-12; }

  /// A tensor of `shape` whose elements are `domain` applied to
  /// torch.rand(shape) draws, rounded to the element type.
  Tensor input(const Shape &shape, uint64_t seed, Domain domain) const {
    Tensor tensor = Tensor::rand(shape, seed, dtype());
    for (int64_t i = 0; i < tensor.numel(); ++i) {
      if (dtype() == DType::F32) {
        float &x = tensor.data<float>()[i];
        x = static_cast<float>(domain(x));
      } else {
        double &x = tensor.data<double>()[i];
        x = domain(x);
      }
    }
    return tensor;
  }

  /// Builds `func.func @f` with one `"graft.<op>"` per case, runs it with
  /// the JIT and the reference, and checks every result element.
  void check(const std::string &op, const std::vector<Case> &cases) {
    std::vector<std::string> args, results, resultTypes, lines;
    std::vector<Tensor> inputs;
    bool needsScale = false;
    uint64_t seed = 1;
    for (size_t c = 0; c < cases.size(); ++c) {
      const Case &cs = cases[c];
      std::vector<std::string> names, types;
      for (size_t i = 0; i < cs.operands.size(); ++i) {
        names.push_back("%a" + std::to_string(args.size()));
        types.push_back(typeOf(cs.operands[i], dtype()));
        args.push_back(names.back() + ": " + types.back());
        inputs.push_back(
            input(cs.operands[i], seed++,
                  i < cs.domains.size() ? cs.domains[i] : signedUnit));
      }
      results.push_back("%r" + std::to_string(c));
      resultTypes.push_back(typeOf(cs.result, dtype()));
      lines.push_back(results.back() + " = \"graft." +
                      (cs.op.empty() ? op : cs.op) + "\"(" + join(names) + ")" +
                      (cs.attrs.empty() ? "" : " " + cs.attrs) + " : (" +
                      join(types) + ") -> " + resultTypes.back());
      needsScale |= cs.tolerance.stol != 0;
    }
    std::string source =
        "func.func @f(" + join(args) + ") -> (" + join(resultTypes) + ") {\n";
    for (const std::string &line : lines)
      source += "  " + line + "\n";
    source += "  return " + join(results) + " : " + join(resultTypes) + "\n}\n";
    SCOPED_TRACE("graft." + op + " in " + element() + "; the function:\n" +
                 source);

    Engine engine;
    Expected<Function> function = engine.compile(source);
    ASSERT_TRUE(function) << "compile failed: " << function.error().message();
    Expected<std::vector<Tensor>> actual = (*function)(inputs);
    ASSERT_TRUE(actual) << "call failed: " << actual.error().message();
    Expected<std::vector<Tensor>> expected = evaluateReference(source, inputs);
    ASSERT_TRUE(expected) << "reference failed: " << expected.error().message();
    std::vector<Tensor> scale;
    if (needsScale) {
      std::vector<Tensor> absInputs;
      for (const Tensor &tensor : inputs) {
        Tensor copy = tensor.clone();
        for (int64_t i = 0; i < copy.numel(); ++i)
          if (dtype() == DType::F32)
            copy.data<float>()[i] = std::fabs(copy.data<float>()[i]);
          else
            copy.data<double>()[i] = std::fabs(copy.data<double>()[i]);
        absInputs.push_back(copy);
      }
      Expected<std::vector<Tensor>> scaled =
          evaluateReference(source, absInputs);
      ASSERT_TRUE(scaled) << scaled.error().message();
      scale = scaled.take();
    }
    ASSERT_EQ(actual->size(), cases.size());
    for (size_t c = 0; c < cases.size(); ++c)
      compare(lines[c], cases[c].tolerance, (*actual)[c], (*expected)[c],
              needsScale ? &scale[c] : nullptr);
  }

private:
  /// Checks one result; reports the first few bad elements.
  void compare(const std::string &line, const Tolerance &tolerance,
               const Tensor &actual, const Tensor &expected,
               const Tensor *scale) {
    ASSERT_EQ(actual.dtype(), dtype()) << line;
    ASSERT_EQ(actual.shape(), expected.shape()) << line;
    int bad = 0;
    for (int64_t i = 0; i < actual.numel(); ++i) {
      double a = elementAt(actual, i), e = elementAt(expected, i);
      double bound = tolerance.rtol * std::fabs(e) + tolerance.atol +
                     (scale ? tolerance.stol * elementAt(*scale, i) : 0);
      bool ok = std::isnan(e) ? std::isnan(a)
                : a == e      ? true
                              : std::fabs(a - e) <= bound;
      if (!ok && ++bad <= 3)
        ADD_FAILURE() << line << "\n  element " << i << ": jit "
                      << ::testing::PrintToString(a) << ", reference "
                      << ::testing::PrintToString(e) << ", error "
                      << std::fabs(a - e) << " > bound " << bound;
    }
  }
};

std::string dtypeParamName(const ::testing::TestParamInfo<DType> &info) {
  return dtypeName(info.param);
}

//===----------------------------------------------------------------------===//
// Creation
//===----------------------------------------------------------------------===//

/// The nested `dense<...>` literal of `values` (row-major, of `shape`),
/// with enough digits to round-trip in double.
std::string denseLiteral(const Tensor &values, const Shape &shape,
                         size_t dim = 0, int64_t offset = 0) {
  if (dim == shape.size()) {
    char text[32];
    std::snprintf(text, sizeof(text), "%.17g", elementAt(values, offset));
    return text;
  }
  int64_t stride = 1;
  for (size_t d = dim + 1; d < shape.size(); ++d)
    stride *= shape[d];
  std::string text = "[";
  for (int64_t i = 0; i < shape[dim]; ++i)
    text += (i ? ", " : "") +
            denseLiteral(values, shape, dim + 1, offset + i * stride);
  return text + "]";
}

TEST_P(OpReferenceTest, Constant) {
  std::vector<Case> cases;
  uint64_t seed = 100;
  for (Shape shape : {Shape{}, Shape{1}, Shape{7}, Shape{3, 5}, Shape{2, 1, 3}})
    cases.push_back({{},
                     shape,
                     "{value = dense<" +
                         denseLiteral(input(shape, seed++, wide), shape) +
                         "> : " + typeOf(shape, dtype()) + "}"});
  check("constant", cases);
}

TEST_P(OpReferenceTest, Rand) {
  std::vector<Case> cases;
  int64_t seed = 0;
  for (Shape shape :
       {Shape{}, Shape{1}, Shape{7}, Shape{33}, Shape{1000}, Shape{3, 5, 7}})
    cases.push_back(
        {{}, shape, "{seed = " + std::to_string(seed++ * 7) + " : i64}"});
  check("rand", cases);
}

TEST_P(OpReferenceTest, Randn) {
  // Lengths around the 16-value blocks of torch.randn's algorithm.
  std::vector<Case> cases;
  int64_t seed = 0;
  for (Shape shape : {Shape{}, Shape{1}, Shape{7}, Shape{15}, Shape{16},
                      Shape{33}, Shape{1000}, Shape{3, 5, 7}})
    cases.push_back(
        {{}, shape, "{seed = " + std::to_string(seed++ * 5 + 1) + " : i64}"});
  check("randn", cases);
}

TEST_P(OpReferenceTest, Full) {
  // The value attribute may have another float type; it is converted to T.
  check("full", {{{}, {}, "{value = 1.000000e-01 : f64}"},
                 {{}, {7}, "{value = -2.500000e+00 : " + element() + "}"},
                 {{}, {3, 5}, "{value = 1.000000e-01 : f32}"},
                 {{}, {1000}, "{value = 3.000000e+30 : f64}"},
                 {{}, {1, 1}, "{value = -0.000000e+00 : " + element() + "}"}});
}

TEST_P(OpReferenceTest, Eye) {
  std::vector<Case> cases;
  for (Shape shape :
       {Shape{1, 1}, Shape{3, 3}, Shape{2, 5}, Shape{7, 3}, Shape{33, 33}})
    cases.push_back({{}, shape, ""});
  check("eye", cases);
}

//===----------------------------------------------------------------------===//
// Elementwise binary
//===----------------------------------------------------------------------===//

// Rank 0 on either side, size-1 dims on either side, rank mismatch, and
// lengths that fit no vector width.
const std::vector<std::pair<Shape, Shape>> kBinaryShapes = {
    {{}, {}},
    {{7}, {7}},
    {{}, {33}},
    {{33}, {}},
    {{4, 1}, {7}},
    {{1, 33}, {5, 1}},
    {{2, 1, 7}, {3, 1}},
    {{1}, {1000}},
    {{1000}, {1000}},
    {{3, 1, 5}, {1, 4, 1}},
    {{1, 1}, {1, 1}},
    {{2, 3, 1, 7}, {3, 33, 1}},
};

std::vector<Case> binaryCases(Tolerance tolerance,
                              std::vector<Domain> domains = {}) {
  std::vector<Case> cases;
  for (const auto &[lhs, rhs] : kBinaryShapes)
    cases.push_back({{lhs, rhs}, broadcast(lhs, rhs), "", tolerance, domains});
  return cases;
}

TEST_P(OpReferenceTest, Add) { check("add", binaryCases({u() + 0x1p-53})); }
TEST_P(OpReferenceTest, Sub) { check("sub", binaryCases({u() + 0x1p-53})); }
TEST_P(OpReferenceTest, Mul) { check("mul", binaryCases({u() + 0x1p-53})); }
TEST_P(OpReferenceTest, Div) {
  check("div", binaryCases({u() + 0x1p-53}, {wide, awayFromZero}));
}
TEST_P(OpReferenceTest, Pow) {
  check("pow", binaryCases({tTrans(), u()}, {positive, exponent}));
}
TEST_P(OpReferenceTest, Maximum) { check("maximum", binaryCases({})); }
TEST_P(OpReferenceTest, Minimum) { check("minimum", binaryCases({})); }

//===----------------------------------------------------------------------===//
// Comparisons
//===----------------------------------------------------------------------===//

// The binary shapes on coarse values, where ties are common. NaN operands
// are in NaNAgreement.
TEST_P(OpReferenceTest, Eq) { check("eq", binaryCases({}, {coarse, coarse})); }
TEST_P(OpReferenceTest, Ne) { check("ne", binaryCases({}, {coarse, coarse})); }
TEST_P(OpReferenceTest, Lt) { check("lt", binaryCases({}, {coarse, coarse})); }
TEST_P(OpReferenceTest, Le) { check("le", binaryCases({}, {coarse, coarse})); }
TEST_P(OpReferenceTest, Gt) { check("gt", binaryCases({}, {coarse, coarse})); }
TEST_P(OpReferenceTest, Ge) { check("ge", binaryCases({}, {coarse, coarse})); }

//===----------------------------------------------------------------------===//
// Elementwise unary
//===----------------------------------------------------------------------===//

std::vector<Case> unaryCases(Tolerance tolerance, Domain domain) {
  std::vector<Case> cases;
  for (Shape shape : {Shape{}, Shape{1}, Shape{7}, Shape{33}, Shape{1000},
                      Shape{1, 1}, Shape{2, 1, 7}, Shape{4, 33}})
    cases.push_back({{shape}, shape, "", tolerance, {domain}});
  return cases;
}

TEST_P(OpReferenceTest, Neg) { check("neg", unaryCases({}, signedUnit)); }
TEST_P(OpReferenceTest, Abs) { check("abs", unaryCases({}, signedUnit)); }
TEST_P(OpReferenceTest, Relu) { check("relu", unaryCases({}, signedUnit)); }
TEST_P(OpReferenceTest, Exp) {
  check("exp", unaryCases({tTrans(), u()}, wide));
}
TEST_P(OpReferenceTest, Log) {
  check("log", unaryCases({tTrans(), u()}, positive));
}
TEST_P(OpReferenceTest, Sqrt) {
  check("sqrt", unaryCases({u() + 0x1p-53}, positive));
}
TEST_P(OpReferenceTest, Tanh) {
  check("tanh", unaryCases({tTrans(), u()}, wide));
}
TEST_P(OpReferenceTest, Sigmoid) {
  check("sigmoid", unaryCases({tTrans(), u()}, wide));
}

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

TEST_P(OpReferenceTest, MatMul) {
  // Rank 2, batched with broadcast batch dims on either side, size-1 dims,
  // and one long contraction (K = 1000).
  const std::vector<std::pair<Shape, Shape>> shapes = {
      {{1, 1}, {1, 1}},       {{7, 33}, {33, 1}},
      {{33, 7}, {7, 33}},     {{2, 3, 4}, {4, 5}},
      {{4, 5}, {3, 5, 6}},    {{5, 1, 3, 7}, {2, 7, 4}},
      {{1, 3, 4}, {6, 4, 2}}, {{7, 1000}, {1000, 33}},
      {{1000, 7}, {7, 1}},
  };
  std::vector<Case> cases;
  for (const auto &[lhs, rhs] : shapes) {
    Shape batch = broadcast(Shape(lhs.begin(), lhs.end() - 2),
                            Shape(rhs.begin(), rhs.end() - 2));
    batch.push_back(lhs[lhs.size() - 2]);
    batch.push_back(rhs.back());
    int64_t k = lhs.back();
    cases.push_back(
        {{lhs, rhs}, batch, "", {0, 0, gamma(k, u()) + gamma(k, 0x1p-53)}});
  }
  check("matmul", cases);
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

TEST_P(OpReferenceTest, Transpose) {
  const std::vector<std::pair<Shape, Shape>> cases = {
      {{}, {}},
      {{7}, {0}},
      {{3, 5}, {1, 0}},
      {{2, 3, 4}, {2, 0, 1}},
      {{2, 3, 4}, {1, 2, 0}},
      {{1, 7, 1, 33}, {3, 1, 0, 2}},
      {{33, 1000}, {1, 0}},
  };
  std::vector<Case> list;
  for (const auto &[shape, perm] : cases) {
    Shape result;
    for (int64_t p : perm)
      result.push_back(shape[p]);
    list.push_back({{shape}, result, "{perm = " + i64Array(perm) + "}"});
  }
  check("transpose", list);
}

TEST_P(OpReferenceTest, Reshape) {
  check("reshape", {{{{}}, {1, 1}},
                    {{{1}}, {}},
                    {{{7}}, {7, 1}},
                    {{{2, 3, 4}}, {4, 6}},
                    {{{2, 3, 4}}, {24}},
                    {{{1000}}, {10, 100}},
                    {{{4, 1, 6}}, {2, 1, 12}}});
}

TEST_P(OpReferenceTest, BroadcastTo) {
  check("broadcast_to", {{{{}}, {3, 4}},
                         {{{1}}, {7}},
                         {{{5}}, {2, 3, 5}},
                         {{{3, 1}}, {3, 33}},
                         {{{1, 1, 7}}, {2, 5, 7}},
                         {{{1000}}, {2, 1000}},
                         {{{7}}, {7}}});
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

struct ReductionCase {
  Shape shape;
  Shape dims;
  bool keepdim;
};

// Rank 0 with dims 0 / -1 (nothing to reduce), empty dims (everything),
// negative and unsorted dims, keepdim, size-1 dims and long rows.
const std::vector<ReductionCase> kReductionCases = {
    {{}, {}, false},
    {{}, {0}, true},
    {{}, {-1}, false},
    {{7}, {}, false},
    {{33}, {0}, true},
    {{3, 5}, {1}, false},
    {{3, 5}, {-2}, true},
    {{2, 3, 4}, {2, 0}, false},
    {{2, 3, 4}, {}, true},
    {{1, 7, 1}, {1}, false},
    {{1000}, {}, false},
    {{7, 1000}, {-1}, true},
    {{33, 7, 5}, {0, 2}, true},
};

/// `mean` adds one division to the sum's error (see the file comment).
std::vector<Case> reductionCases(bool exact, bool mean, double u) {
  std::vector<Case> cases;
  for (const ReductionCase &rc : kReductionCases) {
    int64_t rank = rc.shape.size();
    std::vector<bool> reduced(rank, rc.dims.empty());
    for (int64_t d : rc.dims)
      if (rank > 0)
        reduced[d < 0 ? d + rank : d] = true;
    Shape result;
    int64_t n = 1;
    for (int64_t d = 0; d < rank; ++d) {
      if (reduced[d])
        n *= rc.shape[d];
      if (!reduced[d])
        result.push_back(rc.shape[d]);
      else if (rc.keepdim)
        result.push_back(1);
    }
    Tolerance tolerance;
    if (!exact)
      tolerance = {u, 0, gamma(n + mean, u) + gamma(n + mean, 0x1p-53)};
    cases.push_back({{rc.shape},
                     result,
                     "{dims = " + i64Array(rc.dims) +
                         ", keepdim = " + (rc.keepdim ? "true" : "false") + "}",
                     tolerance});
  }
  return cases;
}

TEST_P(OpReferenceTest, Sum) {
  check("sum", reductionCases(false, false, u()));
}
TEST_P(OpReferenceTest, Mean) {
  check("mean", reductionCases(false, true, u()));
}
TEST_P(OpReferenceTest, Max) { check("max", reductionCases(true, false, u())); }

//===----------------------------------------------------------------------===//
// softmax, log_softmax
//===----------------------------------------------------------------------===//

std::vector<Case> softmaxCases(bool log, double u, double tTrans) {
  const std::vector<std::pair<Shape, int64_t>> shapes = {
      {{}, 0},         {{}, -1},       {{7}, 0},        {{3, 5}, 1},
      {{3, 5}, -2},    {{2, 3, 4}, 1}, {{1, 33, 1}, 1}, {{1000}, 0},
      {{4, 1000}, -1}, {{1, 1}, 0},
  };
  std::vector<Case> cases;
  for (const auto &[shape, dim] : shapes) {
    int64_t rank = shape.size();
    int64_t n = rank == 0 ? 1 : shape[dim < 0 ? dim + rank : dim];
    double budget = tTrans + 2 * (n + 10) * u;
    Tolerance tolerance =
        log ? Tolerance{tTrans, budget, 0} : Tolerance{budget, 0, 0};
    cases.push_back({{shape},
                     shape,
                     "{dim = " + std::to_string(dim) + " : i64}",
                     tolerance,
                     {wide}});
  }
  return cases;
}

TEST_P(OpReferenceTest, Softmax) {
  check("softmax", softmaxCases(false, u(), tTrans()));
}
TEST_P(OpReferenceTest, LogSoftmax) {
  check("log_softmax", softmaxCases(true, u(), tTrans()));
}

//===----------------------------------------------------------------------===//
// NaN and domain errors
//===----------------------------------------------------------------------===//

/// NaN inputs, and log / sqrt / pow of negatives, give NaN in exactly the
/// same elements on both sides; the other elements agree as usual.
/// Comparisons with a NaN operand are 0, except ne, which is 1, on both
/// sides.
TEST_P(OpReferenceTest, NaNAgreement) {
  Tolerance loose{tTrans(), u()};
  std::vector<Domain> nans = {withNaN, withNaN};
  std::vector<Case> cases;
  for (const char *op :
       {"log", "sqrt", "relu", "abs", "exp", "tanh", "sigmoid"}) {
    cases.push_back({{{33}}, {33}, "", loose, nans, op});
    cases.push_back({{{}}, {}, "", loose, nans, op});
  }
  for (const char *op : {"pow", "maximum", "minimum", "add", "div"})
    cases.push_back({{{5, 7}, {7}}, {5, 7}, "", loose, nans, op});
  for (const char *op : {"eq", "ne", "lt", "le", "gt", "ge"})
    cases.push_back({{{5, 7}, {7}}, {5, 7}, "", {}, nans, op});
  cases.push_back({{{5, 7}},
                   {5},
                   "{dims = array<i64: 1>, keepdim = false}",
                   {},
                   nans,
                   "max"});
  cases.push_back(
      {{{5, 7}}, {5, 7}, "{dim = 1 : i64}", loose, nans, "softmax"});
  check("", cases);
}

INSTANTIATE_TEST_SUITE_P(, OpReferenceTest,
                         ::testing::Values(DType::F32, DType::F64),
                         dtypeParamName);

} // namespace
