//===- GraftToLinalg.cpp - Lower graft ops to linalg ------------*- C++ -*-===//
//
// This file implements the convert-graft-to-linalg pass. Elementwise ops
// become one linalg.generic each, with broadcasting expressed in the indexing
// maps, so that linalg's elementwise fusion can merge whole chains later.
//
//===----------------------------------------------------------------------===//

#include "graft/Conversion/GraftToLinalg/GraftToLinalg.h"
#include "graft/Conversion/Passes.h"
#include "graft/Dialect/Graft/IR/GraftOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::graft {
#define GEN_PASS_DEF_CONVERTGRAFTTOLINALGPASS
#include "graft/Conversion/Passes.h.inc"
} // namespace mlir::graft

using namespace mlir;
using namespace mlir::graft;

std::string mlir::graft::getRandomRuntimeFunctionName(bool normal,
                                                      unsigned bitWidth) {
  return std::string("graft_rt_") + (normal ? "randn_f" : "rand_f") +
         std::to_string(bitWidth);
}

namespace {

using ScalarBuilder =
    function_ref<Value(OpBuilder &, Location, ValueRange operands)>;

//===----------------------------------------------------------------------===//
// Builders shared by the patterns
//===----------------------------------------------------------------------===//

/// Builds an all-parallel linalg.generic producing `resultType` from
/// `inputs` read through `inputMaps`.
Value buildParallelGeneric(OpBuilder &b, Location loc,
                           RankedTensorType resultType, ValueRange inputs,
                           ArrayRef<AffineMap> inputMaps,
                           ScalarBuilder scalarFn) {
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, init, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value result = scalarFn(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, result);
      });
  return generic.getResult(0);
}

/// The indexing map that reads `type` broadcast to `resultType` with NumPy
/// rules: missing leading dims are dropped and size-1 dims read index 0.
AffineMap getBroadcastMap(RankedTensorType type, RankedTensorType resultType) {
  MLIRContext *ctx = type.getContext();
  int64_t rank = resultType.getRank();
  int64_t offset = rank - type.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    bool broadcast =
        type.getDimSize(i) == 1 && resultType.getDimSize(offset + i) != 1;
    exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                              : getAffineDimExpr(offset + i, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// Builds a linalg.generic producing `resultType` from `inputs`, each
/// broadcast to the result shape with NumPy rules.
Value buildBroadcastingGeneric(OpBuilder &b, Location loc,
                               RankedTensorType resultType, ValueRange inputs,
                               ScalarBuilder scalarFn) {
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(
        getBroadcastMap(cast<RankedTensorType>(input.getType()), resultType));
  return buildParallelGeneric(b, loc, resultType, inputs, maps, scalarFn);
}

/// Returns a tensor of `type` filled with `value`.
Value buildFilledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                        double value) {
  Value init =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  Value scalar = arith::ConstantOp::create(
      b, loc, b.getFloatAttr(type.getElementType(), value));
  return linalg::FillOp::create(b, loc, scalar, init).getResult(0);
}

/// Reshapes `value` to `resultType` (same element count) with collapse and
/// expand ops, which bufferize to views of the same buffer.
Value buildReshape(OpBuilder &b, Location loc, Value value,
                   RankedTensorType resultType) {
  auto sourceType = cast<RankedTensorType>(value.getType());
  if (sourceType == resultType)
    return value;
  // Without elements there is nothing to move, and zero-size dims have no
  // reassociation, not even to 1-D (going through 1-D recursed forever).
  if (resultType.getNumElements() == 0)
    return tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                   resultType.getElementType());
  if (std::optional<SmallVector<ReassociationIndices>> reassociation =
          getReassociationIndicesForReshape(sourceType, resultType)) {
    if (sourceType.getRank() < resultType.getRank())
      return tensor::ExpandShapeOp::create(b, loc, resultType, value,
                                           *reassociation);
    return tensor::CollapseShapeOp::create(b, loc, resultType, value,
                                           *reassociation);
  }
  // No direct reassociation (e.g. 2x3 -> 3x2): go through 1-D.
  auto flatType = RankedTensorType::get({sourceType.getNumElements()},
                                        sourceType.getElementType());
  return buildReshape(b, loc, buildReshape(b, loc, value, flatType),
                      resultType);
}

