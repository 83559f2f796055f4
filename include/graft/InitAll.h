//===- InitAll.h - Register what Graft uses ---------------------*- C++ -*-===//
//
// Registers the graft dialect and only the upstream dialects, interfaces and
// passes that Graft's pipelines use: registering all of MLIR would slow the
// start-up of every tool.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_INITALL_H
#define GRAFT_INITALL_H

#include "mlir/IR/DialectRegistry.h"

namespace mlir::graft {

/// Dialects, external interface models and LLVM IR translations needed to
/// parse graft IR and run every Graft pipeline.
void registerAllDialects(DialectRegistry &registry);

/// A registry with everything registerAllDialects registers, for contexts
/// that parse and compile graft IR.
DialectRegistry createDialectRegistry();

/// Graft passes and pipelines, plus the upstream passes they are built from.
void registerAllPasses();

} // namespace mlir::graft

#endif // GRAFT_INITALL_H
