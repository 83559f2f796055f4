//===- DistinctResultBuffers.cpp - One buffer per result --------*- C++ -*-===//
//
// This file implements the graft-distinct-result-buffers pass. Each result of
// a compiled function becomes a caller-owned output buffer, so a buffer that
// is returned twice must first be duplicated.
//
//===----------------------------------------------------------------------===//

#include "graft/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

#define DEBUG_TYPE "graft-distinct-result-buffers"

namespace mlir::graft {
#define GEN_PASS_DEF_GRAFTDISTINCTRESULTBUFFERSPASS
#include "graft/Codegen/Passes.h.inc"
} // namespace mlir::graft

using namespace mlir;

namespace {

struct GraftDistinctResultBuffersPass final
    : graft::impl::GraftDistinctResultBuffersPassBase<
          GraftDistinctResultBuffersPass> {
  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp ret) {
      OpBuilder builder(ret);
      llvm::SmallPtrSet<Value, 4> seen;
      for (OpOperand &operand : ret->getOpOperands()) {
        auto type = dyn_cast<MemRefType>(operand.get().getType());
        if (!type || seen.insert(operand.get()).second)
          continue;
        Value copy = memref::AllocOp::create(builder, ret.getLoc(), type);
        memref::CopyOp::create(builder, ret.getLoc(), operand.get(), copy);
        operand.set(copy);
      }
    });
  }
};

} // namespace
