//===- Passes.h - Graft conversion passes -----------------------*- C++ -*-===//
//
// Declares the conversions out of the graft dialect.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_CONVERSION_PASSES_H
#define GRAFT_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::graft {

#define GEN_PASS_DECL
#include "graft/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "graft/Conversion/Passes.h.inc"

} // namespace mlir::graft

#endif // GRAFT_CONVERSION_PASSES_H
