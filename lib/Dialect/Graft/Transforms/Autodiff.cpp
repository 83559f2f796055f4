//===- Autodiff.cpp - Reverse-mode differentiation of graft IR --*- C++ -*-===//
//
// This file implements the graft-autodiff pass. It walks a function's ops in
// reverse, asks each op's DifferentiableOpInterface for its vector-Jacobian
// product, sums contributions at fan-out and un-broadcasts cotangents. It
// knows no op by name: every rule lives with its op (GraftOpsVJP.cpp).
//
//===----------------------------------------------------------------------===//

#include "graft/Dialect/Graft/IR/GraftOps.h"
#include "graft/Dialect/Graft/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/DenseSet.h"

#define DEBUG_TYPE "graft-autodiff"

namespace mlir::graft {
#define GEN_PASS_DEF_GRAFTAUTODIFFPASS
#include "graft/Dialect/Graft/Transforms/Passes.h.inc"
} // namespace mlir::graft

using namespace mlir;
using namespace mlir::graft;

namespace {

bool isGraftTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() &&
         isa<Float32Type, Float64Type>(tensor.getElementType());
}

Value buildFull(OpBuilder &b, Location loc, Type type, double value) {
  Type elementType = cast<RankedTensorType>(type).getElementType();
  return FullOp::create(b, loc, type, b.getFloatAttr(elementType, value));
}

/// Sums a cotangent of a broadcast shape back to `target`, the shape of the
/// operand it belongs to: over the leading dims the operand lacks and over
/// the dims where the operand has size 1.
Value reduceToType(OpBuilder &b, Location loc, Value grad,
                   RankedTensorType target) {
  auto type = cast<RankedTensorType>(grad.getType());
  if (type == target)
    return grad;
  int64_t offset = type.getRank() - target.getRank();
  SmallVector<int64_t> dims = llvm::to_vector(llvm::seq<int64_t>(0, offset));
  for (int64_t i = 0; i < target.getRank(); ++i)
    if (target.getDimSize(i) == 1 && type.getDimSize(offset + i) != 1)
      dims.push_back(offset + i);
  Value sum =
      dims.empty() ? grad : SumOp::create(b, loc, grad, dims).getResult();
  return sum.getType() == target
             ? sum
             : ReshapeOp::create(b, loc, target, sum).getResult();
}

/// The values `op` reads: its operands and the values its regions use from
/// outside (an scf.if reads what its branches capture).
SmallVector<Value> inputsOf(Operation *op) {
  SmallVector<Value> inputs(op->getOperands());
  llvm::SetVector<Value> captured;
  getUsedValuesDefinedAbove(op->getRegions(), captured);
  inputs.append(captured.begin(), captured.end());
  return inputs;
}

