//===- MemoryLimit.h - Graft's process-wide memory budget -------*- C++ -*-===//
//
// Graft refuses work that would need more memory than a configurable limit
// instead of letting the system kill the process. Owning tensors reserve
// their bytes when they are allocated, and each call of a compiled function
// reserves an upper bound of its temporaries before it starts; a reservation
// that would pass the limit fails with an Error that says how much was
// needed ("would need 37.25 GiB ..."). The limit defaults to the machine's
// physical memory.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_RUNTIME_MEMORYLIMIT_H
#define GRAFT_RUNTIME_MEMORYLIMIT_H

#include "graft/Runtime/Error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace graft {

/// The most bytes reservations may hold at once.
uint64_t memoryLimit();

/// Sets the limit; 0 restores the default, the machine's physical memory.
/// Existing reservations are kept even when they now exceed it.
void setMemoryLimit(uint64_t bytes);

/// The bytes reserved now, by owning tensors and running calls.
uint64_t memoryInUse();

/// Holds `bytes()` of the budget until destroyed. Move-only.
class MemoryReservation {
public:
  MemoryReservation() = default;
  MemoryReservation(MemoryReservation &&other) noexcept;
  MemoryReservation &operator=(MemoryReservation &&other) noexcept;
  MemoryReservation(const MemoryReservation &) = delete;
  MemoryReservation &operator=(const MemoryReservation &) = delete;
  ~MemoryReservation();

  uint64_t bytes() const { return bytes_; }

private:
  friend Expected<MemoryReservation> reserveMemory(uint64_t,
                                                   const std::string &);
  explicit MemoryReservation(uint64_t bytes) : bytes_(bytes) {}
  uint64_t bytes_ = 0;
};

/// Reserves `bytes` if that keeps the reservations within the limit.
/// Otherwise fails with "<what> would need N GiB, above the memory limit of
/// L GiB (U GiB in use)".
Expected<MemoryReservation> reserveMemory(uint64_t bytes,
                                          const std::string &what);

/// `512 B`, `64.0 KiB`, `1.50 GiB`: bytes for messages.
std::string formatBytes(uint64_t bytes);

/// Parses a size such as `4096`, `512M`, `512MiB`, `2G` or `1.5GiB`
/// (binary units; `B` optional). Fails on anything else, naming `text`.
Expected<uint64_t> parseByteSize(std::string_view text);

} // namespace graft

#endif // GRAFT_RUNTIME_MEMORYLIMIT_H
