//===- Guard.cpp - Canary-framed buffers for guarded calls ----------------===//

#include "Guard.h"

#include <cstdint>

using namespace graft;

namespace {

/// The canary byte at `offset` within a frame: position dependent, so that
/// a shifted copy of the frame (a misplaced memmove) does not match it.
unsigned char canary(size_t offset) {
  return static_cast<unsigned char>(0xA5 ^ (offset * 131) ^ (offset >> 8));
}

} // namespace

GuardedBuffer::GuardedBuffer(size_t bytes) : bytes_(bytes) {
  size_t data = (bytes + 63) / 64 * 64;
  size_t total = 2 * kGuardBytes + data;
  if (data < bytes || total < data)
    return;
  block_.reset(static_cast<char *>(std::aligned_alloc(64, total)));
  if (!block_)
    return;
  unsigned char *front = reinterpret_cast<unsigned char *>(block_.get());
  unsigned char *back = front + kGuardBytes + bytes;
  for (size_t i = 0; i < kGuardBytes; ++i) {
    front[i] = canary(i);
    back[i] = canary(i);
  }
}

std::string GuardedBuffer::damage() const {
  const unsigned char *front =
      reinterpret_cast<const unsigned char *>(block_.get());
  const unsigned char *back = front + kGuardBytes + bytes_;
  // The bytes nearest the data are the likeliest to be hit: report those.
  for (size_t i = 0; i < kGuardBytes; ++i)
    if (back[i] != canary(i))
      return "byte " + std::to_string(i + 1) + " past its end";
  for (size_t i = kGuardBytes; i-- > 0;)
    if (front[i] != canary(i))
      return "byte " + std::to_string(kGuardBytes - i) + " before its start";
  return {};
}