/// Differentiates result 0 of `func` with respect to the arguments `wrt`.
LogicalResult differentiate(func::FuncOp func, ArrayRef<int64_t> wrt) {
  if (func->hasAttr(kDifferentiatedAttrName))
    return func.emitOpError("was already differentiated by graft-autodiff; "
                            "higher-order gradients are not supported");
  if (func.isExternal() || !func.getBody().hasOneBlock())
    return func.emitOpError("graft.wrt needs a function with one block");
  Block &body = func.getBody().front();
  auto ret = dyn_cast<func::ReturnOp>(body.getTerminator());
  if (!ret || ret.getNumOperands() == 0)
    return func.emitOpError("graft.wrt needs a function with a result");
  Value output = ret.getOperand(0);
  if (!isGraftTensor(output.getType()))
    return func.emitOpError("result 0 must be a float tensor to be "
                            "differentiated, got ")
           << output.getType();
  llvm::SmallDenseSet<int64_t> seen;
  for (int64_t index : wrt) {
    if (index < 0 || index >= func.getNumArguments())
      return func.emitOpError("graft.wrt index ")
             << index << " is out of range for " << func.getNumArguments()
             << " arguments";
    if (!seen.insert(index).second)
      return func.emitOpError("graft.wrt index ")
             << index << " appears more than once";
    if (!isGraftTensor(func.getArgument(index).getType()))
      return func.emitOpError("argument ")
             << index << " must be a float tensor to be differentiated, got "
             << func.getArgument(index).getType();
  }

  // Active values depend on a wrt argument and reach result 0; only they
  // get backward ops.
  llvm::DenseSet<Value> varied, useful;
  for (int64_t index : wrt)
    varied.insert(func.getArgument(index));
  for (Operation &op : body.without_terminator())
    if (llvm::any_of(inputsOf(&op),
                     [&](Value v) { return varied.contains(v); }))
      varied.insert(op.getResults().begin(), op.getResults().end());
  useful.insert(output);
  for (Operation &op : llvm::reverse(body.without_terminator()))
    if (llvm::any_of(op.getResults(),
                     [&](Value v) { return useful.contains(v); })) {
      SmallVector<Value> inputs = inputsOf(&op);
      useful.insert(inputs.begin(), inputs.end());
    }
  auto isActive = [&](Value v) {
    return varied.contains(v) && useful.contains(v);
  };

  OpBuilder b(ret);
  Location loc = func.getLoc();
  // The seed: d result0 / d result0 = 1 for a scalar; otherwise the caller's
  // incoming gradient, a new trailing argument.
  Value seed;
  auto outputType = cast<RankedTensorType>(output.getType());
  if (outputType.getRank() == 0) {
    // A constant, so that canonicalization folds the `1 *` away.
    seed = ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            outputType, b.getFloatAttr(outputType.getElementType(), 1.0)));
  } else {
    if (failed(
            func.insertArgument(func.getNumArguments(), outputType, {}, loc)))
      return failure();
    seed = func.getArgument(func.getNumArguments() - 1);
  }

  llvm::DenseMap<Value, Value> grads;
  if (isActive(output))
    grads[output] = seed;
  auto accumulate = [&](Value value, Value grad) {
    Value &slot = grads[value];
    slot = slot ? AddOp::create(b, loc, slot, grad).getResult() : grad;
  };

  SmallVector<Operation *> forward = llvm::to_vector(llvm::map_range(
      body.without_terminator(), [](Operation &op) { return &op; }));
  for (Operation *op : llvm::reverse(forward)) {
    if (llvm::none_of(op->getResults(),
                      [&](Value v) { return grads.contains(v); }))
      continue;
    if (llvm::none_of(inputsOf(op), isActive))
      continue;
    auto differentiable = dyn_cast<DifferentiableOpInterface>(op);
    if (!differentiable)
      return op->emitOpError("is not differentiable, but the gradient of "
                             "result 0 of '")
             << func.getName() << "' must flow through it";
    SmallVector<bool> needsGrad =
        llvm::to_vector(llvm::map_range(op->getOperands(), isActive));
    SmallVector<Value> resultGrads;
    for (Value result : op->getResults()) {
      Value grad = grads.lookup(result);
      resultGrads.push_back(grad ? grad
                                 : buildFull(b, loc, result.getType(), 0.0));
    }
    SmallVector<Value> operandGrads;
    if (failed(
            differentiable.buildVJP(b, resultGrads, needsGrad, operandGrads)))
      return op->emitOpError("failed to build its vector-Jacobian product");
    for (auto [operand, grad, needed] :
         llvm::zip_equal(op->getOperands(), operandGrads, needsGrad))
      if (needed)
        accumulate(operand,
                   reduceToType(b, op->getLoc(), grad,
                                cast<RankedTensorType>(operand.getType())));
  }

  SmallVector<Value> results(ret.getOperands());
  for (int64_t index : wrt) {
    BlockArgument arg = func.getArgument(index);
    Value grad = grads.lookup(arg);
    results.push_back(grad ? grad : buildFull(b, loc, arg.getType(), 0.0));
  }
  ret.getOperandsMutable().assign(results);
  func.setFunctionType(b.getFunctionType(func.getArgumentTypes(),
                                         ValueRange(results).getTypes()));
  func->removeAttr(kWrtAttrName);
  func->setAttr(kDifferentiatedAttrName, b.getUnitAttr());
  return success();
}

struct GraftAutodiffPass final
    : graft::impl::GraftAutodiffPassBase<GraftAutodiffPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      Attribute attr = func->getAttr(kWrtAttrName);
      if (!attr)
        continue;
      auto wrt = dyn_cast<DenseI64ArrayAttr>(attr);
      if (!wrt) {
        func.emitOpError("graft.wrt must be an array<i64: ...> of argument "
                         "indices, got ")
            << attr;
        return signalPassFailure();
      }
      if (failed(differentiate(func, wrt.asArrayRef())))
        return signalPassFailure();
    }
  }
};

} // namespace
