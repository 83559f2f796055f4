//===- TargetTest.cpp - The host's target description ---------------------===//

#include "graft/Codegen/Target.h"

#include <gtest/gtest.h>

using namespace mlir::graft;

namespace {

// The cache sizes come from sysfs ("32K", "32768K") or sysconf: a unit read
// wrongly would break their order (an L3 of 32768 bytes, below the L2).
TEST(TargetTest, HostCacheSizesAreOrdered) {
  TargetDescription host = TargetDescription::host();
  EXPECT_GE(host.l1Bytes, 4 * 1024);
  EXPECT_GE(host.l2Bytes, host.l1Bytes);
  EXPECT_GE(host.l3Bytes, host.l2Bytes);
  EXPECT_GE(host.cores, 1u);
}

// CPUID in a virtual machine may report the L3 of a whole EPYC package (508
// MiB); tile and streaming decisions assume what one core can use.
TEST(TargetTest, HostL3IsWhatOneCoreCanUse) {
  EXPECT_LE(TargetDescription::host().l3Bytes, 32 * 1024 * 1024);
}

// The matmul cache tile keeps its K x N rhs block in half of L2.
TEST(TargetTest, MatmulCacheTileFitsHalfOfL2) {
  TargetDescription target = TargetDescription::hostWithVectorBits(256);
  llvm::SmallVector<int64_t, 3> tile = target.matmulCacheTile(32);
  EXPECT_LE(tile[1] * tile[2] * 4, target.l2Bytes / 2);
  EXPECT_EQ(tile[0] % target.matmulRegisterTile(32)[0], 0);
}

} // namespace
