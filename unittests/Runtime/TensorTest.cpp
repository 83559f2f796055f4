//===- TensorTest.cpp - Tests for graft::Tensor ---------------------------===//
//
// This file tests tensor construction, ownership, shape validation and
// element access.
//
//===----------------------------------------------------------------------===//

#include "graft/Runtime/Tensor.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <limits>
#include <vector>

using namespace graft;

namespace {

TEST(TensorTest, DTypeBasics) {
  EXPECT_EQ(dtypeSize(DType::F32), 4u);
  EXPECT_EQ(dtypeSize(DType::F64), 8u);
  EXPECT_EQ(dtypeSize(DType::I64), 8u);
  EXPECT_STREQ(dtypeName(DType::F32), "f32");
  EXPECT_STREQ(dtypeName(DType::F64), "f64");
  EXPECT_STREQ(dtypeName(DType::I64), "i64");
  EXPECT_EQ(DTypeOf<float>::value, DType::F32);
  EXPECT_EQ(DTypeOf<double>::value, DType::F64);
  EXPECT_EQ(DTypeOf<int64_t>::value, DType::I64);
}

TEST(TensorTest, DefaultIsInvalid) {
  Tensor t;
  EXPECT_FALSE(t.valid());
  EXPECT_EQ(t.data(), nullptr);
  EXPECT_EQ(t.numel(), 0);
  EXPECT_EQ(t.rank(), 0);
  EXPECT_TRUE(t.shape().empty());
  EXPECT_EQ(t.nbytes(), 0u);
  EXPECT_FALSE(t.isView());
  EXPECT_FALSE(t.clone().valid());
}

TEST(TensorTest, EmptyIsZeroedAndAligned) {
  Tensor t = Tensor::empty({3, 5}, DType::F64);
  ASSERT_TRUE(t.valid());
  EXPECT_EQ(t.shape(), (std::vector<int64_t>{3, 5}));
  EXPECT_EQ(t.rank(), 2);
  EXPECT_EQ(t.numel(), 15);
  EXPECT_EQ(t.dtype(), DType::F64);
  EXPECT_EQ(t.nbytes(), 120u);
  EXPECT_FALSE(t.isView());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data()) % 64, 0u);
  for (int64_t i = 0; i < t.numel(); ++i)
    EXPECT_EQ(t.data<double>()[i], 0.0);
}

TEST(TensorTest, EmptyWithZeroElementsHasBuffer) {
  Tensor t = Tensor::empty({0, 3});
  EXPECT_TRUE(t.valid());
  EXPECT_EQ(t.numel(), 0);
  EXPECT_EQ(t.nbytes(), 0u);
  EXPECT_NE(t.data(), nullptr);
}

TEST(TensorTest, ScalarHasOneElement) {
  Tensor t = Tensor::full({}, 2.5);
  EXPECT_EQ(t.rank(), 0);
  EXPECT_EQ(t.numel(), 1);
  EXPECT_EQ(t.at({}), 2.5);
}

TEST(TensorTest, CopiesShareTheBuffer) {
  Tensor a = Tensor::zeros({2, 2});
  Tensor b = a;
  EXPECT_EQ(a.data(), b.data());
  b.at<float>({1, 0}) = 3.0f;
  EXPECT_EQ(a.at({1, 0}), 3.0);
  // The buffer outlives the original handle.
  a = Tensor();
  EXPECT_EQ(b.at({1, 0}), 3.0);
}

TEST(TensorTest, CloneIsDeep) {
  Tensor a = Tensor::ones({4}, DType::I64);
  Tensor c = a.clone();
  EXPECT_NE(a.data(), c.data());
  c.at<int64_t>({2}) = 9;
  EXPECT_EQ(a.at({2}), 1.0);
  EXPECT_EQ(c.at({2}), 9.0);
  EXPECT_EQ(c.shape(), a.shape());
  EXPECT_EQ(c.dtype(), DType::I64);
}

TEST(TensorTest, ViewDoesNotOwn) {
  std::vector<double> storage = {1, 2, 3, 4, 5, 6};
  {
    Tensor v = Tensor::view(storage.data(), {2, 3}, DType::F64);
    EXPECT_TRUE(v.isView());
    EXPECT_EQ(v.data(), storage.data());
    EXPECT_EQ(v.at({1, 2}), 6.0);
    v.at<double>({0, 1}) = 20;
    Tensor copy = v;
    EXPECT_TRUE(copy.isView());
  }
  // Destroying the views left the caller's memory alone.
  EXPECT_EQ(storage[1], 20.0);
  EXPECT_EQ(storage[5], 6.0);
}

TEST(TensorTest, Factories) {
  Tensor o = Tensor::ones({2, 3}, DType::F64);
  for (int64_t i = 0; i < 6; ++i)
    EXPECT_EQ(o.data<double>()[i], 1.0);

  Tensor f = Tensor::full({3}, -1.25);
  EXPECT_EQ(f.dtype(), DType::F32);
  EXPECT_EQ(f.at({2}), -1.25);

  // torch.full(..., 2.9, dtype=torch.int64) truncates toward zero.
  Tensor fi = Tensor::full({2}, -2.9, DType::I64);
  EXPECT_EQ(fi.at<int64_t>({1}), -2);

  Tensor z = Tensor::zeros({2}, DType::I64);
  EXPECT_EQ(z.at({0}), 0.0);
}

