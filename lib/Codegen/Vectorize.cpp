//===- Vectorize.cpp - Vectorize linalg ops on buffers ----------*- C++ -*-===//
//
// This file implements the graft-vectorize pass, steps 4 and 5 of the matmul
// recipe: vectorize after bufferization, fold memref aliases into the
// transfers, then hoist loop-invariant transfers out of the reduction loop.
//
//===----------------------------------------------------------------------===//

#include "graft/Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorTransforms.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#define DEBUG_TYPE "graft-vectorize"

namespace mlir::graft {
#define GEN_PASS_DEF_GRAFTVECTORIZEPASS
#include "graft/Codegen/Passes.h.inc"
} // namespace mlir::graft

using namespace mlir;
using namespace mlir::graft;

namespace {

/// Folds a memref.expand_shape into a vector transfer through it, when
/// each vector dim covers the innermost dim of its own reassociation group
/// (or is a unit dim, which is dropped): the transfer then addresses the
/// source directly, row-major index (i, j) of a group [I][J] being i*J + j.
/// A packed matmul that accumulates in place reads and writes its register
/// tiles through such a view ([M/mr][mr][N/nr][nr] of its result); folded,
/// the tile's read and write match and upstream hoisting keeps the
/// accumulators in registers across the k loop.
template <typename TransferOp>
struct FoldExpandShapeIntoTransfer final : OpRewritePattern<TransferOp> {
  using OpRewritePattern<TransferOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(TransferOp op,
                                PatternRewriter &rewriter) const override {
    auto expand = op.getBase().template getDefiningOp<memref::ExpandShapeOp>();
    if (!expand || op.getMask() || op.hasOutOfBoundsDim() ||
        !op.getPermutationMap().isProjectedPermutation(
            /*allowZeroInResults=*/false))
      return failure();
    MemRefType expanded = expand.getResultType();
    if (!expanded.hasStaticShape())
      return failure();
    SmallVector<ReassociationIndices> groups = expand.getReassociationIndices();
    // A 0-d source has no groups: its unit dims come from nowhere.
    if (groups.empty())
      return failure();
    SmallVector<int64_t> groupOf(expanded.getRank());
    for (auto [g, group] : llvm::enumerate(groups))
      for (int64_t dim : group)
        groupOf[dim] = g;
    VectorType vectorType = op.getVectorType();
    SmallVector<int64_t> keptShape;
    SmallVector<AffineExpr> keptDims;
    int64_t lastGroup = -1;
    for (auto [v, result] :
         llvm::enumerate(op.getPermutationMap().getResults())) {
      int64_t dim = cast<AffineDimExpr>(result).getPosition();
      int64_t group = groupOf[dim];
      if (vectorType.getDimSize(v) == 1 && dim != groups[group].back())
        continue;
      if (dim != groups[group].back() || group <= lastGroup)
        return failure();
      lastGroup = group;
      keptShape.push_back(vectorType.getDimSize(v));
      keptDims.push_back(rewriter.getAffineDimExpr(group));
    }
    Location loc = op.getLoc();
    SmallVector<Value> indices;
    for (const ReassociationIndices &group : groups) {
      AffineExpr expr = rewriter.getAffineConstantExpr(0);
      int64_t stride = 1;
      SmallVector<Value> operands;
      for (int64_t dim : llvm::reverse(group)) {
        expr = expr + rewriter.getAffineDimExpr(operands.size()) * stride;
        operands.push_back(op.getIndices()[dim]);
        stride *= expanded.getDimSize(dim);
      }
      indices.push_back(affine::makeComposedAffineApply(
          rewriter, loc,
          AffineMap::get(operands.size(), 0, expr, rewriter.getContext()),
          getAsOpFoldResult(operands)));
    }
    auto keptType = VectorType::get(keptShape, vectorType.getElementType());
    AffineMap map =
        AffineMap::get(groups.size(), 0, keptDims, rewriter.getContext());
    SmallVector<bool> inBounds(keptShape.size(), true);
    if constexpr (std::is_same_v<TransferOp, vector::TransferReadOp>) {
      Value read = vector::TransferReadOp::create(
          rewriter, loc, keptType, expand.getSrc(), indices,
          AffineMapAttr::get(map), op.getPadding(), /*mask=*/Value(),
          rewriter.getBoolArrayAttr(inBounds));
      rewriter.replaceOpWithNewOp<vector::ShapeCastOp>(op, vectorType, read);
    } else {
      Value value =
          vector::ShapeCastOp::create(rewriter, loc, keptType, op.getVector());
      rewriter.replaceOpWithNewOp<vector::TransferWriteOp>(
          op, value, expand.getSrc(), indices, AffineMapAttr::get(map),
          /*mask=*/Value(), rewriter.getBoolArrayAttr(inBounds));
    }
    return success();
  }
};

/// A fill of an expand_shape view fills its source: every element of both.
struct FillThroughExpandShape final : OpRewritePattern<linalg::FillOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::FillOp fill,
                                PatternRewriter &rewriter) const override {
    if (!fill.hasPureBufferSemantics())
      return failure();
    auto expand = fill.getDpsInits()[0].getDefiningOp<memref::ExpandShapeOp>();
    if (!expand)
      return failure();
    rewriter.replaceOpWithNewOp<linalg::FillOp>(fill, fill.getInputs(),
                                                ValueRange{expand.getSrc()});
    return success();
  }
};

