//===- ErrorTest.cpp - Tests for graft::Error and graft::Expected ---------===//
//
// This file tests the exception-free error values of the host API.
//
//===----------------------------------------------------------------------===//

#include "graft/Runtime/Error.h"

#include "gtest/gtest.h"

#include <memory>
#include <string>

using namespace graft;

namespace {

TEST(ErrorTest, SuccessIsFalsy) {
  Error err = Error::success();
  EXPECT_FALSE(err);
  EXPECT_EQ(err.message(), "");
}

TEST(ErrorTest, FailureCarriesMessage) {
  Error err("x.npy: bad magic");
  EXPECT_TRUE(err);
  EXPECT_EQ(err.message(), "x.npy: bad magic");
  Error copy = err;
  EXPECT_TRUE(copy);
  EXPECT_EQ(copy.message(), err.message());
}

Expected<int> half(int x) {
  if (x % 2)
    return Error(std::to_string(x) + " is odd");
  return x / 2;
}

TEST(ExpectedTest, HoldsValueOrError) {
  Expected<int> ok = half(8);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 4);
  EXPECT_FALSE(ok.error());

  Expected<int> bad = half(3);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(), "3 is odd");
}

TEST(ExpectedTest, ArrowAndTake) {
  Expected<std::string> s(std::string("hello"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->size(), 5u);
  *s += "!";
  EXPECT_EQ(s.take(), "hello!");
}

TEST(ExpectedTest, MoveOnlyValue) {
  Expected<std::unique_ptr<int>> p(std::make_unique<int>(7));
  ASSERT_TRUE(p);
  std::unique_ptr<int> owned = p.take();
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(*owned, 7);
}

TEST(ErrorDeathTest, ReportFatalErrorAborts) {
  EXPECT_DEATH(reportFatalError("boom"), "graft: fatal error: boom");
}

} // namespace
