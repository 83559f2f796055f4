//===- GraftOpsVJP.cpp - Vector-Jacobian products of graft ops --*- C++ -*-===//
//
// This file implements DifferentiableOpInterface::buildVJP for every
// differentiable graft op: the derivative rules graft-autodiff composes. Each
// rule is written in graft ops, so the backward graph is lowered, fused and
// tiled like the forward one. Cotangents may keep the result's broadcast
// shape; the pass sums them back to each operand's shape.
//
//===----------------------------------------------------------------------===//

#include "graft/Dialect/Graft/IR/GraftOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::graft;

#include "graft/Dialect/Graft/IR/GraftInterfaces.cpp.inc"

namespace {

/// Terse graft op construction for the rules below.
struct Graph {
  OpBuilder &b;
  Location loc;

  Value add(Value x, Value y) { return AddOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return SubOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return MulOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return DivOp::create(b, loc, x, y); }
  Value neg(Value x) { return NegOp::create(b, loc, x); }
  Value exp(Value x) { return ExpOp::create(b, loc, x); }
  Value log(Value x) { return LogOp::create(b, loc, x); }
  Value pow(Value x, Value y) { return PowOp::create(b, loc, x, y); }
  Value eq(Value x, Value y) { return EqOp::create(b, loc, x, y); }
  Value lt(Value x, Value y) { return LtOp::create(b, loc, x, y); }
  Value gt(Value x, Value y) { return GtOp::create(b, loc, x, y); }
  Value matmul(Value x, Value y) { return MatMulOp::create(b, loc, x, y); }

  /// A rank-0 constant with the element type of `like`.
  Value scalar(double value, Value like) {
    Type elementType = getElementTypeOrSelf(like.getType());
    auto type = RankedTensorType::get({}, elementType);
    return ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(type, b.getFloatAttr(elementType, value)));
  }

  Value reshape(Value x, Type type) {
    return x.getType() == type ? x : ReshapeOp::create(b, loc, type, x);
  }
  Value broadcastTo(Value x, Type type) {
    return x.getType() == type ? x : BroadcastToOp::create(b, loc, type, x);
  }
  Value transpose(Value x, ArrayRef<int64_t> perm) {
    return TransposeOp::create(b, loc, x, perm);
  }
  /// Swaps the last two dims (the matrix transpose of a batch of matrices).
  Value transposeMatrices(Value x) {
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    std::swap(perm[rank - 1], perm[rank - 2]);
    return transpose(x, perm);
  }
  Value sumKeepdim(Value x, ArrayRef<int64_t> dims) {
    return SumOp::create(b, loc, x, dims, /*keepdim=*/true);
  }
};

/// The shape `input` has after reducing `dims` with keepdim.
RankedTensorType keepdimType(RankedTensorType input, ArrayRef<int64_t> dims) {
  SmallVector<int64_t> shape(input.getShape());
  for (int64_t d : dims)
    shape[d] = 1;
  return input.clone(shape);
}

