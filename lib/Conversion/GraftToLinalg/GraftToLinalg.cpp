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

namespace {

using ScalarBuilder =
    function_ref<Value(OpBuilder &, Location, ValueRange operands)>;

/// Builds a linalg.generic producing `resultType` from `inputs`, each
/// broadcast to the result shape with NumPy rules: missing leading dims and
/// size-1 dims read index 0.
Value buildBroadcastingGeneric(OpBuilder &b, Location loc,
                               RankedTensorType resultType, ValueRange inputs,
                               ScalarBuilder scalarFn) {
  int64_t rank = resultType.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value input : inputs) {
    auto type = cast<RankedTensorType>(input.getType());
    int64_t offset = rank - type.getRank();
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i < type.getRank(); ++i) {
      bool broadcast = type.getDimSize(i) == 1 &&
                       resultType.getDimSize(offset + i) != 1;
      exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                                : getAffineDimExpr(offset + i, ctx));
    }
    maps.push_back(AffineMap::get(rank, 0, exprs, ctx));
  }
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

/// Returns a tensor of `type` filled with `value`.
Value buildFilledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                        double value) {
  Value init =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  Value scalar = arith::ConstantOp::create(
      b, loc, b.getFloatAttr(type.getElementType(), value));
  return linalg::FillOp::create(b, loc, scalar, init).getResult(0);
}

/// Reshapes between two shapes that differ only in unit dims, as keepdim
/// reductions need.
Value reshapeUnitDims(OpBuilder &b, Location loc, Value value,
                      RankedTensorType resultType) {
  auto sourceType = cast<RankedTensorType>(value.getType());
  if (sourceType == resultType)
    return value;
  std::optional<SmallVector<ReassociationIndices>> reassociation =
      getReassociationIndicesForReshape(sourceType, resultType);
  assert(reassociation && "unit-dim reshape must have a reassociation");
  if (sourceType.getRank() < resultType.getRank())
    return tensor::ExpandShapeOp::create(b, loc, resultType, value,
                                         *reassociation);
  return tensor::CollapseShapeOp::create(b, loc, resultType, value,
                                         *reassociation);
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
    rewriter.replaceOp(op, buildFilledTensor(rewriter, op.getLoc(),
                                             op.getType(),
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
                  Value one = arith::ConstantOp::create(
                      b, loc, b.getFloatAttr(elementType, 1.0));
                  Value zero = arith::ConstantOp::create(
                      b, loc, b.getFloatAttr(elementType, 0.0));
                  return arith::SelectOp::create(b, loc, onDiagonal, one,
                                                 zero);
                }));
    return success();
  }
};

/// graft.rand fills a fresh buffer through the runtime's mt19937, which is
/// inherently sequential, then hands the buffer to tensor land. The runtime
/// takes (pointer, element count, seed) as plain i64 values so that the call
/// needs no memref descriptor.
struct RandOpLowering : OpConversionPattern<RandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RandOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type elementType = type.getElementType();
    FailureOr<func::FuncOp> callee = getOrInsertRuntimeFunction(
        op->getParentOfType<ModuleOp>(), elementType, rewriter);
    if (failed(callee))
      return rewriter.notifyMatchFailure(op, "no module to hold the callee");

    auto bufferType = MemRefType::get(type.getShape(), elementType);
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
    func::CallOp::create(rewriter, loc, *callee, args);
    rewriter.replaceOpWithNewOp<bufferization::ToTensorOp>(
        op, type, buffer, /*restrict=*/true, /*writable=*/true);
    return success();
  }

  static FailureOr<func::FuncOp>
  getOrInsertRuntimeFunction(ModuleOp module, Type elementType,
                             ConversionPatternRewriter &rewriter) {
    if (!module)
      return failure();
    std::string name = kRandRuntimeFunctionPrefix;
    name += elementType.isF32() ? "f32" : "f64";
    if (auto existing = module.lookupSymbol<func::FuncOp>(name))
      return existing;
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(module.getBody());
    auto i64 = rewriter.getI64Type();
    auto func = func::FuncOp::create(rewriter, module.getLoc(), name,
                                     rewriter.getFunctionType({i64, i64, i64}, {}));
    func.setPrivate();
    return func;
  }
};

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

