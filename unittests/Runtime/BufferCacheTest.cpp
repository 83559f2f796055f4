//===- BufferCacheTest.cpp - Reuse of large buffers -----------------------===//

#include "graft/Runtime/BufferCache.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

using namespace graft;

namespace {

TEST(BufferCacheTest, LargeBlocksAreReusedBySize) {
  releaseCachedBuffers();
  constexpr size_t kBytes = 1 << 20;
  void *first = allocateBuffer(kBytes);
  ASSERT_NE(first, nullptr);
  std::memset(first, 1, kBytes);
  freeBuffer(first);
  EXPECT_EQ(cachedBufferBytes(), kBytes);
  // Another size does not take it; the same size does.
  void *other = allocateBuffer(kBytes + 64);
  EXPECT_NE(other, first);
  void *again = allocateBuffer(kBytes);
  EXPECT_EQ(again, first);
  EXPECT_EQ(cachedBufferBytes(), 0u);
  freeBuffer(other);
  freeBuffer(again);
  releaseCachedBuffers();
  EXPECT_EQ(cachedBufferBytes(), 0u);
}

// Blocks of 2 MiB or more are allocated in whole huge pages: an odd size
// still gets an aligned payload that can be written to its last byte, and
// is reused by size like any other.
TEST(BufferCacheTest, HugePageBlocksAreAlignedAndReused) {
  releaseCachedBuffers();
  constexpr size_t kBytes = (size_t(5) << 20) + 8;
  void *first = allocateBuffer(kBytes);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(first) % 64, 0u);
  std::memset(first, 7, kBytes);
  uint64_t damaged = damagedBufferCount();
  freeBuffer(first);
  EXPECT_EQ(damagedBufferCount(), damaged);
  EXPECT_EQ(cachedBufferBytes(), kBytes);
  EXPECT_EQ(allocateBuffer(kBytes), first);
  freeBuffer(first);
  releaseCachedBuffers();
}

TEST(BufferCacheTest, SmallBlocksAndNullAreNotCached) {
  releaseCachedBuffers();
  void *small = allocateBuffer(128);
  ASSERT_NE(small, nullptr);
  freeBuffer(small);
  freeBuffer(nullptr);
  EXPECT_EQ(cachedBufferBytes(), 0u);
}

TEST(BufferCacheTest, CachedMemoryIsBounded) {
  releaseCachedBuffers();
  // Three 200 MiB blocks (never touched, so never backed by pages): only
  // two fit in the 512 MiB the cache may hold; the oldest makes room.
  constexpr size_t kBytes = size_t(200) << 20;
  std::vector<void *> blocks;
  for (int i = 0; i < 3; ++i) {
    blocks.push_back(allocateBuffer(kBytes));
    ASSERT_NE(blocks.back(), nullptr);
  }
  for (void *block : blocks)
    freeBuffer(block);
  EXPECT_EQ(cachedBufferBytes(), 2 * kBytes);
  releaseCachedBuffers();
}

TEST(BufferCacheTest, OldestBlocksMakeRoom) {
  releaseCachedBuffers();
  // Two 200 MiB blocks fill the cache (untouched pages cost nothing); a
  // 300 MiB block freed later evicts the older 200 MiB one only as far as
  // needed: 200 + 300 fit in 512 MiB.
  constexpr size_t kMiB = size_t(1) << 20;
  void *first = allocateBuffer(200 * kMiB);
  void *second = allocateBuffer(200 * kMiB);
  void *third = allocateBuffer(300 * kMiB);
  ASSERT_TRUE(first && second && third);
  freeBuffer(first);
  freeBuffer(second);
  EXPECT_EQ(cachedBufferBytes(), 400 * kMiB);
  freeBuffer(third);
  EXPECT_EQ(cachedBufferBytes(), 500 * kMiB);
  // The cached 300 MiB block is the one a 300 MiB request gets.
  void *again = allocateBuffer(300 * kMiB);
  EXPECT_EQ(again, third);
  EXPECT_EQ(cachedBufferBytes(), 200 * kMiB);
  freeBuffer(again);
  releaseCachedBuffers();
  EXPECT_EQ(cachedBufferBytes(), 0u);
}

TEST(BufferCacheTest, WritesOutOfBoundsAreCounted) {
  releaseCachedBuffers();
  // The canaries just past the end and just before the start of a block;
  // the block itself may be written freely.
  // 100 bytes (malloc's), 1 MiB (cached) and 3 MiB (in huge pages).
  for (size_t bytes : {size_t(100), size_t(1) << 20, size_t(3) << 20}) {
    for (ptrdiff_t offset : {ptrdiff_t(bytes), ptrdiff_t(-1)}) {
      uint64_t before = damagedBufferCount();
      auto *block = static_cast<unsigned char *>(allocateBuffer(bytes));
      ASSERT_NE(block, nullptr);
      std::memset(block, 0xFF, bytes);
      freeBuffer(allocateBuffer(bytes)); // an intact block of the same size
      EXPECT_EQ(damagedBufferCount(), before);
      block[offset] ^= 1;
      freeBuffer(block);
      EXPECT_EQ(damagedBufferCount(), before + 1)
          << bytes << " bytes, offset " << offset;
    }
  }
  // A damaged block is not kept for reuse; the intact ones are.
  EXPECT_EQ(cachedBufferBytes(), (size_t(1) << 20) + (size_t(3) << 20));
  releaseCachedBuffers();
}

} // namespace
