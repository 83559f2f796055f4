//===- OpNumericsTest.cpp - JIT results of graft ops vs. naive loops ------===//
//
// This file compiles graft functions with graft::Engine, generating the
// `.mlir` text from shapes and dtypes, and checks every result against a
// naive reference loop written here. The references share no code with the
// compiler; they accumulate in double. graft.rand is the exception: it is
// specified as graft::fillRand, so it is compared with fillRand itself.
//
// Tolerances, with u = 2^-24 for f32 and 2^-53 for f64 (unit roundoff) and
// gamma(n) = n u / (1 - n u), the classic bound for an n-term dot product
// or sum:
//
// * add, mul: IEEE results are correctly rounded, so Graft must produce
//   exactly (bit for bit) what the same operation in the element type
//   produces on the host. The reference computes in T, not in double.
// * constant, full, eye, rand: exact.
// * matmul: each result is a K-term dot product computed in T in some order
//   (with or without FMA), so |C - C_ref| <= gamma_T(K) * sum_k |a_ik b_kj|.
//   The double reference has its own error, at most gamma_f64(K) times the
//   same sum, which is added.
// * sum, mean: Graft accumulates f32 inputs in f64 (in any order), then
//   rounds once to the element type. For n summed elements the f64 sum is
//   within gamma_f64(n) sum|x| of the exact sum; rounding to T adds u_T |s|;
//   mean divides in f64 (one more u_f64 |s|) before rounding. The double
//   reference contributes another gamma_f64(n) sum|x|. For f32 that is a
//   relative error of about 6e-8, well inside the 1e-6 one would accept; for
//   f64 it is about n * 1e-16 relative to sum|x|.
//
//===----------------------------------------------------------------------===//

#include "graft/Engine/Engine.h"
#include "graft/Runtime/Random.h"
#include "graft/Runtime/Tensor.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace graft;

namespace {

using Shape = std::vector<int64_t>;

//===----------------------------------------------------------------------===//
// IR text
//===----------------------------------------------------------------------===//

template <typename T> const char *elementName();
template <> const char *elementName<float>() { return "f32"; }
template <> const char *elementName<double>() { return "f64"; }

template <typename T> std::string tensorType(const Shape &shape) {
  std::string text = "tensor<";
  for (int64_t dim : shape)
    text += std::to_string(dim) + "x";
  return text + elementName<T>() + ">";
}

std::string shapeText(const Shape &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

/// Assembles `func.func @f(args) -> (results)` line by line.
class FuncText {
public:
  /// Adds an argument of `type` and returns its SSA name.
  std::string arg(const std::string &type) {
    args_.push_back(type);
    return "%arg" + std::to_string(args_.size() - 1);
  }
  /// Adds `%vN = <text>` to the body and returns `%vN`.
  std::string op(const std::string &text) {
    std::string name = "%v" + std::to_string(values_++);
    body_ += "    " + name + " = " + text + "\n";
    return name;
  }
  void ret(const std::string &value, const std::string &type) {
    results_.push_back(value);
    resultTypes_.push_back(type);
  }
  std::string str() const {
    std::string text = "func.func @f(";
    for (size_t i = 0; i < args_.size(); ++i)
      text += (i ? ", " : "") + std::string("%arg") + std::to_string(i) + ": " +
              args_[i];
    text += ") -> (" + join(resultTypes_) + ") {\n" + body_;
    return text + "    return " + join(results_) + " : " + join(resultTypes_) +
           "\n}\n";
  }

private:
  static std::string join(const std::vector<std::string> &items) {
    std::string text;
    for (size_t i = 0; i < items.size(); ++i)
      text += (i ? ", " : "") + items[i];
    return text;
  }

  std::vector<std::string> args_, results_, resultTypes_;
  std::string body_;
  int values_ = 0;
};

/// `graft.<name> %a, %b : (A, B) -> R`.
std::string binaryOp(const std::string &name, const std::string &lhs,
                     const std::string &lhsType, const std::string &rhs,
                     const std::string &rhsType, const std::string &type) {
  return "graft." + name + " " + lhs + ", " + rhs + " : (" + lhsType + ", " +
         rhsType + ") -> " + type;
}

//===----------------------------------------------------------------------===//
// Compiling and running
//===----------------------------------------------------------------------===//

std::optional<Function> compile(const std::string &source,
                                unsigned optLevel = 3) {
  Engine engine;
  CompileOptions options;
  options.optLevel = optLevel;
  // Every numeric test runs guarded: an out-of-bounds write by the
  // generated code on any of the odd shapes fails the test.
  options.guard = true;
  Expected<Function> fn = engine.compile(source, options);
  if (!fn) {
    ADD_FAILURE() << "compile failed: " << fn.error().message() << "\nsource:\n"
                  << source;
    return std::nullopt;
  }
  return *fn;
}

std::vector<Tensor> run(const Function &fn, const std::vector<Tensor> &inputs,
                        size_t numResults) {
  Expected<std::vector<Tensor>> outputs = fn(inputs);
  if (!outputs) {
    ADD_FAILURE() << "call failed: " << outputs.error().message();
    return {};
  }
  if (outputs->size() != numResults) {
    ADD_FAILURE() << "expected " << numResults << " results, got "
                  << outputs->size();
    return {};
  }
  return outputs.take();
}

//===----------------------------------------------------------------------===//
// Data and indexing
//===----------------------------------------------------------------------===//

int64_t numelOf(const Shape &shape) {
  int64_t n = 1;
  for (int64_t dim : shape)
    n *= dim;
  return n;
}

/// Uniform in [-1, 1): torch.rand(shape) * 2 - 1 on the host. Both steps are
/// exact in either dtype, so the values carry all the bits rand draws.
template <typename T> Tensor signedRand(const Shape &shape, uint64_t seed) {
  Tensor tensor = Tensor::rand(shape, seed, DTypeOf<T>::value);
  T *data = tensor.data<T>();
  for (int64_t i = 0; i < tensor.numel(); ++i)
    data[i] = data[i] * T(2) - T(1);
  return tensor;
}

Shape unravel(int64_t linear, const Shape &shape) {
  Shape index(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    index[d] = linear % shape[d];
    linear /= shape[d];
  }
  return index;
}

/// NumPy broadcasting of two shapes; nullopt when they do not broadcast.
std::optional<Shape> broadcastShape(const Shape &lhs, const Shape &rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  Shape result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t l = i + lhs.size() < rank ? 1 : lhs[i + lhs.size() - rank];
    int64_t r = i + rhs.size() < rank ? 1 : rhs[i + rhs.size() - rank];
    if (l != r && l != 1 && r != 1)
      return std::nullopt;
    result[i] = std::max(l, r);
  }
  return result;
}

/// The row-major offset into an operand of `shape` that a result element at
/// `index` reads under broadcasting.
int64_t broadcastOffset(const Shape &index, const Shape &shape) {
  size_t lead = index.size() - shape.size();
  int64_t offset = 0;
  for (size_t d = 0; d < shape.size(); ++d)
    offset = offset * shape[d] + (shape[d] == 1 ? 0 : index[lead + d]);
  return offset;
}

template <typename T> double unitRoundoff() {
  return std::numeric_limits<T>::epsilon() / 2;
}

/// gamma(n) = n u / (1 - n u).
template <typename T> double gamma(int64_t n) {
  double nu = static_cast<double>(n) * unitRoundoff<T>();
  return nu / (1 - nu);
}

//===----------------------------------------------------------------------===//
// Comparisons: shape and dtype first, then elements; at most a few
// mismatches are printed, with their indices.
//===----------------------------------------------------------------------===//

constexpr int kMaxReported = 5;

template <typename T> void expectLayout(const Tensor &got, const Shape &shape) {
  ASSERT_TRUE(got.valid());
  ASSERT_EQ(got.dtype(), DTypeOf<T>::value);
  ASSERT_EQ(got.shape(), shape);
}

/// got == want bit for bit.
template <typename T>
void expectBitExact(const Tensor &got, const Shape &shape,
                    const std::vector<T> &want) {
  ASSERT_NO_FATAL_FAILURE(expectLayout<T>(got, shape));
  ASSERT_EQ(static_cast<int64_t>(want.size()), numelOf(shape));
  const T *data = got.data<T>();
  int64_t mismatches = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    if (std::memcmp(&data[i], &want[i], sizeof(T)) == 0)
      continue;
    if (++mismatches <= kMaxReported)
      ADD_FAILURE() << "at " << shapeText(unravel(i, shape)) << ": got "
                    << ::testing::PrintToString(data[i]) << ", want "
                    << ::testing::PrintToString(want[i]);
  }
  EXPECT_EQ(mismatches, 0) << "of " << want.size() << " elements";
}

