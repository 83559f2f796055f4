//===- Tile.cpp - Tile linalg ops for cache and registers -------*- C++ -*-===//
//
// This file implements the graft-tile pass: it distributes linalg ops on
// tensors over threads, then tiles them so that every innermost op has a
// small static shape for the vectorizer.
//
//===----------------------------------------------------------------------===//

#include "graft/Codegen/PackedMatmul.h"
#include "graft/Codegen/Passes.h"
#include "graft/Codegen/Target.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
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

/// The static extent of each loop of `op` (ShapedType::kDynamic where not
/// static).
SmallVector<int64_t> staticLoopRanges(TilingInterface op) {
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op.getOperation()))
    return linalgOp.getStaticLoopRanges();
  OpBuilder builder(op);
  SmallVector<int64_t> ranges;
  for (Range range : op.getIterationDomain(builder))
    ranges.push_back(getConstantIntValue(range.size).value_or(
        ShapedType::kDynamic));
  return ranges;
}

/// Tile sizes for `op`'s loops: `targets`, or 0 (untiled) where a loop
/// already fits. A dynamic loop is always tiled.
SmallVector<int64_t> chooseTileSizes(TilingInterface op,
                                     ArrayRef<int64_t> targets) {
  SmallVector<int64_t> ranges = staticLoopRanges(op);
  // An empty iteration space (a zero-size dim) has nothing to tile.
  if (llvm::is_contained(ranges, 0))
    return SmallVector<int64_t>(targets.size(), 0);
  SmallVector<int64_t> sizes;
  for (auto [extent, target] : llvm::zip_equal(ranges, targets))
    sizes.push_back(target <= 0 ||
                            (!ShapedType::isDynamic(extent) && extent <= target)
                        ? 0
                        : target);
  return sizes;
}

/// A tile of `extent` close to `target` (at most three more tiles) that
/// divides it (K = 1000: four tiles of 250 instead of three of 256 and one
/// of 232), so that the loop needs no remainder: every remainder is one
/// more copy of the loop body for the compiler to generate. `target` when
/// no such tile is close.
int64_t evenTile(int64_t extent, int64_t target) {
  if (ShapedType::isDynamic(extent) || target <= 0 || extent <= target)
    return target;
  int64_t tiles = llvm::divideCeil(extent, target);
  for (int64_t count = tiles; count <= tiles + 3; ++count)
    if (extent % count == 0)
      return extent / count;
  return target;
}

/// A chunk size near `target` that divides `extent` into at least
/// `threads` chunks: the smallest divisor at least `target` (166 row tiles,
/// target 20: 2 chunks of 83), or where that leaves fewer chunks than
/// threads, the largest divisor below it (341 = 11 x 31 row tiles, target
/// 42: 11 chunks of 31, where the first rule would give one thread all).
int64_t dividingChunk(int64_t extent, int64_t target, unsigned threads) {
  int64_t chunk = std::clamp<int64_t>(target, 1, extent);
  int64_t above = chunk;
  while (extent % above != 0)
    ++above;
  if (extent / above >= int64_t(threads))
    return above;
  while (extent % chunk != 0)
    --chunk;
  return chunk;
}

/// A packed matmul's loops run over register tiles that are static
/// whatever the loops' extents: a partial cache or thread tile only runs
/// fewer of them, so its loops need neither peeling nor splitting.
bool hasStaticTilesAtAnyExtent(TilingInterface op) {
  return isPackedMatmul(op);
}

/// Tiles `op` with `sizes` (0 = untiled) in loops of `loopType`, nested in
/// the order `interchange` gives (outermost first; empty: the op's loop
/// order), and replaces it. Tiled reduction loops keep partial results with
/// `reductionStrategy` (unless it is FullReduction).
FailureOr<scf::SCFTilingResult>
tileAndReplace(RewriterBase &rewriter, TilingInterface op,
               ArrayRef<int64_t> sizes,
               scf::SCFTilingOptions::LoopType loopType,
               ReductionTilingStrategy reductionStrategy,
               ArrayRef<int64_t> interchange = {}) {
  scf::SCFTilingOptions options;
  options.setLoopType(loopType);
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  options.setInterchange(interchange);
  SmallVector<utils::IteratorType> iterators = op.getLoopIteratorTypes();
  SmallVector<unsigned> reductionDims;
  for (auto [dim, size] : llvm::enumerate(sizes))
    if (size != 0 && iterators[dim] == utils::IteratorType::reduction)
      reductionDims.push_back(dim);
  if (reductionStrategy != ReductionTilingStrategy::FullReduction &&
      !reductionDims.empty()) {
    options.setReductionTilingStrategy(reductionStrategy);
    options.setReductionDims(reductionDims);
  }
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result =
      scf::tileUsingSCF(rewriter, op, options);
  if (succeeded(result))
    rewriter.replaceOp(op, result->replacements);
  return result;
}