TEST(TensorTest, Eye) {
  Tensor e = Tensor::eye(3);
  EXPECT_EQ(e.shape(), (std::vector<int64_t>{3, 3}));
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 3; ++j)
      EXPECT_EQ(e.at({i, j}), i == j ? 1.0 : 0.0);

  Tensor r = Tensor::eye(2, 4, DType::I64);
  EXPECT_EQ(r.shape(), (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(r.at({1, 1}), 1.0);
  EXPECT_EQ(r.at({1, 3}), 0.0);

  Tensor tall = Tensor::eye(4, 2, DType::F64);
  EXPECT_EQ(tall.at({1, 1}), 1.0);
  EXPECT_EQ(tall.at({3, 1}), 0.0);

  EXPECT_EQ(Tensor::eye(0).numel(), 0);
}

TEST(TensorTest, FromData) {
  Tensor f = Tensor::fromData(std::vector<float>{1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(f.dtype(), DType::F32);
  EXPECT_EQ(f.at({1, 0}), 4.0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(f.data()) % 64, 0u);

  Tensor d = Tensor::fromData(std::vector<double>{0.5}, {});
  EXPECT_EQ(d.dtype(), DType::F64);
  EXPECT_EQ(d.at({}), 0.5);

  Tensor i = Tensor::fromData(std::vector<int64_t>{7, -8}, {2});
  EXPECT_EQ(i.dtype(), DType::I64);
  EXPECT_EQ(i.at<int64_t>({1}), -8);
  EXPECT_EQ(i.at({1}), -8.0);

  Tensor e = Tensor::fromData(std::vector<float>{}, {0});
  EXPECT_EQ(e.numel(), 0);
}

TEST(TensorTest, AtUsesRowMajorOrder) {
  std::vector<int64_t> values(24);
  for (int64_t i = 0; i < 24; ++i)
    values[i] = i;
  Tensor t = Tensor::fromData(values, {2, 3, 4});
  EXPECT_EQ(t.offsetOf({1, 2, 3}), 23);
  EXPECT_EQ(t.at({1, 0, 2}), 14.0);
  const Tensor &ct = t;
  EXPECT_EQ(ct.at<int64_t>({0, 1, 1}), 5);
}

TEST(TensorTest, CheckedNumel) {
  Expected<int64_t> ok = Tensor::checkedNumel({3, 4, 5});
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 60);

  Expected<int64_t> scalar = Tensor::checkedNumel({});
  ASSERT_TRUE(scalar);
  EXPECT_EQ(*scalar, 1);

  Expected<int64_t> negative = Tensor::checkedNumel({2, -3});
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().message(),
            "invalid shape [2, -3]: dimension 1 is negative (-3)");

  const int64_t big = int64_t(1) << 40;
  Expected<int64_t> overflow = Tensor::checkedNumel({big, big});
  ASSERT_FALSE(overflow);
  EXPECT_NE(overflow.error().message().find("overflows"), std::string::npos);

  // 2^60 elements would fit in int64 but 8-byte elements would not.
  Expected<int64_t> bytes = Tensor::checkedNumel({int64_t(1) << 60});
  ASSERT_FALSE(bytes);

  // A zero dimension makes the product zero even when the rest overflows.
  Expected<int64_t> zero =
      Tensor::checkedNumel({std::numeric_limits<int64_t>::max(), 0,
                            std::numeric_limits<int64_t>::max()});
  ASSERT_TRUE(zero);
  EXPECT_EQ(*zero, 0);

  // ...but a negative dimension is still an error.
  EXPECT_FALSE(Tensor::checkedNumel({0, -1}));
}

TEST(TensorTest, TryEmptyReportsBadShapes) {
  Expected<Tensor> bad = Tensor::tryEmpty({-1});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("negative"), std::string::npos);

  Expected<Tensor> good = Tensor::tryEmpty({2}, DType::I64);
  ASSERT_TRUE(good);
  EXPECT_EQ(good->numel(), 2);
}

TEST(TensorDeathTest, MisuseIsFatal) {
  EXPECT_DEATH(Tensor::empty({2, -1}), "negative");
  EXPECT_DEATH(Tensor::fromData(std::vector<float>{1, 2, 3}, {2, 2}),
               "has 4 elements but the data has 3");
  Tensor t = Tensor::zeros({2, 3});
  EXPECT_DEATH(t.at({2, 0}), "out of range");
  EXPECT_DEATH(t.at({0}), "rank 2");
  EXPECT_DEATH(Tensor::rand({2}, 0, DType::I64), "i64 is not supported");
  EXPECT_DEATH(Tensor::full({1}, 1e30, DType::I64), "not representable");
}

} // namespace