/// |got - want| <= tolerance elementwise (and got is finite).
template <typename T>
void expectWithin(const Tensor &got, const Shape &shape,
                  const std::vector<double> &want,
                  const std::vector<double> &tolerance) {
  ASSERT_NO_FATAL_FAILURE(expectLayout<T>(got, shape));
  ASSERT_EQ(static_cast<int64_t>(want.size()), numelOf(shape));
  const T *data = got.data<T>();
  int64_t mismatches = 0;
  double worst = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    double error = std::fabs(static_cast<double>(data[i]) - want[i]);
    if (std::isfinite(data[i]) && error <= tolerance[i]) {
      if (tolerance[i] > 0)
        worst = std::max(worst, error / tolerance[i]);
      continue;
    }
    if (++mismatches <= kMaxReported)
      ADD_FAILURE() << "at " << shapeText(unravel(i, shape)) << ": got "
                    << ::testing::PrintToString(data[i]) << ", want "
                    << ::testing::PrintToString(want[i]) << " +- "
                    << tolerance[i] << " (error " << error << ")";
  }
  EXPECT_EQ(mismatches, 0) << "of " << want.size()
                           << " elements; worst passing error/tolerance "
                           << worst;
}

//===----------------------------------------------------------------------===//
// add, mul
//===----------------------------------------------------------------------===//

struct BroadcastCase {
  Shape lhs, rhs;
};

// Lengths 1, 7, 33, 1000 and the prime 1009 fit no vector or tile size;
// rank 0, size-1 dims and every broadcasting pattern on either side.
const BroadcastCase kBroadcastCases[] = {
    {{}, {}},
    {{1}, {1}},
    {{7}, {7}},
    {{33}, {33}},
    {{1000}, {1000}},
    {{1009}, {1009}},
    {{1, 1}, {1, 1}},
    {{4, 5}, {5}},
    {{4, 1}, {1, 5}},
    {{}, {3, 4}},
    {{3, 4}, {}},
    {{1}, {}},
    {{2, 1, 3}, {4, 1}},
    {{1}, {7}},
    {{1000}, {1}},
    {{1, 7}, {7, 1}},
    {{1, 1, 1}, {7}},
    {{5, 1, 33}, {1, 7, 1}},
    {{2, 3, 4, 5}, {3, 1, 5}},
    {{64, 1000}, {1000}},
    {{33, 1}, {33, 1009}},
};

/// Compiles one function returning add(x, y) and mul(x, y) and compares
/// both with the same operation in T on the host.
template <typename T>
void checkAddMul(const Shape &lhs, const Shape &rhs, uint64_t seed) {
  SCOPED_TRACE("lhs " + shapeText(lhs) + ", rhs " + shapeText(rhs) + ", " +
               elementName<T>());
  Shape shape = *broadcastShape(lhs, rhs);
  std::string lhsType = tensorType<T>(lhs), rhsType = tensorType<T>(rhs),
              type = tensorType<T>(shape);
  FuncText f;
  std::string x = f.arg(lhsType), y = f.arg(rhsType);
  f.ret(f.op(binaryOp("add", x, lhsType, y, rhsType, type)), type);
  f.ret(f.op(binaryOp("mul", x, lhsType, y, rhsType, type)), type);
  std::optional<Function> fn = compile(f.str());
  if (!fn)
    return;
  Tensor a = signedRand<T>(lhs, seed), b = signedRand<T>(rhs, seed + 1);
  std::vector<Tensor> out = run(*fn, {a, b}, 2);
  if (out.empty())
    return;

  int64_t n = numelOf(shape);
  std::vector<T> sum(n), product(n);
  const T *pa = a.data<T>(), *pb = b.data<T>();
  for (int64_t i = 0; i < n; ++i) {
    Shape index = unravel(i, shape);
    T u = pa[broadcastOffset(index, lhs)], v = pb[broadcastOffset(index, rhs)];
    sum[i] = u + v;
    product[i] = u * v;
  }
  {
    SCOPED_TRACE("graft.add");
    expectBitExact(out[0], shape, sum);
  }
  {
    SCOPED_TRACE("graft.mul");
    expectBitExact(out[1], shape, product);
  }
}

