//===- EntryPoint.h - The function a graft program runs ---------*- C++ -*-===//
//
// Picks the function to run or evaluate in a module of graft functions, with
// the same rules and messages everywhere (engine, reference evaluator).
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_DIALECT_GRAFT_IR_ENTRYPOINT_H
#define GRAFT_DIALECT_GRAFT_IR_ENTRYPOINT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace mlir::graft {

/// The function named `name`, or, when `name` is empty, the module's only
/// public function with a body. On failure returns null and sets `error` to
/// a message naming the problem (no such function; several candidates,
/// listed; a cycle of calls reachable from the function).
func::FuncOp findEntryFunction(ModuleOp module, StringRef name,
                               std::string &error);

} // namespace mlir::graft

#endif // GRAFT_DIALECT_GRAFT_IR_ENTRYPOINT_H