/// Fills `grads` with one entry per operand, computing only the needed ones.
template <typename... Fns>
LogicalResult setGrads(ArrayRef<bool> needsGrad, SmallVectorImpl<Value> &grads,
                       Fns &&...fns) {
  grads.assign(needsGrad.size(), Value());
  size_t index = 0;
  ((grads[index] = needsGrad[index] ? fns() : Value(), ++index), ...);
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

LogicalResult AddOp::buildVJP(OpBuilder &b, ValueRange grads,
                              ArrayRef<bool> needs,
                              SmallVectorImpl<Value> &out) {
  Value g = grads[0];
  return setGrads(
      needs, out, [&] { return g; }, [&] { return g; });
}

LogicalResult SubOp::buildVJP(OpBuilder &b, ValueRange grads,
                              ArrayRef<bool> needs,
                              SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  Value g = grads[0];
  return setGrads(
      needs, out, [&] { return g; }, [&] { return G.neg(g); });
}

LogicalResult MulOp::buildVJP(OpBuilder &b, ValueRange grads,
                              ArrayRef<bool> needs,
                              SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  Value g = grads[0];
  return setGrads(
      needs, out, [&] { return G.mul(g, getRhs()); },
      [&] { return G.mul(g, getLhs()); });
}

// d(l / r) = dl / r - dr * (l / r) / r: the quotient is the forward result.
LogicalResult DivOp::buildVJP(OpBuilder &b, ValueRange grads,
                              ArrayRef<bool> needs,
                              SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  Value g = grads[0];
  return setGrads(
      needs, out, [&] { return G.div(g, getRhs()); },
      [&] { return G.neg(G.div(G.mul(g, getResult()), getRhs())); });
}

// d(l^r) = r l^(r-1) dl + l^r log(l) dr. For l = 0 the second term is NaN
// where PyTorch masks it to 0 (documented in docs/Autodiff.md).
LogicalResult PowOp::buildVJP(OpBuilder &b, ValueRange grads,
                              ArrayRef<bool> needs,
                              SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  Value g = grads[0], l = getLhs(), r = getRhs();
  return setGrads(
      needs, out,
      [&] {
        Value power = G.pow(l, G.sub(r, G.scalar(1.0, r)));
        return G.mul(g, G.mul(r, power));
      },
      [&] { return G.mul(g, G.mul(getResult(), G.log(l))); });
}

// As in PyTorch, ties split the gradient evenly between the operands.
template <typename OpT>
static LogicalResult buildMinMaxVJP(OpT op, bool isMax, OpBuilder &b,
                                    ValueRange grads, ArrayRef<bool> needs,
                                    SmallVectorImpl<Value> &out) {
  Graph G{b, op.getLoc()};
  Value g = grads[0], l = op.getLhs(), r = op.getRhs();
  auto wins = [&](Value x, Value y) { return isMax ? G.gt(x, y) : G.lt(x, y); };
  auto tie = [&] { return G.mul(G.eq(l, r), G.scalar(0.5, l)); };
  return setGrads(
      needs, out, [&] { return G.mul(g, G.add(wins(l, r), tie())); },
      [&] { return G.mul(g, G.add(wins(r, l), tie())); });
}

LogicalResult MaximumOp::buildVJP(OpBuilder &b, ValueRange grads,
                                  ArrayRef<bool> needs,
                                  SmallVectorImpl<Value> &out) {
  return buildMinMaxVJP(*this, /*isMax=*/true, b, grads, needs, out);
}

LogicalResult MinimumOp::buildVJP(OpBuilder &b, ValueRange grads,
                                  ArrayRef<bool> needs,
                                  SmallVectorImpl<Value> &out) {
  return buildMinMaxVJP(*this, /*isMax=*/false, b, grads, needs, out);
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

LogicalResult NegOp::buildVJP(OpBuilder &b, ValueRange grads,
                              ArrayRef<bool> needs,
                              SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  return setGrads(needs, out, [&] { return G.neg(grads[0]); });
}

LogicalResult ExpOp::buildVJP(OpBuilder &b, ValueRange grads,
                              ArrayRef<bool> needs,
                              SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  return setGrads(needs, out, [&] { return G.mul(grads[0], getResult()); });
}

LogicalResult LogOp::buildVJP(OpBuilder &b, ValueRange grads,
                              ArrayRef<bool> needs,
                              SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  return setGrads(needs, out, [&] { return G.div(grads[0], getInput()); });
}

// d sqrt(x) = dx / (2 sqrt(x)).
LogicalResult SqrtOp::buildVJP(OpBuilder &b, ValueRange grads,
                               ArrayRef<bool> needs,
                               SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  return setGrads(needs, out, [&] {
    return G.div(grads[0], G.add(getResult(), getResult()));
  });
}

// d tanh(x) = (1 - tanh(x)^2) dx.
LogicalResult TanhOp::buildVJP(OpBuilder &b, ValueRange grads,
                               ArrayRef<bool> needs,
                               SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  Value t = getResult();
  return setGrads(needs, out, [&] {
    return G.mul(grads[0], G.sub(G.scalar(1.0, t), G.mul(t, t)));
  });
}

// d sigmoid(x) = s (1 - s) dx.
LogicalResult SigmoidOp::buildVJP(OpBuilder &b, ValueRange grads,
                                  ArrayRef<bool> needs,
                                  SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  Value s = getResult();
  return setGrads(needs, out, [&] {
    return G.mul(grads[0], G.mul(s, G.sub(G.scalar(1.0, s), s)));
  });
}

// The derivative at 0 is taken as 0, as in PyTorch.
LogicalResult ReluOp::buildVJP(OpBuilder &b, ValueRange grads,
                               ArrayRef<bool> needs,
                               SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  Value x = getInput();
  return setGrads(needs, out,
                  [&] { return G.mul(grads[0], G.gt(x, G.scalar(0.0, x))); });
}

// sign(x), with sign(0) = 0 as in PyTorch.
LogicalResult AbsOp::buildVJP(OpBuilder &b, ValueRange grads,
                              ArrayRef<bool> needs,
                              SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  Value x = getInput(), zero = G.scalar(0.0, getInput());
  return setGrads(needs, out, [&] {
    return G.mul(grads[0], G.sub(G.gt(x, zero), G.lt(x, zero)));
  });
}

//===----------------------------------------------------------------------===//
// Linear algebra and shape ops
//===----------------------------------------------------------------------===//

// d(L R) = dL R + L dR: the lhs gets g R^T, the rhs L^T g. The transposes
// fold into the matmuls' operand maps when lowered, so they cost no copy;
// batch dims that were broadcast are summed by the pass.
LogicalResult MatMulOp::buildVJP(OpBuilder &b, ValueRange grads,
                                 ArrayRef<bool> needs,
                                 SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  Value g = grads[0];
  return setGrads(
      needs, out, [&] { return G.matmul(g, G.transposeMatrices(getRhs())); },
      [&] { return G.matmul(G.transposeMatrices(getLhs()), g); });
}

LogicalResult TransposeOp::buildVJP(OpBuilder &b, ValueRange grads,
                                    ArrayRef<bool> needs,
                                    SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  ArrayRef<int64_t> perm = getPerm();
  SmallVector<int64_t> inverse(perm.size());
  for (auto [i, p] : llvm::enumerate(perm))
    inverse[p] = i;
  return setGrads(needs, out, [&] { return G.transpose(grads[0], inverse); });
}

LogicalResult ReshapeOp::buildVJP(OpBuilder &b, ValueRange grads,
                                  ArrayRef<bool> needs,
                                  SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  return setGrads(needs, out,
                  [&] { return G.reshape(grads[0], getInput().getType()); });
}

// The cotangent keeps the broadcast shape; the pass sums it back.
LogicalResult BroadcastToOp::buildVJP(OpBuilder &b, ValueRange grads,
                                      ArrayRef<bool> needs,
                                      SmallVectorImpl<Value> &out) {
  return setGrads(needs, out, [&] { return grads[0]; });
}

//===----------------------------------------------------------------------===//
// Reductions and softmax
//===----------------------------------------------------------------------===//

// Every input element contributed once: broadcast g back over the dims.
LogicalResult SumOp::buildVJP(OpBuilder &b, ValueRange grads,
                              ArrayRef<bool> needs,
                              SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  RankedTensorType input = getInput().getType();
  RankedTensorType kept = keepdimType(input, getReducedDims());
  return setGrads(needs, out, [&] {
    return G.broadcastTo(G.reshape(grads[0], kept), input);
  });
}

LogicalResult MeanOp::buildVJP(OpBuilder &b, ValueRange grads,
                               ArrayRef<bool> needs,
                               SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  RankedTensorType input = getInput().getType();
  SmallVector<int64_t> dims = getReducedDims();
  int64_t count = 1;
  for (int64_t d : dims)
    count *= input.getDimSize(d);
  RankedTensorType kept = keepdimType(input, dims);
  return setGrads(needs, out, [&] {
    Value scaled = G.mul(G.reshape(grads[0], kept),
                         G.scalar(1.0 / static_cast<double>(count), grads[0]));
    return G.broadcastTo(scaled, input);
  });
}

// As torch.amax: the gradient is shared evenly between tied maxima.
LogicalResult MaxOp::buildVJP(OpBuilder &b, ValueRange grads,
                              ArrayRef<bool> needs,
                              SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  Value x = getInput();
  SmallVector<int64_t> dims = getReducedDims();
  RankedTensorType kept = keepdimType(getInput().getType(), dims);
  return setGrads(needs, out, [&] {
    Value mask = G.eq(x, G.reshape(getResult(), kept));
    Value ties = G.sumKeepdim(mask, dims);
    return G.mul(mask, G.div(G.reshape(grads[0], kept), ties));
  });
}

// y = softmax(x): dx = y (g - sum(g y)).
LogicalResult SoftmaxOp::buildVJP(OpBuilder &b, ValueRange grads,
                                  ArrayRef<bool> needs,
                                  SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  Value y = getResult();
  return setGrads(needs, out, [&] {
    Value gy = G.mul(grads[0], y);
    return G.sub(gy, G.mul(y, G.sumKeepdim(gy, {getNormalizedDim()})));
  });
}

// y = log_softmax(x): dx = g - exp(y) sum(g).
LogicalResult LogSoftmaxOp::buildVJP(OpBuilder &b, ValueRange grads,
                                     ArrayRef<bool> needs,
                                     SmallVectorImpl<Value> &out) {
  Graph G{b, getLoc()};
  Value g = grads[0];
  return setGrads(needs, out, [&] {
    return G.sub(
        g, G.mul(G.exp(getResult()), G.sumKeepdim(g, {getNormalizedDim()})));
  });
}
