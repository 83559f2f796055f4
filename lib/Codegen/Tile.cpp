//===- Tile.cpp - Tile linalg ops for cache and registers -------*- C++ -*-===//
//
// This file implements the graft-tile pass: it distributes linalg ops on
// tensors over threads, then tiles them so that every innermost op has a
// small static shape for the vectorizer.
//
//===----------------------------------------------------------------------===//

#include "graft/Codegen/Passes.h"
#include "graft/Codegen/Target.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
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

/// Distributes `op` over threads by `sizes` (one per loop, 0 = not
/// distributed): the loops with a size become an scf.forall over tiles of
/// that size. Where a size does not divide the loop, the remainder is split
/// off first and distributed along the other loops only, so that every
/// forall tile has a static shape.
LogicalResult distribute(RewriterBase &rewriter, TilingInterface op,
                         SmallVector<int64_t> sizes) {
  auto linalgOp = cast<linalg::LinalgOp>(op.getOperation());
  SmallVector<int64_t> ranges = linalgOp.getStaticLoopRanges();
  for (unsigned dim = 0; dim < sizes.size(); ++dim) {
    if (sizes[dim] == 0)
      continue;
    // One tile or less along this loop: nothing to distribute there.
    if (ShapedType::isDynamic(ranges[dim]) || ranges[dim] / sizes[dim] < 2) {
      sizes[dim] = 0;
      continue;
    }
    if (ranges[dim] % sizes[dim] == 0)
      continue;
    int64_t splitPoint = ranges[dim] / sizes[dim] * sizes[dim];
    rewriter.setInsertionPoint(op);
    auto [whole, remainder] = linalg::splitOp(
        rewriter, op, dim, rewriter.getIndexAttr(splitPoint));
    SmallVector<int64_t> remainderSizes(sizes);
    remainderSizes[dim] = 0;
    if (failed(distribute(rewriter, whole, sizes)))
      return failure();
    return distribute(rewriter, remainder, remainderSizes);
  }
  if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
    return success();
  scf::SCFTilingOptions options;
  options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result =
      scf::tileUsingSCF(rewriter, op, options);
  if (failed(result))
    return failure();
  rewriter.replaceOp(op, result->replacements);
  return success();
}

struct GraftTilePass final : graft::impl::GraftTilePassBase<GraftTilePass> {
  using Base::Base;

  void runOnOperation() override {
    target = TargetDescription::hostWithVectorBits(vectorBits);
    target.l2Bytes = l2CacheBytes;
    if (threads > 1) {
      SmallVector<linalg::LinalgOp> ops = collect(
          [](linalg::LinalgOp op) { return op.hasPureTensorSemantics(); });
      IRRewriter rewriter(&getContext());
      for (linalg::LinalgOp op : ops) {
        if (failed(distribute(rewriter, cast<TilingInterface>(*op),
                              distributionTiles(op)))) {
          op.emitOpError("distribution over threads failed");
          return signalPassFailure();
        }
      }
      if (failed(canonicalize()))
        return signalPassFailure();
    }
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

  /// The linalg ops on tensors that `filter` accepts. Fills are left
  /// whole: graft-unshare-fills gives each consumer its own fill before
  /// bufferization, and LLVM turns a whole fill into memset-like code.
  SmallVector<linalg::LinalgOp>
  collect(function_ref<bool(linalg::LinalgOp)> filter) {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.hasPureTensorSemantics() && !isa<linalg::FillOp>(op) &&
          filter(op))
        ops.push_back(op);
    });
    return ops;
  }

  /// Tiles every linalg op on tensors that `filter` accepts with the sizes
  /// `sizesFor` gives.
  LogicalResult
  tileEach(function_ref<bool(linalg::LinalgOp)> filter,
           function_ref<SmallVector<int64_t>(linalg::LinalgOp)> sizesFor) {
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : collect(filter))
      if (failed(tileAndPeel(rewriter, op, sizesFor(op))))
        return op.emitOpError("tiling failed");
    return success();
  }

  LogicalResult canonicalize() {
    OpPassManager pm(func::FuncOp::getOperationName());
    pm.addPass(createCanonicalizerPass());
    return runPipeline(pm, getOperation());
  }

  static int64_t elementBits(linalg::LinalgOp op) {
    return getElementTypeOrSelf(op->getResult(0).getType())
        .getIntOrFloatBitWidth();
  }

  /// The loops of `op` to run on separate threads and their tile sizes.
  /// A matmul is distributed by its M x N cache tiles (a batched one by
  /// batch when there are enough batches); every other op by chunks of its
  /// outermost parallel loop, about four per thread so that a remainder
  /// chunk on one thread costs little. Small ops stay on one thread.
  SmallVector<int64_t> distributionTiles(linalg::LinalgOp op) {
    SmallVector<int64_t> none(op.getNumLoops(), 0);
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    int64_t work = 1;
    for (int64_t extent : ranges) {
      if (ShapedType::isDynamic(extent))
        return none;
      work *= extent;
    }
    if (work < target.minParallelWork())
      return none;
    if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op)) {
      SmallVector<int64_t> cache = cacheTile(op);
      cache.back() = 0;
      if (isa<linalg::BatchMatmulOp>(op) && ranges[0] >= 2 * threads)
        std::fill(cache.begin() + 1, cache.end(), 0);
      return cache;
    }
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    auto parallel = llvm::find(iterators, utils::IteratorType::parallel);
    if (parallel == iterators.end())
      return none;
    unsigned dim = parallel - iterators.begin();
    int64_t chunk = std::max<int64_t>(1, ranges[dim] / (4 * threads));
    // Chunks of the innermost loop keep whole vector strips.
    if (dim + 1 == ranges.size()) {
      int64_t strip = innerTileSize(op);
      chunk = std::max(strip, chunk / strip * strip);
    }
    none[dim] = chunk;
    return none;
  }

  /// The matmul cache tile; batch dims of linalg.batch_matmul are tiled
  /// to 1.
  SmallVector<int64_t> cacheTile(linalg::LinalgOp op) {
    SmallVector<int64_t> cache =
        orDefault(matmulCacheTile, target.matmulCacheTile(elementBits(op)));
    if (isa<linalg::BatchMatmulOp>(op))
      cache.insert(cache.begin(), 1);
    return chooseTileSizes(op, cache);
  }

  int64_t innerTileSize(linalg::LinalgOp op) {
    return innerTile > 0 ? innerTile : target.innerTile(elementBits(op));
  }

  /// Matmuls: the target's register tile. Every other op: one innermost
  /// strip.
  SmallVector<int64_t> registerTile(linalg::LinalgOp op) {
    if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op)) {
      SmallVector<int64_t> reg = orDefault(
          matmulRegisterTile, target.matmulRegisterTile(elementBits(op)));
      if (isa<linalg::BatchMatmulOp>(op))
        reg.insert(reg.begin(), 1);
      return chooseTileSizes(op, reg);
    }
    SmallVector<int64_t> targets(op.getNumLoops(), 1);
    if (!targets.empty())
      targets.back() = innerTileSize(op);
    return chooseTileSizes(op, targets);
  }

  static SmallVector<int64_t> orDefault(ArrayRef<int64_t> option,
                                        ArrayRef<int64_t> fallback) {
    return llvm::to_vector(option.size() == 3 ? option : fallback);
  }

  TargetDescription target;
};

} // namespace
