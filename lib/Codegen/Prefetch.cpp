//===- Prefetch.cpp - Prefetch the next block of multi-pass loops -*- C++ -*-=//
//
// This file implements the graft-prefetch pass. A loop over blocks of rows
// that passes over its block of an argument more than once (softmax: max,
// then exp) streams the block in from memory during its first pass only;
// while the later passes compute on the block in cache, nothing streams the
// next one, so memory and compute take turns instead of overlapping. The
// second pass now prefetches the next block's rows, one cache line per
// line it reads.
//
//===----------------------------------------------------------------------===//

#include "graft/Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/ADT/MapVector.h"

#define DEBUG_TYPE "graft-prefetch"

namespace mlir::graft {
#define GEN_PASS_DEF_GRAFTPREFETCHPASS
#include "graft/Codegen/Passes.h.inc"
} // namespace mlir::graft

using namespace mlir;

namespace {

/// The induction variable and step of a loop over blocks: an scf.for, or a
/// one-dimensional scf.parallel (a loop distributed over threads).
std::optional<std::pair<Value, Value>> blockLoop(Operation *op) {
  if (auto loop = dyn_cast<scf::ForOp>(op))
    return std::make_pair(loop.getInductionVar(), loop.getStep());
  if (auto loop = dyn_cast<scf::ParallelOp>(op);
      loop && loop.getNumLoops() == 1)
    return std::make_pair(loop.getInductionVars()[0], loop.getStep()[0]);
  return std::nullopt;
}

/// Whether `index` is `iv` plus other terms (`iv`, `iv + i` as arith.addi,
/// or an affine.apply whose single result adds `iv` with coefficient 1): then
/// `index + step` is the same position in the loop's next block.
bool advancesWith(Value index, Value iv) {
  if (index == iv)
    return true;
  if (auto add = index.getDefiningOp<arith::AddIOp>())
    return add.getLhs() == iv || add.getRhs() == iv;
  auto apply = index.getDefiningOp<affine::AffineApplyOp>();
  if (!apply)
    return false;
  AffineMap map = apply.getAffineMap();
  auto operand = llvm::find(apply.getMapOperands(), iv);
  if (operand == apply.getMapOperands().end())
    return false;
  unsigned position = operand - apply.getMapOperands().begin();
  AffineExpr term = position < map.getNumDims()
                        ? getAffineDimExpr(position, apply.getContext())
                        : getAffineSymbolExpr(position - map.getNumDims(),
                                              apply.getContext());
  // The result is a sum with `term` as one summand and in no other.
  SmallVector<AffineExpr> summands = {map.getResult(0)};
  int count = 0;
  while (!summands.empty()) {
    AffineExpr expr = summands.pop_back_val();
    if (expr.getKind() == AffineExprKind::Add) {
      auto add = cast<AffineBinaryOpExpr>(expr);
      summands.push_back(add.getLHS());
      summands.push_back(add.getRHS());
    } else if (expr == term) {
      ++count;
    } else if (expr.isFunctionOfDim(position) ||
               (position >= map.getNumDims() &&
                expr.isFunctionOfSymbol(position - map.getNumDims()))) {
      return false;
    }
  }
  return count == 1;
}

/// Whether `read` sweeps along its innermost dim: that index is the
/// induction variable of an scf.for inside `loop` (a pass over the row, not
/// the peeled remainder strip of one, whose index is a constant).
bool sweeps(vector::TransferReadOp read, Operation *loop) {
  auto iv = dyn_cast<BlockArgument>(read.getIndices().back());
  if (!iv)
    return false;
  auto inner = dyn_cast<scf::ForOp>(iv.getOwner()->getParentOp());
  return inner && inner.getInductionVar() == iv &&
         loop->isProperAncestor(inner);
}

/// A read to prefetch the next block for, and the argument's type.
struct SecondPass {
  vector::TransferReadOp read;
  MemRefType type;
};

/// The read of a function argument that a loop's second pass over it makes
/// (the first sweeping read outside the first sweeping read's loop body),
/// if it is one this pass can prefetch for: one row of a statically shaped
/// argument (vector dims other than the last are 1) whose outermost index
/// advances with the loop.
std::optional<SecondPass> secondPass(ArrayRef<vector::TransferReadOp> reads,
                                     Operation *loop, Value iv) {
  SmallVector<vector::TransferReadOp> sweeping;
  for (vector::TransferReadOp read : reads)
    if (sweeps(read, loop))
      sweeping.push_back(read);
  if (sweeping.empty())
    return std::nullopt;
  // Reads in the first pass's loop body are that pass.
  vector::TransferReadOp first = sweeping.front();
  auto later = llvm::find_if(sweeping, [&](vector::TransferReadOp read) {
    return read->getParentOp() != first->getParentOp();
  });
  if (later == sweeping.end())
    return std::nullopt;
  vector::TransferReadOp second = *later;
  auto type = cast<MemRefType>(second.getBase().getType());
  VectorType vectorType = second.getVectorType();
  if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
      !second.getPermutationMap().isMinorIdentity() ||
      llvm::any_of(vectorType.getShape().drop_back(),
                   [](int64_t size) { return size != 1; }) ||
      !advancesWith(second.getIndices()[0], iv))
    return std::nullopt;
  return SecondPass{second, type};
}

