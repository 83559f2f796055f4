//===- MemoryLimit.cpp - Graft's process-wide memory budget ---------------===//
//
// One atomic counter of reserved bytes against one atomic limit. Reserving
// is a compare-and-swap loop, so concurrent reservations never pass the
// limit together.
//
//===----------------------------------------------------------------------===//

#include "graft/Runtime/MemoryLimit.h"

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <unistd.h>

using namespace graft;

namespace {

uint64_t physicalMemory() {
  long pages = sysconf(_SC_PHYS_PAGES);
  long pageSize = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || pageSize <= 0)
    return uint64_t(16) << 30; // unknown: a common machine size
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(pageSize);
}

std::atomic<uint64_t> &limitBytes() {
  static std::atomic<uint64_t> limit{physicalMemory()};
  return limit;
}

std::atomic<uint64_t> &reservedBytes() {
  static std::atomic<uint64_t> reserved{0};
  return reserved;
}

} // namespace

uint64_t graft::memoryLimit() { return limitBytes().load(); }

void graft::setMemoryLimit(uint64_t bytes) {
  limitBytes().store(bytes ? bytes : physicalMemory());
}

uint64_t graft::memoryInUse() { return reservedBytes().load(); }

MemoryReservation::MemoryReservation(MemoryReservation &&other) noexcept
    : bytes_(other.bytes_) {
  other.bytes_ = 0;
}

MemoryReservation &
MemoryReservation::operator=(MemoryReservation &&other) noexcept {
  if (this != &other) {
    reservedBytes().fetch_sub(bytes_);
    bytes_ = other.bytes_;
    other.bytes_ = 0;
  }
  return *this;
}

MemoryReservation::~MemoryReservation() { reservedBytes().fetch_sub(bytes_); }

Expected<MemoryReservation> graft::reserveMemory(uint64_t bytes,
                                                 const std::string &what) {
  std::atomic<uint64_t> &reserved = reservedBytes();
  uint64_t limit = memoryLimit();
  uint64_t current = reserved.load();
  do {
    if (bytes > limit || current > limit - bytes)
      return Error(what + " would need " + formatBytes(bytes) +
                   ", above the memory limit of " + formatBytes(limit) + " (" +
                   formatBytes(current) + " in use)");
  } while (!reserved.compare_exchange_weak(current, current + bytes));
  return MemoryReservation(bytes);
}

std::string graft::formatBytes(uint64_t bytes) {
  static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB",
                                      "EiB"};
  if (bytes < 1024)
    return std::to_string(bytes) + " B";
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(units)) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f %s", value, units[unit]);
  return text;
}

Expected<uint64_t> graft::parseByteSize(std::string_view text) {
  std::string input(text);
  auto invalid = [&] {
    return Error("invalid size '" + input +
                 "': expected a number of bytes with an optional unit K, M, G "
                 "or T (binary, e.g. 512M or 1.5GiB)");
  };
  const char *begin = input.c_str();
  char *end = nullptr;
  double value = std::strtod(begin, &end);
  if (end == begin || !std::isfinite(value) || value < 0)
    return invalid();
  std::string unit(end);
  if (unit.size() >= 2 && unit.compare(unit.size() - 2, 2, "iB") == 0)
    unit.erase(unit.size() - 2);
  else if (!unit.empty() && unit.back() == 'B')
    unit.pop_back();
  double scale = 1;
  if (unit == "K" || unit == "k")
    scale = 1024.0;
  else if (unit == "M")
    scale = 1024.0 * 1024;
  else if (unit == "G")
    scale = 1024.0 * 1024 * 1024;
  else if (unit == "T")
    scale = 1024.0 * 1024 * 1024 * 1024;
  else if (!unit.empty())
    return invalid();
  double bytes = value * scale;
  if (bytes >= 18446744073709551615.0)
    return invalid();
  return static_cast<uint64_t>(bytes);
}
