//===- PackMatmul.cpp - Pack matmul operands into register panels -*- C++ -*-===//
//
// This file implements the graft-pack-matmul pass: a linalg.matmul becomes
// linalg.pack of its operands into the layouts the register tile reads,
// a linalg.mmt4d on the packed tensors, and a linalg.unpack of the result.
//
//===----------------------------------------------------------------------===//

#include "graft/Codegen/Passes.h"
#include "graft/Codegen/Target.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

#define DEBUG_TYPE "graft-pack-matmul"

namespace mlir::graft {
#define GEN_PASS_DEF_GRAFTPACKMATMULPASS
#include "graft/Codegen/Passes.h.inc"
} // namespace mlir::graft

using namespace mlir;
using namespace mlir::graft;

namespace {

/// Whether operand `index` of `matmul` is read transposed (A as K x M, or
/// B as N x K); nullopt when its indexing map is neither layout.
std::optional<bool> isTransposed(linalg::MatmulOp matmul, unsigned index) {
  MLIRContext *ctx = matmul.getContext();
  AffineExpr m = getAffineDimExpr(0, ctx), n = getAffineDimExpr(1, ctx),
             k = getAffineDimExpr(2, ctx);
  AffineMap map = matmul.getIndexingMapsArray()[index];
  auto is = [&](AffineExpr a, AffineExpr b) {
    return map == AffineMap::get(3, 0, {a, b}, ctx);
  };
  switch (index) {
  case 0:
    return is(m, k) ? std::optional(false)
                    : is(k, m) ? std::optional(true) : std::nullopt;
  case 1:
    return is(k, n) ? std::optional(false)
                    : is(n, k) ? std::optional(true) : std::nullopt;
  default:
    return is(m, n) ? std::optional(false) : std::nullopt;
  }
}

struct GraftPackMatmulPass final
    : graft::impl::GraftPackMatmulPassBase<GraftPackMatmulPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::MatmulOp> matmuls;
    getOperation().walk([&](linalg::MatmulOp op) {
      if (op.hasPureTensorSemantics() && worthPacking(op))
        matmuls.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::MatmulOp op : matmuls)
      pack(rewriter, op);
  }

  /// Static matmuls of at least a few register tiles in every direction:
  /// below that, packing costs more than the strided reads it saves.
  bool worthPacking(linalg::MatmulOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (llvm::any_of(ranges, ShapedType::isDynamic))
      return false;
    for (unsigned i = 0; i < 3; ++i)
      if (!isTransposed(op, i))
        return false;
    return ranges[0] * ranges[1] * ranges[2] >= minWork;
  }

  /// A (M x K) -> [M/mr][K][mr][1], B (K x N) -> [N/nr][K][nr][1]: one
  /// register tile's rows of A, and its columns of B, are contiguous for
  /// every k. C -> [M/mr][N/nr][mr][nr]. Padding with zeros makes every
  /// tile whole; the unpack drops it again.
  void pack(RewriterBase &rewriter, linalg::MatmulOp op) {
    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    Type elementType = getElementTypeOrSelf(op->getResult(0).getType());
    TargetDescription target =
        TargetDescription::hostWithVectorBits(vectorBits);
    SmallVector<int64_t, 3> reg =
        target.matmulRegisterTile(elementType.getIntOrFloatBitWidth());
    int64_t mr = reg[0], nr = reg[1];
    Value zero = arith::ConstantOp::create(rewriter, loc, elementType,
                                           rewriter.getZeroAttr(elementType));

    auto packed = [&](Value source, ArrayRef<int64_t> innerDimsPos,
                      ArrayRef<int64_t> tiles, ArrayRef<int64_t> outerPerm) {
      SmallVector<OpFoldResult> tileSizes =
          getAsIndexOpFoldResult(rewriter.getContext(), tiles);
      Value dest = linalg::PackOp::createDestinationTensor(
          rewriter, loc, source, tileSizes, innerDimsPos, outerPerm);
      return linalg::PackOp::create(rewriter, loc, source, dest, innerDimsPos,
                                    tileSizes, zero, outerPerm)
          .getResult();
    };
    Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
    Value init = op.getDpsInits()[0];
    // Transposed operands are transposed once here, by the pack.
    Value a = *isTransposed(op, 0)
                  ? packed(lhs, {1, 0}, {mr, 1}, {1, 0})
                  : packed(lhs, {0, 1}, {mr, 1}, {});
    Value b = *isTransposed(op, 1)
                  ? packed(rhs, {0, 1}, {nr, 1}, {})
                  : packed(rhs, {1, 0}, {nr, 1}, {1, 0});
    Value c = packed(init, {0, 1}, {mr, nr}, {});
    Value product =
        linalg::Mmt4DOp::create(rewriter, loc, c.getType(), ValueRange{a, b},
                                ValueRange{c})
            .getResult(0);
    Value result = linalg::UnPackOp::create(
                       rewriter, loc, product, init, {0, 1},
                       getAsIndexOpFoldResult(rewriter.getContext(), {mr, nr}))
                       .getResult();
    rewriter.replaceOp(op, result);
  }
};

} // namespace
