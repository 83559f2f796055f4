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

/// The greedy rewrite configuration of Graft's passes and canonicalizations:
/// upstream's default without region simplification, which costs much and
/// finds nothing in Graft's IR.
GreedyRewriteConfig graftRewriteConfig();

/// The canonicalizer with graftRewriteConfig().
std::unique_ptr<Pass> createGraftCanonicalizerPass();

} // namespace mlir::graft

#endif // GRAFT_CODEGEN_PASSES_H
