//===- StreamingStores.cpp - Non-temporal stores of large outputs -*- C++ -*-=//
//
// This file implements the graft-streaming-stores pass. An output larger
// than the last-level cache cannot stay in cache for the caller, and an
// ordinary store first reads its line from memory (write-allocate): a
// function that reads one input and writes one output moves three bytes
// for every two it needs. Non-temporal stores write whole lines without
// reading them.
//
//===----------------------------------------------------------------------===//

#include "graft/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/MathExtras.h"

#define DEBUG_TYPE "graft-streaming-stores"

namespace mlir::graft {
#define GEN_PASS_DEF_GRAFTSTREAMINGSTORESPASS
#include "graft/Codegen/Passes.h.inc"
} // namespace mlir::graft

using namespace mlir;

namespace {

constexpr int64_t kMaxDivisor = int64_t(1) << 30;

/// The largest power of two that divides `value` (kMaxDivisor for 0, at
/// most kMaxDivisor).
int64_t powerOfTwoDivisor(int64_t value) {
  uint64_t magnitude = value < 0 ? 0 - uint64_t(value) : uint64_t(value);
  if (magnitude == 0)
    return kMaxDivisor;
  return static_cast<int64_t>(
      std::min<uint64_t>(kMaxDivisor, magnitude & (~magnitude + 1)));
}

/// The largest power of two (up to kMaxDivisor) known to divide `index`:
/// from constants, the induction variables of scf.for and scf.parallel
/// (their lower bound and step), and the index arithmetic of tiling.
int64_t knownDivisor(Value index, int depth = 0) {
  if (depth > 16)
    return 1;
  APInt constant;
  if (matchPattern(index, m_ConstantInt(&constant))) {
    return powerOfTwoDivisor(constant.getSExtValue());
  }
  auto divisor = [&](Value value) { return knownDivisor(value, depth + 1); };
  if (auto arg = dyn_cast<BlockArgument>(index)) {
    Operation *owner = arg.getOwner()->getParentOp();
    if (auto loop = dyn_cast<scf::ForOp>(owner);
        loop && arg == loop.getInductionVar())
      return std::min(divisor(loop.getLowerBound()), divisor(loop.getStep()));
    if (auto loop = dyn_cast<scf::ParallelOp>(owner)) {
      unsigned dim = arg.getArgNumber();
      return std::min(divisor(loop.getLowerBound()[dim]),
                      divisor(loop.getStep()[dim]));
    }
    return 1;
  }
  Operation *op = index.getDefiningOp();
  if (isa<arith::AddIOp, arith::SubIOp>(op))
    return std::min(divisor(op->getOperand(0)), divisor(op->getOperand(1)));
  if (isa<arith::MulIOp>(op))
    return std::min(kMaxDivisor,
                    divisor(op->getOperand(0)) * divisor(op->getOperand(1)));
  return 1;
}

/// Whether nothing in the function reads `buffer`, directly or through a
/// view. An op whose memory effects are unknown counts as a read.
bool isOnlyWritten(Value buffer) {
  SmallVector<Value> worklist = {buffer};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (Operation *user : value.getUsers()) {
      if (isa<ViewLikeOpInterface>(user)) {
        llvm::append_range(worklist, user->getResults());
        continue;
      }
      auto effects = dyn_cast<MemoryEffectOpInterface>(user);
      if (!effects || effects.getEffectOnValue<MemoryEffects::Read>(value))
        return false;
    }
  }
  return true;
}

/// The byte alignment of the element at `indices` in `type` (identity
/// layout, static shape), for a buffer aligned to `bufferAlignment`.
int64_t storeAlignment(MemRefType type, ValueRange indices,
                       int64_t bufferAlignment) {
  int64_t elementBytes = type.getElementTypeBitWidth() / 8;
  int64_t offsetDivisor = kMaxDivisor;
  // The power of two dividing each dim's stride (identity layout).
  int64_t strideDivisor = 1;
  for (int64_t dim = type.getRank() - 1; dim >= 0; --dim) {
    offsetDivisor = std::min(
        offsetDivisor,
        std::min(kMaxDivisor, knownDivisor(indices[dim]) * strideDivisor));
    strideDivisor = std::min(kMaxDivisor,
                             strideDivisor *
                                 powerOfTwoDivisor(type.getDimSize(dim)));
  }
  return std::min(bufferAlignment, offsetDivisor * elementBytes);
}