TEST(ElementwiseTest, AddMulF32) {
  uint64_t seed = 100;
  for (const BroadcastCase &c : kBroadcastCases)
    checkAddMul<float>(c.lhs, c.rhs, seed += 2);
}

TEST(ElementwiseTest, AddMulF64) {
  uint64_t seed = 200;
  for (const BroadcastCase &c : kBroadcastCases)
    checkAddMul<double>(c.lhs, c.rhs, seed += 2);
}

/// Chains that elementwise fusion merges into one loop must still round
/// after every op, as PyTorch does op by op: x * y + z is not an FMA.
template <typename T> void checkFusedChain() {
  SCOPED_TRACE(elementName<T>());
  Shape sx = {33, 7}, sy = {7}, sz = {33, 1}, shape = {33, 7};
  std::string tx = tensorType<T>(sx), ty = tensorType<T>(sy),
              tz = tensorType<T>(sz), type = tensorType<T>(shape);
  FuncText f;
  std::string x = f.arg(tx), y = f.arg(ty), z = f.arg(tz);
  std::string xy = f.op(binaryOp("mul", x, tx, y, ty, type));
  f.ret(f.op(binaryOp("add", xy, type, z, tz, type)), type);
  std::string xz = f.op(binaryOp("add", x, tx, z, tz, type));
  f.ret(f.op(binaryOp("mul", xz, type, y, ty, type)), type);
  std::optional<Function> fn = compile(f.str());
  if (!fn)
    return;
  Tensor a = signedRand<T>(sx, 7), b = signedRand<T>(sy, 8),
         c = signedRand<T>(sz, 9);
  std::vector<Tensor> out = run(*fn, {a, b, c}, 2);
  if (out.empty())
    return;
  std::vector<T> mulAdd, addMul;
  for (int64_t i = 0; i < 33; ++i)
    for (int64_t j = 0; j < 7; ++j) {
      T u = a.at<T>({i, j}), v = b.at<T>({j}), w = c.at<T>({i, 0});
      T product = u * v;
      mulAdd.push_back(product + w);
      T sum = u + w;
      addMul.push_back(sum * v);
    }
  {
    SCOPED_TRACE("x * y + z");
    expectBitExact(out[0], shape, mulAdd);
  }
  {
    SCOPED_TRACE("(x + z) * y");
    expectBitExact(out[1], shape, addMul);
  }
}

TEST(ElementwiseTest, FusedChainRoundsEveryOpF32) { checkFusedChain<float>(); }
TEST(ElementwiseTest, FusedChainRoundsEveryOpF64) { checkFusedChain<double>(); }

/// Returns x + c, c + x, x + d and x * e for splat constants c, d, e.
template <typename T>
std::vector<Tensor> runWithConstants(const std::vector<T> &input, const char *c,
                                     const char *d, const char *e) {
  Shape shape = {static_cast<int64_t>(input.size())};
  std::string type = tensorType<T>(shape);
  FuncText f;
  std::string x = f.arg(type);
  std::string cc =
      f.op(std::string("graft.constant dense<") + c + "> : " + type);
  std::string dc =
      f.op(std::string("graft.constant dense<") + d + "> : " + type);
  std::string ec =
      f.op(std::string("graft.constant dense<") + e + "> : " + type);
  f.ret(f.op(binaryOp("add", x, type, cc, type, type)), type);
  f.ret(f.op(binaryOp("add", cc, type, x, type, type)), type);
  f.ret(f.op(binaryOp("add", x, type, dc, type, type)), type);
  f.ret(f.op(binaryOp("mul", x, type, ec, type, type)), type);
  std::optional<Function> fn = compile(f.str());
  if (!fn)
    return {};
  return run(*fn, {Tensor::fromData(std::vector<T>(input), shape)}, 4);
}

/// Adding -0 and multiplying by one are exact identities, signed zeros and
/// all, so folding them away is allowed; the results must not change.
template <typename T> void checkExactIdentities() {
  SCOPED_TRACE(elementName<T>());
  const std::vector<T> input = {T(-0.0), T(0.0), T(1.5), T(-2.0)};
  std::vector<Tensor> out = runWithConstants(input, "-0.0", "-0.0", "1.0");
  if (out.empty())
    return;
  const char *names[] = {"x + -0", "-0 + x", "x + -0", "x * 1"};
  for (int i = 0; i < 4; ++i) {
    SCOPED_TRACE(names[i]);
    expectBitExact(out[i], {4}, input);
  }
}

TEST(ElementwiseTest, ExactIdentitiesF32) { checkExactIdentities<float>(); }
TEST(ElementwiseTest, ExactIdentitiesF64) { checkExactIdentities<double>(); }

/// Adding +0 is not an identity: -0 + +0 = +0 (IEEE 754 and PyTorch).
template <typename T> void checkAddPositiveZero() {
  SCOPED_TRACE(elementName<T>());
  const std::vector<T> input = {T(-0.0), T(0.0), T(1.5), T(-2.0)};
  std::vector<Tensor> out = runWithConstants(input, "0.0", "0.0", "1.0");
  if (out.empty())
    return;
  const std::vector<T> want = {T(0.0), T(0.0), T(1.5), T(-2.0)};
  const char *names[] = {"x + 0", "0 + x", "x + 0 (second constant)"};
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(names[i]);
    expectBitExact(out[i], {4}, want);
  }
}

// +0.0 is not an additive identity: IEEE 754 and PyTorch give
// -0.0 + 0.0 = +0.0, so x + 0.0 must not fold to x (only x + -0.0 may).
TEST(ElementwiseTest, AddPositiveZeroIsNotIdentityF32) {
  checkAddPositiveZero<float>();
}
TEST(ElementwiseTest, AddPositiveZeroIsNotIdentityF64) {
  checkAddPositiveZero<double>();
}

