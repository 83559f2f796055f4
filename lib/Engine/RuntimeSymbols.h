//===- RuntimeSymbols.h - Functions compiled code calls ---------*- C++ -*-===//
//
// The host functions that JIT-compiled graft code may call, and their
// registration with an ExecutionEngine.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_LIB_ENGINE_RUNTIMESYMBOLS_H
#define GRAFT_LIB_ENGINE_RUNTIMESYMBOLS_H

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace graft {

/// Makes the runtime functions visible to the code of `engine`.
void registerRuntimeSymbols(mlir::ExecutionEngine &engine);

} // namespace graft

#endif // GRAFT_LIB_ENGINE_RUNTIMESYMBOLS_H
