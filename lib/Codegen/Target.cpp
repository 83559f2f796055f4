//===- Target.cpp - What code generation knows about the CPU ----*- C++ -*-===//
//
// This file implements the target description: host detection and the tile
// sizes derived from the vector unit and the caches.
//
//===----------------------------------------------------------------------===//

#include "graft/Codegen/Target.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <unistd.h>

using namespace mlir::graft;

/// The size of the level `level` data cache of CPU 0 as the kernel reports
/// it (sysfs), else sysconf's `name`, else `fallback`. sysfs comes first:
/// glibc reports the L3 of the whole package on AMD EPYC (256 MiB), where
/// one core sees its complex's 32 MiB.
static int64_t cacheBytes(int level, int name, int64_t fallback) {
  for (int index = 0; index < 8; ++index) {
    std::string dir =
        "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index);
    std::ifstream levelFile(dir + "/level"), typeFile(dir + "/type"),
        sizeFile(dir + "/size");
    int fileLevel = 0;
    std::string type, size;
    if (!(levelFile >> fileLevel) || !(typeFile >> type) || !(sizeFile >> size))
      break;
    if (fileLevel != level || type == "Instruction")
      continue;
    // "32768K", "1M" or a plain byte count.
    char *unit = nullptr;
    long long value = std::strtoll(size.c_str(), &unit, 10);
    int64_t scale = *unit == 'K' ? 1024 : *unit == 'M' ? 1024 * 1024 : 1;
    if (value > 0)
      return value * scale;
  }
  long bytes = sysconf(name);
  return bytes > 0 ? bytes : fallback;
}

/// The most last-level cache one core can rely on. Where sysfs has no cache
/// entries (virtual machines), the size comes from CPUID, and AMD EPYC hosts
/// report the L3 of the whole package there: 508 MiB on a Zen 5 VM whose
/// core shares the 32 MiB of its complex. Taken for real, it made every
/// matmul rhs "fit" (2048^2 and 4096^2 sgemm kept the loop order that
/// rereads the rhs from memory) and no output large enough for
/// non-temporal stores.
static constexpr int64_t maxCoreL3Bytes = 32 * 1024 * 1024;

TargetDescription TargetDescription::host() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  int64_t bits = features.lookup("avx512f") ? 512
                 : features.lookup("avx2")  ? 256
                                            : 128;
  return hostWithVectorBits(bits);
}

TargetDescription TargetDescription::hostWithVectorBits(int64_t vectorBits) {
  TargetDescription target;
  target.vectorBits = vectorBits;
  target.vectorRegisters = vectorBits >= 512 ? 32 : 16;
  target.l1Bytes = cacheBytes(1, _SC_LEVEL1_DCACHE_SIZE, target.l1Bytes);
  target.l2Bytes = cacheBytes(2, _SC_LEVEL2_CACHE_SIZE, target.l2Bytes);
  target.l3Bytes = std::min(
      cacheBytes(3, _SC_LEVEL3_CACHE_SIZE, target.l3Bytes), maxCoreL3Bytes);
  target.cores = std::max(1u, std::thread::hardware_concurrency());
  return target;
}

int64_t TargetDescription::lanes(int64_t elementBits) const {
  return std::max<int64_t>(1, vectorBits / elementBits);
}

llvm::SmallVector<int64_t, 3>
TargetDescription::matmulRegisterTile(int64_t elementBits) const {
  // Rows x 2 accumulators, plus 2 rhs vectors and 1 broadcast: 16 registers
  // allow 6 rows, 32 allow 8 (more rows would not shorten the loop: the
  // two rhs loads per k step already overlap the FMAs).
  int64_t rows = vectorRegisters >= 32 ? 8 : (vectorRegisters - 3) / 2;
  return {rows, 2 * lanes(elementBits), 1};
}

llvm::SmallVector<int64_t, 3>
TargetDescription::matmulCacheTile(int64_t elementBits) const {
  llvm::SmallVector<int64_t, 3> reg = matmulRegisterTile(elementBits);
  int64_t elementBytes = elementBits / 8;
  int64_t k = 256;
  // The K x N rhs block is reused by every row block: keep it in half of L2.
  int64_t n = l2Bytes / 2 / (k * elementBytes);
  n = std::clamp<int64_t>(n / reg[1] * reg[1], reg[1], 512);
  // Whole register tiles per cache tile, so no row remainder per block.
  int64_t m = std::max<int64_t>(1, 64 / reg[0]) * reg[0];
  return {m, n, k};
}

int64_t TargetDescription::innerTile(int64_t elementBits) const {
  // Four vectors per strip: enough independent work to hide the loop
  // overhead and the latency of partial sums, and few enough that every
  // register-hungry body still fits in 16 ymm registers. With eight AVX2
  // vectors, an exponential (13 constants and several temporaries per
  // vector) spilled a third of its instructions to the stack. In cache,
  // four vectors instead of eight made exp 17% faster (17.1 -> 14.1 us per
  // 32K elements) and an f32 sum (32 f64 partial sums, now 16) 23% faster
  // (6.3 -> 4.8 us); two vectors or one were slower than four. Narrower
  // types get at most 64 elements (or one vector, if that holds more).
  return std::max(lanes(elementBits),
                  std::min<int64_t>(64, 4 * vectorBits /
                                            std::max<int64_t>(1, elementBits)));
}