TEST(ElementwiseTest, OptLevel0MatchesToo) {
  Shape lhs = {4, 1009}, rhs = {1009};
  std::string tl = tensorType<float>(lhs), tr = tensorType<float>(rhs);
  FuncText f;
  std::string x = f.arg(tl), y = f.arg(tr);
  f.ret(f.op(binaryOp("add", x, tl, y, tr, tl)), tl);
  std::optional<Function> fn = compile(f.str(), /*optLevel=*/0);
  if (!fn)
    return;
  Tensor a = signedRand<float>(lhs, 1), b = signedRand<float>(rhs, 2);
  std::vector<Tensor> out = run(*fn, {a, b}, 1);
  if (out.empty())
    return;
  std::vector<float> want;
  for (int64_t i = 0; i < 4; ++i)
    for (int64_t j = 0; j < 1009; ++j)
      want.push_back(a.at<float>({i, j}) + b.at<float>({j}));
  expectBitExact(out[0], lhs, want);
}

//===----------------------------------------------------------------------===//
// exp
//===----------------------------------------------------------------------===//

// f32 exp is Graft's own polynomial (graft-lower-vectors), not libm, so it
// is checked against double exp over the whole f32 line: one float in
// every 4099 bit patterns (an odd count, so that the vector code's
// remainder runs too) and the edge cases. Where exp(x) is a normal float
// above 1.7e-38 the result is within 1 ulp; below, 0 is allowed (the
// approximation flushes there); beyond FLT_MAX it is +inf; NaN stays NaN.
TEST(TranscendentalTest, ExpF32WithinOneUlp) {
  std::vector<float> inputs = {0.0f,
                               -0.0f,
                               1.0f,
                               std::numeric_limits<float>::infinity(),
                               -std::numeric_limits<float>::infinity(),
                               std::numeric_limits<float>::quiet_NaN(),
                               88.72283f,
                               88.7229f,
                               -86.99f,
                               -87.33655f,
                               -1000.0f,
                               1e-30f};
  for (uint64_t bits = 0; bits < (uint64_t(1) << 32); bits += 4099) {
    uint32_t pattern = static_cast<uint32_t>(bits);
    float x;
    std::memcpy(&x, &pattern, sizeof(x));
    inputs.push_back(x);
  }
  Shape shape = {static_cast<int64_t>(inputs.size())};
  std::string type = tensorType<float>(shape);
  FuncText f;
  f.ret(f.op("graft.exp " + f.arg(type) + " : " + type), type);
  std::optional<Function> fn = compile(f.str());
  if (!fn)
    return;
  std::vector<Tensor> out =
      run(*fn, {Tensor::view(inputs.data(), shape, DType::F32)}, 1);
  if (out.empty())
    return;
  ASSERT_NO_FATAL_FAILURE(expectLayout<float>(out[0], shape));
  const float *got = out[0].data<float>();
  int64_t mismatches = 0;
  double worstUlps = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    double want = std::exp(static_cast<double>(inputs[i]));
    float rounded = static_cast<float>(want);
    // Ulps of a normal result; none for 0, denormals, inf and NaN.
    double ulps = std::isnormal(rounded)
                      ? std::fabs(got[i] - want) /
                            std::ldexp(1.0, std::ilogb(rounded) - 23)
                      : std::numeric_limits<double>::infinity();
    bool ok;
    if (std::isnan(inputs[i]))
      ok = std::isnan(got[i]);
    else if (std::isinf(rounded))
      ok = std::isinf(got[i]) && got[i] > 0;
    else if (want < 1.7e-38)
      ok = got[i] == 0 || ulps <= 1;
    else
      ok = ulps <= 1;
    if (!ok && ++mismatches <= kMaxReported)
      ADD_FAILURE() << "exp(" << ::testing::PrintToString(inputs[i])
                    << "): got " << ::testing::PrintToString(got[i])
                    << ", want " << want << " (" << ulps << " ulp)";
    if (std::isfinite(ulps) && want >= 1.7e-38)
      worstUlps = std::max(worstUlps, ulps);
  }
  EXPECT_EQ(mismatches, 0) << "of " << inputs.size()
                           << " inputs; worst passing error " << worstUlps
                           << " ulp";
}

/// Expects row `row` of softmax or log_softmax of `x` (along dim 1) within
/// `tolerance` (relative) of the same computed in double.
void expectSoftmaxRowNear(const Tensor &x, const Tensor &out, int64_t row,
                          bool isLog, double tolerance) {
  int64_t cols = x.shape()[1];
  double max = -INFINITY, sum = 0;
  for (int64_t j = 0; j < cols; ++j)
    max = std::max(max, double(x.at<float>({row, j})));
  for (int64_t j = 0; j < cols; ++j)
    sum += std::exp(x.at<float>({row, j}) - max);
  for (int64_t j = 0; j < cols; ++j) {
    double shifted = x.at<float>({row, j}) - max;
    double want = isLog ? shifted - std::log(sum) : std::exp(shifted) / sum;
    ASSERT_NEAR(out.at<float>({row, j}), want, tolerance * std::fabs(want))
        << "row " << row << ", column " << j;
  }
}

/// softmax or log_softmax along dim 1 of `x`, compiled and run on 1 thread.
std::vector<Tensor> runSoftmaxLike(const std::string &op, const Tensor &x) {
  std::string type = tensorType<float>(x.shape());
  FuncText f;
  f.ret(f.op("graft." + op + " " + f.arg(type) + " {dim = 1 : i64} : " + type),
        type);
  std::optional<Function> fn = compile(f.str());
  if (!fn)
    return {};
  std::vector<Tensor> out = run(*fn, {x}, 1);
  if (!out.empty())
    expectLayout<float>(out[0], x.shape());
  return out;
}

