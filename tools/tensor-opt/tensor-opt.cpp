//===- tensor-opt.cpp - Graft's mlir-opt ------------------------*- C++ -*-===//
//
// mlir-opt with the graft dialect, Graft's passes and pipelines, and the
// upstream dialects and passes those pipelines use.
//
//===----------------------------------------------------------------------===//

#include "graft/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::graft::registerAllDialects(registry);
  mlir::graft::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "Graft tensor compiler driver\n", registry));
}
