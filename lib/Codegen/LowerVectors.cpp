//===- LowerVectors.cpp - Lower vector ops to 1-D forms ---------*- C++ -*-===//
//
// This file implements the graft-lower-vectors pass, step 6 of the matmul
// recipe: contractions become outer products (broadcast + FMA), and n-D
// vector ops are broken into the 1-D ops that map onto zmm registers.
//
//===----------------------------------------------------------------------===//

#include "graft/Codegen/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

#define DEBUG_TYPE "graft-lower-vectors"

namespace mlir::graft {
#define GEN_PASS_DEF_GRAFTLOWERVECTORSPASS
#include "graft/Codegen/Passes.h.inc"
} // namespace mlir::graft

using namespace mlir;
using namespace mlir::graft;

namespace {

/// Rewrites an in-bounds transfer_read whose permutation map skips memref
/// dims, but whose non-unit vector dims follow the memref's dim order, into
/// a minor-identity read of the same elements, a shape_cast, and a
/// broadcast for the map's broadcast dims. Trailing unit memref dims after
/// the last read dim are collapsed away first, so that the read ends in a
/// contiguous row. Example: a packed matmul's rhs panel, read as
/// vector<1x16xf32> with map (d0, d1, d2, d3) -> (d0, d2) from
/// memref<64x1024x16x1xf32>, becomes one vector<16xf32> load; upstream
/// vector-to-scf would make it a loop of 16 scalar loads, which only LLVM's
/// loop unrolling turned back into a vector load.
struct TransferReadToMinorIdentity final
    : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    auto memrefType = dyn_cast<MemRefType>(read.getBase().getType());
    VectorType vectorType = read.getVectorType();
    AffineMap map = read.getPermutationMap();
    if (!memrefType || memrefType.getRank() == 0 || read.getMask() ||
        map.isMinorIdentity() || vectorType.isScalable() ||
        read.hasOutOfBoundsDim())
      return failure();
    int64_t rank = memrefType.getRank();
    // The memref dims the vector varies along, in vector order, and the
    // vector's extent along each.
    SmallVector<int64_t> readDims, readSizes;
    SmallVector<int64_t> unbroadcastShape;
    bool broadcasts = false;
    for (auto [result, size] :
         llvm::zip_equal(map.getResults(), vectorType.getShape())) {
      if (auto dim = dyn_cast<AffineDimExpr>(result)) {
        unbroadcastShape.push_back(size);
        if (size != 1) {
          readDims.push_back(dim.getPosition());
          readSizes.push_back(size);
        }
        continue;
      }
      auto constant = dyn_cast<AffineConstantExpr>(result);
      if (!constant || constant.getValue() != 0)
        return failure();
      broadcasts = true;
      unbroadcastShape.push_back(1);
    }
    if (!llvm::is_sorted(readDims) ||
        llvm::adjacent_find(readDims) != readDims.end())
      return failure();
    int64_t first = readDims.empty() ? rank - 1 : readDims.front();
    int64_t last = readDims.empty() ? rank - 1 : readDims.back();
    for (int64_t dim = last + 1; dim < rank; ++dim)
      if (memrefType.getDimSize(dim) != 1)
        return failure();

    Location loc = read.getLoc();
    Value source = read.getBase();
    SmallVector<Value> indices(read.getIndices());
    if (last + 1 < rank) {
      SmallVector<ReassociationIndices> groups;
      for (int64_t dim = 0; dim < last; ++dim)
        groups.push_back({dim});
      groups.emplace_back();
      for (int64_t dim = last; dim < rank; ++dim)
        groups.back().push_back(dim);
      if (!memref::CollapseShapeOp::isGuaranteedCollapsible(memrefType,
                                                            groups))
        return failure();
      source = memref::CollapseShapeOp::create(rewriter, loc, source, groups);
      indices.resize(last + 1);
    }
    // Dims in between that the vector does not vary along are read at
    // their index, with extent 1.
    SmallVector<int64_t> shape(last - first + 1, 1);
    for (auto [dim, size] : llvm::zip_equal(readDims, readSizes))
      shape[dim - first] = size;
    auto shapeType = VectorType::get(shape, vectorType.getElementType());
    Value value = vector::TransferReadOp::create(
        rewriter, loc, shapeType, source, indices, read.getPadding(),
        SmallVector<bool>(shape.size(), true));
    auto unbroadcastType =
        VectorType::get(unbroadcastShape, vectorType.getElementType());
    value = vector::ShapeCastOp::create(rewriter, loc, unbroadcastType, value);
    if (broadcasts)
      value = vector::BroadcastOp::create(rewriter, loc, vectorType, value);
    rewriter.replaceOp(read, value);
    return success();
  }
};

