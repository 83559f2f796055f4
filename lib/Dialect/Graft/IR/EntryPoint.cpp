//===- EntryPoint.cpp - The function a graft program runs -------*- C++ -*-===//
//
// This file implements the entry-function rules shared by the engine and
// the reference evaluator.
//
//===----------------------------------------------------------------------===//

#include "graft/Dialect/Graft/IR/EntryPoint.h"

using namespace mlir;

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
  if (candidates.size() == 1)
    return candidates.front();
  if (!name.empty())
    error = "no function named '" + name.str() + "' in the module";
  else if (candidates.empty())
    error = "the module has no public function";
  else
    error = "the module has several public functions (" + publicNames +
            "); choose one with an entry name";
  return {};
}
