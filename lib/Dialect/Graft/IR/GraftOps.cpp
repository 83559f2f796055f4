//===- GraftOps.cpp - Graft dialect ops -------------------------*- C++ -*-===//
//
// This file implements the shape rules, verifiers and folders of the graft
// ops.
//
//===----------------------------------------------------------------------===//

#include "graft/Dialect/Graft/IR/GraftOps.h"

#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/ADT/SmallBitVector.h"

using namespace mlir;
using namespace mlir::graft;

//===----------------------------------------------------------------------===//
// Shape helpers
//===----------------------------------------------------------------------===//

std::string mlir::graft::formatShape(ArrayRef<int64_t> shape) {
  std::string text = "[";
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(shape, os);
  os << "]";
  return text;
}

bool mlir::graft::hasAddressableSize(ShapedType type) {
  if (llvm::is_contained(type.getShape(), 0))
    return true;
  unsigned bits = type.getElementTypeBitWidth();
  int64_t bytes = std::max<int64_t>(1, bits / 8);
  for (int64_t dim : type.getShape())
    if (dim < 0 || llvm::MulOverflow(bytes, dim, bytes))
      return false;
  return true;
}

FailureOr<SmallVector<int64_t>>
mlir::graft::broadcastShapes(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Align on the right: a missing leading dim acts as size 1.
    int64_t l = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t r = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (l != r && l != 1 && r != 1)
      return failure();
    result[i] = l == 1 ? r : l;
  }
  return result;
}

Type mlir::graft::inferBroadcastType(Type lhs, Type rhs) {
  auto lhsType = dyn_cast<RankedTensorType>(lhs);
  auto rhsType = dyn_cast<RankedTensorType>(rhs);
  if (!lhsType || !rhsType)
    return lhs;
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(lhsType.getShape(), rhsType.getShape());
  return failed(shape) ? lhs : lhsType.clone(*shape);
}

LogicalResult mlir::graft::verifyBroadcastOp(Operation *op) {
  auto lhs = cast<RankedTensorType>(op->getOperand(0).getType());
  auto rhs = cast<RankedTensorType>(op->getOperand(1).getType());
  auto result = cast<RankedTensorType>(op->getResult(0).getType());
  FailureOr<SmallVector<int64_t>> shape =
      broadcastShapes(lhs.getShape(), rhs.getShape());
  if (failed(shape))
    return op->emitOpError("operand shapes ")
           << formatShape(lhs.getShape()) << " and "
           << formatShape(rhs.getShape()) << " do not broadcast";
  if (result.getShape() != ArrayRef<int64_t>(*shape))
    return op->emitOpError("result shape ")
           << formatShape(result.getShape())
           << " differs from the broadcast shape " << formatShape(*shape)
           << " of operands " << formatShape(lhs.getShape()) << " and "
           << formatShape(rhs.getShape());
  return success();
}

SmallVector<int64_t> mlir::graft::normalizeReductionDims(ArrayRef<int64_t> dims,
                                                         int64_t rank) {
  if (dims.empty())
    return llvm::to_vector(llvm::seq<int64_t>(0, rank));
  SmallVector<int64_t> result;
  for (int64_t d : dims)
    if (rank > 0) // A scalar accepts dim 0 / -1 and has nothing to reduce.
      result.push_back(d < 0 ? d + rank : d);
  llvm::sort(result);
  return result;
}

Type mlir::graft::inferReductionType(Type input, ArrayRef<int64_t> dims,
                                     bool keepdim) {
  auto inputType = dyn_cast<RankedTensorType>(input);
  if (!inputType)
    return input;
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> reduced = normalizeReductionDims(dims, rank);
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    if (!llvm::is_contained(reduced, i))
      shape.push_back(inputType.getDimSize(i));
    else if (keepdim)
      shape.push_back(1);
  }
  return inputType.clone(shape);
}