/// The affine map selecting all dims of a rank-`rank` space except `dims`.
AffineMap getDroppingMap(int64_t rank, ArrayRef<int64_t> dims,
                         MLIRContext *ctx) {
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (!llvm::is_contained(dims, i))
      exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// Converts `value` to `type` if it is a different float type.
Value castFloat(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  if (type.getIntOrFloatBitWidth() < value.getType().getIntOrFloatBitWidth())
    return arith::TruncFOp::create(b, loc, type, value);
  return arith::ExtFOp::create(b, loc, type, value);
}

Value floatConstant(OpBuilder &b, Location loc, Type type, double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

/// Sum accumulates f32 in f64 (WideSum) or in the element type. Max
/// propagates NaN, like torch.max. MaxNum skips NaNs (arith.maxnumf): where
/// a NaN in the input makes the result NaN through another path, it costs 3
/// instructions per x86 vector against 8.
enum class ReductionKind { WideSum, Sum, Max, MaxNum };

/// Reduces `input` over `reducedDims`, dropping them. WideSum accumulates
/// f32 in f64: a long sequential f32 sum loses digits that PyTorch's cascade
/// summation keeps, and the extra precision costs nothing in a
/// bandwidth-bound loop. The result's element type is the accumulator's.
Value buildReduction(OpBuilder &b, Location loc, Value input,
                     ArrayRef<int64_t> reducedDims, ReductionKind kind) {
  auto inputType = cast<RankedTensorType>(input.getType());
  Type elementType = inputType.getElementType();
  Type accType = kind == ReductionKind::WideSum && elementType.isF32()
                     ? b.getF64Type()
                     : elementType;
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> shape;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i) {
    bool reduced = llvm::is_contained(reducedDims, i);
    iterators.push_back(reduced ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
    if (!reduced)
      shape.push_back(inputType.getDimSize(i));
  }
  // Nothing to reduce (a scalar input): only the type changes. A 0-d
  // reduction generic would read its accumulator, and elementwise fusion
  // would then re-run it once per element of its consumer.
  if (reducedDims.empty())
    return buildBroadcastingGeneric(
        b, loc, inputType.clone(accType), input,
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          return castFloat(nb, nloc, args[0], accType);
        });
  auto accTensorType = RankedTensorType::get(shape, accType);
  bool isSum = kind == ReductionKind::WideSum || kind == ReductionKind::Sum;
  double init = isSum ? 0.0
                    : -std::numeric_limits<double>::infinity();
  Value acc = buildFilledTensor(b, loc, accTensorType, init);
  SmallVector<AffineMap> maps = {
      b.getMultiDimIdentityMap(rank),
      getDroppingMap(rank, reducedDims, b.getContext())};
  auto generic = linalg::GenericOp::create(
      b, loc, accTensorType, input, acc, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value element = args[0];
        if (element.getType() != accType)
          element = arith::ExtFOp::create(nb, nloc, accType, element);
        Value combined;
        switch (kind) {
        case ReductionKind::WideSum:
        case ReductionKind::Sum:
          combined = arith::AddFOp::create(nb, nloc, element, args[1]);
          break;
        case ReductionKind::Max:
          combined = arith::MaximumFOp::create(nb, nloc, element, args[1]);
          break;
        case ReductionKind::MaxNum:
          combined = arith::MaxNumFOp::create(nb, nloc, element, args[1]);
          break;
        }
        linalg::YieldOp::create(nb, nloc, combined);
      });
  return generic.getResult(0);
}

//===----------------------------------------------------------------------===//
// Creation ops
//===----------------------------------------------------------------------===//

struct ConstantOpLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, cast<TypedAttr>(op.getValue()));
    return success();
  }
};

struct FullOpLowering : OpConversionPattern<FullOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(FullOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op,
                       buildFilledTensor(rewriter, op.getLoc(), op.getType(),
                                         op.getValue().getValueAsDouble()));
    return success();
  }
};

struct EyeOpLowering : OpConversionPattern<EyeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(EyeOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type elementType = op.getType().getElementType();
    rewriter.replaceOp(
        op, buildBroadcastingGeneric(
                rewriter, op.getLoc(), op.getType(), /*inputs=*/{},
                [&](OpBuilder &b, Location loc, ValueRange) -> Value {
                  Value row = linalg::IndexOp::create(b, loc, 0);
                  Value col = linalg::IndexOp::create(b, loc, 1);
                  Value onDiagonal = arith::CmpIOp::create(
                      b, loc, arith::CmpIPredicate::eq, row, col);
                  return arith::SelectOp::create(
                      b, loc, onDiagonal, floatConstant(b, loc, elementType, 1),
                      floatConstant(b, loc, elementType, 0));
                }));
    return success();
  }
};