// softmax and log_softmax shift each row by its max, which skips NaNs
// (arith.maxnumf, the cheaper max): a NaN, an inf - inf or an all -inf row
// must still make its whole row NaN, as in PyTorch, and a finite row must
// match double math (relative 1e-6: f32 exp within 1 ulp, f32 row sums of
// one partial sum per lane). 300 columns run the vector code and its
// remainder.
TEST(SoftmaxTest, NaNAndInfinityRowsAreNaN) {
  constexpr int64_t kCols = 300;
  const float inf = std::numeric_limits<float>::infinity();
  Tensor x = signedRand<float>({4, kCols}, 7);
  x.at<float>({1, 137}) = std::numeric_limits<float>::quiet_NaN();
  x.at<float>({2, 5}) = inf;
  for (int64_t j = 0; j < kCols; ++j)
    x.at<float>({3, j}) = -inf;
  for (std::string op : {"softmax", "log_softmax"}) {
    SCOPED_TRACE(op);
    std::vector<Tensor> out = runSoftmaxLike(op, x);
    if (out.empty() || HasFatalFailure())
      return;
    expectSoftmaxRowNear(x, out[0], 0, op == "log_softmax", 1e-6);
    for (int64_t i = 1; i < 4; ++i)
      for (int64_t j = 0; j < kCols; ++j)
        EXPECT_TRUE(std::isnan(out[0].at<float>({i, j})))
            << "row " << i << ", column " << j << ": "
            << out[0].at<float>({i, j});
  }
}

// The row sums accumulate in f32, as PyTorch's do, in one partial sum per
// vector lane: a row of 2^18 elements stays within a few f32 ulps of the
// float64 result.
TEST(SoftmaxTest, LongRowsStayAccurate) {
  Tensor x = signedRand<float>({2, int64_t(1) << 18}, 11);
  for (std::string op : {"softmax", "log_softmax"}) {
    SCOPED_TRACE(op);
    std::vector<Tensor> out = runSoftmaxLike(op, x);
    if (out.empty() || HasFatalFailure())
      return;
    for (int64_t row = 0; row < 2; ++row)
      ASSERT_NO_FATAL_FAILURE(
          expectSoftmaxRowNear(x, out[0], row, op == "log_softmax", 1e-6));
  }
}

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

template <typename T>
void checkMatMul(int64_t m, int64_t k, int64_t n, uint64_t seed) {
  SCOPED_TRACE("matmul " + std::to_string(m) + "x" + std::to_string(k) + "x" +
               std::to_string(n) + " " + elementName<T>());
  std::string ta = tensorType<T>({m, k}), tb = tensorType<T>({k, n}),
              tc = tensorType<T>({m, n});
  FuncText f;
  std::string a = f.arg(ta), b = f.arg(tb);
  f.ret(f.op(binaryOp("matmul", a, ta, b, tb, tc)), tc);
  std::optional<Function> fn = compile(f.str());
  if (!fn)
    return;
  Tensor x = signedRand<T>({m, k}, seed), y = signedRand<T>({k, n}, seed + 1);
  std::vector<Tensor> out = run(*fn, {x, y}, 1);
  if (out.empty())
    return;

  // i-k-j order keeps the inner loop contiguous, which matters at 1000^3.
  std::vector<double> want(m * n, 0.0), magnitude(m * n, 0.0);
  const T *px = x.data<T>(), *py = y.data<T>();
  for (int64_t i = 0; i < m; ++i)
    for (int64_t p = 0; p < k; ++p) {
      double u = px[i * k + p];
      double *row = &want[i * n], *absRow = &magnitude[i * n];
      const T *yRow = &py[p * n];
      for (int64_t j = 0; j < n; ++j) {
        double term = u * static_cast<double>(yRow[j]);
        row[j] += term;
        absRow[j] += std::fabs(term);
      }
    }
  double bound = gamma<T>(k) + gamma<double>(k);
  std::vector<double> tolerance(m * n);
  for (int64_t i = 0; i < m * n; ++i)
    tolerance[i] = bound * magnitude[i];
  expectWithin<T>(out[0], {m, n}, want, tolerance);
}

struct MatMulCase {
  int64_t m, k, n;
};

// 96 x 64 x 96 is packed and holds whole register tiles (8x32 and 6x16):
// its product accumulates in the result itself (graft-pack-matmul).
const MatMulCase kMatMulCases[] = {
    {1, 1, 1},    {7, 33, 5},   {64, 64, 64}, {100, 37, 250},
    {1, 100, 1},  {33, 1, 17},  {5, 1000, 3}, {257, 131, 67},
    {1, 64, 256}, {256, 64, 1}, {96, 64, 96},
};

TEST(MatMulTest, F32) {
  uint64_t seed = 300;
  for (const MatMulCase &c : kMatMulCases)
    checkMatMul<float>(c.m, c.k, c.n, seed += 2);
}

TEST(MatMulTest, F64) {
  uint64_t seed = 400;
  for (const MatMulCase &c : kMatMulCases)
    checkMatMul<double>(c.m, c.k, c.n, seed += 2);
}

TEST(MatMulTest, F32Square1000) { checkMatMul<float>(1000, 1000, 1000, 500); }

//===----------------------------------------------------------------------===//
// sum, mean
//===----------------------------------------------------------------------===//

struct Reduction {
  const char *op; // "sum" or "mean"
  std::vector<int64_t> dims;
  bool keepdim;
  /// Spell an empty dims list out as `dims = array<i64>`.
  bool explicitEmptyDims = false;
};

std::string reductionAttrs(const Reduction &r) {
  std::vector<std::string> attrs;
  if (!r.dims.empty() || r.explicitEmptyDims) {
    std::string dims = "dims = array<i64";
    for (size_t i = 0; i < r.dims.size(); ++i)
      dims += (i ? ", " : ": ") + std::to_string(r.dims[i]);
    attrs.push_back(dims + ">");
  }
  if (r.keepdim)
    attrs.push_back("keepdim = true");
  if (attrs.empty())
    return "";
  std::string text = " {";
  for (size_t i = 0; i < attrs.size(); ++i)
    text += (i ? ", " : "") + attrs[i];
  return text + "}";
}

std::string reductionText(const Reduction &r) {
  std::string text = std::string("graft.") + r.op;
  text += " dims " + shapeText(r.dims);
  return text + (r.keepdim ? " keepdim" : "");
}

/// The reference: sum and sum of magnitudes per result element, in double.
struct ReductionRef {
  Shape shape;
  std::vector<double> sum, magnitude;
  int64_t count = 1;
};