LogicalResult mlir::graft::verifyReductionOp(Operation *op,
                                             ArrayRef<int64_t> dims,
                                             bool keepdim) {
  auto input = cast<RankedTensorType>(op->getOperand(0).getType());
  auto result = cast<RankedTensorType>(op->getResult(0).getType());
  // Like PyTorch, a scalar accepts dim 0 and -1.
  int64_t bound = std::max<int64_t>(input.getRank(), 1);
  llvm::SmallBitVector seen(bound);
  for (int64_t d : dims) {
    if (d < -bound || d >= bound)
      return op->emitOpError("dim ") << d << " is out of range for input shape "
                                     << formatShape(input.getShape());
    int64_t n = d < 0 ? d + bound : d;
    if (seen.test(n))
      return op->emitOpError("dim ") << d << " appears more than once in dims";
    seen.set(n);
  }
  auto expected =
      cast<RankedTensorType>(inferReductionType(input, dims, keepdim));
  if (expected != result)
    return op->emitOpError("result shape ")
           << formatShape(result.getShape()) << " differs from "
           << formatShape(expected.getShape()) << ", the shape of reducing "
           << formatShape(input.getShape()) << " over the dims"
           << (keepdim ? " with keepdim" : "");
  return success();
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// EyeOp
//===----------------------------------------------------------------------===//

LogicalResult EyeOp::verify() {
  if (getType().getRank() != 2)
    return emitOpError("result must be 2-D, got shape ")
           << formatShape(getType().getShape());
  return success();
}

LogicalResult mlir::graft::verifyDimInRange(Operation *op, int64_t dim) {
  auto input = cast<RankedTensorType>(op->getOperand(0).getType());
  int64_t bound = std::max<int64_t>(input.getRank(), 1);
  if (dim < -bound || dim >= bound)
    return op->emitOpError("dim ") << dim << " is out of range for input shape "
                                   << formatShape(input.getShape());
  return success();
}

//===----------------------------------------------------------------------===//
// Folding helpers
//===----------------------------------------------------------------------===//

/// Constants with more elements than this are not folded: folding copies
/// every element into the IR.
static constexpr int64_t kMaxFoldElements = 4096;

/// The splat value of a constant operand, if it is a float splat.
static std::optional<APFloat> getSplat(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseFPElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return std::nullopt;
  return dense.getSplatValue<APFloat>();
}

/// Folds an elementwise op over constant operands. Each operand must be a
/// splat or have the result's shape; broadcasting other shapes is left to
/// the lowering.
static Attribute
foldElementwise(ArrayRef<Attribute> operands, RankedTensorType resultType,
                function_ref<APFloat(ArrayRef<APFloat>)> compute) {
  if (resultType.getNumElements() > kMaxFoldElements)
    return {};
  SmallVector<DenseFPElementsAttr> inputs;
  for (Attribute attr : operands) {
    auto dense = dyn_cast_or_null<DenseFPElementsAttr>(attr);
    if (!dense || (!dense.isSplat() &&
                   dense.getType().getShape() != resultType.getShape()))
      return {};
    inputs.push_back(dense);
  }
  SmallVector<APFloat> results;
  SmallVector<APFloat> args;
  for (int64_t i = 0, e = resultType.getNumElements(); i < e; ++i) {
    args.clear();
    for (DenseFPElementsAttr input : inputs)
      args.push_back(input.isSplat() ? input.getSplatValue<APFloat>()
                                     : input.getValues<APFloat>()[i]);
    results.push_back(compute(args));
  }
  return DenseElementsAttr::get(resultType, results);
}

/// `x op c` folds to `x` when c is the splat `identity` (compared bit for
/// bit) and the op does not broadcast x to a bigger shape. The identity of
/// addition is -0.0, not +0.0: -0.0 + +0.0 is +0.0.
static Value foldRightIdentity(Value lhs, Attribute rhs, Type resultType,
                               double identity) {
  std::optional<APFloat> splat = getSplat(rhs);
  if (!splat || lhs.getType() != resultType)
    return {};
  bool lossless;
  APFloat expected(identity);
  expected.convert(splat->getSemantics(), llvm::RoundingMode::NearestTiesToEven,
                   &lossless);
  return splat->bitwiseIsEqual(expected) ? lhs : Value();
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (Value x = foldRightIdentity(getLhs(), adaptor.getRhs(), getType(), -0.0))
    return x;
  if (Value x = foldRightIdentity(getRhs(), adaptor.getLhs(), getType(), -0.0))
    return x;
  return foldElementwise(adaptor.getOperands(), getType(),
                         [](ArrayRef<APFloat> a) { return a[0] + a[1]; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (Value x = foldRightIdentity(getLhs(), adaptor.getRhs(), getType(), 0.0))
    return x;
  return foldElementwise(adaptor.getOperands(), getType(),
                         [](ArrayRef<APFloat> a) { return a[0] - a[1]; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (Value x = foldRightIdentity(getLhs(), adaptor.getRhs(), getType(), 1.0))
    return x;
  if (Value x = foldRightIdentity(getRhs(), adaptor.getLhs(), getType(), 1.0))
    return x;
  return foldElementwise(adaptor.getOperands(), getType(),
                         [](ArrayRef<APFloat> a) { return a[0] * a[1]; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (Value x = foldRightIdentity(getLhs(), adaptor.getRhs(), getType(), 1.0))
    return x;
  return foldElementwise(adaptor.getOperands(), getType(),
                         [](ArrayRef<APFloat> a) { return a[0] / a[1]; });
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  return foldElementwise(adaptor.getOperands(), getType(),
                         [](ArrayRef<APFloat> a) { return -a[0]; });
}

//===----------------------------------------------------------------------===//
// MatMulOp
//===----------------------------------------------------------------------===//

/// The result shape of torch.matmul for operands of rank >= 2, or failure.
static FailureOr<SmallVector<int64_t>> matmulShape(ArrayRef<int64_t> lhs,
                                                   ArrayRef<int64_t> rhs) {
  if (lhs.size() < 2 || rhs.size() < 2 || lhs.back() != rhs[rhs.size() - 2])
    return failure();
  FailureOr<SmallVector<int64_t>> batch =
      broadcastShapes(lhs.drop_back(2), rhs.drop_back(2));
  if (failed(batch))
    return failure();
  batch->push_back(lhs[lhs.size() - 2]);
  batch->push_back(rhs.back());
  return batch;
}

void MatMulOp::build(OpBuilder &builder, OperationState &state, Value lhs,
                     Value rhs) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  FailureOr<SmallVector<int64_t>> shape =
      matmulShape(lhsType.getShape(), rhsType.getShape());
  build(builder, state, succeeded(shape) ? lhsType.clone(*shape) : lhsType, lhs,
        rhs);
}

LogicalResult MatMulOp::verify() {
  RankedTensorType lhs = getLhs().getType(), rhs = getRhs().getType();
  auto shapes = [&](InFlightDiagnostic diag) -> InFlightDiagnostic {
    return std::move(diag) << formatShape(lhs.getShape()) << " and "
                           << formatShape(rhs.getShape());
  };
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return shapes(emitOpError("expects operands of rank 2 or more (reshape "
                              "1-D operands first), got shapes "));
  if (lhs.getShape().back() != rhs.getShape()[rhs.getRank() - 2])
    return shapes(emitOpError("contraction dims do not match: shapes "));
  FailureOr<SmallVector<int64_t>> expected =
      matmulShape(lhs.getShape(), rhs.getShape());
  if (failed(expected))
    return shapes(emitOpError("batch dims do not broadcast: shapes "));
  if (getType().getShape() != ArrayRef<int64_t>(*expected))
    return shapes(emitOpError("result shape ")
                  << formatShape(getType().getShape()) << " differs from "
                  << formatShape(*expected) << " for operands ");
  return success();
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

void TransposeOp::build(OpBuilder &builder, OperationState &state, Value input,
                        ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(input.getType());
  Type result = type;
  if (isPermutationVector(perm) &&
      static_cast<int64_t>(perm.size()) == type.getRank()) {
    SmallVector<int64_t> shape;
    for (int64_t p : perm)
      shape.push_back(type.getDimSize(p));
    result = type.clone(shape);
  }
  build(builder, state, result, input, perm);
}

LogicalResult TransposeOp::verify() {
  RankedTensorType input = getInput().getType();
  ArrayRef<int64_t> perm = getPerm();
  if (static_cast<int64_t>(perm.size()) != input.getRank() ||
      !isPermutationVector(perm))
    return emitOpError("perm ")
           << formatShape(perm) << " is not a permutation of the "
           << input.getRank() << " dims of input shape "
           << formatShape(input.getShape());
  SmallVector<int64_t> expected;
  for (int64_t p : perm)
    expected.push_back(input.getDimSize(p));
  if (getType().getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("result shape ")
           << formatShape(getType().getShape()) << " differs from "
           << formatShape(expected) << ", input shape "
           << formatShape(input.getShape()) << " permuted by "
           << formatShape(perm);
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  ArrayRef<int64_t> perm = getPerm();
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return getInput();
  // transpose(transpose(x, p), q) = transpose(x, p o q).
  auto inner = getInput().getDefiningOp<TransposeOp>();
  if (!inner)
    return {};
  SmallVector<int64_t> composed;
  for (int64_t p : perm)
    composed.push_back(inner.getPerm()[p]);
  if (llvm::equal(composed, llvm::seq<int64_t>(0, composed.size())))
    return inner.getInput();
  setPerm(composed);
  getInputMutable().assign(inner.getInput());
  return getResult();
}

//===----------------------------------------------------------------------===//
// ReshapeOp and BroadcastToOp
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  RankedTensorType input = getInput().getType();
  if (input.getNumElements() != getType().getNumElements())
    return emitOpError("cannot reshape ")
           << formatShape(input.getShape()) << " (" << input.getNumElements()
           << " elements) to " << formatShape(getType().getShape()) << " ("
           << getType().getNumElements() << " elements)";
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput()))
    return dense.reshape(getType());
  return {};
}

LogicalResult BroadcastToOp::verify() {
  ArrayRef<int64_t> input = getInput().getType().getShape();
  ArrayRef<int64_t> result = getType().getShape();
  FailureOr<SmallVector<int64_t>> shape = broadcastShapes(input, result);
  if (failed(shape) || ArrayRef<int64_t>(*shape) != result)
    return emitOpError("cannot broadcast shape ")
           << formatShape(input) << " to " << formatShape(result);
  return success();
}

OpFoldResult BroadcastToOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (std::optional<APFloat> splat = getSplat(adaptor.getInput()))
    return DenseElementsAttr::get(getType(), *splat);
  return {};
}

#define GET_OP_CLASSES
#include "graft/Dialect/Graft/IR/GraftOps.cpp.inc"
