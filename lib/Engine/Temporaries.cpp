//===- Temporaries.cpp - Heap use of a compiled function ------------------===//

#include "Temporaries.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>

using namespace mlir;

namespace {

/// Iterations of `loop`, a loop of scf.for, scf.parallel or scf.forall, and
/// whether they may run at the same time. None when a bound is not static.
std::optional<std::pair<int64_t, bool>> tripCount(Operation *loop) {
  auto count = [](OpFoldResult lb, OpFoldResult ub,
                  OpFoldResult step) -> std::optional<int64_t> {
    std::optional<int64_t> l = getConstantIntValue(lb);
    std::optional<int64_t> u = getConstantIntValue(ub);
    std::optional<int64_t> s = getConstantIntValue(step);
    if (!l || !u || !s || *s <= 0)
      return std::nullopt;
    return *u <= *l ? 0 : llvm::divideCeil(*u - *l, *s);
  };
  auto product = [&](ArrayRef<OpFoldResult> lbs, ArrayRef<OpFoldResult> ubs,
                     ArrayRef<OpFoldResult> steps) -> std::optional<int64_t> {
    int64_t total = 1;
    for (auto [lb, ub, step] : llvm::zip_equal(lbs, ubs, steps)) {
      std::optional<int64_t> n = count(lb, ub, step);
      if (!n || llvm::MulOverflow(total, *n, total))
        return std::nullopt;
    }
    return total;
  };
  if (auto forOp = dyn_cast<scf::ForOp>(loop)) {
    if (auto n = count(forOp.getLowerBound(), forOp.getUpperBound(),
                       forOp.getStep()))
      return std::make_pair(*n, false);
    return std::nullopt;
  }
  if (auto parallel = dyn_cast<scf::ParallelOp>(loop)) {
    SmallVector<OpFoldResult> lbs(parallel.getLowerBound()),
        ubs(parallel.getUpperBound()), steps(parallel.getStep());
    if (auto n = product(lbs, ubs, steps))
      return std::make_pair(*n, true);
    return std::nullopt;
  }
  if (auto forall = dyn_cast<scf::ForallOp>(loop)) {
    if (auto n = product(forall.getMixedLowerBound(),
                         forall.getMixedUpperBound(), forall.getMixedStep()))
      return std::make_pair(*n, true);
    return std::nullopt;
  }
  return std::nullopt;
}

/// True when a dealloc of `alloc` is nested in `region`.
bool freedWithin(memref::AllocOp alloc, Region &region) {
  return llvm::any_of(alloc->getUsers(), [&](Operation *user) {
    return isa<memref::DeallocOp>(user) && region.isAncestor(user->getParentRegion());
  });
}

} // namespace

std::optional<uint64_t>
graft::temporaryBytesUpperBound(func::FuncOp function, unsigned threads) {
  uint64_t total = 0;
  bool bounded = true;
  function.walk([&](memref::AllocOp alloc) {
    MemRefType type = alloc.getType();
    if (!type.hasStaticShape()) {
      bounded = false;
      return WalkResult::interrupt();
    }
    uint64_t elementBytes =
        std::max<uint64_t>(1, type.getElementTypeBitWidth() / 8);
    uint64_t bytes = 0;
    if (__builtin_mul_overflow(static_cast<uint64_t>(type.getNumElements()),
                               elementBytes, &bytes)) {
      bounded = false;
      return WalkResult::interrupt();
    }
    for (Operation *loop = alloc->getParentOp(); loop != function;
         loop = loop->getParentOp()) {
      if (!isa<scf::ForOp, scf::ParallelOp, scf::ForallOp>(loop))
        continue;
      std::optional<std::pair<int64_t, bool>> trips = tripCount(loop);
      if (!trips) {
        bounded = false;
        return WalkResult::interrupt();
      }
      auto [iterations, parallel] = *trips;
      uint64_t live = iterations;
      if (freedWithin(alloc, loop->getRegion(0)))
        live = parallel ? std::min<uint64_t>(iterations, threads) : 1;
      if (__builtin_mul_overflow(bytes, live, &bytes)) {
        bounded = false;
        return WalkResult::interrupt();
      }
    }
    if (__builtin_add_overflow(total, bytes, &total)) {
      bounded = false;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (!bounded)
    return std::nullopt;
  return total;
}
