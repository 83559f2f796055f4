//===- GraftDialect.cpp - Graft dialect -------------------------*- C++ -*-===//
//
// This file implements the graft dialect registration.
//
//===----------------------------------------------------------------------===//

#include "graft/Dialect/Graft/IR/GraftDialect.h"
#include "graft/Dialect/Graft/IR/GraftOps.h"

using namespace mlir;
using namespace mlir::graft;

#include "graft/Dialect/Graft/IR/GraftOpsDialect.cpp.inc"

void GraftDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "graft/Dialect/Graft/IR/GraftOps.cpp.inc"
      >();
}
