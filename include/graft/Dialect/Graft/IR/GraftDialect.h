//===- GraftDialect.h - Graft dialect ---------------------------*- C++ -*-===//
//
// Declares the graft dialect.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_DIALECT_GRAFT_IR_GRAFTDIALECT_H
#define GRAFT_DIALECT_GRAFT_IR_GRAFTDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Dialect.h"

#include "graft/Dialect/Graft/IR/GraftOpsDialect.h.inc"

#endif // GRAFT_DIALECT_GRAFT_IR_GRAFTDIALECT_H
