//===- GraftOps.h - Graft dialect ops ---------------------------*- C++ -*-===//
//
// Declares the graft ops and the shape rules their verifiers and type
// inference share.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_DIALECT_GRAFT_IR_GRAFTOPS_H
#define GRAFT_DIALECT_GRAFT_IR_GRAFTOPS_H

#include "graft/Dialect/Graft/IR/GraftDialect.h"
#include "graft/Dialect/Graft/IR/GraftInterfaces.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::graft {

/// Broadcasts two shapes with NumPy rules. Returns failure if they do not
/// broadcast.
FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> lhs,
                                                ArrayRef<int64_t> rhs);

/// The result type of an elementwise binary op. Builders use it; when the
/// operands do not broadcast it returns `lhs`, and the verifier reports it.
Type inferBroadcastType(Type lhs, Type rhs);

/// The result type of a reduction. Invalid dims are ignored here and
/// reported by the verifier.
Type inferReductionType(Type input, ArrayRef<int64_t> dims, bool keepdim);

/// Verifies that the operands of a binary op broadcast to its result type.
LogicalResult verifyBroadcastOp(Operation *op);

/// Verifies `dims` (in range, not repeated) and the result type of a
/// reduction.
LogicalResult verifyReductionOp(Operation *op, ArrayRef<int64_t> dims,
                                bool keepdim);

/// Verifies that `dim` is in [-rank, rank) for the op's first operand (a
/// scalar accepts 0 and -1, as in PyTorch).
LogicalResult verifyDimInRange(Operation *op, int64_t dim);

/// Maps negative dims into [0, rank), sorts them, and expands an empty list
/// to every dim. Assumes the dims were verified.
SmallVector<int64_t> normalizeReductionDims(ArrayRef<int64_t> dims,
                                            int64_t rank);

/// True when the byte size of the statically shaped `type` fits in int64, so
/// that element counts, byte sizes and linear indices never overflow.
bool hasAddressableSize(ShapedType type);

/// Formats a shape as `[4, 5]` for diagnostics.
std::string formatShape(ArrayRef<int64_t> shape);

} // namespace mlir::graft

#define GET_OP_CLASSES
#include "graft/Dialect/Graft/IR/GraftOps.h.inc"

#endif // GRAFT_DIALECT_GRAFT_IR_GRAFTOPS_H
