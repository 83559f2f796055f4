//===- Target.h - What code generation knows about the CPU ------*- C++ -*-===//
//
// The one place where tile sizes are decided. Passes ask the target
// description instead of carrying their own constants, so that retargeting
// (AVX-512, AVX2, SSE) and tuning happen here.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_CODEGEN_TARGET_H
#define GRAFT_CODEGEN_TARGET_H

#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace mlir::graft {

/// The vector register width, register count and cache sizes of a CPU, and
/// the tile sizes derived from them.
struct TargetDescription {
  /// Width of one vector register in bits: 512 (AVX-512), 256 (AVX2), 128.
  int64_t vectorBits = 256;
  /// Architectural vector registers: 32 with AVX-512, 16 below.
  int64_t vectorRegisters = 16;
  /// Per-core data cache sizes in bytes.
  int64_t l1Bytes = 32 * 1024;
  int64_t l2Bytes = 512 * 1024;
  /// Last-level cache size in bytes that one core can use (shared with the
  /// other cores of its complex; at most 32 MiB, see Target.cpp).
  int64_t l3Bytes = 32 * 1024 * 1024;
  /// Hardware threads; the default thread count of compiled code.
  unsigned cores = 1;
  /// Rows a reduction along contiguous rows reads at a time (a row sum, a
  /// sum of everything, a softmax's max). Each row is one stream for the
  /// hardware prefetchers, and one stream does not reach a core's share of
  /// the memory's bandwidth: a mean over the rows of 4096^2 f32 took
  /// 6.7-7.9 ms on one thread reading one row at a time, 5.6 ms two, 4.3
  /// ms four, 4.0 ms eight.
  int64_t reductionRows = 8;

  /// The machine this process runs on.
  static TargetDescription host();
  /// The host's caches and cores with `vectorBits`-wide registers (for
  /// generating code for a narrower or wider vector unit than the host's).
  static TargetDescription hostWithVectorBits(int64_t vectorBits);

  /// Elements of `elementBits` bits per vector register.
  int64_t lanes(int64_t elementBits) const;

  /// The matmul register tile (M, N, K): two vectors per row, and as many
  /// rows as leave registers for one broadcast lhs element and the two rhs
  /// vectors (8x32 f32 accumulators with AVX-512, 6x16 with AVX2).
  llvm::SmallVector<int64_t, 3> matmulRegisterTile(int64_t elementBits) const;

  /// The matmul cache tile (M, N, K): a K x N block of the rhs fills half of
  /// L2, M is a multiple of the register tile's rows (about 64 rows).
  llvm::SmallVector<int64_t, 3> matmulCacheTile(int64_t elementBits) const;

  /// The strip every other op is tiled to along its innermost loop: four
  /// vectors of `elementBits` elements (AVX2: 32 f32, 16 f64; AVX-512: 64
  /// f32, 32 f64), at most 64 elements.
  int64_t innerTile(int64_t elementBits) const;

  /// Iteration spaces smaller than this (in elements) run on one thread:
  /// below it, waking the other threads costs more than it saves.
  int64_t minParallelWork() const { return 32 * 1024; }
};

} // namespace mlir::graft

#endif // GRAFT_CODEGEN_TARGET_H
