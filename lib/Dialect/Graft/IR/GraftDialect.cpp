//===- GraftDialect.cpp - Graft dialect -------------------------*- C++ -*-===//
//
// This file implements the graft dialect registration.
//
//===----------------------------------------------------------------------===//

#include "graft/Dialect/Graft/IR/GraftDialect.h"
#include "graft/Dialect/Graft/IR/GraftOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::graft;

#include "graft/Dialect/Graft/IR/GraftOpsDialect.cpp.inc"

Operation *GraftDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  auto elements = dyn_cast<DenseElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}

void GraftDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "graft/Dialect/Graft/IR/GraftOps.cpp.inc"
      >();
}