struct GraftStreamingStoresPass final
    : graft::impl::GraftStreamingStoresPassBase<GraftStreamingStoresPass> {
  using GraftStreamingStoresPassBase::GraftStreamingStoresPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    int64_t alignment = outputAlignment;
    if (alignment <= 0 || !llvm::isPowerOf2_64(alignment)) {
      module.emitError() << "graft-streaming-stores: output-alignment must be "
                            "a power of two, got "
                         << alignment;
      return signalPassFailure();
    }
    // Only the entry points' outputs come from the caller with the
    // guaranteed alignment; a function called here gets whatever buffer its
    // caller passes. (SymbolTable's use query walks every attribute of
    // every op: 0.5% of a compile.)
    llvm::DenseSet<StringRef> callees;
    module.walk([&](func::CallOp call) { callees.insert(call.getCallee()); });
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isDeclaration() || !func.isPublic() ||
          callees.contains(func.getSymName()))
        continue;
      bool streamed = false;
      for (BlockArgument arg : func.getArguments())
        streamed |= streamStoresInto(arg);
      if (!streamed)
        continue;
      // Non-temporal stores are weakly ordered: without a fence, a caller
      // that hands the output to another thread through a plain release
      // store could have the flag seen before the data.
      func.walk([](func::ReturnOp ret) {
        OpBuilder builder(ret);
        LLVM::FenceOp::create(builder, ret.getLoc(),
                              LLVM::AtomicOrdering::seq_cst);
      });
    }
  }

  /// Turns the aligned 1-D vector stores into `buffer` non-temporal, if it
  /// is an output larger than the last-level cache that the function only
  /// writes. Returns whether any store changed.
  bool streamStoresInto(Value buffer) {
    auto type = dyn_cast<MemRefType>(buffer.getType());
    if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity() ||
        !type.getElementType().isIntOrFloat() ||
        type.getElementTypeBitWidth() % 8 != 0 ||
        llvm::SaturatingMultiply(
            static_cast<uint64_t>(type.getNumElements()),
            static_cast<uint64_t>(type.getElementTypeBitWidth() / 8)) <
            static_cast<uint64_t>(l3CacheBytes) ||
        !isOnlyWritten(buffer))
      return false;
    bool streamed = false;
    for (Operation *user : llvm::make_early_inc_range(buffer.getUsers())) {
      if (auto write = dyn_cast<vector::TransferWriteOp>(user)) {
        std::optional<int64_t> alignment =
            streamingAlignment(write.getVectorType(), type, write.getIndices());
        if (!alignment || write.getBase() != buffer || write.getMask() ||
            write.hasOutOfBoundsDim() ||
            !write.getPermutationMap().isMinorIdentity())
          continue;
        OpBuilder builder(write);
        vector::StoreOp::create(builder, write.getLoc(), write.getVector(),
                                buffer, write.getIndices(),
                                /*nontemporal=*/true, llvm::Align(*alignment));
        write.erase();
        streamed = true;
      } else if (auto store = dyn_cast<vector::StoreOp>(user)) {
        std::optional<int64_t> alignment =
            streamingAlignment(store.getVectorType(), type, store.getIndices());
        if (!alignment || store.getBase() != buffer)
          continue;
        store.setNontemporal(true);
        store.setAlignment(static_cast<uint64_t>(*alignment));
        streamed = true;
      }
    }
    return streamed;
  }

  /// The alignment of a 1-D store of `vectorType` at `indices` into an
  /// output of `type`, if it is aligned to at least a vector register (or
  /// to its own size, if smaller).
  std::optional<int64_t> streamingAlignment(VectorType vectorType,
                                            MemRefType type,
                                            ValueRange indices) const {
    if (vectorType.getRank() != 1 || vectorType.isScalable())
      return std::nullopt;
    int64_t bytes =
        vectorType.getNumElements() * type.getElementTypeBitWidth() / 8;
    int64_t alignment = storeAlignment(type, indices, outputAlignment);
    // Below 16 bytes, a non-temporal store is a scalar one: no gain.
    if (bytes < 16 || alignment < std::min(bytes, vectorBits / 8))
      return std::nullopt;
    return alignment;
  }
};

} // namespace
