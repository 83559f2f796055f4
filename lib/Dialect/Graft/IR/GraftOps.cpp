//===- GraftOps.cpp - Graft dialect ops -------------------------*- C++ -*-===//
//
// This file implements the shape rules, verifiers and folders of the graft
// ops.
//
//===----------------------------------------------------------------------===//

#include "graft/Dialect/Graft/IR/GraftOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
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
      return op->emitOpError("dim ")
             << d << " is out of range for input shape "
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

//===----------------------------------------------------------------------===//
// MatMulOp
//===----------------------------------------------------------------------===//

void MatMulOp::build(OpBuilder &builder, OperationState &state, Value lhs,
                     Value rhs) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  Type result = lhsType;
  if (lhsType.getRank() == 2 && rhsType.getRank() == 2)
    result = lhsType.clone({lhsType.getDimSize(0), rhsType.getDimSize(1)});
  build(builder, state, result, lhs, rhs);
}

LogicalResult MatMulOp::verify() {
  RankedTensorType lhs = getLhs().getType(), rhs = getRhs().getType();
  if (lhs.getRank() != 2 || rhs.getRank() != 2)
    return emitOpError("expects 2-D operands, got shapes ")
           << formatShape(lhs.getShape()) << " and "
           << formatShape(rhs.getShape());
  if (lhs.getDimSize(1) != rhs.getDimSize(0))
    return emitOpError("contraction dims do not match: shapes ")
           << formatShape(lhs.getShape()) << " and "
           << formatShape(rhs.getShape());
  SmallVector<int64_t> expected = {lhs.getDimSize(0), rhs.getDimSize(1)};
  if (getType().getShape() != ArrayRef<int64_t>(expected))
    return emitOpError("result shape ")
           << formatShape(getType().getShape()) << " differs from "
           << formatShape(expected) << " for operands "
           << formatShape(lhs.getShape()) << " and "
           << formatShape(rhs.getShape());
  return success();
}

#define GET_OP_CLASSES
#include "graft/Dialect/Graft/IR/GraftOps.cpp.inc"