/// Before `pass.read`: prefetch, for each cache line it reads, the line at
/// the same place in the next block (outermost index + `step`, clamped to
/// the last row).
void prefetchNextBlock(SecondPass pass, Value step, int64_t lineBytes) {
  vector::TransferReadOp read = pass.read;
  OpBuilder builder(read);
  Location loc = read.getLoc();
  auto constant = [&](int64_t value) -> Value {
    return arith::ConstantIndexOp::create(builder, loc, value);
  };
  SmallVector<Value> indices(read.getIndices());
  Value next = arith::AddIOp::create(builder, loc, indices[0], step);
  indices[0] = arith::MinUIOp::create(builder, loc, next,
                                      constant(pass.type.getDimSize(0) - 1));
  int64_t elementBytes = pass.type.getElementTypeBitWidth() / 8;
  int64_t lineElements = std::max<int64_t>(1, lineBytes / elementBytes);
  int64_t width = read.getVectorType().getShape().back();
  Value column = indices.back();
  for (int64_t offset = 0; offset < width; offset += lineElements) {
    if (offset > 0)
      indices.back() =
          arith::AddIOp::create(builder, loc, column, constant(offset));
    memref::PrefetchOp::create(builder, loc, read.getBase(), indices,
                               /*isWrite=*/false, /*localityHint=*/2,
                               /*isDataCache=*/true);
  }
}

struct GraftPrefetchPass final
    : graft::impl::GraftPrefetchPassBase<GraftPrefetchPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<std::pair<SecondPass, Value>> passes;
    // Inner loops are visited first: a read that two nested loops would
    // both prefetch for gets the innermost loop's next block only.
    DenseSet<Operation *> claimed;
    func.walk([&](Operation *op) {
      std::optional<std::pair<Value, Value>> loop = blockLoop(op);
      if (!loop)
        return;
      // The reads of each function argument in the loop, in order.
      llvm::MapVector<Value, SmallVector<vector::TransferReadOp>> reads;
      op->walk([&](vector::TransferReadOp read) {
        auto argument = dyn_cast<BlockArgument>(read.getBase());
        if (argument && argument.getOwner() == &func.getBody().front())
          reads[argument].push_back(read);
      });
      for (auto &entry : reads) {
        std::optional<SecondPass> pass =
            secondPass(entry.second, op, loop->first);
        if (pass && claimed.insert(pass->read).second)
          passes.emplace_back(*pass, loop->second);
      }
    });
    for (auto [pass, step] : passes)
      prefetchNextBlock(pass, step, lineBytes);
  }
};

} // namespace