template <typename SourceOp, typename ArithOp>
struct BinaryOpLowering : OpConversionPattern<SourceOp> {
  using OpConversionPattern<SourceOp>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SourceOp op, typename SourceOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, buildBroadcastingGeneric(
                rewriter, op.getLoc(), op.getType(),
                {adaptor.getLhs(), adaptor.getRhs()},
                [](OpBuilder &b, Location loc, ValueRange args) -> Value {
                  return ArithOp::create(b, loc, args[0], args[1]);
                }));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

struct MatMulOpLowering : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value init = buildFilledTensor(rewriter, loc, op.getType(), 0.0);
    rewriter.replaceOp(
        op, linalg::MatmulOp::create(rewriter, loc,
                                     ValueRange{adaptor.getLhs(),
                                                adaptor.getRhs()},
                                     ValueRange{init})
                .getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// Sums `input` over `reducedDims`, dropping them. f32 inputs accumulate in
/// f64: a long sequential f32 sum loses digits that PyTorch's cascade
/// summation keeps, and the extra precision costs nothing in a
/// bandwidth-bound loop.
Value buildSum(OpBuilder &b, Location loc, Value input,
               ArrayRef<int64_t> reducedDims) {
  auto inputType = cast<RankedTensorType>(input.getType());
  Type accType = inputType.getElementType().isF32()
                     ? b.getF64Type()
                     : inputType.getElementType();
  int64_t rank = inputType.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<int64_t> shape;
  SmallVector<AffineExpr> outputExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i) {
    bool reduced = llvm::is_contained(reducedDims, i);
    iterators.push_back(reduced ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
    if (!reduced) {
      shape.push_back(inputType.getDimSize(i));
      outputExprs.push_back(getAffineDimExpr(i, ctx));
    }
  }
  auto accTensorType = RankedTensorType::get(shape, accType);
  Value acc = buildFilledTensor(b, loc, accTensorType, 0.0);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, outputExprs, ctx)};
  auto generic = linalg::GenericOp::create(
      b, loc, accTensorType, input, acc, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value element = args[0];
        if (element.getType() != accType)
          element = arith::ExtFOp::create(nb, nloc, accType, element);
        Value sum = arith::AddFOp::create(nb, nloc, element, args[1]);
        linalg::YieldOp::create(nb, nloc, sum);
      });
  return generic.getResult(0);
}

/// Lowers sum and mean: the sum, then one elementwise step that scales by
/// `1 / count` (mean) and rounds back to the result element type.
template <typename SourceOp, bool isMean>
struct SumLikeOpLowering : OpConversionPattern<SourceOp> {
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
    Value sum = buildSum(rewriter, loc, adaptor.getInput(), dims);
    auto sumType = cast<RankedTensorType>(sum.getType());
    Type elementType = inputType.getElementType();
    Value result = buildBroadcastingGeneric(
        rewriter, loc, sumType.clone(elementType), sum,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value value = args[0];
          if (isMean) {
            Value n = arith::ConstantOp::create(
                b, l,
                b.getFloatAttr(value.getType(), static_cast<double>(count)));
            value = arith::DivFOp::create(b, l, value, n);
          }
          if (value.getType() != elementType)
            value = arith::TruncFOp::create(b, l, elementType, value);
          return value;
        });
    rewriter.replaceOp(op,
                       reshapeUnitDims(rewriter, loc, result, op.getType()));
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
    target.addLegalDialect<arith::ArithDialect, bufferization::BufferizationDialect,
                           func::FuncDialect, linalg::LinalgDialect,
                           math::MathDialect, memref::MemRefDialect,
                           tensor::TensorDialect>();
    RewritePatternSet patterns(ctx);
    populateGraftToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::graft::populateGraftToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ConstantOpLowering, FullOpLowering, EyeOpLowering,
               RandOpLowering, BinaryOpLowering<AddOp, arith::AddFOp>,
               BinaryOpLowering<MulOp, arith::MulFOp>, MatMulOpLowering,
               SumLikeOpLowering<SumOp, /*isMean=*/false>,
               SumLikeOpLowering<MeanOp, /*isMean=*/true>>(patterns.getContext());
}
