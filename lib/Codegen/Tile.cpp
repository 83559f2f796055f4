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
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#define DEBUG_TYPE "graft-tile"

namespace mlir::graft {
#define GEN_PASS_DEF_GRAFTTILEPASS
#include "graft/Codegen/Passes.h.inc"
} // namespace mlir::graft

using namespace mlir;
using namespace mlir::graft;

namespace {

/// Tile sizes for `op`'s loops: `targets`, or 0 (untiled) where a loop
/// already fits. A dynamic loop is always tiled.
SmallVector<int64_t> chooseTileSizes(linalg::LinalgOp op,
                                     ArrayRef<int64_t> targets) {
  // An empty iteration space (a zero-size dim) has nothing to tile.
  if (llvm::is_contained(op.getStaticLoopRanges(), 0))
    return SmallVector<int64_t>(targets.size(), 0);
  SmallVector<int64_t> sizes;
  for (auto [extent, target] :
       llvm::zip_equal(op.getStaticLoopRanges(), targets))
    sizes.push_back(target <= 0 ||
                            (!ShapedType::isDynamic(extent) && extent <= target)
                        ? 0
                        : target);
  return sizes;
}

/// Tiles `op` with `sizes` (0 = untiled), with the partial-reduction
/// strategy if `partialReduction`, and peels every generated loop, so that
/// each runs full tiles and then one partial tile.
/// With static shapes the partial tile is static too once canonicalization
/// folds its single-iteration loop, so every tile vectorizes without masks.
/// Returns the tiled op (`op` itself when nothing is tiled).
FailureOr<linalg::LinalgOp>
tileOnce(RewriterBase &rewriter, linalg::LinalgOp op, ArrayRef<int64_t> sizes,
         bool partialReduction) {
  if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
    return op;
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  if (partialReduction) {
    SmallVector<unsigned> tiled;
    for (auto [dim, size] : llvm::enumerate(sizes))
      if (size != 0)
        tiled.push_back(dim);
    options.setReductionTilingStrategy(
        ReductionTilingStrategy::PartialReductionOuterReduction);
    options.setReductionDims(tiled);
  }
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(result))
    return failure();
  rewriter.replaceOp(op, result->replacements);
  // Innermost first: peeling an outer loop copies its body, and the copy
  // must contain the already peeled inner loops.
  for (LoopLikeOpInterface loop : llvm::reverse(result->loops)) {
    scf::ForOp partial;
    (void)scf::peelForLoopAndSimplifyBounds(
        rewriter, cast<scf::ForOp>(loop.getOperation()), partial);
  }
  return cast<linalg::LinalgOp>(result->tiledOps.front());
}

/// Tiles `op` with `sizes` and peels the generated loops. A
/// reduction along the innermost strip (a sum over rows, or over all) is
/// tiled in two steps: its parallel dims first, then its reduction dims
/// with one partial result per lane of the strip, added elementwise in the
/// loop and merged once after it, instead of a horizontal reduction per
/// strip.
LogicalResult tileAndPeel(RewriterBase &rewriter, linalg::LinalgOp op,
                          ArrayRef<int64_t> sizes) {
  SmallVector<unsigned> reductionDims;
  op.getReductionDims(reductionDims);
  bool innermostReduction =
      !linalg::isaContractionOpInterface(op) && !sizes.empty() &&
      sizes.back() > 1 &&
      llvm::is_contained(reductionDims, unsigned(sizes.size() - 1));
  if (!innermostReduction)
    return tileOnce(rewriter, op, sizes, /*partialReduction=*/false);
  SmallVector<int64_t> parallelSizes(sizes), reductionSizes(sizes);
  for (unsigned dim = 0; dim < sizes.size(); ++dim)
    (llvm::is_contained(reductionDims, dim) ? parallelSizes
                                            : reductionSizes)[dim] = 0;
  FailureOr<linalg::LinalgOp> rows =
      tileOnce(rewriter, op, parallelSizes, /*partialReduction=*/false);
  if (failed(rows))
    return failure();
  return tileOnce(rewriter, *rows, reductionSizes,
                  /*partialReduction=*/true);
}

struct GraftTilePass final : graft::impl::GraftTilePassBase<GraftTilePass> {
  using Base::Base;

  void runOnOperation() override {
    // Cache tiles first; after canonicalization each matmul tile has a
    // static shape and gets its register tile.
    if (failed(tileEach(
            [](linalg::LinalgOp op) {
              return isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op);
            },
            [&](linalg::LinalgOp op) { return cacheTile(op); })))
      return signalPassFailure();
    if (failed(canonicalize()))
      return signalPassFailure();
    if (failed(tileEach([](linalg::LinalgOp) { return true; },
                        [&](linalg::LinalgOp op) { return registerTile(op); })))
      return signalPassFailure();
    if (failed(canonicalize()))
      return signalPassFailure();
  }

  /// Tiles every linalg op on tensors that `filter` accepts with the sizes
  /// `sizesFor` gives.
  LogicalResult
  tileEach(function_ref<bool(linalg::LinalgOp)> filter,
           function_ref<SmallVector<int64_t>(linalg::LinalgOp)> sizesFor) {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && filter(op))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops)
      if (failed(tileAndPeel(rewriter, op, sizesFor(op))))
        return op.emitOpError("tiling failed");
    return success();
  }

  LogicalResult canonicalize() {
    OpPassManager pm(func::FuncOp::getOperationName());
    pm.addPass(createCanonicalizerPass());
    return runPipeline(pm, getOperation());
  }

  /// The matmul recipe's cache tile; batch dims of linalg.batch_matmul are
  /// tiled to 1.
  SmallVector<int64_t> cacheTile(linalg::LinalgOp op) {
    SmallVector<int64_t> cache = orDefault(matmulCacheTile, {64, 256, 256});
    if (isa<linalg::BatchMatmulOp>(op))
      cache.insert(cache.begin(), 1);
    return chooseTileSizes(op, cache);
  }

  /// Matmuls: the register tile, two vectors per row and as many rows as
  /// leave registers for the broadcast lhs element and the two rhs
  /// vectors. Every other op: one innermost strip of up to `innerTile`
  /// elements.
  SmallVector<int64_t> registerTile(linalg::LinalgOp op) {
    if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op)) {
      Type elementType = getElementTypeOrSelf(op->getResult(0).getType());
      int64_t lanes = vectorBits / elementType.getIntOrFloatBitWidth();
      SmallVector<int64_t> reg = orDefault(
          matmulRegisterTile, {vectorBits >= 512 ? 8 : 6, 2 * lanes, 1});
      if (isa<linalg::BatchMatmulOp>(op))
        reg.insert(reg.begin(), 1);
      return chooseTileSizes(op, reg);
    }
    SmallVector<int64_t> targets(op.getNumLoops(), 1);
    if (!targets.empty())
      targets.back() = innerTile;
    return chooseTileSizes(op, targets);
  }

  static SmallVector<int64_t> orDefault(ArrayRef<int64_t> option,
                                        ArrayRef<int64_t> fallback) {
    return llvm::to_vector(option.size() == 3 ? option : fallback);
  }
};

} // namespace
