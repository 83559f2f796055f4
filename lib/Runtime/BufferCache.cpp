//===- BufferCache.cpp - Reuse of compiled code's large buffers -*- C++ -*-===//
//
// A small process-wide cache of freed large blocks, keyed by exact size:
// compiled functions called in a loop allocate the same sizes every call.
//
//===----------------------------------------------------------------------===//

#include "graft/Runtime/BufferCache.h"

#include <cstdlib>
#include <mutex>
#include <vector>

namespace {

/// Blocks below this come from malloc's own free lists quickly enough.
constexpr size_t kMinCachedBlock = 64 * 1024;
/// At most this much memory stays cached between calls.
constexpr size_t kMaxCachedBytes = size_t(512) << 20;
/// Each block starts with a header that records its size; 64 bytes keep the
/// payload as aligned as malloc's.
constexpr size_t kHeader = 64;

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
  void *block = std::malloc(bytes + kHeader);
  if (!block)
    return nullptr;
  *static_cast<size_t *>(block) = bytes;
  return static_cast<char *>(block) + kHeader;
}

void graft::freeBuffer(void *pointer) {
  if (!pointer)
    return;
  void *block = static_cast<char *>(pointer) - kHeader;
  size_t bytes = *static_cast<size_t *>(block);
  if (bytes >= kMinCachedBlock) {
    Cache &c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (c.bytes + bytes <= kMaxCachedBytes) {
      c.blocks.emplace_back(bytes, block);
      c.bytes += bytes;
      return;
    }
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

size_t graft::cachedBufferBytes() {
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  return c.bytes;
}
