//===- BufferCache.h - Reuse of compiled code's large buffers ---*- C++ -*-===//
//
// Compiled functions allocate their temporaries (packed matmul panels,
// intermediate tensors) on every call. Large blocks from malloc are fresh
// mmap'ed pages each time, so every call would pay a page fault per 4 KiB
// page. The compiled code allocates through these functions instead, which
// keep a bounded number of freed large blocks for the next call.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_RUNTIME_BUFFERCACHE_H
#define GRAFT_RUNTIME_BUFFERCACHE_H

#include <cstddef>
#include <cstdint>

namespace graft {

/// Allocates `bytes` (a block of at least 64 KiB may be a reused one; one
/// of at least 2 MiB is in transparent huge pages where the kernel has
/// them). Returns null when out of memory, like malloc.
void *allocateBuffer(size_t bytes);

/// Frees a block from allocateBuffer. A large one is kept for reuse; when
/// the cache would then hold more than its bound (512 MiB), the blocks
/// freed longest ago are released to make room.
void freeBuffer(void *pointer);

/// Releases every cached block back to the system.
void releaseCachedBuffers();

/// How many blocks were found damaged when freed since the process
/// started: their canary bytes, just before and after the block, had been
/// overwritten, i.e. compiled code wrote out of its bounds. Guarded calls
/// (CompileOptions::guard) fail when it grows during the call.
uint64_t damagedBufferCount();

/// The bytes the cache holds now (for tests).
size_t cachedBufferBytes();

} // namespace graft

#endif // GRAFT_RUNTIME_BUFFERCACHE_H
