//===- FormatTest.cpp - Tests for PyTorch-style printing ------------------===//
//
// This file checks formatTensor against repr() output of PyTorch 1.13.1
// (Debian python3-torch) for the same values: fixed, integer and scientific
// notation, alignment, line wrapping, summarization, non-finite values,
// empty tensors and dtype suffixes.
//
//===----------------------------------------------------------------------===//

#include "graft/Runtime/Format.h"
#include "graft/Runtime/Tensor.h"

#include "gtest/gtest.h"

#include <cmath>
#include <sstream>
#include <vector>

using namespace graft;

namespace {

// torch.arange(start, start + numel).reshape(shape) as int64.
Tensor iota(std::vector<int64_t> shape, int64_t start) {
  Tensor t = Tensor::empty(shape, DType::I64);
  for (int64_t i = 0; i < t.numel(); ++i)
    t.data<int64_t>()[i] = start + i;
  return t;
}

TEST(FormatTest, Shape) {
  EXPECT_EQ(formatShape({3, 3}), "torch.Size([3, 3])");
  EXPECT_EQ(formatShape({}), "torch.Size([])");
  EXPECT_EQ(formatShape({1000}), "torch.Size([1000])");
}

TEST(FormatTest, StreamOperator) {
  std::ostringstream os;
  os << Tensor::eye(2);
  EXPECT_EQ(os.str(), "tensor([[1., 0.],\n        [0., 1.]])");
}

TEST(FormatTest, Invalid) {
  EXPECT_EQ(formatTensor(Tensor()), "tensor(<invalid>)");
}

TEST(FormatTest, View) {
  double data[] = {1.5, 2.25};
  EXPECT_EQ(formatTensor(Tensor::view(data, {2}, DType::F64)),
            "tensor([1.5000, 2.2500], dtype=torch.float64)");
}

// The cases below were generated from PyTorch's repr() of the same values.

TEST(FormatTest, Eye3) {
  EXPECT_EQ(formatTensor(Tensor::eye(3)),
            R"T(tensor([[1., 0., 0.],
        [0., 1., 0.],
        [0., 0., 1.]]))T");
}

TEST(FormatTest, Scalar) {
  EXPECT_EQ(formatTensor(Tensor::full({}, 124.9128)), R"T(tensor(124.9128))T");
}

TEST(FormatTest, IntegralScalar) {
  EXPECT_EQ(formatTensor(Tensor::full({}, 5.0)), R"T(tensor(5.))T");
}

TEST(FormatTest, Rand3x3) {
  EXPECT_EQ(formatTensor(Tensor::rand({3, 3}, 0)),
            R"T(tensor([[0.4963, 0.7682, 0.0885],
        [0.1320, 0.3074, 0.6341],
        [0.4901, 0.8964, 0.4556]]))T");
}

TEST(FormatTest, Rand1000x1000Summarized) {
  EXPECT_EQ(formatTensor(Tensor::rand({1000, 1000}, 0)),
            R"T(tensor([[0.4963, 0.7682, 0.0885,  ..., 0.3392, 0.5018, 0.4039],
        [0.4575, 0.1101, 0.4969,  ..., 0.5196, 0.3481, 0.8767],
        [0.7773, 0.5896, 0.5763,  ..., 0.2716, 0.3017, 0.0812],
        ...,
        [0.3862, 0.1718, 0.0315,  ..., 0.1669, 0.1203, 0.3606],
        [0.0594, 0.3994, 0.3806,  ..., 0.8125, 0.4380, 0.7187],
        [0.5293, 0.9884, 0.9472,  ..., 0.6331, 0.9980, 0.5057]]))T");
}

TEST(FormatTest, Rand2000Summarized) {
  EXPECT_EQ(
      formatTensor(Tensor::rand({2000}, 0)),
      R"T(tensor([0.4963, 0.7682, 0.0885,  ..., 0.5196, 0.3481, 0.8767]))T");
}

TEST(FormatTest, Rand3dSummarized) {
  EXPECT_EQ(formatTensor(Tensor::rand({8, 2, 70}, 0)),
            R"T(tensor([[[0.4963, 0.7682, 0.0885,  ..., 0.6159, 0.8102, 0.9801],
         [0.1147, 0.3168, 0.6965,  ..., 0.4569, 0.6012, 0.8179]],

        [[0.9736, 0.8175, 0.9747,  ..., 0.9217, 0.6808, 0.5633],
         [0.4963, 0.4012, 0.5627,  ..., 0.1753, 0.4431, 0.6432]],

        [[0.5159, 0.1636, 0.0958,  ..., 0.7726, 0.1866, 0.6434],
         [0.3247, 0.8907, 0.4100,  ..., 0.4035, 0.5479, 0.9624]],

        ...,

        [[0.2660, 0.6741, 0.0528,  ..., 0.9338, 0.1164, 0.3539],
         [0.6640, 0.0620, 0.7741,  ..., 0.2998, 0.3309, 0.6308]],

        [[0.4096, 0.8267, 0.5283,  ..., 0.3144, 0.4439, 0.2298],
         [0.7556, 0.6755, 0.5807,  ..., 0.9410, 0.0025, 0.7708]],

        [[0.3548, 0.0104, 0.6110,  ..., 0.7087, 0.0183, 0.8162],
         [0.4058, 0.2790, 0.8175,  ..., 0.1398, 0.0620, 0.3074]]]))T");
}

