//===- PackMatmul.cpp - Pack matmul operands into register panels --------===//
//
// This file implements the graft-pack-matmul pass: a linalg.matmul becomes
// linalg.pack of its operands into the layouts the register tile reads,
// a linalg.mmt4d on the packed tensors, and a linalg.unpack of the result;
// or, for a result that is only returned and holds whole register tiles, a
// generic that accumulates straight into it (graft/Codegen/PackedMatmul.h).
//
//===----------------------------------------------------------------------===//

#include "graft/Codegen/PackedMatmul.h"
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

/// The indexing maps of the in-place form over the loops (m1, n1, k1, m0,
/// n0, k0): A [m1][k1][m0][k0], B [n1][k1][n0][k0], C [m1][m0][n1][n0].
static SmallVector<AffineMap> inPlaceMaps(MLIRContext *ctx) {
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  return {AffineMap::get(6, 0, {d(0), d(2), d(3), d(5)}, ctx),
          AffineMap::get(6, 0, {d(1), d(2), d(4), d(5)}, ctx),
          AffineMap::get(6, 0, {d(0), d(3), d(1), d(4)}, ctx)};
}

bool mlir::graft::isInPlacePackedMatmul(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  return generic && generic.getNumDpsInputs() == 2 &&
         generic.getNumDpsInits() == 1 &&
         generic.getIndexingMapsArray() == inPlaceMaps(op->getContext());
}

bool mlir::graft::isPackedMatmul(Operation *op) {
  return isa<linalg::Mmt4DOp>(op) || isInPlacePackedMatmul(op);
}

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
    auto resultType = cast<RankedTensorType>(init.getType());
    int64_t m = resultType.getDimSize(0), n = resultType.getDimSize(1);
    bool onlyReturned = llvm::all_of(op->getUsers(), [](Operation *user) {
      return isa<func::ReturnOp>(user);
    });
    if (onlyReturned && m % mr == 0 && n % nr == 0) {
      // Accumulates into the result itself, viewed as [M/mr][mr][N/nr][nr]:
      // no packed result to fill, and no unpack. (A result read by another
      // op keeps the packed form, whose unpack fuses into its reader.)
      SmallVector<ReassociationIndices> pairs = {{0, 1}, {2, 3}};
      Value c = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get({m / mr, mr, n / nr, nr}, elementType), init,
          pairs);
      SmallVector<utils::IteratorType> iterators = {
          utils::IteratorType::parallel,  utils::IteratorType::parallel,
          utils::IteratorType::reduction, utils::IteratorType::parallel,
          utils::IteratorType::parallel,  utils::IteratorType::reduction};
      Value product =
          linalg::GenericOp::create(
              rewriter, loc, c.getType(), ValueRange{a, b}, ValueRange{c},
              inPlaceMaps(rewriter.getContext()), iterators,
              [](OpBuilder &b, Location l, ValueRange args) {
                Value mul = arith::MulFOp::create(b, l, args[0], args[1]);
                linalg::YieldOp::create(
                    b, l,
                    ValueRange{arith::AddFOp::create(b, l, args[2], mul)});
              })
              .getResult(0);
      rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, product, pairs);
      return;
    }
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