struct GraftVectorizePass final
    : graft::impl::GraftVectorizePassBase<GraftVectorizePass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();

    IRRewriter rewriter(ctx);
    // A copy between strided buffers (the padded edge of a pack) would
    // become a call to the memrefCopy runtime function; as a linalg.copy it
    // is vectorized below or becomes a loop nest.
    func.walk([&](memref::CopyOp copy) {
      auto identity = [](Value buffer) {
        auto type = dyn_cast<MemRefType>(buffer.getType());
        return type && type.getLayout().isIdentity();
      };
      if (identity(copy.getSource()) && identity(copy.getTarget()))
        return;
      rewriter.setInsertionPoint(copy);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                  copy.getTarget());
    });

    SmallVector<linalg::LinalgOp> candidates;
    func.walk([&](linalg::LinalgOp op) {
      if (op.hasPureBufferSemantics() && fitsInVector(op) &&
          hasReducedInput(op))
        candidates.push_back(op);
    });
    for (linalg::LinalgOp op : candidates) {
      rewriter.setInsertionPoint(op);
      // Contractions become vector.contract directly; the generic
      // reduction-to-contract patterns are not used, because they also fire
      // on broadcast products reduced to a scalar and build invalid
      // contracts there.
      FailureOr<linalg::VectorizationResult> result = linalg::vectorize(
          rewriter, op, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
          /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
          /*assumeDynamicDimsMatchVecSizes=*/false,
          /*createNamedContraction=*/
          isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op));
      // An op the vectorizer cannot handle stays and becomes loops later.
      if (succeeded(result))
        rewriter.replaceOp(op, result->replacements);
    }
    // Copies too large for one vector become loops now, so that their
    // subviews fold into loads and stores below: upstream hoisting keeps no
    // transfer of a buffer that has any view in the function, and a copy
    // of one corner of a packed matmul result would otherwise keep every
    // register tile of that matmul loading and storing its accumulator on
    // each k step.
    SmallVector<linalg::CopyOp> copies;
    func.walk([&](linalg::CopyOp copy) {
      if (copy.hasPureBufferSemantics())
        copies.push_back(copy);
    });
    for (linalg::CopyOp copy : copies) {
      rewriter.setInsertionPoint(copy);
      if (succeeded(linalg::linalgOpToLoops(rewriter, copy)))
        rewriter.eraseOp(copy);
    }

    RewritePatternSet patterns(ctx);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    memref::populateFoldMemRefAliasOpPatterns(patterns);
    patterns.add<FoldExpandShapeIntoTransfer<vector::TransferReadOp>,
                 FoldExpandShapeIntoTransfer<vector::TransferWriteOp>,
                 FillThroughExpandShape>(ctx);
    // Elementwise math on broadcast operands (a softmax row's reciprocal)
    // runs once on the scalar instead of once per lane.
    vector::populateSinkVectorOpsPatterns(patterns);
    vector::TransferReadOp::getCanonicalizationPatterns(patterns, ctx);
    vector::TransferWriteOp::getCanonicalizationPatterns(patterns, ctx);
    memref::SubViewOp::getCanonicalizationPatterns(patterns, ctx);
    // Not converging within the iteration limit leaves valid IR, only less
    // folded; it is not an error.
    (void)applyPatternsGreedily(func, std::move(patterns),
                                graftRewriteConfig());

    // Folding the aliases recomputes each transfer's indices; hoisting needs
    // a read and a write to use the same index values.
    DominanceInfo dominance(func);
    eliminateCommonSubExpressions(rewriter, dominance, func);
    linalg::hoistRedundantVectorTransfers(func);
    // A reduction's partial sums live in a small buffer per row that is
    // written, read into the loop, written back and read once more. With
    // the reads forwarded from the writes, nothing reads the buffer: it and
    // its writes go, and with them an allocation per row.
    forwardBufferTransfers(rewriter, func);
    eraseWriteOnlyAllocs(rewriter, func);
  }

  /// Store-to-load forwarding and dead-store elimination for the buffers
  /// that only transfers use, directly and through no view: allocations,
  /// and function arguments (the engine checks at every call that output
  /// buffers overlap nothing; inputs are only read). Upstream's
  /// transferOpflowOpt does this for every buffer and proves transfers
  /// disjoint with value-bounds queries: on a graph of three matmuls that
  /// took a tenth of the whole compile, spent on packed buffers and their
  /// views, where nothing is ever forwarded. Without views, a transfer sees
  /// another's value only when both have the same indices and type, and a
  /// block's order decides.
  static void forwardBufferTransfers(RewriterBase &rewriter,
                                     func::FuncOp func) {
    SmallVector<Value> buffers(func.getArguments());
    func.walk(
        [&](memref::AllocOp alloc) { buffers.push_back(alloc.getResult()); });
    for (Value buffer : buffers) {
      SmallVector<Operation *> writes, reads;
      if (!isa<MemRefType>(buffer.getType()) ||
          !onlyDirectTransfers(buffer, writes, reads))
        continue;
      for (Operation *read : reads)
        if (Operation *write = reachingWrite(read, writes)) {
          rewriter.replaceAllUsesWith(
              read->getResult(0),
              cast<vector::TransferWriteOp>(write).getVector());
          rewriter.eraseOp(read);
        }
      if (!onlyDirectTransfers(buffer, writes, reads))
        continue;
      SmallVector<Operation *> dead;
      for (Operation *write : writes)
        if (isOverwritten(write, writes, reads))
          dead.push_back(write);
      for (Operation *write : dead)
        rewriter.eraseOp(write);
    }
  }

  /// Collects the transfer_writes and transfer_reads of `buffer`, if
  /// nothing else uses it and none is masked.
  static bool onlyDirectTransfers(Value buffer,
                                  SmallVectorImpl<Operation *> &writes,
                                  SmallVectorImpl<Operation *> &reads) {
    writes.clear();
    reads.clear();
    for (OpOperand &use : buffer.getUses()) {
      Operation *user = use.getOwner();
      auto transfer = dyn_cast<VectorTransferOpInterface>(user);
      if (!transfer || transfer.getBase() != buffer || transfer.getMask() ||
          cast<vector::MaskableOpInterface>(user).isMasked())
        return false;
      (isa<vector::TransferWriteOp>(user) ? writes : reads).push_back(user);
    }
    return true;
  }

  /// Whether transfer `later` accesses exactly the elements transfer
  /// `earlier` accesses, as the same vector elements.
  static bool sameElements(Operation *later, Operation *earlier) {
    auto a = cast<VectorTransferOpInterface>(later);
    auto b = cast<VectorTransferOpInterface>(earlier);
    return !a.hasOutOfBoundsDim() && !b.hasOutOfBoundsDim() &&
           a.getIndices() == b.getIndices() &&
           a.getVectorType() == b.getVectorType() &&
           a.getPermutationMap() == b.getPermutationMap();
  }

  /// Whether any of `ops` other than `from` can run after `from` and before
  /// `to` (or before `to` within the op containing it in `from`'s block).
  static bool anyBetween(Operation *from, Operation *to,
                         ArrayRef<Operation *> ops) {
    Block *block = from->getBlock();
    Operation *toAncestor = block->findAncestorOpInBlock(*to);
    return llvm::any_of(ops, [&](Operation *op) {
      Operation *ancestor = block->findAncestorOpInBlock(*op);
      return op != from && ancestor && from->isBeforeInBlock(ancestor) &&
             (ancestor == toAncestor || ancestor->isBeforeInBlock(toAncestor));
    });
  }

  /// The write whose value `read` sees, if it is certain: the last write
  /// before the read, or before the op containing it, in the innermost
  /// block that has one, to the same elements, with no other write between
  /// the two or nested in the op containing the read.
  static Operation *reachingWrite(Operation *read,
                                  ArrayRef<Operation *> writes) {
    for (Operation *readAncestor = read;
         readAncestor && readAncestor->getBlock();
         readAncestor = readAncestor->getParentOp()) {
      Operation *last = nullptr;
      for (Operation *write : writes)
        if (write->getBlock() == readAncestor->getBlock() &&
            write->isBeforeInBlock(readAncestor) &&
            (!last || last->isBeforeInBlock(write)))
          last = write;
      if (!last)
        continue;
      if (!sameElements(last, read) || anyBetween(last, read, writes))
        return nullptr;
      return last;
    }
    return nullptr;
  }

  /// Whether a later write in the same block replaces every element of
  /// `write` before any read can see them.
  static bool isOverwritten(Operation *write, ArrayRef<Operation *> writes,
                            ArrayRef<Operation *> reads) {
    return llvm::any_of(writes, [&](Operation *later) {
      return later->getBlock() == write->getBlock() &&
             write->isBeforeInBlock(later) && sameElements(later, write) &&
             !anyBetween(write, later, reads);
    });
  }

  /// Erases the allocations that are only written to (by transfers), with
  /// their writes. Deallocations are not inserted yet.
  static void eraseWriteOnlyAllocs(RewriterBase &rewriter, func::FuncOp func) {
    SmallVector<memref::AllocOp> allocs;
    func.walk([&](memref::AllocOp alloc) {
      if (llvm::all_of(alloc->getUsers(), [&](Operation *user) {
            auto write = dyn_cast<vector::TransferWriteOp>(user);
            return write && write.getBase() == alloc.getResult();
          }))
        allocs.push_back(alloc);
    });
    for (memref::AllocOp alloc : allocs) {
      for (Operation *write : llvm::make_early_inc_range(alloc->getUsers()))
        rewriter.eraseOp(write);
      rewriter.eraseOp(alloc);
    }
  }

  /// Reductions vectorize only when an input varies along every reduced
  /// loop. A reduction whose body ignores its inputs (a fill folded into a
  /// sum) would be vectorized into a single update instead of one per
  /// iteration; it stays a loop.
  static bool hasReducedInput(linalg::LinalgOp op) {
    SmallVector<unsigned> reductionDims;
    op.getReductionDims(reductionDims);
    for (unsigned dim : reductionDims) {
      bool read = llvm::any_of(op.getDpsInputOperands(), [&](OpOperand *in) {
        return op.getMatchingIndexingMap(in).isFunctionOfDim(dim) &&
               op.payloadUsesValueFromOperand(in);
      });
      if (!read)
        return false;
    }
    return true;
  }

  /// Static iteration space no larger than the vector budget.
  bool fitsInVector(linalg::LinalgOp op) const {
    int64_t elements = 1;
    for (int64_t extent : op.getStaticLoopRanges()) {
      // An empty iteration space would need zero-length vectors.
      if (ShapedType::isDynamic(extent) || extent == 0)
        return false;
      elements *= extent;
      if (elements > maxVectorElements)
        return false;
    }
    return true;
  }
};

} // namespace