struct GraftLowerVectorsPass final
    : graft::impl::GraftLowerVectorsPassBase<GraftLowerVectorsPass> {
  void runOnOperation() override {
    flattenNarrowWrites();
    RewritePatternSet patterns(&getContext());
    patterns.add<TransferReadToMinorIdentity>(&getContext());
    vector::populateVectorContractLoweringPatterns(
        patterns, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorOuterProductLoweringPatterns(patterns);
    vector::populateVectorMultiReductionLoweringPatterns(
        patterns, vector::VectorMultiReductionLowering::InnerReduction);
    vector::populateVectorTransposeLoweringPatterns(
        patterns, vector::VectorTransposeLowering::EltWise);
    vector::populateVectorBroadcastLoweringPatterns(patterns);
    vector::populateVectorShapeCastLoweringPatterns(patterns);
    vector::populateVectorMaskOpLoweringPatterns(patterns);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateVectorTransferLoweringPatterns(patterns,
                                                   /*maxTransferRank=*/1);
    // f32 exp, log and tanh on vectors would otherwise become one libm call
    // per lane; the polynomials stay in vector registers.
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      return name == "math.exp" || name == "math.log" || name == "math.tanh";
    });
    // Not converging within the iteration limit leaves valid IR, only less
    // lowered; graft-convert-to-llvm reports anything it cannot handle.
    (void)applyPatternsGreedily(getOperation(), std::move(patterns),
                                graftRewriteConfig());
    unrollTransfers();
    lowerAffine();
  }

  /// The index arithmetic of tiling and unrolling (affine.apply, min and
  /// max) becomes arith, as upstream's lower-affine does, in one walk:
  /// each op lowers on its own, so no worklist or conversion is needed.
  void lowerAffine() {
    RewritePatternSet patterns(&getContext());
    populateAffineToStdConversionPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }

  /// n-D transfers become unrolled 1-D ones, which the LLVM conversion
  /// turns into vector loads and stores. These are upstream's
  /// convert-vector-to-scf patterns with full unrolling, without that
  /// pass's region simplification.
  void unrollTransfers() {
    RewritePatternSet patterns(&getContext());
    populateVectorToSCFConversionPatterns(
        patterns, VectorTransferToSCFOptions().enableFullUnroll());
    (void)applyPatternsGreedily(getOperation(), std::move(patterns),
                                graftRewriteConfig());
  }

  /// Writes of rows narrower than 128 bits into a contiguous block (a pack
  /// tile: 16 rows of one element) become one 1-D write; vector-to-scf
  /// would store each row on its own. Reads keep their rows: a register
  /// tile's column of lhs elements is best broadcast from memory one by
  /// one, not loaded as a vector and shuffled.
  void flattenNarrowWrites() {
    // Only n-D writes of more than one element have rows to merge
    // (upstream isContiguousSlice also reads out of bounds on a vector of
    // unit dims only, such as vector<1x1xf64>).
    SmallVector<Operation *> writes;
    getOperation().walk([&](vector::TransferWriteOp write) {
      VectorType type = write.getVectorType();
      if (type.getRank() >= 2 && type.getNumElements() > 1)
        writes.push_back(write);
    });
    RewritePatternSet patterns(&getContext());
    vector::populateFlattenVectorTransferPatterns(
        patterns, /*targetVectorBitwidth=*/128);
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingOps);
    (void)applyOpPatternsGreedily(writes, std::move(patterns), config);
  }
};

} // namespace