/// graft.rand and graft.randn fill a fresh buffer through the runtime's
/// mt19937, which is inherently sequential, then hand the buffer to tensor
/// land. The runtime takes (address, element count, seed) as plain i64
/// values so that the call needs no memref descriptor.
template <typename SourceOp, bool isNormal>
struct RandomOpLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    auto module = op->template getParentOfType<ModuleOp>();
    if (!module)
      return rewriter.notifyMatchFailure(op, "no module to hold the callee");
    func::FuncOp callee = getOrInsertRuntimeFunction(
        module,
        getRandomRuntimeFunctionName(isNormal, type.getElementTypeBitWidth()),
        rewriter);

    auto bufferType = MemRefType::get(type.getShape(), type.getElementType());
    Value buffer = memref::AllocOp::create(rewriter, loc, bufferType,
                                           rewriter.getI64IntegerAttr(64));
    Value address =
        memref::ExtractAlignedPointerAsIndexOp::create(rewriter, loc, buffer);
    auto i64 = rewriter.getI64Type();
    Value args[] = {
        arith::IndexCastOp::create(rewriter, loc, i64, address),
        arith::ConstantOp::create(
            rewriter, loc, rewriter.getI64IntegerAttr(type.getNumElements())),
        arith::ConstantOp::create(rewriter, loc, op.getSeedAttr())};
    func::CallOp::create(rewriter, loc, callee, args);
    rewriter.replaceOpWithNewOp<bufferization::ToTensorOp>(
        op, type, buffer, /*restrict=*/true, /*writable=*/true);
    return success();
  }

  static func::FuncOp
  getOrInsertRuntimeFunction(ModuleOp module, StringRef name,
                             ConversionPatternRewriter &rewriter) {
    if (auto existing = module.lookupSymbol<func::FuncOp>(name))
      return existing;
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(module.getBody());
    auto i64 = rewriter.getI64Type();
    auto func =
        func::FuncOp::create(rewriter, module.getLoc(), name,
                             rewriter.getFunctionType({i64, i64, i64}, {}));
    func.setPrivate();
    return func;
  }
};

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

/// The arith/math op that each elementwise graft op maps to one to one.
/// arith.maximumf/minimumf propagate NaN, like torch.maximum/minimum.
template <typename Op> struct ScalarOpOf;
#define GRAFT_SCALAR_OP(GraftOp, ScalarOp)                                     \
  template <> struct ScalarOpOf<GraftOp> { using type = ScalarOp; };
GRAFT_SCALAR_OP(AddOp, arith::AddFOp)
GRAFT_SCALAR_OP(SubOp, arith::SubFOp)
GRAFT_SCALAR_OP(MulOp, arith::MulFOp)
GRAFT_SCALAR_OP(DivOp, arith::DivFOp)
GRAFT_SCALAR_OP(PowOp, math::PowFOp)
GRAFT_SCALAR_OP(MaximumOp, arith::MaximumFOp)
GRAFT_SCALAR_OP(MinimumOp, arith::MinimumFOp)
GRAFT_SCALAR_OP(NegOp, arith::NegFOp)
GRAFT_SCALAR_OP(ExpOp, math::ExpOp)
GRAFT_SCALAR_OP(LogOp, math::LogOp)
GRAFT_SCALAR_OP(SqrtOp, math::SqrtOp)
GRAFT_SCALAR_OP(TanhOp, math::TanhOp)
GRAFT_SCALAR_OP(AbsOp, math::AbsFOp)
#undef GRAFT_SCALAR_OP

/// The scalar body of each elementwise op, on already-broadcast operands.
template <typename Op>
Value buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  using ScalarOp = typename ScalarOpOf<Op>::type;
  if constexpr (Op::template hasTrait<OpTrait::NOperands<2>::Impl>())
    return ScalarOp::create(b, loc, args[0], args[1]);
  else
    return ScalarOp::create(b, loc, args[0]);
}

// 1 / (1 + exp(-x)): exp(-x) overflows to inf for very negative x, giving
// the correct limit 0.
template <>
Value buildScalar<SigmoidOp>(OpBuilder &b, Location l, ValueRange a) {
  Type type = a[0].getType();
  Value one = floatConstant(b, l, type, 1.0);
  Value negated = arith::NegFOp::create(b, l, a[0]);
  Value denominator =
      arith::AddFOp::create(b, l, one, math::ExpOp::create(b, l, negated));
  return arith::DivFOp::create(b, l, one, denominator);
}
// maximumf keeps NaN as NaN, like torch.relu.
template <> Value buildScalar<ReluOp>(OpBuilder &b, Location l, ValueRange a) {
  return arith::MaximumFOp::create(b, l, a[0],
                                   floatConstant(b, l, a[0].getType(), 0.0));
}

