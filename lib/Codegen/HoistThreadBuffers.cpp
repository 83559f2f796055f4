//===- HoistThreadBuffers.cpp - Scratch buffers once per thread -*- C++ -*-===//
//
// This file implements the graft-hoist-thread-buffers pass: a statically
// shaped buffer that an OpenMP worksharing loop's body allocates and frees
// is allocated once per thread, in the enclosing omp.parallel, instead of
// once per iteration.
//
//===----------------------------------------------------------------------===//

#include "graft/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"

#define DEBUG_TYPE "graft-hoist-thread-buffers"

namespace mlir::graft {
#define GEN_PASS_DEF_GRAFTHOISTTHREADBUFFERSPASS
#include "graft/Codegen/Passes.h.inc"
} // namespace mlir::graft

using namespace mlir;

namespace {

/// The one memref.dealloc of `alloc`, if it is in `block`.
memref::DeallocOp deallocIn(memref::AllocOp alloc, Block *block) {
  memref::DeallocOp dealloc;
  for (Operation *user : alloc->getUsers()) {
    auto candidate = dyn_cast<memref::DeallocOp>(user);
    if (!candidate)
      continue;
    if (dealloc)
      return nullptr;
    dealloc = candidate;
  }
  return dealloc && dealloc->getBlock() == block ? dealloc : nullptr;
}

struct GraftHoistThreadBuffersPass final
    : graft::impl::GraftHoistThreadBuffersPassBase<
          GraftHoistThreadBuffersPass> {
  void runOnOperation() override {
    getOperation().walk([](omp::LoopNestOp loop) {
      auto wsloop = dyn_cast<omp::WsloopOp>(loop->getParentOp());
      if (!wsloop || !isa<omp::ParallelOp>(wsloop->getParentOp()) ||
          !loop.getRegion().hasOneBlock())
        return;
      Block *body = &loop.getRegion().front();
      for (auto alloc :
           llvm::make_early_inc_range(body->getOps<memref::AllocOp>())) {
        if (!alloc->getOperands().empty())
          continue;
        if (memref::DeallocOp dealloc = deallocIn(alloc, body)) {
          alloc->moveBefore(wsloop);
          dealloc->moveAfter(wsloop);
        }
      }
    });
  }
};

} // namespace
