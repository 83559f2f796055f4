//===- GraftInterfaces.h - Graft op interfaces ------------------*- C++ -*-===//
//
// Declares DifferentiableOpInterface, the home of every op's VJP rule.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_DIALECT_GRAFT_IR_GRAFTINTERFACES_H
#define GRAFT_DIALECT_GRAFT_IR_GRAFTINTERFACES_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"

#include "graft/Dialect/Graft/IR/GraftInterfaces.h.inc"

#endif // GRAFT_DIALECT_GRAFT_IR_GRAFTINTERFACES_H