/// Comparisons produce 1.0 / 0.0 in the operands' element type.
template <arith::CmpFPredicate predicate>
Value buildComparison(OpBuilder &b, Location l, ValueRange a) {
  Type type = a[0].getType();
  Value holds = arith::CmpFOp::create(b, l, predicate, a[0], a[1]);
  return arith::SelectOp::create(b, l, holds, floatConstant(b, l, type, 1.0),
                                 floatConstant(b, l, type, 0.0));
}
template <> Value buildScalar<EqOp>(OpBuilder &b, Location l, ValueRange a) {
  return buildComparison<arith::CmpFPredicate::OEQ>(b, l, a);
}
// Unordered: NaN != anything, as in PyTorch.
template <> Value buildScalar<NeOp>(OpBuilder &b, Location l, ValueRange a) {
  return buildComparison<arith::CmpFPredicate::UNE>(b, l, a);
}
template <> Value buildScalar<LtOp>(OpBuilder &b, Location l, ValueRange a) {
  return buildComparison<arith::CmpFPredicate::OLT>(b, l, a);
}
template <> Value buildScalar<LeOp>(OpBuilder &b, Location l, ValueRange a) {
  return buildComparison<arith::CmpFPredicate::OLE>(b, l, a);
}
template <> Value buildScalar<GtOp>(OpBuilder &b, Location l, ValueRange a) {
  return buildComparison<arith::CmpFPredicate::OGT>(b, l, a);
}
template <> Value buildScalar<GeOp>(OpBuilder &b, Location l, ValueRange a) {
  return buildComparison<arith::CmpFPredicate::OGE>(b, l, a);
}

template <typename SourceOp>
struct ElementwiseOpLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, buildBroadcastingGeneric(
                               rewriter, op.getLoc(), op.getType(),
                               adaptor.getOperands(), buildScalar<SourceOp>));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

/// If `value` is a graft.transpose of a matrix, returns the matrix it
/// transposes (converted), so that a matmul can read it through transposed
/// indexing maps instead of materializing the transpose.
Value getTransposedMatrix(Value value, ConversionPatternRewriter &rewriter) {
  auto transpose = value.getDefiningOp<TransposeOp>();
  if (!transpose || transpose.getPerm() != ArrayRef<int64_t>{1, 0})
    return {};
  return rewriter.getRemappedValue(transpose.getInput());
}