ReductionRef reduceRef(const std::vector<double> &input, const Shape &shape,
                       const Reduction &r) {
  int64_t rank = shape.size();
  std::vector<bool> reduced(rank, r.dims.empty());
  for (int64_t d : r.dims)
    if (rank > 0)
      reduced[d < 0 ? d + rank : d] = true;
  ReductionRef ref;
  for (int64_t d = 0; d < rank; ++d) {
    if (!reduced[d])
      ref.shape.push_back(shape[d]);
    else if (r.keepdim)
      ref.shape.push_back(1);
    if (reduced[d])
      ref.count *= shape[d];
  }
  ref.sum.assign(numelOf(ref.shape), 0.0);
  ref.magnitude.assign(numelOf(ref.shape), 0.0);
  for (size_t i = 0; i < input.size(); ++i) {
    Shape index = unravel(i, shape);
    int64_t offset = 0;
    for (int64_t d = 0; d < rank; ++d)
      if (!reduced[d])
        offset = offset * shape[d] + index[d];
    ref.sum[offset] += input[i];
    ref.magnitude[offset] += std::fabs(input[i]);
  }
  return ref;
}

/// Compiles one function that applies each reduction in `list` to its own
/// argument, calls it with the same input tensor for every argument, and
/// checks each result. Separate arguments keep CSE from merging equivalent
/// spellings (dims {} and {0, 1, 2}) into one value, so each reduction is
/// compiled and checked on its own.
template <typename T>
void checkReductions(const Shape &shape, const std::vector<Reduction> &list,
                     uint64_t seed) {
  SCOPED_TRACE("input " + shapeText(shape) + " " + elementName<T>());
  Tensor x = signedRand<T>(shape, seed);
  std::vector<double> input(x.data<T>(), x.data<T>() + x.numel());
  std::string inputType = tensorType<T>(shape);
  std::vector<ReductionRef> refs;
  FuncText f;
  for (const Reduction &r : list) {
    refs.push_back(reduceRef(input, shape, r));
    std::string type = tensorType<T>(refs.back().shape);
    std::string arg = f.arg(inputType);
    f.ret(f.op(std::string("graft.") + r.op + " " + arg + reductionAttrs(r) +
               " : (" + inputType + ") -> " + type),
          type);
  }
  std::optional<Function> fn = compile(f.str());
  if (!fn)
    return;
  std::vector<Tensor> out =
      run(*fn, std::vector<Tensor>(list.size(), x), list.size());
  if (out.empty())
    return;

  for (size_t i = 0; i < list.size(); ++i) {
    SCOPED_TRACE(reductionText(list[i]));
    const ReductionRef &ref = refs[i];
    bool mean = std::string(list[i].op) == "mean";
    double count = static_cast<double>(ref.count);
    double accumulation = 2 * gamma<double>(ref.count);
    std::vector<double> want, tolerance;
    for (size_t j = 0; j < ref.sum.size(); ++j) {
      double value = mean ? ref.sum[j] / count : ref.sum[j];
      double error =
          accumulation * ref.magnitude[j] +
          (mean ? unitRoundoff<double>() * std::fabs(ref.sum[j]) : 0.0);
      if (mean)
        error /= count;
      want.push_back(value);
      tolerance.push_back(error + unitRoundoff<T>() * std::fabs(value) * 1.01);
    }
    expectWithin<T>(out[i], ref.shape, want, tolerance);
  }
}

/// Rank-3 reductions that drop the reduced dims, or keep them when every dim
/// is reduced: all dims (spelled four ways), each dim, negative dims, pairs,
/// unsorted dims.
std::vector<Reduction> rank3Reductions() {
  std::vector<Reduction> list;
  for (const char *op : {"sum", "mean"}) {
    list.push_back({op, {}, false});
    list.push_back({op, {}, false, /*explicitEmptyDims=*/true});
    list.push_back({op, {0, 1, 2}, false});
    list.push_back({op, {2, 0, -2}, false});
    list.push_back({op, {}, true});
    list.push_back({op, {-1, -2, -3}, true});
    list.push_back({op, {0}, false});
    list.push_back({op, {1}, false});
    list.push_back({op, {2}, false});
    list.push_back({op, {-1}, false});
    list.push_back({op, {-3}, false});
    list.push_back({op, {0, 2}, false});
    list.push_back({op, {2, 0}, false});
    list.push_back({op, {0, -2}, false});
    list.push_back({op, {-1, -2}, false});
  }
  return list;
}

/// Rank-3 reductions with keepdim over some but not all dims.
std::vector<Reduction> rank3KeepdimSubsetReductions() {
  std::vector<Reduction> list;
  for (const char *op : {"sum", "mean"}) {
    list.push_back({op, {0}, true});
    list.push_back({op, {1}, true});
    list.push_back({op, {-1}, true});
    list.push_back({op, {-2}, true});
    list.push_back({op, {2, 0}, true});
    list.push_back({op, {-3, -1}, true});
  }
  return list;
}

// Lengths 7, 33, 1000 and 1009 are not multiples of the vector width or
// the inner tile; size-1 dims on each side. (An innermost 1009 is covered by
// the rank-1 cases; with 30 reductions in one function it costs seconds of
// compile time.)
const Shape kRank3Shapes[] = {
    {2, 3, 4}, {7, 33, 5}, {5, 1, 7}, {1, 1, 1}, {2, 1009, 3}, {1000, 1, 3},
};

TEST(ReductionTest, Rank3F32) {
  uint64_t seed = 600;
  for (const Shape &shape : kRank3Shapes)
    checkReductions<float>(shape, rank3Reductions(), ++seed);
}

TEST(ReductionTest, Rank3F64) {
  uint64_t seed = 700;
  for (const Shape &shape : kRank3Shapes)
    checkReductions<double>(shape, rank3Reductions(), ++seed);
}

// Regression: keepdim = true over some but not all dims once failed to
// compile. Elementwise fusion moves the unit-dim expand_shape into the
// reduction, and graft-vectorize's pattern application then did not
// converge and failed the pass without a diagnostic.
const char *const kKeepdimSubsetReproducer = R"mlir(
func.func @f(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  %a = graft.sum %x {dims = array<i64: 1>, keepdim = true} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  return %a : tensor<2x1x4xf32>
}
)mlir";

TEST(ReductionTest, KeepdimSubsetReproducer) {
  Engine engine;
  Expected<Function> fn = engine.compile(kKeepdimSubsetReproducer);
  EXPECT_TRUE(fn) << fn.error().message();
}

// One function per reduction, so that each failure is reported on its own.
TEST(ReductionTest, Rank3KeepdimSubsetF32) {
  uint64_t seed = 650;
  for (const Shape &shape : kRank3Shapes)
    for (const Reduction &r : rank3KeepdimSubsetReductions())
      checkReductions<float>(shape, {r}, ++seed);
}

