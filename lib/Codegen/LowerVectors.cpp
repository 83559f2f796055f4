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

/// f32 exp(x) = 2^n p(r), with n = round(x / ln 2) and r = x - n ln 2 in
/// [-ln 2 / 2, ln 2 / 2]: 13 vector instructions, against about 20 for
/// upstream's approximation, whose constants also spilled in a strip of
/// four vectors. n comes from one FMA: adding 1.5 * 2^23 rounds to an
/// integer and leaves n (plus an exponent bias) in the low mantissa bits,
/// which one shift moves into the exponent field of the scale 2^(n-1).
/// Scaling by 2^(n-1) with p doubled (exact: its coefficients are doubled)
/// keeps the scale finite up to ln(FLT_MAX), where 2^n is not.
/// r is computed in two parts (Cody-Waite), so that n ln 2 is exact.
/// p is a degree-6 minimax polynomial (relative error 3e-9): the result is
/// within 0.9 ulp of exp(x) for every f32 x whose exp is a normal float
/// above 1.7e-38. Below that (x < -86.99) the result is 0, above ln(FLT_MAX)
/// it is +inf, and NaN stays NaN (the clamps select x when unordered).
struct ExpApproximation final : OpRewritePattern<math::ExpOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(math::ExpOp op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!getElementTypeOrSelf(type).isF32())
      return failure();
    auto vectorType = dyn_cast<VectorType>(type);
    Type intType = rewriter.getI32Type();
    if (vectorType)
      intType = vectorType.clone(intType);
    Location loc = op.getLoc();
    auto constant = [&](Type constantType, TypedAttr value) -> Value {
      if (vectorType)
        value = DenseElementsAttr::get(cast<ShapedType>(constantType), value);
      return arith::ConstantOp::create(rewriter, loc, constantType, value);
    };
    auto f32 = [&](float value) {
      return constant(type, rewriter.getF32FloatAttr(value));
    };
    auto fma = [&](Value a, Value b, Value c) -> Value {
      return math::FmaOp::create(rewriter, loc, a, b, c);
    };
    // select(x < bound, bound, x): NaN compares false and passes through.
    auto clamp = [&](Value x, arith::CmpFPredicate predicate, float bound) {
      Value boundValue = f32(bound);
      Value beyond =
          arith::CmpFOp::create(rewriter, loc, predicate, x, boundValue);
      return arith::SelectOp::create(rewriter, loc, beyond, boundValue, x)
          .getResult();
    };

    // -126 ln 2 gives n = -126, whose scale 2^(n-1) has a zero exponent
    // field: 0. 88.8 > ln(FLT_MAX) overflows to +inf.
    Value x = clamp(op.getOperand(), arith::CmpFPredicate::OLT, -87.33654475f);
    x = clamp(x, arith::CmpFPredicate::OGT, 88.8f);
    // 1.5 * 2^23 makes the sum an integer; 126 is the bias of 2^(n-1).
    Value shifter = f32(12582912.0f + 126.0f);
    Value t = fma(x, f32(1.44269504088896341f), shifter);
    Value n = arith::SubFOp::create(rewriter, loc, t, shifter);
    // ln 2 = 0.693145751953125 + 1.42860677e-6: the first part has 11
    // significant bits, so its product with n (|n| <= 129) is exact.
    Value r = fma(n, f32(-0.693145751953125f), x);
    r = fma(n, f32(-1.428606765330187045e-06f), r);
    // 2 exp(r), degree 6 (coefficients fitted for minimal relative error
    // on [-ln 2 / 2, ln 2 / 2], doubled).
    static constexpr float kCoefficients[] = {2 * 0.0013814539415761828f,
                                              2 * 0.00836874544620514f,
                                              2 * 0.04166838899254799f,
                                              2 * 0.1666652113199234f,
                                              2 * 0.4999999403953552f,
                                              2.0f,
                                              2.0f};
    Value p = f32(kCoefficients[0]);
    for (float coefficient : llvm::drop_begin(kCoefficients))
      p = fma(p, r, f32(coefficient));
    Value bits = arith::BitcastOp::create(rewriter, loc, intType, t);
    bits = arith::ShLIOp::create(
        rewriter, loc, bits, constant(intType, rewriter.getI32IntegerAttr(23)));
    Value scale = arith::BitcastOp::create(rewriter, loc, type, bits);
    rewriter.replaceOpWithNewOp<arith::MulFOp>(op, p, scale);
    return success();
  }
};

/// A horizontal floating-point add, max or min of a vector of 4 or more
/// lanes becomes a tree: the two halves combined lane by lane, log2(n)
/// times. LLVM expands these reductions as a chain of scalar steps, each
/// waiting for the last (16 lanes of a maxnumf: 48 dependent instructions),
/// and a softmax waits for two of them per row. The order of an add
/// changes; the lanes are partial sums already.
struct HorizontalReductionTree final : OpRewritePattern<vector::ReductionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::ReductionOp op,
                                PatternRewriter &rewriter) const override {
    using vector::CombiningKind;
    VectorType type = op.getSourceVectorType();
    CombiningKind kind = op.getKind();
    int64_t lanes = type.getNumElements();
    if (cast<vector::MaskableOpInterface>(*op).isMasked() ||
        !isa<FloatType>(type.getElementType()) || type.getRank() != 1 ||
        type.isScalable() || lanes < 4 || !llvm::isPowerOf2_64(lanes) ||
        !llvm::is_contained({CombiningKind::ADD, CombiningKind::MAXNUMF,
                             CombiningKind::MINNUMF, CombiningKind::MAXIMUMF,
                             CombiningKind::MINIMUMF},
                            kind))
      return failure();
    Location loc = op.getLoc();
    Value value = op.getVector();
    for (int64_t half = lanes / 2; half >= 1; half /= 2) {
      auto halves = [&](int64_t offset) {
        return vector::ExtractStridedSliceOp::create(
                   rewriter, loc, value, ArrayRef<int64_t>{offset},
                   ArrayRef<int64_t>{half}, ArrayRef<int64_t>{1})
            .getResult();
      };
      value = vector::makeArithReduction(rewriter, loc, kind, halves(0),
                                         halves(half), op.getFastmathAttr());
    }
    Value result = vector::ExtractOp::create(rewriter, loc, value, 0);
    if (Value acc = op.getAcc())
      result = vector::makeArithReduction(rewriter, loc, kind, result, acc,
                                          op.getFastmathAttr());
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct GraftLowerVectorsPass final
    : graft::impl::GraftLowerVectorsPassBase<GraftLowerVectorsPass> {
  void runOnOperation() override {
    flattenNarrowWrites();
    RewritePatternSet patterns(&getContext());
    patterns.add<TransferReadToMinorIdentity, HorizontalReductionTree>(
        &getContext());
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
    patterns.add<ExpApproximation>(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      return name == "math.log" || name == "math.tanh";
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