/// Rank 2: linalg.matmul, reading transposed operands (the backward pass's
/// g @ y^T and x^T @ g) through its indexing maps. Rank >= 3 with a 2-D rhs:
/// the batch dims fold into the rows of one linalg.matmul. Otherwise both
/// operands are broadcast to the full batch shape, the batch dims collapse
/// into one, and linalg.batch_matmul computes it.
struct MatMulOpLowering : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    Type elementType = resultType.getElementType();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    ArrayRef<int64_t> shape = resultType.getShape();
    int64_t m = shape[shape.size() - 2], n = shape.back();
    int64_t k = lhsType.getShape().back();
    int64_t batch = 1;
    for (int64_t d : shape.drop_back(2))
      batch *= d;

    if (resultType.getRank() == 2) {
      rewriter.replaceOp(op, buildMatrixProduct(op, lhs, rhs, rewriter));
      return success();
    }
    Value product;
    if (rhsType.getRank() == 2) {
      auto rowsType = RankedTensorType::get({batch * m, k}, elementType);
      Value rows = buildReshape(rewriter, loc, lhs, rowsType);
      Value init = buildFilledTensor(
          rewriter, loc, RankedTensorType::get({batch * m, n}, elementType),
          0.0);
      product = linalg::MatmulOp::create(rewriter, loc, ValueRange{rows, rhs},
                                         ValueRange{init})
                    .getResult(0);
    } else {
      auto collapse = [&](Value operand, int64_t rows, int64_t cols) {
        auto type = cast<RankedTensorType>(operand.getType());
        SmallVector<int64_t> full(shape.drop_back(2));
        full.push_back(rows);
        full.push_back(cols);
        auto fullType = RankedTensorType::get(full, elementType);
        if (type != fullType)
          operand = buildBroadcastingGeneric(
              rewriter, loc, fullType, operand,
              [](OpBuilder &, Location, ValueRange a) { return a[0]; });
        return buildReshape(
            rewriter, loc, operand,
            RankedTensorType::get({batch, rows, cols}, elementType));
      };
      Value init = buildFilledTensor(
          rewriter, loc, RankedTensorType::get({batch, m, n}, elementType),
          0.0);
      product = linalg::BatchMatmulOp::create(
                    rewriter, loc,
                    ValueRange{collapse(lhs, m, k), collapse(rhs, k, n)},
                    ValueRange{init})
                    .getResult(0);
    }
    rewriter.replaceOp(op, buildReshape(rewriter, loc, product, resultType));
    return success();
  }

  static Value buildMatrixProduct(MatMulOp op, Value lhs, Value rhs,
                                  ConversionPatternRewriter &rewriter) {
    MLIRContext *ctx = rewriter.getContext();
    AffineExpr m, n, k;
    bindDims(ctx, m, n, k);
    SmallVector<AffineMap> maps = linalg::MatmulOp::getDefaultIndexingMaps(ctx);
    if (Value matrix = getTransposedMatrix(op.getLhs(), rewriter)) {
      lhs = matrix;
      maps[0] = AffineMap::get(3, 0, {k, m}, ctx);
    }
    if (Value matrix = getTransposedMatrix(op.getRhs(), rewriter)) {
      rhs = matrix;
      maps[1] = AffineMap::get(3, 0, {n, k}, ctx);
    }
    Value init = buildFilledTensor(rewriter, op.getLoc(), op.getType(), 0.0);
    auto matmul = linalg::MatmulOp::create(
        rewriter, op.getLoc(), ValueRange{lhs, rhs}, ValueRange{init});
    matmul.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
    return matmul.getResult(0);
  }
};

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

struct TransposeOpLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), type.getShape(),
                                         type.getElementType());
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(),
                                                       adaptor.getInput(), init,
                                                       op.getPerm())
                               .getResult());
    return success();
  }
};

struct ReshapeOpLowering : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, buildReshape(rewriter, op.getLoc(),
                                        adaptor.getInput(), op.getType()));
    return success();
  }
};

struct BroadcastToOpLowering : OpConversionPattern<BroadcastToOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BroadcastToOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, buildBroadcastingGeneric(
                rewriter, op.getLoc(), op.getType(), adaptor.getInput(),
                [](OpBuilder &, Location, ValueRange a) { return a[0]; }));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// sum, mean and max: the reduction, then one elementwise step that scales
/// by `1 / count` (mean) and rounds to the result element type; keepdim is
/// a reshape.
template <typename SourceOp, ReductionKind kind, bool isMean>
struct ReductionOpLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    SmallVector<int64_t> dims = op.getReducedDims();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t count = 1;
    for (int64_t d : dims)
      count *= inputType.getDimSize(d);
    Value reduced =
        buildReduction(rewriter, loc, adaptor.getInput(), dims, kind);
    Type elementType = inputType.getElementType();
    auto reducedType = cast<RankedTensorType>(reduced.getType());
    Value result = reduced;
    if (isMean || reducedType.getElementType() != elementType)
      result = buildBroadcastingGeneric(
          rewriter, loc, reducedType.clone(elementType), reduced,
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value value = args[0];
            if (isMean)
              value = arith::DivFOp::create(
                  b, l, value,
                  floatConstant(b, l, value.getType(),
                                static_cast<double>(count)));
            return castFloat(b, l, value, elementType);
          });
    rewriter.replaceOp(op, buildReshape(rewriter, loc, result, op.getType()));
    return success();
  }
};

