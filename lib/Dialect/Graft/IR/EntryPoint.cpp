//===- EntryPoint.cpp - The function a graft program runs -------*- C++ -*-===//
//
// This file implements the entry-function rules shared by the engine and
// the reference evaluator.
//
//===----------------------------------------------------------------------===//

#include "graft/Dialect/Graft/IR/EntryPoint.h"

#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;

/// A cycle of calls reachable from `entry`, as "f -> g -> f", or an empty
/// string. Depth-first with an explicit stack, so that a long chain of
/// calls cannot exhaust the native one.
static std::string findCallCycle(func::FuncOp entry) {
  SymbolTableCollection symbols;
  auto calleesOf = [&](func::FuncOp func) {
    SmallVector<func::FuncOp> callees;
    func.walk([&](CallOpInterface call) {
      if (auto callee = dyn_cast_or_null<func::FuncOp>(
              call.resolveCallableInTable(&symbols)))
        callees.push_back(callee);
    });
    return callees;
  };
  struct Frame {
    func::FuncOp func;
    SmallVector<func::FuncOp> callees;
    size_t next = 0;
  };
  SmallVector<Frame> path;
  llvm::DenseSet<Operation *> onPath, done;
  path.push_back({entry, calleesOf(entry)});
  onPath.insert(entry);
  while (!path.empty()) {
    Frame &top = path.back();
    if (top.next == top.callees.size()) {
      onPath.erase(top.func);
      done.insert(top.func);
      path.pop_back();
      continue;
    }
    func::FuncOp callee = top.callees[top.next++];
    if (onPath.contains(callee)) {
      std::string cycle;
      bool inCycle = false;
      for (Frame &frame : path) {
        inCycle |= frame.func == callee;
        if (inCycle)
          cycle += frame.func.getName().str() + " -> ";
      }
      return cycle + callee.getName().str();
    }
    if (done.contains(callee))
      continue;
    onPath.insert(callee);
    path.push_back({callee, calleesOf(callee)});
  }
  return "";
}

func::FuncOp mlir::graft::findEntryFunction(ModuleOp module, StringRef name,
                                            std::string &error) {
  SmallVector<func::FuncOp> candidates;
  std::string publicNames;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    if (func.isPublic())
      publicNames += (publicNames.empty() ? "" : ", ") + func.getName().str();
    if (name.empty() ? func.isPublic() : func.getName() == name)
      candidates.push_back(func);
  }
  if (candidates.size() == 1) {
    // A graft function is a static graph: a call cycle would recurse
    // without end when run.
    std::string cycle = findCallCycle(candidates.front());
    if (cycle.empty())
      return candidates.front();
    error = "function '" + candidates.front().getName().str() +
            "' reaches a cycle of calls (" + cycle +
            "); a graft function is a static graph and cannot recurse";
    return {};
  }
  if (!name.empty())
    error = "no function named '" + name.str() + "' in the module";
  else if (candidates.empty())
    error = "the module has no public function";
  else
    error = "the module has several public functions (" + publicNames +
            "); choose one with an entry name";
  return {};
}
