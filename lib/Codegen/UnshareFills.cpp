//===- UnshareFills.cpp - One fill per consumer -----------------*- C++ -*-===//
//
// This file implements the graft-unshare-fills pass: every use of a
// linalg.fill on tensors gets its own fill into its own allocation, so that
// ops accumulating into the same zero tensor get separate buffers instead
// of copies of one filled buffer.
//
//===----------------------------------------------------------------------===//

#include "graft/Codegen/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

#define DEBUG_TYPE "graft-unshare-fills"

namespace mlir::graft {
#define GEN_PASS_DEF_GRAFTUNSHAREFILLSPASS
#include "graft/Codegen/Passes.h.inc"
} // namespace mlir::graft

using namespace mlir;

namespace {

struct GraftUnshareFillsPass final
    : graft::impl::GraftUnshareFillsPassBase<GraftUnshareFillsPass> {
  void runOnOperation() override {
    SmallVector<linalg::FillOp> shared;
    getOperation().walk([&](linalg::FillOp fill) {
      if (fill.hasPureTensorSemantics() && !fill->use_empty() &&
          !fill->hasOneUse())
        shared.push_back(fill);
    });
    OpBuilder builder(&getContext());
    for (linalg::FillOp fill : shared) {
      auto type = cast<RankedTensorType>(fill.result().getType());
      builder.setInsertionPoint(fill);
      // One use keeps the original. Each clone fills its own
      // bufferization.alloc_tensor: unlike tensor.empty it allocates, so
      // CSE cannot merge the clones again.
      for (OpOperand &use :
           llvm::make_early_inc_range(llvm::drop_begin(fill->getUses()))) {
        SmallVector<Value> dynamicSizes;
        for (auto [dim, extent] : llvm::enumerate(type.getShape()))
          if (ShapedType::isDynamic(extent))
            dynamicSizes.push_back(tensor::DimOp::create(
                builder, fill.getLoc(), fill.output(), dim));
        Value buffer = bufferization::AllocTensorOp::create(
            builder, fill.getLoc(), type, dynamicSizes);
        use.set(linalg::FillOp::create(builder, fill.getLoc(), fill.value(),
                                       buffer)
                    .result());
      }
    }
  }
};

} // namespace