TEST(FormatTest, Rand3d) {
  EXPECT_EQ(formatTensor(Tensor::rand({2, 3, 4}, 0)),
            R"T(tensor([[[0.4963, 0.7682, 0.0885, 0.1320],
         [0.3074, 0.6341, 0.4901, 0.8964],
         [0.4556, 0.6323, 0.3489, 0.4017]],

        [[0.0223, 0.1689, 0.2939, 0.5185],
         [0.6977, 0.8000, 0.1610, 0.2823],
         [0.6816, 0.9152, 0.3971, 0.8742]]]))T");
}

TEST(FormatTest, LineWrap) {
  EXPECT_EQ(
      formatTensor(Tensor::rand({30}, 0)),
      R"T(tensor([0.4963, 0.7682, 0.0885, 0.1320, 0.3074, 0.6341, 0.4901, 0.8964, 0.4556,
        0.6323, 0.3489, 0.4017, 0.0223, 0.1689, 0.2939, 0.5185, 0.6977, 0.8000,
        0.1610, 0.2823, 0.6816, 0.9152, 0.3971, 0.8742, 0.4194, 0.5529, 0.9527,
        0.0362, 0.1852, 0.3734]))T");
}

TEST(FormatTest, Negative) {
  EXPECT_EQ(
      formatTensor(Tensor::fromData(std::vector<float>{-1.5f, 2.0f}, {2})),
      R"T(tensor([-1.5000,  2.0000]))T");
}

TEST(FormatTest, SciModeLarge) {
  EXPECT_EQ(
      formatTensor(Tensor::fromData(std::vector<float>{1e10f, 1.0f}, {2})),
      R"T(tensor([1.0000e+10, 1.0000e+00]))T");
}

TEST(FormatTest, SciModeSmall) {
  EXPECT_EQ(
      formatTensor(Tensor::fromData(std::vector<float>{1e-5f, 1.0f}, {2})),
      R"T(tensor([1.0000e-05, 1.0000e+00]))T");
}

TEST(FormatTest, SciModeIntegralRatio) {
  EXPECT_EQ(
      formatTensor(Tensor::fromData(std::vector<float>{1000000.0f, 2.0f}, {2})),
      R"T(tensor([1.0000e+06, 2.0000e+00]))T");
}

TEST(FormatTest, SciModeAboveOneE8) {
  EXPECT_EQ(formatTensor(
                Tensor::fromData(std::vector<float>{123456789.0f, 1.0f}, {2})),
            R"T(tensor([1.2346e+08, 1.0000e+00]))T");
}

TEST(FormatTest, SciModeNegativePadding) {
  EXPECT_EQ(formatTensor(Tensor::fromData(
                std::vector<float>{1., -2., 3., 4000.}, {2, 2})),
            R"T(tensor([[ 1.0000e+00, -2.0000e+00],
        [ 3.0000e+00,  4.0000e+03]]))T");
}

TEST(FormatTest, SciModeSignedColumn) {
  EXPECT_EQ(
      formatTensor(Tensor::fromData(std::vector<float>{1e20f, -3.0f}, {2})),
      R"T(tensor([ 1.0000e+20, -3.0000e+00]))T");
}

TEST(FormatTest, SciModeF64) {
  EXPECT_EQ(formatTensor(
                Tensor::fromData(std::vector<double>{1e-8, 2.5, 3, 4}, {2, 2})),
            R"T(tensor([[1.0000e-08, 2.5000e+00],
        [3.0000e+00, 4.0000e+00]], dtype=torch.float64))T");
}

TEST(FormatTest, NonFinite) {
  EXPECT_EQ(formatTensor(Tensor::fromData(
                std::vector<float>{1, 2, NAN, INFINITY, -INFINITY}, {5})),
            R"T(tensor([1., 2., nan, inf, -inf]))T");
}

TEST(FormatTest, NanPadding) {
  EXPECT_EQ(formatTensor(Tensor::fromData(std::vector<float>{0.5f, NAN}, {2})),
            R"T(tensor([0.5000,    nan]))T");
}

TEST(FormatTest, NanF64) {
  EXPECT_EQ(formatTensor(Tensor::fromData(std::vector<double>{1, NAN}, {2})),
            R"T(tensor([1., nan], dtype=torch.float64))T");
}

TEST(FormatTest, NanScalar) {
  EXPECT_EQ(formatTensor(Tensor::full({}, NAN)), R"T(tensor(nan))T");
}

TEST(FormatTest, SignedZero) {
  EXPECT_EQ(
      formatTensor(Tensor::fromData(std::vector<float>{-0.0f, 0.0f}, {2})),
      R"T(tensor([-0., 0.]))T");
}

TEST(FormatTest, Zeros) {
  EXPECT_EQ(formatTensor(Tensor::zeros({2, 3})),
            R"T(tensor([[0., 0., 0.],
        [0., 0., 0.]]))T");
}