TEST(ReductionTest, Rank3KeepdimSubsetF64) {
  uint64_t seed = 750;
  for (const Shape &shape : kRank3Shapes)
    for (const Reduction &r : rank3KeepdimSubsetReductions())
      checkReductions<double>(shape, {r}, ++seed);
}

template <typename T> void checkLowRankReductions() {
  uint64_t seed = 800;
  for (Shape shape :
       {Shape{1}, Shape{7}, Shape{33}, Shape{1000}, Shape{1009}}) {
    std::vector<Reduction> list;
    for (const char *op : {"sum", "mean"}) {
      list.push_back({op, {}, false});
      list.push_back({op, {}, true});
      list.push_back({op, {0}, false});
      list.push_back({op, {-1}, true});
    }
    checkReductions<T>(shape, list, ++seed);
  }
  for (Shape shape : {Shape{33, 7}, Shape{1, 1000}, Shape{1000, 1}}) {
    std::vector<Reduction> list;
    for (const char *op : {"sum", "mean"}) {
      list.push_back({op, {}, false});
      list.push_back({op, {}, true});
      list.push_back({op, {0}, false});
      list.push_back({op, {1}, false});
      list.push_back({op, {-1}, false});
    }
    checkReductions<T>(shape, list, ++seed);
  }
  // A scalar: like PyTorch, dims 0 and -1 are accepted and reduce nothing.
  std::vector<Reduction> scalar;
  for (const char *op : {"sum", "mean"}) {
    scalar.push_back({op, {}, false});
    scalar.push_back({op, {}, true});
    scalar.push_back({op, {0}, false});
    scalar.push_back({op, {-1}, true});
  }
  checkReductions<T>({}, scalar, ++seed);
}

TEST(ReductionTest, LowRankF32) { checkLowRankReductions<float>(); }
TEST(ReductionTest, LowRankF64) { checkLowRankReductions<double>(); }

//===----------------------------------------------------------------------===//
// Creation ops
//===----------------------------------------------------------------------===//

template <typename T> void checkRand() {
  SCOPED_TRACE(elementName<T>());
  struct Case {
    Shape shape;
    int64_t seed;
  };
  // Seeds beyond 32 bits and negative ones go through as uint64, as the
  // attribute is passed to fillRand.
  const std::vector<Case> cases = {
      {{}, 0},
      {{1}, 1},
      {{7}, 42},
      {{33}, 7},
      {{1000}, 1234},
      {{3, 3}, 0},
      {{2, 3, 4}, 5},
      {{5}, 7},
      {{10}, 7}, // starts with the 5 values above
      {{64, 33}, 4294967301LL},
      {{9}, -1},
  };
  FuncText f;
  for (const Case &c : cases) {
    std::string type = tensorType<T>(c.shape);
    f.ret(f.op("graft.rand {seed = " + std::to_string(c.seed) +
               " : i64} : " + type),
          type);
  }
  std::optional<Function> fn = compile(f.str());
  if (!fn)
    return;
  std::vector<Tensor> out = run(*fn, {}, cases.size());
  if (out.empty())
    return;
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("rand " + shapeText(cases[i].shape) + " seed " +
                 std::to_string(cases[i].seed));
    std::vector<T> want(numelOf(cases[i].shape));
    fillRand(want.data(), want.size(), static_cast<uint64_t>(cases[i].seed));
    expectBitExact(out[i], cases[i].shape, want);
  }
}

TEST(CreationTest, RandMatchesFillRandF32) { checkRand<float>(); }
TEST(CreationTest, RandMatchesFillRandF64) { checkRand<double>(); }

TEST(CreationTest, Full) {
  struct Case {
    Shape shape;
    std::string attr; // the value attribute as written
    DType dtype;      // result dtype
    double want;      // the expected element, exact in the result dtype
  };
  // 0.1 rounded to f32, then widened.
  const double f32Tenth = static_cast<float>(0.1);
  const std::vector<Case> cases = {
      {{}, "0.0 : f32", DType::F32, 0.0},
      {{1}, "1.0 : f32", DType::F32, 1.0},
      {{7, 33}, "-2.5 : f32", DType::F32, -2.5},
      {{1000}, "0.1 : f32", DType::F32, f32Tenth},
      {{3, 1, 4}, "1.0e30 : f32", DType::F32, static_cast<float>(1.0e30)},
      {{7}, "0.1 : f64", DType::F32, f32Tenth},
      {{}, "-0.0 : f64", DType::F64, -0.0},
      {{33}, "0.1 : f64", DType::F64, 0.1},
      {{2, 1009}, "3.0e-300 : f64", DType::F64, 3.0e-300},
      {{5}, "0.1 : f32", DType::F64, f32Tenth},
  };
  FuncText f;
  for (const Case &c : cases) {
    std::string type = c.dtype == DType::F32 ? tensorType<float>(c.shape)
                                             : tensorType<double>(c.shape);
    f.ret(f.op("graft.full {value = " + c.attr + "} : " + type), type);
  }
  std::optional<Function> fn = compile(f.str());
  if (!fn)
    return;
  std::vector<Tensor> out = run(*fn, {}, cases.size());
  if (out.empty())
    return;
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case &c = cases[i];
    SCOPED_TRACE("full " + shapeText(c.shape) + " value " + c.attr);
    int64_t n = numelOf(c.shape);
    if (c.dtype == DType::F32)
      expectBitExact(out[i], c.shape,
                     std::vector<float>(n, static_cast<float>(c.want)));
    else
      expectBitExact(out[i], c.shape, std::vector<double>(n, c.want));
  }
}

template <typename T> void checkEye() {
  SCOPED_TRACE(elementName<T>());
  const std::vector<Shape> shapes = {{1, 1},   {3, 3},      {2, 5},   {7, 3},
                                     {1, 7},   {33, 1},     {33, 33}, {64, 100},
                                     {100, 7}, {1000, 1000}};
  FuncText f;
  for (const Shape &shape : shapes) {
    std::string type = tensorType<T>(shape);
    f.ret(f.op("graft.eye : " + type), type);
  }
  std::optional<Function> fn = compile(f.str());
  if (!fn)
    return;
  std::vector<Tensor> out = run(*fn, {}, shapes.size());
  if (out.empty())
    return;
  for (size_t i = 0; i < shapes.size(); ++i) {
    SCOPED_TRACE("eye " + shapeText(shapes[i]));
    std::vector<T> want;
    for (int64_t r = 0; r < shapes[i][0]; ++r)
      for (int64_t c = 0; c < shapes[i][1]; ++c)
        want.push_back(r == c ? T(1) : T(0));
    expectBitExact(out[i], shapes[i], want);
  }
}