/// Tiles `op` with `sizes` (0 = untiled), with the partial-reduction
/// strategy if `partialReduction`, and peels every generated loop, so that
/// each runs full tiles and then one partial tile.
/// With static shapes the partial tile is static too once canonicalization
/// folds its single-iteration loop, so every tile vectorizes without masks.
/// Returns the tiled op (`op` itself when nothing is tiled).
FailureOr<TilingInterface> tileOnce(RewriterBase &rewriter, TilingInterface op,
                                    ArrayRef<int64_t> sizes,
                                    bool partialReduction,
                                    ArrayRef<int64_t> interchange = {}) {
  if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
    return op;
  // Decided now: tiling replaces `op`.
  bool peel = !hasStaticTilesAtAnyExtent(op);
  FailureOr<scf::SCFTilingResult> result = tileAndReplace(
      rewriter, op, sizes, scf::SCFTilingOptions::LoopType::ForOp,
      partialReduction ? ReductionTilingStrategy::PartialReductionOuterReduction
                       : ReductionTilingStrategy::FullReduction,
      interchange);
  if (failed(result))
    return failure();
  if (!peel)
    return cast<TilingInterface>(result->tiledOps.front());
  // Innermost first: peeling an outer loop copies its body, and the copy
  // must contain the already peeled inner loops.
  for (LoopLikeOpInterface loop : llvm::reverse(result->loops)) {
    scf::ForOp partial;
    (void)scf::peelForLoopAndSimplifyBounds(
        rewriter, cast<scf::ForOp>(loop.getOperation()), partial);
  }
  return cast<TilingInterface>(result->tiledOps.front());
}

bool isMatmulLike(Operation *op) {
  return isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) || isPackedMatmul(op);
}

/// Tiles `op` with `sizes`, in loops nested in the order `interchange`
/// gives, and peels the generated loops. A
/// reduction along the innermost strip (a sum over rows, or over all) is
/// tiled in two steps: its parallel dims first, then its reduction dims
/// with one partial result per lane of the strip, added elementwise in the
/// loop and merged once after it, instead of a horizontal reduction per
/// strip. Matmuls keep their register tiles; any other reduction, dot
/// products (the mean of a product) included, takes this path (in the
/// op's loop order).
LogicalResult tileAndPeel(RewriterBase &rewriter, TilingInterface op,
                          ArrayRef<int64_t> sizes,
                          ArrayRef<int64_t> interchange = {}) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op.getOperation());
  SmallVector<unsigned> reductionDims;
  if (linalgOp)
    linalgOp.getReductionDims(reductionDims);
  bool innermostReduction =
      linalgOp && !isMatmulLike(op) &&
      !sizes.empty() && sizes.back() > 1 &&
      llvm::is_contained(reductionDims, unsigned(sizes.size() - 1));
  if (!innermostReduction)
    return tileOnce(rewriter, op, sizes, /*partialReduction=*/false,
                    interchange);
  SmallVector<int64_t> parallelSizes(sizes), reductionSizes(sizes);
  for (unsigned dim = 0; dim < sizes.size(); ++dim)
    (llvm::is_contained(reductionDims, dim) ? parallelSizes
                                            : reductionSizes)[dim] = 0;
  FailureOr<TilingInterface> rows =
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
  SmallVector<int64_t> ranges = staticLoopRanges(op);
  for (unsigned dim = 0; dim < sizes.size(); ++dim) {
    if (sizes[dim] == 0)
      continue;
    // One tile or less along this loop: nothing to distribute there.
    if (ShapedType::isDynamic(ranges[dim]) ||
        llvm::divideCeil(ranges[dim], sizes[dim]) < 2) {
      sizes[dim] = 0;
      continue;
    }
    if (ranges[dim] % sizes[dim] == 0 || hasStaticTilesAtAnyExtent(op))
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
  // Chunks of a reduction loop each reduce into a partial result of their
  // own, merged after the forall.
  return tileAndReplace(rewriter, op, sizes,
                        scf::SCFTilingOptions::LoopType::ForallOp,
                        ReductionTilingStrategy::PartialReductionOuterParallel);
}

/// The register tile of a packed matmul, (mr, nr), from its packed
/// operands [M/mr][K][mr][1] and [N/nr][K][nr][1].
std::pair<int64_t, int64_t> packedRegisterTile(linalg::LinalgOp op) {
  auto lhs = cast<ShapedType>(op.getDpsInputs()[0].getType());
  auto rhs = cast<ShapedType>(op.getDpsInputs()[1].getType());
  return {lhs.getDimSize(2), rhs.getDimSize(2)};
}

