//===- Passes.h - Graft dialect passes --------------------------*- C++ -*-===//
//
// Declares the passes on graft IR.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_DIALECT_GRAFT_TRANSFORMS_PASSES_H
#define GRAFT_DIALECT_GRAFT_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::graft {

/// The function attribute listing the arguments to differentiate.
inline constexpr const char *kWrtAttrName = "graft.wrt";
/// The marker graft-autodiff leaves on a function it rewrote.
inline constexpr const char *kDifferentiatedAttrName = "graft.differentiated";

#define GEN_PASS_DECL
#include "graft/Dialect/Graft/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "graft/Dialect/Graft/Transforms/Passes.h.inc"

} // namespace mlir::graft

#endif // GRAFT_DIALECT_GRAFT_TRANSFORMS_PASSES_H