/// softmax(x) = exp(x - m) / sum(exp(x - m)) and
/// log_softmax(x) = (x - m) - log(sum(exp(x - m))), with m = max(x) along
/// `dim`: the shift keeps exp from overflowing.
template <typename SourceOp, bool isLog>
struct SoftmaxLikeOpLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    RankedTensorType type = op.getType();
    Type elementType = type.getElementType();
    int64_t rank = type.getRank();
    SmallVector<int64_t> dims;
    if (rank > 0)
      dims.push_back(op.getNormalizedDim());
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap dropped = getDroppingMap(rank, dims, rewriter.getContext());

    // The shift may skip NaNs: a NaN in the row makes its exp, the row's
    // sum and so every result of the row NaN, as in PyTorch.
    Value max =
        buildReduction(rewriter, loc, input, dims, ReductionKind::MaxNum);
    Value shifted = buildParallelGeneric(
        rewriter, loc, type, {input, max}, {identity, dropped},
        [](OpBuilder &b, Location l, ValueRange a) -> Value {
          return arith::SubFOp::create(b, l, a[0], a[1]);
        });
    Value exps = buildBroadcastingGeneric(rewriter, loc, type, shifted,
                                          buildScalar<ExpOp>);
    // The exponentials' sum accumulates in the element type, as PyTorch's
    // does: in f64, converting them took a third of softmax's compute on
    // AVX-512, which memory no longer hides once the rows are in cache.
    Value sum = buildReduction(rewriter, loc, exps, dims, ReductionKind::Sum);
    Value result = buildParallelGeneric(
        rewriter, loc, type, {isLog ? shifted : exps, sum}, {identity, dropped},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value total = a[1];
          if (isLog) {
            Value logSum = math::LogOp::create(b, l, total);
            return arith::SubFOp::create(b, l, a[0],
                                         castFloat(b, l, logSum, elementType));
          }
          // One reciprocal per row, as PyTorch does: the vectorizer turns
          // it into a scalar, and a multiply is far cheaper than a divide.
          Value reciprocal = arith::DivFOp::create(
              b, l, floatConstant(b, l, total.getType(), 1.0), total);
          return arith::MulFOp::create(b, l, a[0],
                                       castFloat(b, l, reciprocal, elementType));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct ConvertGraftToLinalgPass final
    : graft::impl::ConvertGraftToLinalgPassBase<ConvertGraftToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addIllegalDialect<GraftDialect>();
    target.addLegalDialect<
        arith::ArithDialect, bufferization::BufferizationDialect,
        func::FuncDialect, linalg::LinalgDialect, math::MathDialect,
        memref::MemRefDialect, tensor::TensorDialect>();
    RewritePatternSet patterns(ctx);
    populateGraftToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      return signalPassFailure();
    // A public function's inputs belong to its caller, who may pass one
    // tensor for several of them: bufferization must never write one in
    // place.
    getOperation().walk([&](func::FuncOp func) {
      if (!func.isPublic())
        return;
      for (auto [index, type] : llvm::enumerate(func.getArgumentTypes()))
        if (isa<TensorType>(type))
          func.setArgAttr(
              index, bufferization::BufferizationDialect::kWritableAttrName,
              BoolAttr::get(ctx, false));
    });
  }
};

} // namespace

void mlir::graft::populateGraftToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ConstantOpLowering, FullOpLowering, EyeOpLowering,
               RandomOpLowering<RandOp, /*isNormal=*/false>,
               RandomOpLowering<RandnOp, /*isNormal=*/true>,
               ElementwiseOpLowering<AddOp>, ElementwiseOpLowering<SubOp>,
               ElementwiseOpLowering<MulOp>, ElementwiseOpLowering<DivOp>,
               ElementwiseOpLowering<PowOp>, ElementwiseOpLowering<MaximumOp>,
               ElementwiseOpLowering<MinimumOp>, ElementwiseOpLowering<NegOp>,
               ElementwiseOpLowering<ExpOp>, ElementwiseOpLowering<LogOp>,
               ElementwiseOpLowering<SqrtOp>, ElementwiseOpLowering<TanhOp>,
               ElementwiseOpLowering<SigmoidOp>, ElementwiseOpLowering<ReluOp>,
               ElementwiseOpLowering<AbsOp>, ElementwiseOpLowering<EqOp>,
               ElementwiseOpLowering<NeOp>, ElementwiseOpLowering<LtOp>,
               ElementwiseOpLowering<LeOp>, ElementwiseOpLowering<GtOp>,
               ElementwiseOpLowering<GeOp>, MatMulOpLowering,
               TransposeOpLowering, ReshapeOpLowering, BroadcastToOpLowering,
               ReductionOpLowering<SumOp, ReductionKind::WideSum, /*isMean=*/false>,
               ReductionOpLowering<MeanOp, ReductionKind::WideSum,
                                   /*isMean=*/true>,
               ReductionOpLowering<MaxOp, ReductionKind::Max, /*isMean=*/false>,
               SoftmaxLikeOpLowering<SoftmaxOp, /*isLog=*/false>,
               SoftmaxLikeOpLowering<LogSoftmaxOp, /*isLog=*/true>>(
      patterns.getContext());
}