/// Rewrites a packed matmul on one register tile (unit outer dims, k0 = 1)
/// into the linalg.matmul the vectorizer turns into a register-resident
/// contraction, through rank-reducing slices (which bufferize to subviews):
/// lhs [1,1,mr,1] -> mr x 1, rhs [1,1,nr,1] -> 1 x nr (k0 = 1, so the
/// transposed inner layout is the same memory), acc [1,1,mr,nr] (mmt4d) or
/// [1,mr,1,nr] (in place) -> mr x nr.
LogicalResult packedTileToMatmul(RewriterBase &rewriter, linalg::LinalgOp op) {
  auto lhsType = cast<RankedTensorType>(op.getDpsInputs()[0].getType());
  auto accType = cast<RankedTensorType>(op.getDpsInits()[0].getType());
  auto [mr, nr] = packedRegisterTile(op);
  if (lhsType.getShape().take_front(2) != ArrayRef<int64_t>{1, 1} ||
      lhsType.getDimSize(3) != 1 || accType.getNumElements() != mr * nr)
    return failure();
  Location loc = op.getLoc();
  Type elementType = accType.getElementType();
  rewriter.setInsertionPoint(op);
  auto slice = [&](Value tile, ArrayRef<int64_t> shape) {
    auto type = cast<RankedTensorType>(tile.getType());
    SmallVector<OpFoldResult> offsets(type.getRank(), rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(type.getRank(), rewriter.getIndexAttr(1));
    return tensor::ExtractSliceOp::create(
        rewriter, loc, RankedTensorType::get(shape, elementType), tile,
        offsets, tensor::getMixedSizes(rewriter, loc, tile), strides);
  };
  Value acc = op.getDpsInits()[0];
  Value product =
      linalg::MatmulOp::create(
          rewriter, loc, RankedTensorType::get({mr, nr}, elementType),
          ValueRange{slice(op.getDpsInputs()[0], {mr, 1}),
                     slice(op.getDpsInputs()[1], {1, nr})},
          ValueRange{slice(acc, {mr, nr})})
          .getResult(0);
  SmallVector<OpFoldResult> offsets(4, rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> strides(4, rewriter.getIndexAttr(1));
  rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(
      op, product, acc, offsets, tensor::getMixedSizes(rewriter, loc, acc),
      strides);
  return success();
}

/// The offsets, sizes and strides of the slice of `value` that is
/// [offset, offset + size) along dim `at` and whole along the others.
std::tuple<SmallVector<OpFoldResult>, SmallVector<OpFoldResult>,
           SmallVector<OpFoldResult>>
sliceAlong(OpBuilder &builder, Value value, unsigned at, int64_t offset,
           int64_t size) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> offsets(type.getRank(), builder.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes =
      getAsIndexOpFoldResult(builder.getContext(), type.getShape());
  SmallVector<OpFoldResult> strides(type.getRank(), builder.getIndexAttr(1));
  offsets[at] = builder.getIndexAttr(offset);
  sizes[at] = builder.getIndexAttr(size);
  return {offsets, sizes, strides};
}

/// Splits a pack that pads into the part whose inner tiles are all whole
/// and the last, padded row of tiles along each padded dim, so that every
/// tile of either part has a static source shape. (linalg::splitOp does
/// not handle packs.)
void splitPaddedPack(RewriterBase &rewriter, linalg::PackOp pack) {
  RankedTensorType sourceType = pack.getSourceType();
  ArrayRef<int64_t> perm = pack.getOuterDimsPerm();
  for (auto [packedDim, packedTile] :
       llvm::zip_equal(pack.getInnerDimsPos(), pack.getStaticTiles())) {
    // Plain copies: lambdas cannot capture structured bindings in C++17.
    int64_t dim = packedDim, tile = packedTile;
    int64_t extent = sourceType.getDimSize(dim);
    if (ShapedType::isDynamic(extent) || ShapedType::isDynamic(tile) ||
        extent % tile == 0 || extent < tile)
      continue;
    // The result's outer dims are the source dims in `perm` order.
    unsigned outer =
        perm.empty() ? dim : llvm::find(perm, int64_t(dim)) - perm.begin();
    int64_t wholeTiles = extent / tile;
    Location loc = pack.getLoc();
    rewriter.setInsertionPoint(pack);
    Value dest = pack.getDest();
    auto part = [&](int64_t firstTile, int64_t tiles, Value into) {
      auto [srcOffsets, srcSizes, srcStrides] =
          sliceAlong(rewriter, pack.getSource(), dim, firstTile * tile,
                std::min(tiles * tile, extent - firstTile * tile));
      Value source = tensor::ExtractSliceOp::create(
          rewriter, loc, pack.getSource(), srcOffsets, srcSizes, srcStrides);
      auto [offsets, sizes, strides] =
          sliceAlong(rewriter, into, outer, firstTile, tiles);
      Value partDest = tensor::ExtractSliceOp::create(rewriter, loc, into,
                                                      offsets, sizes, strides);
      auto partPack = linalg::PackOp::create(
          rewriter, loc, source, partDest, pack.getInnerDimsPos(),
          pack.getMixedTiles(), pack.getPaddingValue(), perm);
      Value result = tensor::InsertSliceOp::create(
          rewriter, loc, partPack.getResult(), into, offsets, sizes, strides);
      return std::make_pair(partPack, result);
    };
    auto [whole, afterWhole] = part(0, wholeTiles, dest);
    auto [padded, afterPadded] = part(wholeTiles, 1, afterWhole);
    rewriter.replaceOp(pack, afterPadded);
    // Either part may pad along another dim too.
    splitPaddedPack(rewriter, whole);
    splitPaddedPack(rewriter, padded);
    return;
  }
}

/// True for an op on tensors that row fusion may tile and clone into a
/// loop: a linalg op other than a matmul (whose tiling is its own), or an
/// unpack (the relayout of a packed matmul's result).
bool isRowFusible(Operation *op) {
  if (auto unpack = dyn_cast_or_null<linalg::UnPackOp>(op))
    return unpack.getDestType().hasStaticShape();
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.hasPureTensorSemantics() && !isMatmulLike(op) &&
         !linalgOp.hasDynamicShape();
}

/// The rows of one inner tile of `unpack`'s result: its inner tile along
/// result dim 0 (1 when that dim is not packed). None when the outer dims
/// are permuted, which row fusion does not handle.
std::optional<int64_t> unpackRowTile(linalg::UnPackOp unpack) {
  ArrayRef<int64_t> perm = unpack.getOuterDimsPerm();
  if (!perm.empty() && !isIdentityPermutation(perm))
    return std::nullopt;
  for (auto [dim, tile] :
       llvm::zip_equal(unpack.getInnerDimsPos(), unpack.getStaticTiles()))
    if (dim == 0)
      return ShapedType::isDynamic(tile) ? std::nullopt
                                         : std::optional<int64_t>(tile);
  return 1;
}

/// The input of `root` that is a whole unpack result read row by row, and
/// read by nothing else: the unpack can be computed a block of rows at a
/// time next to `root`.
OpOperand *rowUnpackInput(linalg::LinalgOp root) {
  AffineExpr rows = getAffineDimExpr(0, root.getContext());
  for (OpOperand *operand : root.getDpsInputOperands()) {
    auto unpack = operand->get().getDefiningOp<linalg::UnPackOp>();
    AffineMap map = root.getMatchingIndexingMap(operand);
    if (unpack && isRowFusible(unpack) && unpack->hasOneUse() &&
        unpackRowTile(unpack) &&
        map.getNumResults() > 0 && map.getResult(0) == rows)
      return operand;
  }
  return nullptr;
}

/// An unpack of rows [first, first + count) of `unpack`'s result into a
/// new tensor, from the matching row tiles of its source; `first` is a
/// multiple of the row tile, and `count` too unless the rows reach the end.
linalg::UnPackOp unpackRows(RewriterBase &rewriter, linalg::UnPackOp unpack,
                            int64_t first, int64_t count) {
  int64_t tile = *unpackRowTile(unpack);
  Location loc = unpack.getLoc();
  auto [offsets, sizes, strides] =
      sliceAlong(rewriter, unpack.getSource(), 0, first / tile,
                 llvm::divideCeil(count, tile));
  Value source = tensor::ExtractSliceOp::create(
      rewriter, loc, unpack.getSource(), offsets, sizes, strides);
  SmallVector<int64_t> shape(unpack.getDestType().getShape());
  shape[0] = count;
  Value dest = tensor::EmptyOp::create(rewriter, loc, shape,
                                       unpack.getDestType().getElementType());
  return linalg::UnPackOp::create(rewriter, loc, source, dest,
                                  unpack.getInnerDimsPos(),
                                  unpack.getMixedTiles(),
                                  unpack.getOuterDimsPerm());
}

/// Whether `root` and the chain of ops it reads can be tiled together
/// along their outermost loop, in blocks of rows:
/// - `root` is elementwise and reads, indexed by that loop, the result of a
///   reduction (the row sums of a softmax): the rows' intermediate results
///   then stay in cache instead of making a pass over memory each;
/// - or `root` reads, row by row, the unpacked result of a packed matmul
///   that nothing else reads: the result is then unpacked a block at a time
///   next to its consumer (an epilogue), not into a whole temporary.
/// Columns are not fused: a block of columns is a strided walk over memory.
bool isRowFusionRoot(linalg::LinalgOp root) {
  if (!isRowFusible(root) || root.getNumLoops() < 2 ||
      isa<linalg::FillOp>(root))
    return false;
  if (rowUnpackInput(root))
    return true;
  return root.getNumReductionLoops() == 0 &&
         llvm::any_of(root.getDpsInputOperands(), [&](OpOperand *operand) {
           auto reduction = operand->get().getDefiningOp<linalg::LinalgOp>();
           return isRowFusible(reduction) &&
                  reduction.getNumReductionLoops() != 0 &&
                  root.getMatchingIndexingMap(operand).isFunctionOfDim(0);
         });
}

struct GraftTilePass final : graft::impl::GraftTilePassBase<GraftTilePass> {
  using Base::Base;

  void runOnOperation() override {
    target = TargetDescription::hostWithVectorBits(vectorBits);
    target.l1Bytes = l1CacheBytes;
    target.l2Bytes = l2CacheBytes;
    target.l3Bytes = l3CacheBytes;
    IRRewriter rewriter(&getContext());
    // First, so that the part of whole tiles can be distributed in static
    // chunks.
    getOperation().walk(
        [&](linalg::PackOp pack) { splitPaddedPack(rewriter, pack); });
    if (failed(canonicalize()))
      return signalPassFailure();
    if (failed(fuseRowChains(rewriter)))
      return signalPassFailure();
    // A producer read by two ops of a chain was fused once for each.
    if (failed(cleanup()))
      return signalPassFailure();
    if (threads > 1) {
      // Ops in a row-fused loop are already distributed with it.
      for (TilingInterface op : collect([&](Operation *op) {
             return op->getParentOp() == getOperation();
           })) {
        LogicalResult distributed =
            isa<linalg::UnPackOp>(op)
                ? distributeUnpack(rewriter, cast<linalg::UnPackOp>(op))
                : distribute(rewriter, op, distributionTiles(op));
        if (failed(distributed)) {
          op->emitOpError("distribution over threads failed");
          return signalPassFailure();
        }
      }
      if (failed(canonicalize()))
        return signalPassFailure();
    }
    // Cache tiles first; after canonicalization each matmul tile has a
    // static shape and gets its register tile.
    if (failed(tileEach(
            isMatmulLike, [&](TilingInterface op) { return cacheTile(op); },
            [&](TilingInterface op) { return cacheLoopOrder(op); })))
      return signalPassFailure();
    if (failed(canonicalize()))
      return signalPassFailure();
    if (failed(tileEach(nullptr,
                        [&](TilingInterface op) { return registerTile(op); })))
      return signalPassFailure();
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isPackedMatmul(op))
        (void)packedTileToMatmul(rewriter, op);
    });
    if (failed(canonicalize()))
      return signalPassFailure();
    lowerRelayouts(rewriter);
  }

  /// Tiles each chain of isRowFusionRoot (its root, and the ops it reads
  /// from) together: one loop over blocks of rows, in which every op of
  /// the chain computes its part of the block. With threads, the loop is an
  /// scf.forall.
  LogicalResult fuseRowChains(RewriterBase &rewriter) {
    SmallVector<linalg::LinalgOp> roots;
    for (Operation &op : getOperation().getBody().getOps())
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(&op))
        if (isRowFusionRoot(linalgOp))
          roots.push_back(linalgOp);
    DenseSet<Operation *> erased;
    // Last first: a root that feeds a later one is fused into its loop.
    for (linalg::LinalgOp root : llvm::reverse(roots)) {
      if (erased.contains(root))
        continue;
      if (failed(fuseRowChain(rewriter, root, erased)))
        return failure();
    }
    return success();
  }

  LogicalResult fuseRowChain(RewriterBase &rewriter, linalg::LinalgOp root,
                             DenseSet<Operation *> &erased) {
    SmallVector<int64_t> ranges = root.getStaticLoopRanges();
    int64_t rows = ranges[0];
    int64_t work = 1;
    for (int64_t extent : ranges)
      work *= extent;
    // An empty iteration space has nothing to tile.
    if (work == 0)
      return success();
    int64_t rowBytes = work / rows * (elementBits(root) / 8);
    // A block's input and its intermediate result (a softmax's
    // exponentials) share L1, so that only the first pass over the block
    // waits for L2 or memory. With blocks in a quarter of L2, softmax
    // 4096^2 took 11 ms on one AVX-512 core, against 5.5 ms.
    int64_t block = std::max<int64_t>(1, target.l1Bytes / (2 * rowBytes));
    bool parallel = threads > 1 && work >= target.minParallelWork() &&
                    rows >= 2 * int64_t(threads);
    if (parallel)
      block = std::min(block, std::max<int64_t>(1, rows / (4 * threads)));
    if (OpOperand *input = rowUnpackInput(root)) {
      // Whole row tiles of the unpack per block keep every block static;
      // rows left over after the last whole block are split off first.
      auto unpack = input->get().getDefiningOp<linalg::UnPackOp>();
      int64_t tile = *unpackRowTile(unpack);
      block = std::max(tile, block / tile * tile);
      if (block >= rows)
        return success();
      if (rows % block != 0)
        return splitRows(rewriter, root, unpack, rows / block * block, erased);
    } else {
      // Blocks that divide the rows keep every block static.
      while (rows % block != 0)
        --block;
      if (block == rows)
        return success();
    }

    // The ops the chain consists of; a producer that is also read from
    // outside it is left where it is, rather than computed twice.
    DenseSet<Operation *> chain;
    SmallVector<Operation *> worklist = {root};
    while (!worklist.empty()) {
      Operation *op = worklist.pop_back_val();
      if (!chain.insert(op).second)
        continue;
      for (Value operand : op->getOperands())
        if (Operation *producer = operand.getDefiningOp();
            producer && isRowFusible(producer))
          worklist.push_back(producer);
    }
    func::FuncOp function = getOperation();
    scf::SCFTileAndFuseOptions options;
    SmallVector<int64_t> sizes(ranges.size(), 0);
    sizes[0] = block;
    options.tilingOptions.setTileSizes(
        getAsIndexOpFoldResult(rewriter.getContext(), sizes));
    options.tilingOptions.setLoopType(
        parallel ? scf::SCFTilingOptions::LoopType::ForallOp
                 : scf::SCFTilingOptions::LoopType::ForOp);
    // Blocks of a reduction over the rows (a sum of everything) run at
    // once on separate threads, each into a partial result of its own.
    if (parallel && root.getIteratorTypesArray()[0] ==
                        utils::IteratorType::reduction) {
      options.tilingOptions.setReductionTilingStrategy(
          ReductionTilingStrategy::PartialReductionOuterParallel);
      options.tilingOptions.setReductionDims({0});
    }
    options.setFusionControlFn(
        [&](tensor::ExtractSliceOp slice, OpResult producer, bool)
            -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
          Operation *op = producer.getOwner();
          // A slice of the whole result would be recomputed by every block
          // (a reduction over the rows, read by each of them).
          if (!isRowFusible(op) ||
              slice.getStaticSizes() == slice.getSourceType().getShape())
            return std::nullopt;
          // An unpack's block must hold whole row tiles to be static.
          if (auto unpack = dyn_cast<linalg::UnPackOp>(op)) {
            std::optional<int64_t> tile = unpackRowTile(unpack);
            if (!tile || ShapedType::isDynamic(slice.getStaticSizes()[0]) ||
                slice.getStaticSizes()[0] % *tile != 0)
              return std::nullopt;
          }
          // Users inside the new loop are the slices fusion made.
          if (llvm::any_of(op->getUsers(), [&](Operation *user) {
                return user->getParentOp() == function &&
                       !chain.contains(user);
              }))
            return std::nullopt;
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        });
    rewriter.setInsertionPoint(root);
    FailureOr<scf::SCFTileAndFuseResult> result =
        scf::tileConsumerAndFuseProducersUsingSCF(
            rewriter, cast<TilingInterface>(root.getOperation()), options);
    if (failed(result))
      return root->emitOpError("fusing along rows failed");
    for (OpResult value : root->getResults())
      rewriter.replaceAllUsesWith(value, result->replacements.lookup(value));
    erased.insert(root);
    rewriter.eraseOp(root);
    // The fused producers that only the chain read are now dead.
    for (bool changed = true; changed;) {
      changed = false;
      for (Operation *producer : result->fusedProducers)
        if (!erased.contains(producer) && producer->use_empty()) {
          erased.insert(producer);
          rewriter.eraseOp(producer);
          changed = true;
        }
    }
    return success();
  }

  /// Distributes `unpack` in chunks of whole row tiles (of its source)
  /// that divide its rows, so that every chunk is static. Without such a
  /// chunk (1000 rows in 6-row tiles) it stays on one thread: splitting off
  /// the remaining rows, as row fusion does, doubled the LLVM IR of the seed
  /// graph (a remainder variant and a padded copy per unpack) and its
  /// compile time, for a few percent of run time.
  LogicalResult distributeUnpack(RewriterBase &rewriter,
                                 linalg::UnPackOp unpack) {
    std::optional<int64_t> tile = unpackRowTile(unpack);
    RankedTensorType type = unpack.getDestType();
    if (!tile || !type.hasStaticShape() ||
        type.getNumElements() < target.minParallelWork())
      return success();
    int64_t rows = type.getDimSize(0);
    int64_t chunk = std::max<int64_t>(1, rows / (4 * threads)) / *tile * *tile;
    while (chunk > 0 && rows % chunk != 0)
      chunk -= *tile;
    if (chunk <= 0 || rows / chunk < 2)
      return success();
    SmallVector<int64_t> sizes(type.getRank(), 0);
    sizes[0] = chunk;
    return tileAndReplace(rewriter,
                          cast<TilingInterface>(unpack.getOperation()), sizes,
                          scf::SCFTilingOptions::LoopType::ForallOp,
                          ReductionTilingStrategy::FullReduction);
  }

  /// Splits `root`, which reads `unpack` row by row, into its rows before
  /// `splitPoint` (a multiple of the unpack's row tile) and those after it;
  /// each part reads an unpack of its own rows and is fused on its own.
  LogicalResult splitRows(RewriterBase &rewriter, linalg::LinalgOp root,
                          linalg::UnPackOp unpack, int64_t splitPoint,
                          DenseSet<Operation *> &erased) {
    int64_t rows = unpack.getDestType().getDimSize(0);
    rewriter.setInsertionPoint(root);
    erased.insert(root);
    auto [head, tail] =
        linalg::splitOp(rewriter, cast<TilingInterface>(root.getOperation()),
                        0, rewriter.getIndexAttr(splitPoint));
    SmallVector<linalg::LinalgOp> parts;
    for (auto [part, first, count] :
         {std::make_tuple(head, int64_t(0), splitPoint),
          std::make_tuple(tail, splitPoint, rows - splitPoint)}) {
      auto linalgOp = cast<linalg::LinalgOp>(part.getOperation());
      for (OpOperand *input : linalgOp.getDpsInputOperands()) {
        auto slice = input->get().getDefiningOp<tensor::ExtractSliceOp>();
        if (!slice || slice.getSource() != unpack.getResult())
          continue;
        rewriter.setInsertionPoint(linalgOp);
        Value rowsOfPart =
            unpackRows(rewriter, unpack, first, count).getResult();
        rewriter.modifyOpInPlace(linalgOp, [&] { input->set(rowsOfPart); });
      }
      parts.push_back(linalgOp);
    }
    for (linalg::LinalgOp part : parts)
      if (failed(fuseRowChain(rewriter, part, erased)))
        return failure();
    return success();
  }

  /// The ops on tensors to tile that `filter` accepts (all when null):
  /// linalg ops and packs/unpacks. Fills are left whole: graft-unshare-fills
  /// gives each consumer its own fill before bufferization, and LLVM turns
  /// a whole fill into memset-like code.
  SmallVector<TilingInterface> collect(function_ref<bool(Operation *)> filter) {
    SmallVector<TilingInterface> ops;
    getOperation().walk([&](TilingInterface op) {
      auto linalgOp = dyn_cast<linalg::LinalgOp>(op.getOperation());
      bool candidate =
          linalgOp ? linalgOp.hasPureTensorSemantics() &&
                         !isa<linalg::FillOp>(op)
                   : isa<linalg::PackOp, linalg::UnPackOp>(op);
      if (candidate && (!filter || filter(op)))
        ops.push_back(op);
    });
    return ops;
  }

  /// Tiles every op `filter` accepts with the sizes `sizesFor` gives, its
  /// loops nested in the order `orderFor` gives (default: the op's).
  LogicalResult tileEach(
      function_ref<bool(Operation *)> filter,
      function_ref<SmallVector<int64_t>(TilingInterface)> sizesFor,
      function_ref<SmallVector<int64_t>(TilingInterface)> orderFor = nullptr) {
    IRRewriter rewriter(&getContext());
    for (TilingInterface op : collect(filter))
      if (failed(tileAndPeel(rewriter, op, sizesFor(op),
                             orderFor ? orderFor(op) : SmallVector<int64_t>())))
        return op->emitOpError("tiling failed");
    return success();
  }

  /// Packs and unpacks, now tiled to a few register tiles each with static
  /// shapes, become pad/reshape/linalg.transpose on the tile, which
  /// graft-vectorize turns into vector transposes after bufferization.
  /// (Upstream's direct pack vectorization builds invalid vector types for
  /// some of these tiles.)
  void lowerRelayouts(RewriterBase &rewriter) {
    SmallVector<Operation *> relayouts;
    getOperation().walk([&](Operation *op) {
      if (isa<linalg::PackOp, linalg::UnPackOp>(op))
        relayouts.push_back(op);
    });
    for (Operation *op : relayouts) {
      rewriter.setInsertionPoint(op);
      if (auto pack = dyn_cast<linalg::PackOp>(op))
        (void)linalg::lowerPack(rewriter, pack);
      else
        (void)linalg::lowerUnPack(rewriter, cast<linalg::UnPackOp>(op));
    }
  }

  LogicalResult canonicalize() {
    OpPassManager pm(func::FuncOp::getOperationName());
    pm.addPass(createGraftCanonicalizerPass());
    return runPipeline(pm, getOperation());
  }

  LogicalResult cleanup() {
    OpPassManager pm(func::FuncOp::getOperationName());
    pm.addPass(createGraftCanonicalizerPass());
    pm.addPass(createCSEPass());
    return runPipeline(pm, getOperation());
  }

  static int64_t elementBits(Operation *op) {
    return getElementTypeOrSelf(op->getResult(0).getType())
        .getIntOrFloatBitWidth();
  }

  /// The loops of `op` to run on separate threads and their tile sizes.
  /// A matmul is distributed by its M x N cache tiles (a batched one by
  /// batch when there are enough batches); every other op by chunks of its
  /// outermost parallel loop, about four per thread so that a remainder
  /// chunk on one thread costs little. Small ops stay on one thread.
  SmallVector<int64_t> distributionTiles(TilingInterface op) {
    SmallVector<int64_t> ranges = staticLoopRanges(op);
    SmallVector<int64_t> none(ranges.size(), 0);
    int64_t work = 1;
    for (int64_t extent : ranges) {
      if (ShapedType::isDynamic(extent))
        return none;
      work *= extent;
    }
    // Each point of a pack's loops moves a whole inner tile (a 256^2
    // matmul's packs: 8,192 points, 65,536 elements each).
    if (auto pack = dyn_cast<linalg::PackOp>(op.getOperation()))
      for (int64_t tile : pack.getStaticTiles())
        work *= tile;
    if (work < target.minParallelWork())
      return none;
    // A packed matmul: each thread takes one contiguous share of the row
    // tiles (or of the column panels, where there are more of those) and
    // runs the whole cache loop nest (cacheLoopOrder) on it, so that it
    // reads each block of the packed rhs once. Shares need not be whole
    // cache tiles: its partial tiles are fine.
    if (hasStaticTilesAtAnyExtent(op)) {
      unsigned dim = ranges[1] > ranges[0] ? 1 : 0;
      none[dim] = llvm::divideCeil(ranges[dim], int64_t(threads));
      return none;
    }
    if (isMatmulLike(op)) {
      SmallVector<int64_t> cache = cacheTile(op);
      // Every loop from K on stays inside a thread's tile.
      unsigned kDim = isa<linalg::BatchMatmulOp>(op) ? 3 : 2;
      std::fill(cache.begin() + kDim, cache.end(), 0);
      if (isa<linalg::BatchMatmulOp>(op) && ranges[0] >= 2 * threads)
        std::fill(cache.begin() + 1, cache.end(), 0);
      return cache;
    }
    SmallVector<utils::IteratorType> iterators = op.getLoopIteratorTypes();
    auto parallel = llvm::find(iterators, utils::IteratorType::parallel);
    // A reduction over everything (a sum of all elements) is distributed
    // along its outermost loop, in chunks that divide it: each thread
    // reduces its chunk into a partial result.
    if (parallel == iterators.end()) {
      if (!isa<linalg::LinalgOp>(op.getOperation()) || ranges.empty())
        return none;
      none[0] = dividingChunk(ranges[0], ranges[0] / (4 * threads), threads);
      return none;
    }
    unsigned dim = parallel - iterators.begin();
    int64_t chunk = std::max<int64_t>(1, ranges[dim] / (4 * threads));
    // A pack cannot be split (linalg::splitOp), so its chunk must divide
    // the loop. (Distributing a pack along a later loop instead crashes
    // upstream canonicalization.)
    if (isa<linalg::PackOp>(op)) {
      none[dim] = dividingChunk(ranges[dim], chunk, threads);
      return none;
    }
    // Chunks of the innermost loop keep whole strips.
    int64_t strip = registerTile(op)[dim];
    if (strip > 1)
      chunk = std::max(strip, chunk / strip * strip);
    none[dim] = chunk;
    return none;
  }

  /// The matmul cache tile (M, N, K); batch dims of linalg.batch_matmul are
  /// tiled to 1, and a packed matmul's are counted in register tiles.
  SmallVector<int64_t> cacheTile(TilingInterface op) {
    SmallVector<int64_t> cache =
        orDefault(matmulCacheTile, target.matmulCacheTile(elementBits(op)));
    if (isPackedMatmul(op)) {
      auto [mr, nr] = packedRegisterTile(cast<linalg::LinalgOp>(*op));
      SmallVector<int64_t> ranges = staticLoopRanges(op);
      return chooseTileSizes(
          op, {std::max<int64_t>(1, cache[0] / mr),
               evenTile(ranges[1], std::max<int64_t>(1, cache[1] / nr)),
               evenTile(ranges[2], cache[2]), 0, 0, 0});
    }
    if (isa<linalg::BatchMatmulOp>(op))
      cache.insert(cache.begin(), 1);
    int64_t kDim = cache.size() - 1;
    cache[kDim] = evenTile(staticLoopRanges(op)[kDim], cache[kDim]);
    return chooseTileSizes(op, cache);
  }

  /// The nesting of a packed matmul's cache-tile loops. M, N, K (the
  /// op's order) keeps a block of the result in L1 and L2 across the whole
  /// depth, and reads the packed rhs again for every block of rows: from
  /// L3, while it fits in a quarter of it. A larger rhs would come from
  /// memory every time (2048^2: 34 times 16 MB, 25% slower), so its loops
  /// are nested K, N, M: one K x N block of the rhs stays in L2 while every
  /// row tile passes over it, and the rhs is read once. Other matmuls keep
  /// their loop order.
  SmallVector<int64_t> cacheLoopOrder(TilingInterface op) {
    if (!isPackedMatmul(op))
      return {};
    auto rhs = cast<ShapedType>(
        cast<linalg::LinalgOp>(*op).getDpsInputs()[1].getType());
    int64_t rhsBytes = rhs.getNumElements() * elementBits(op) / 8;
    if (rhsBytes <= target.l3Bytes / 4)
      return {};
    return {2, 1, 0, 3, 4, 5};
  }

  int64_t innerTileSize(Operation *op) {
    return innerTile > 0 ? innerTile : target.innerTile(elementBits(op));
  }

  /// Matmuls: the target's register tile (a packed matmul: one register
  /// tile of its panels). Packs and unpacks: a few register tiles. Every
  /// other op: one innermost strip.
  SmallVector<int64_t> registerTile(TilingInterface op) {
    if (isPackedMatmul(op))
      return chooseTileSizes(op, {1, 1, 1, 0, 0, 0});
    if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op)) {
      SmallVector<int64_t> reg = orDefault(
          matmulRegisterTile, target.matmulRegisterTile(elementBits(op)));
      if (isa<linalg::BatchMatmulOp>(op))
        reg.insert(reg.begin(), 1);
      return chooseTileSizes(op, reg);
    }
    if (auto pack = dyn_cast<linalg::PackOp>(op.getOperation()))
      return chooseTileSizes(op, relayoutTile(pack.getSourceRank(), {}, {}));
    if (auto unpack = dyn_cast<linalg::UnPackOp>(op.getOperation()))
      return chooseTileSizes(
          op, relayoutTile(unpack.getDestRank(), unpack.getInnerDimsPos(),
                           unpack.getStaticTiles()));
    SmallVector<int64_t> targets(staticLoopRanges(op).size(), 1);
    if (targets.empty())
      return chooseTileSizes(op, targets);
    targets.back() = innerTileSize(op);
    // Several rows at a time share the strip's partial results.
    if (int64_t rows = reductionRows(op); rows > 1) {
      targets[targets.size() - 2] = rows;
      targets.back() =
          std::max(target.lanes(elementBits(op)), targets.back() / rows);
    }
    return chooseTileSizes(op, targets);
  }

  /// The rows a reduction along its innermost loop reads at a time: the
  /// largest power of two up to the target's that divides its second
  /// innermost loop, when every input is read along rows (its minor dim is
  /// the innermost loop); 1 for any other op.
  int64_t reductionRows(TilingInterface op) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op.getOperation());
    if (!linalgOp || isMatmulLike(op) || linalgOp.getNumLoops() < 2)
      return 1;
    unsigned innermost = linalgOp.getNumLoops() - 1;
    if (linalgOp.getIteratorTypesArray()[innermost] !=
        utils::IteratorType::reduction)
      return 1;
    AffineExpr innermostDim = getAffineDimExpr(innermost, op.getContext());
    for (OpOperand *input : linalgOp.getDpsInputOperands()) {
      AffineMap map = linalgOp.getMatchingIndexingMap(input);
      if (map.getNumResults() == 0 || map.getResults().back() != innermostDim)
        return 1;
    }
    int64_t extent = staticLoopRanges(op)[innermost - 1];
    if (ShapedType::isDynamic(extent))
      return 1;
    int64_t rows = target.reductionRows;
    while (rows > 1 && extent % rows != 0)
      rows /= 2;
    return rows;
  }

  /// A pack or unpack tile of one inner tile: then the transpose in it
  /// only moves unit dims, and lowers to plain vector loads and stores (one
  /// register-tile column of A is a short strided gather). Larger tiles
  /// would need real vector transposes, which unroll into so many shuffles
  /// that LLVM's compile time explodes.
  static SmallVector<int64_t> relayoutTile(int64_t rank,
                                           ArrayRef<int64_t> packedDims,
                                           ArrayRef<int64_t> packedTiles) {
    SmallVector<int64_t> tile(rank, 1);
    for (auto [dim, size] : llvm::zip_equal(packedDims, packedTiles))
      tile[dim] = size;
    return tile;
  }

  static SmallVector<int64_t> orDefault(ArrayRef<int64_t> option,
                                        ArrayRef<int64_t> fallback) {
    return llvm::to_vector(option.size() == 3 ? option : fallback);
  }

  TargetDescription target;
};

} // namespace
