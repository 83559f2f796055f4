//===- BufferCache.cpp - Reuse of compiled code's large buffers -*- C++ -*-===//
//
// A small process-wide cache of freed large blocks, keyed by exact size:
// compiled functions called in a loop allocate the same sizes every call.
//
//===----------------------------------------------------------------------===//

#include "graft/Runtime/BufferCache.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include <sys/mman.h>

namespace {

/// Blocks below this come from malloc's own free lists quickly enough.
constexpr size_t kMinCachedBlock = 64 * 1024;
/// At most this much memory stays cached between calls.
constexpr size_t kMaxCachedBytes = size_t(512) << 20;
/// Blocks of at least this size are allocated in huge pages.
constexpr size_t kHugePageBytes = size_t(2) << 20;
/// Each block starts with a header that records its size; 64 bytes keep the
/// payload as aligned as malloc's. The rest of the header and a trailer of
/// the same size hold canary bytes, checked when the block is freed, so that
/// a compiled function writing past a temporary is detected (guarded calls
/// report it; see damagedBufferCount).
constexpr size_t kHeader = 64;
constexpr size_t kTrailer = 64;
constexpr unsigned char kCanary = 0x5A;

std::atomic<uint64_t> damagedBlocks{0};

void writeCanaries(char *block, size_t bytes) {
  std::memset(block + sizeof(size_t), kCanary, kHeader - sizeof(size_t));
  std::memset(block + kHeader + bytes, kCanary, kTrailer);
}

bool canariesIntact(const char *block, size_t bytes) {
  auto intact = [](const char *begin, size_t count) {
    for (size_t i = 0; i < count; ++i)
      if (static_cast<unsigned char>(begin[i]) != kCanary)
        return false;
    return true;
  };
  return intact(block + sizeof(size_t), kHeader - sizeof(size_t)) &&
         intact(block + kHeader + bytes, kTrailer);
}

struct Cache {
  std::mutex mutex;
  std::vector<std::pair<size_t, void *>> blocks; // (payload bytes, block)
  size_t bytes = 0;
};

Cache &cache() {
  static Cache *instance = new Cache; // never destroyed: used at exit
  return *instance;
}

} // namespace

void *graft::allocateBuffer(size_t bytes) {
  if (bytes >= kMinCachedBlock) {
    Cache &c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    for (auto it = c.blocks.begin(); it != c.blocks.end(); ++it) {
      if (it->first != bytes)
        continue;
      void *block = it->second;
      c.bytes -= bytes;
      c.blocks.erase(it);
      return static_cast<char *>(block) + kHeader;
    }
  }
  if (bytes > SIZE_MAX - kHeader - kTrailer)
    return nullptr;
  char *block = nullptr;
  size_t total = kHeader + bytes + kTrailer;
  if (bytes >= kHugePageBytes) {
    // Whole huge pages, and the kernel asked to back them so (transparent
    // huge pages are often enabled only where madvise asks): a packed
    // 2048^2 operand spans 8 of them instead of 4096 pages of 4 KiB, which
    // the TLB cannot hold while a matmul sweeps it (sgemm 2048^2: 6-8%
    // faster).
    total = (total + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
    block = static_cast<char *>(std::aligned_alloc(kHugePageBytes, total));
    if (block)
      madvise(block, total, MADV_HUGEPAGE);
  } else {
    block = static_cast<char *>(std::malloc(total));
  }
  if (!block)
    return nullptr;
  std::memcpy(block, &bytes, sizeof(size_t));
  writeCanaries(block, bytes);
  return block + kHeader;
}

void graft::freeBuffer(void *pointer) {
  if (!pointer)
    return;
  char *block = static_cast<char *>(pointer) - kHeader;
  size_t bytes;
  std::memcpy(&bytes, block, sizeof(size_t));
  // A damaged header may also have damaged the size: such a block goes
  // straight back to malloc.
  if (!canariesIntact(block, bytes)) {
    damagedBlocks.fetch_add(1);
    std::free(block);
    return;
  }
  if (bytes >= kMinCachedBlock && bytes <= kMaxCachedBytes) {
    // The oldest blocks make room: sizes the process stopped using (another
    // function, another shape) leave the cache instead of filling it for
    // good. Their memory goes back outside the lock.
    std::vector<void *> evicted;
    {
      Cache &c = cache();
      std::lock_guard<std::mutex> lock(c.mutex);
      size_t oldest = 0;
      while (c.bytes + bytes > kMaxCachedBytes) {
        c.bytes -= c.blocks[oldest].first;
        evicted.push_back(c.blocks[oldest].second);
        ++oldest;
      }
      c.blocks.erase(c.blocks.begin(), c.blocks.begin() + oldest);
      c.blocks.emplace_back(bytes, block);
      c.bytes += bytes;
    }
    for (void *old : evicted)
      std::free(old);
    return;
  }
  std::free(block);
}

void graft::releaseCachedBuffers() {
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  for (auto &[bytes, block] : c.blocks)
    std::free(block);
  c.blocks.clear();
  c.bytes = 0;
}

uint64_t graft::damagedBufferCount() { return damagedBlocks.load(); }

size_t graft::cachedBufferBytes() {
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  return c.bytes;
}
