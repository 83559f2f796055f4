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
    SmallVector<linalg::FillOp> fills;
    getOperation().walk([&](linalg::FillOp fill) {
      if (fill.hasPureTensorSemantics() && !fill->use_empty())
        fills.push_back(fill);
    });
    OpBuilder builder(&getContext());
    for (linalg::FillOp fill : fills) {
      builder.setInsertionPoint(fill);
      // One use keeps the original, now filling its own allocation too:
      // two fills of one tensor.empty are identical, and CSE would merge
      // them again.
      if (fill.output().getDefiningOp<tensor::EmptyOp>())
        fill.getOutputsMutable()[0].set(allocLike(builder, fill));
      for (OpOperand &use :
           llvm::make_early_inc_range(llvm::drop_begin(fill->getUses())))
        use.set(linalg::FillOp::create(builder, fill.getLoc(), fill.value(),
                                       allocLike(builder, fill))
                    .result());
    }
  }

  /// A bufferization.alloc_tensor of `fill`'s type: unlike tensor.empty it
  /// allocates, so CSE never merges two of them.
  static Value allocLike(OpBuilder &builder, linalg::FillOp fill) {
    auto type = cast<RankedTensorType>(fill.result().getType());
    SmallVector<Value> dynamicSizes;
    for (auto [dim, extent] : llvm::enumerate(type.getShape()))
      if (ShapedType::isDynamic(extent))
        dynamicSizes.push_back(
            tensor::DimOp::create(builder, fill.getLoc(), fill.output(), dim));
    return bufferization::AllocTensorOp::create(builder, fill.getLoc(), type,
                                                dynamicSizes);
  }
};

} // namespace
