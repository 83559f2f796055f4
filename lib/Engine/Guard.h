//===- Guard.h - Canary-framed buffers for guarded calls --------*- C++ -*-===//
//
// Generated code is not instrumented by sanitizers. A guarded call
// (CompileOptions::guard) runs it on copies of the caller's tensors that
// are framed by canary bytes, then checks the frames, so that a write out of
// bounds is reported instead of silently damaging the caller's memory.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_LIB_ENGINE_GUARD_H
#define GRAFT_LIB_ENGINE_GUARD_H

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <string>

namespace graft {

/// `bytes` of 64-byte aligned data between two canary frames of
/// `kGuardBytes` each.
class GuardedBuffer {
public:
  /// Bytes of each frame: more than the widest store a vectorized loop
  /// issues past a tile, so a small overrun lands inside it.
  static constexpr size_t kGuardBytes = 4096;

  /// Allocates and fills the frames; data() is null when out of memory.
  explicit GuardedBuffer(size_t bytes);

  void *data() const { return block_ ? block_.get() + kGuardBytes : nullptr; }
  size_t size() const { return bytes_; }

  /// Empty when both frames are intact, else where the damaged byte nearest
  /// the data is: "byte 1 past its end", "byte 12 before its start".
  std::string damage() const;

private:
  struct Free {
    void operator()(char *p) const { std::free(p); }
  };
  std::unique_ptr<char, Free> block_;
  size_t bytes_;
};

} // namespace graft

#endif // GRAFT_LIB_ENGINE_GUARD_H
