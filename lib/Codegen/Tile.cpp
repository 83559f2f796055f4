//===- Tile.cpp - Tile linalg ops for cache and registers -------*- C++ -*-===//
//
// This file implements the graft-tile pass: it tiles linalg ops on tensors so
// that every innermost op has a small static shape for the vectorizer.
//
//===----------------------------------------------------------------------===//

#include "graft/Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

#define DEBUG_TYPE "graft-tile"

namespace mlir::graft {
#define GEN_PASS_DEF_GRAFTTILEPASS
#include "graft/Codegen/Passes.h.inc"
} // namespace mlir::graft

using namespace mlir;
using namespace mlir::graft;

namespace {

/// The tile size for a loop of `extent` iterations: the largest divisor of
/// `extent` that is at most `target`, so that all tiles are full and static.
/// 0 (do not tile) when the loop already fits.
int64_t chooseTileSize(int64_t extent, int64_t target) {
  if (target <= 0 || extent <= target || ShapedType::isDynamic(extent))
    return 0;
  for (int64_t size = target; size > 1; --size)
    if (extent % size == 0)
      return size;
  return 1;
}

SmallVector<int64_t> chooseTileSizes(linalg::LinalgOp op,
                                     ArrayRef<int64_t> targets) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<int64_t> sizes;
  for (auto [extent, target] : llvm::zip_equal(ranges, targets))
    sizes.push_back(chooseTileSize(extent, target));
  return sizes;
}

/// Tiles `op` with `sizes` (0 = untiled) and returns the tiled op, or the
/// op itself when nothing needs tiling.
FailureOr<linalg::LinalgOp> tile(RewriterBase &rewriter, linalg::LinalgOp op,
                                 ArrayRef<int64_t> sizes) {
  if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
    return op;
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(result))
    return failure();
  rewriter.replaceOp(op, result->replacements);
  return cast<linalg::LinalgOp>(result->tiledOps.front());
}

struct GraftTilePass final : graft::impl::GraftTilePassBase<GraftTilePass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics())
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops)
      if (failed(tileOp(rewriter, op)))
        return signalPassFailure();
  }

  LogicalResult tileOp(RewriterBase &rewriter, linalg::LinalgOp op) {
    if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op))
      return tileMatmul(rewriter, op);
    // Everything else: one innermost strip of up to `innerTile` elements.
    int64_t numLoops = op.getNumLoops();
    if (numLoops == 0)
      return success();
    SmallVector<int64_t> targets(numLoops, 1);
    targets.back() = innerTile;
    if (failed(tile(rewriter, op, chooseTileSizes(op, targets))))
      return op.emitOpError("tiling failed");
    return success();
  }

  /// The matmul recipe: a cache tile, then a register tile; batch dims of
  /// linalg.batch_matmul are tiled to 1.
  LogicalResult tileMatmul(RewriterBase &rewriter, linalg::LinalgOp op) {
    SmallVector<int64_t> cache = orDefault(matmulCacheTile, {64, 256, 256});
    // Two vectors per row, and as many rows as leave registers for the
    // broadcast lhs element and the two rhs vectors.
    Type elementType = getElementTypeOrSelf(op->getResult(0).getType());
    int64_t lanes = vectorBits / elementType.getIntOrFloatBitWidth();
    SmallVector<int64_t> reg = orDefault(
        matmulRegisterTile, {vectorBits >= 512 ? 8 : 6, 2 * lanes, 1});
    if (isa<linalg::BatchMatmulOp>(op)) {
      cache.insert(cache.begin(), 1);
      reg.insert(reg.begin(), 1);
    }
    FailureOr<linalg::LinalgOp> cacheTile =
        tile(rewriter, op, chooseTileSizes(op, cache));
    if (failed(cacheTile))
      return op.emitOpError("cache tiling failed");
    if (failed(tile(rewriter, *cacheTile, chooseTileSizes(*cacheTile, reg))))
      return op.emitOpError("register tiling failed");
    return success();
  }

  static SmallVector<int64_t> orDefault(ArrayRef<int64_t> option,
                                        ArrayRef<int64_t> fallback) {
    return llvm::to_vector(option.size() == 3 ? option : fallback);
  }
};

} // namespace