TEST(FormatTest, EmptyVector) {
  EXPECT_EQ(formatTensor(Tensor::zeros({0})), R"T(tensor([]))T");
}

TEST(FormatTest, EmptyMatrix) {
  EXPECT_EQ(formatTensor(Tensor::zeros({0, 3})),
            R"T(tensor([], size=(0, 3)))T");
}

TEST(FormatTest, EmptyF64) {
  EXPECT_EQ(formatTensor(Tensor::zeros({0, 3}, DType::F64)),
            R"T(tensor([], size=(0, 3), dtype=torch.float64))T");
}

TEST(FormatTest, EmptyI64) {
  EXPECT_EQ(formatTensor(Tensor::zeros({0}, DType::I64)),
            R"T(tensor([], dtype=torch.int64))T");
}

TEST(FormatTest, EmptyI64Rank3) {
  EXPECT_EQ(formatTensor(Tensor::zeros({2, 0, 3}, DType::I64)),
            R"T(tensor([], size=(2, 0, 3), dtype=torch.int64))T");
}

TEST(FormatTest, Int3d) {
  EXPECT_EQ(formatTensor(iota({2, 2, 3}, 0)),
            R"T(tensor([[[ 0,  1,  2],
         [ 3,  4,  5]],

        [[ 6,  7,  8],
         [ 9, 10, 11]]]))T");
}

TEST(FormatTest, IntNegative) {
  EXPECT_EQ(formatTensor(iota({5, 7}, -5)),
            R"T(tensor([[-5, -4, -3, -2, -1,  0,  1],
        [ 2,  3,  4,  5,  6,  7,  8],
        [ 9, 10, 11, 12, 13, 14, 15],
        [16, 17, 18, 19, 20, 21, 22],
        [23, 24, 25, 26, 27, 28, 29]]))T");
}

TEST(FormatTest, IntSummarized) {
  EXPECT_EQ(formatTensor(iota({10, 200}, 0)),
            R"T(tensor([[   0,    1,    2,  ...,  197,  198,  199],
        [ 200,  201,  202,  ...,  397,  398,  399],
        [ 400,  401,  402,  ...,  597,  598,  599],
        ...,
        [1400, 1401, 1402,  ..., 1597, 1598, 1599],
        [1600, 1601, 1602,  ..., 1797, 1798, 1799],
        [1800, 1801, 1802,  ..., 1997, 1998, 1999]]))T");
}

TEST(FormatTest, IntScalar) {
  EXPECT_EQ(formatTensor(Tensor::full({}, -7, DType::I64)), R"T(tensor(-7))T");
}

TEST(FormatTest, OnesF64) {
  EXPECT_EQ(formatTensor(Tensor::ones({2, 3}, DType::F64)),
            R"T(tensor([[1., 1., 1.],
        [1., 1., 1.]], dtype=torch.float64))T");
}

TEST(FormatTest, ScalarF64) {
  EXPECT_EQ(formatTensor(Tensor::full({}, 3.0, DType::F64)),
            R"T(tensor(3., dtype=torch.float64))T");
}

TEST(FormatTest, RandF64) {
  EXPECT_EQ(formatTensor(Tensor::rand({4, 4}, 0, DType::F64)),
            R"T(tensor([[0.9701, 0.7078, 0.4594, 0.9207],
        [0.6450, 0.7911, 0.1786, 0.3511],
        [0.5813, 0.2882, 0.4529, 0.1768],
        [0.3553, 0.6219, 0.4818, 0.4408]], dtype=torch.float64))T");
}

TEST(FormatTest, SuffixWrapsAfterMatrix) {
  EXPECT_EQ(
      formatTensor(Tensor::rand({2, 8}, 0, DType::F64)),
      R"T(tensor([[0.9701, 0.7078, 0.4594, 0.9207, 0.6450, 0.7911, 0.1786, 0.3511],
        [0.5813, 0.2882, 0.4529, 0.1768, 0.3553, 0.6219, 0.4818, 0.4408]],
       dtype=torch.float64))T");
}

TEST(FormatTest, SuffixWrapsAfterVector) {
  EXPECT_EQ(
      formatTensor(Tensor::rand({9}, 0, DType::F64)),
      R"T(tensor([0.9701, 0.7078, 0.4594, 0.9207, 0.6450, 0.7911, 0.1786, 0.3511, 0.5813],
       dtype=torch.float64))T");
}

TEST(FormatTest, SuffixFitsAfterWrappedVector) {
  EXPECT_EQ(
      formatTensor(Tensor::rand({10}, 0, DType::F64)),
      R"T(tensor([0.9701, 0.7078, 0.4594, 0.9207, 0.6450, 0.7911, 0.1786, 0.3511, 0.5813,
        0.2882], dtype=torch.float64))T");
}

TEST(FormatTest, MixedMagnitudes) {
  EXPECT_EQ(formatTensor(Tensor::fromData(
                std::vector<float>{0.1f, 20.0f, 300.0f}, {1, 3})),
            R"T(tensor([[1.0000e-01, 2.0000e+01, 3.0000e+02]]))T");
}

} // namespace
