//===- Passes.h - Graft code generation passes ------------------*- C++ -*-===//
//
// Declares the CPU code generation passes.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_CODEGEN_PASSES_H
#define GRAFT_CODEGEN_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class GreedyRewriteConfig;
namespace func {
class FuncOp;
} // namespace func
} // namespace mlir

namespace mlir::graft {

#define GEN_PASS_DECL
#include "graft/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "graft/Codegen/Passes.h.inc"

/// Greedy rewriting without region simplification, for IR whose control
/// flow is still structured (scf): cheaper, and it finds the same.
GreedyRewriteConfig structuredRewriteConfig();

/// The canonicalizer with structuredRewriteConfig().
std::unique_ptr<Pass> createStructuredCanonicalizerPass();

} // namespace mlir::graft

#endif // GRAFT_CODEGEN_PASSES_H