TEST(CreationTest, EyeF32) { checkEye<float>(); }
TEST(CreationTest, EyeF64) { checkEye<double>(); }

/// `dense<...>` text for `values` laid out in `shape`, with enough digits
/// to round-trip (9 for f32, 17 for f64).
template <typename T>
std::string denseText(const std::vector<T> &values, const Shape &shape) {
  std::ostringstream os;
  os.precision(std::numeric_limits<T>::max_digits10);
  size_t next = 0;
  auto emit = [&](auto &&self, size_t dim) -> void {
    if (dim == shape.size()) {
      os << static_cast<double>(values[next++]);
      return;
    }
    os << "[";
    for (int64_t i = 0; i < shape[dim]; ++i) {
      if (i)
        os << ", ";
      self(self, dim + 1);
    }
    os << "]";
  };
  os << "dense<";
  emit(emit, 0);
  os << ">";
  return os.str();
}

template <typename T> void checkConstant() {
  SCOPED_TRACE(elementName<T>());
  const std::vector<Shape> shapes = {{}, {1}, {3}, {2, 3}, {7, 33}, {2, 1, 5}};
  std::vector<std::vector<T>> values;
  FuncText f;
  uint64_t seed = 900;
  for (const Shape &shape : shapes) {
    Tensor t = signedRand<T>(shape, ++seed);
    values.emplace_back(t.data<T>(), t.data<T>() + t.numel());
    std::string type = tensorType<T>(shape);
    f.ret(f.op("graft.constant " + denseText(values.back(), shape) + " : " +
               type),
          type);
  }
  // A splat, and a constant feeding an op.
  Shape splatShape = {3, 5};
  std::string splatType = tensorType<T>(splatShape);
  std::string splat = f.op("graft.constant dense<4.0> : " + splatType);
  f.ret(splat, splatType);
  Shape argShape = {4, 3};
  std::string argType = tensorType<T>(argShape);
  std::string x = f.arg(argType);
  std::string row =
      f.op("graft.constant dense<[0.5, -1.25, 3.0]> : " + tensorType<T>({3}));
  f.ret(f.op(binaryOp("add", x, argType, row, tensorType<T>({3}), argType)),
        argType);

  std::optional<Function> fn = compile(f.str());
  if (!fn)
    return;
  Tensor input = signedRand<T>(argShape, 999);
  std::vector<Tensor> out = run(*fn, {input}, shapes.size() + 2);
  if (out.empty())
    return;
  for (size_t i = 0; i < shapes.size(); ++i) {
    SCOPED_TRACE("constant " + shapeText(shapes[i]));
    expectBitExact(out[i], shapes[i], values[i]);
  }
  {
    SCOPED_TRACE("splat");
    expectBitExact(out[shapes.size()], splatShape, std::vector<T>(15, T(4)));
  }
  {
    SCOPED_TRACE("x + constant");
    const T rowValues[] = {T(0.5), T(-1.25), T(3)};
    std::vector<T> want;
    for (int64_t i = 0; i < 4; ++i)
      for (int64_t j = 0; j < 3; ++j)
        want.push_back(input.at<T>({i, j}) + rowValues[j]);
    expectBitExact(out[shapes.size() + 1], argShape, want);
  }
}

TEST(CreationTest, ConstantF32) { checkConstant<float>(); }
TEST(CreationTest, ConstantF64) { checkConstant<double>(); }

//===----------------------------------------------------------------------===//
// Results that are not fresh op results
//===----------------------------------------------------------------------===//

/// Returning an argument next to a computed value: the argument must be
/// copied into its output buffer.
TEST(ResultsTest, ReturnsArgument) {
  Shape shape = {7, 33};
  std::string type = tensorType<float>(shape);
  FuncText f;
  std::string x = f.arg(type), y = f.arg(type);
  f.ret(x, type);
  f.ret(f.op(binaryOp("add", x, type, y, type, type)), type);
  std::optional<Function> fn = compile(f.str());
  if (!fn)
    return;
  Tensor a = signedRand<float>(shape, 11), b = signedRand<float>(shape, 12);
  std::vector<Tensor> out = run(*fn, {a, b}, 2);
  if (out.empty())
    return;
  std::vector<float> want(a.data<float>(), a.data<float>() + a.numel());
  {
    SCOPED_TRACE("returned argument");
    expectBitExact(out[0], shape, want);
  }
  for (int64_t i = 0; i < a.numel(); ++i)
    want[i] = a.data<float>()[i] + b.data<float>()[i];
  {
    SCOPED_TRACE("sum");
    expectBitExact(out[1], shape, want);
  }
}

// One value returned twice needs two distinct output buffers. This crashed
// buffer-results-to-out-params with hoist-static-allocs (upstream MLIR 22
// crashes on `return %alloc, %alloc`) until graft-distinct-result-buffers;
// CSE creates the same situation from two equal ops.
TEST(ResultsTest, SameValueTwice) {
  Shape shape = {4};
  std::string type = tensorType<float>(shape);
  FuncText f;
  std::string x = f.arg(type), y = f.arg(type);
  std::string sum = f.op(binaryOp("add", x, type, y, type, type));
  f.ret(sum, type);
  f.ret(sum, type);
  std::optional<Function> fn = compile(f.str());
  if (!fn)
    return;
  Tensor a = signedRand<float>(shape, 13), b = signedRand<float>(shape, 14);
  std::vector<Tensor> out = run(*fn, {a, b}, 2);
  if (out.empty())
    return;
  std::vector<float> want;
  for (int64_t i = 0; i < 4; ++i)
    want.push_back(a.data<float>()[i] + b.data<float>()[i]);
  for (int copy = 0; copy < 2; ++copy) {
    SCOPED_TRACE("copy " + std::to_string(copy));
    expectBitExact(out[copy], shape, want);
  }
}

} // namespace
