//===- GraftOps.td - Graft dialect ops ---------------------*- tablegen -*-===//
//
// The op contract of ../shared/DESIGN.md: op names, attribute names and kinds
// are fixed, because other people's tests are written against them.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_DIALECT_GRAFT_IR_GRAFTOPS_TD
#define GRAFT_DIALECT_GRAFT_IR_GRAFTOPS_TD

include "graft/Dialect/Graft/IR/GraftBase.td"
include "graft/Dialect/Graft/IR/GraftInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

/// Any builtin FloatAttr; its value is converted to the result element type.
def Graft_AnyFloatAttr : Attr<CPred<"::llvm::isa<::mlir::FloatAttr>($_self)">,
                              "floating-point attribute"> {
  let storageType = "::mlir::FloatAttr";
  let returnType = "::mlir::FloatAttr";
  let convertFromStorage = "$_self";
}

/// A DenseElementsAttr, the one kind of literal every consumer of
/// graft.constant handles (the lowering, the folders, the reference
/// evaluator); sparse and resource-backed elements are rejected.
def Graft_DenseElementsAttr : ElementsAttrBase<
    CPred<"::llvm::isa<::mlir::DenseElementsAttr>($_self)">,
    "dense elements attribute"> {
  let storageType = "::mlir::DenseElementsAttr";
  let returnType = "::mlir::DenseElementsAttr";
  let convertFromStorage = "$_self";
}

/// Ops with a VJP rule (in GraftOpsVJP.cpp) for graft-autodiff.
defvar Graft_Differentiable =
    DeclareOpInterfaceMethods<Graft_DifferentiableOpInterface>;

//===----------------------------------------------------------------------===//
// Creation ops
//===----------------------------------------------------------------------===//

def Graft_ConstantOp : Graft_Op<"constant",
    [Pure, ConstantLike, AllTypesMatch<["value", "result"]>]> {
  let summary = "Literal tensor (torch.tensor).";
  let description = [{
    Materializes `value`, a dense elements attribute, as a tensor of the
    same type.

    ```mlir
    %c = graft.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
    %s = graft.constant dense<4.0> : tensor<f32>
    ```
  }];
  let arguments = (ins Graft_DenseElementsAttr:$value);
  let results = (outs Graft_Tensor:$result);
  let assemblyFormat = "$value attr-dict";
  let builders = [OpBuilder<(ins "::mlir::DenseElementsAttr":$value), [{
    build($_builder, $_state, value.getType(), value);
  }]>];
  let hasFolder = 1;
}

def Graft_RandOp : Graft_Op<"rand", [Pure]> {
  let summary = "Uniform random numbers in [0, 1) (torch.rand).";
  let description = [{
    Fills the result shape with the values of
    `torch.manual_seed(seed); torch.rand(shape)`, bit for bit: mt19937 seeded
    with `seed`, one 24-bit (f32) or 53-bit (f64) draw per element in
    row-major order. The same seed always gives the same tensor.

    ```mlir
    %r = graft.rand {seed = 0 : i64} : tensor<3x3xf32>
    ```
  }];
  let arguments = (ins I64Attr:$seed);
  let results = (outs Graft_Tensor:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
}

def Graft_RandnOp : Graft_Op<"randn", [Pure]> {
  let summary = "Standard normal random numbers (torch.randn).";
  let description = [{
    Fills the result with standard normal values drawn from mt19937 seeded
    with `seed`, following torch.randn's CPU algorithm (Box-Muller on blocks
    of 16 uniforms). Values agree with PyTorch to the last bits of the math
    library; bit-exactness is not promised.

    ```mlir
    %r = graft.randn {seed = 0 : i64} : tensor<3x3xf32>
    ```
  }];
  let arguments = (ins I64Attr:$seed);
  let results = (outs Graft_Tensor:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
}

def Graft_FullOp : Graft_Op<"full", [Pure]> {
  let summary = "Tensor filled with one value (torch.full, ones, zeros).";
  let description = [{
    ```mlir
    %ones = graft.full {value = 1.000000e+00 : f32} : tensor<3x3xf32>
    ```
  }];
  let arguments = (ins Graft_AnyFloatAttr:$value);
  let results = (outs Graft_Tensor:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
}

def Graft_EyeOp : Graft_Op<"eye", [Pure]> {
  let summary = "Identity matrix (torch.eye).";
  let description = [{
    Ones on the main diagonal of a 2-D result, zeros elsewhere. The result
    need not be square.

    ```mlir
    %e = graft.eye : tensor<3x3xf32>
    ```
  }];
  let results = (outs Graft_Tensor:$result);
  let assemblyFormat = "attr-dict `:` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops with NumPy broadcasting
//===----------------------------------------------------------------------===//

class Graft_BinaryOp<string mnemonic, string torchName, list<Trait> traits = []>
    : Graft_Op<mnemonic, !listconcat(traits, [Pure,
                                                SameOperandsAndResultElementType])> {
  let summary = "Elementwise " # mnemonic # " with broadcasting (" # torchName # ").";
  let description = [{
    Operand shapes broadcast with NumPy/PyTorch rules: they are aligned on
    the right, and each pair of dims must be equal or contain a 1.

    ```mlir
    %z = graft.}] # mnemonic # [{ %x, %y : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
    ```
  }];
  let arguments = (ins Graft_Tensor:$lhs, Graft_Tensor:$rhs);
  let results = (outs Graft_Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let builders = [OpBuilder<(ins "::mlir::Value":$lhs, "::mlir::Value":$rhs), [{
    build($_builder, $_state,
          ::mlir::graft::inferBroadcastType(lhs.getType(), rhs.getType()),
          lhs, rhs);
  }]>];
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() {
      return ::mlir::graft::verifyBroadcastOp(*this);
    }
  }];
}

def Graft_AddOp : Graft_BinaryOp<"add", "torch.add", [Commutative, Graft_Differentiable]> {
  let hasFolder = 1;
}
def Graft_SubOp : Graft_BinaryOp<"sub", "torch.sub", [Graft_Differentiable]> {
  let hasFolder = 1;
}
def Graft_MulOp : Graft_BinaryOp<"mul", "torch.mul", [Commutative, Graft_Differentiable]> {
  let hasFolder = 1;
}
def Graft_DivOp : Graft_BinaryOp<"div", "torch.div", [Graft_Differentiable]> {
  let hasFolder = 1;
}
def Graft_PowOp : Graft_BinaryOp<"pow", "torch.pow", [Graft_Differentiable]>;
def Graft_MaximumOp : Graft_BinaryOp<"maximum", "torch.maximum, NaN-propagating",
                                     [Commutative, Graft_Differentiable]>;
def Graft_MinimumOp : Graft_BinaryOp<"minimum", "torch.minimum, NaN-propagating",
                                     [Commutative, Graft_Differentiable]>;

//===----------------------------------------------------------------------===//
// Comparisons
//===----------------------------------------------------------------------===//

class Graft_CompareOp<string mnemonic, string torchName, list<Trait> traits = []>
    : Graft_BinaryOp<mnemonic, torchName, traits> {
  let summary = "Elementwise comparison " # mnemonic #
                " with broadcasting (" # torchName # "), as a 0/1 mask.";
  let description = [{
    The result is 1.0 where the comparison holds and 0.0 elsewhere, in the
    operands' element type (graft has no boolean tensors). Comparisons with
    NaN are false, except `ne`, which is true. Comparisons are not
    differentiable: graft-autodiff reports an error if a gradient must flow
    through one.

    ```mlir
    %m = graft.}] # mnemonic # [{ %x, %y : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
    ```
  }];
}

def Graft_EqOp : Graft_CompareOp<"eq", "torch.eq", [Commutative]>;
def Graft_NeOp : Graft_CompareOp<"ne", "torch.ne", [Commutative]>;
def Graft_LtOp : Graft_CompareOp<"lt", "torch.lt">;
def Graft_LeOp : Graft_CompareOp<"le", "torch.le">;
def Graft_GtOp : Graft_CompareOp<"gt", "torch.gt">;
def Graft_GeOp : Graft_CompareOp<"ge", "torch.ge">;

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

class Graft_UnaryOp<string mnemonic, string torchName, list<Trait> traits = []>
    : Graft_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultType,
                                                Graft_Differentiable])> {
  let summary = "Elementwise " # mnemonic # " (" # torchName # ").";
  let description = [{
    ```mlir
    %y = graft.}] # mnemonic # [{ %x : tensor<4x5xf32>
    ```
  }];
  let arguments = (ins Graft_Tensor:$input);
  let results = (outs Graft_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Graft_NegOp : Graft_UnaryOp<"neg", "torch.neg"> {
  let hasFolder = 1;
}
def Graft_ExpOp : Graft_UnaryOp<"exp", "torch.exp">;
def Graft_LogOp : Graft_UnaryOp<"log", "torch.log">;
def Graft_SqrtOp : Graft_UnaryOp<"sqrt", "torch.sqrt">;
def Graft_TanhOp : Graft_UnaryOp<"tanh", "torch.tanh">;
def Graft_SigmoidOp : Graft_UnaryOp<"sigmoid", "torch.sigmoid">;
def Graft_ReluOp : Graft_UnaryOp<"relu", "torch.relu; NaN stays NaN">;
def Graft_AbsOp : Graft_UnaryOp<"abs", "torch.abs">;

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def Graft_MatMulOp : Graft_Op<"matmul",
    [Pure, SameOperandsAndResultElementType, Graft_Differentiable]> {
  let summary = "Matrix product (torch.matmul), batched for rank >= 3.";
  let description = [{
    `[..., M, K] x [..., K, N] -> [..., M, N]`. Both operands must have rank
    2 or more; the leading (batch) dims broadcast with NumPy rules, as in
    torch.matmul. 1-D operands (vector products) are rejected: reshape them
    to `[1, K]` or `[K, 1]` first.

    ```mlir
    %q = graft.matmul %x, %y : (tensor<4x3xf32>, tensor<3x5xf32>) -> tensor<4x5xf32>
    %b = graft.matmul %u, %v : (tensor<8x4x3xf32>, tensor<3x5xf32>) -> tensor<8x4x5xf32>
    ```
  }];
  let arguments = (ins Graft_Tensor:$lhs, Graft_Tensor:$rhs);
  let results = (outs Graft_Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let builders = [OpBuilder<(ins "::mlir::Value":$lhs, "::mlir::Value":$rhs)>];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

def Graft_TransposeOp : Graft_Op<"transpose",
    [Pure, SameOperandsAndResultElementType, Graft_Differentiable]> {
  let summary = "Permutation of dims (torch.permute).";
  let description = [{
    Result dim `i` is input dim `perm[i]`.

    ```mlir
    %t = graft.transpose %x {perm = array<i64: 1, 0>} : (tensor<4x5xf32>) -> tensor<5x4xf32>
    ```
  }];
  let arguments = (ins Graft_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Graft_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let builders = [OpBuilder<(ins "::mlir::Value":$input,
                                 "::llvm::ArrayRef<int64_t>":$perm)>];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Graft_ReshapeOp : Graft_Op<"reshape",
    [Pure, SameOperandsAndResultElementType, Graft_Differentiable]> {
  let summary = "Same elements in row-major order, new shape (torch.reshape).";
  let description = [{
    The result type gives the shape; the element counts must match.

    ```mlir
    %r = graft.reshape %x : (tensor<4x5xf32>) -> tensor<20xf32>
    ```
  }];
  let arguments = (ins Graft_Tensor:$input);
  let results = (outs Graft_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Graft_BroadcastToOp : Graft_Op<"broadcast_to",
    [Pure, SameOperandsAndResultElementType, Graft_Differentiable]> {
  let summary = "Broadcast to the result shape (torch.expand).";
  let description = [{
    The input must broadcast to the result type's shape with NumPy rules
    (dims aligned on the right; each input dim is 1 or equal).

    ```mlir
    %b = graft.broadcast_to %v : (tensor<5xf32>) -> tensor<4x5xf32>
    ```
  }];
  let arguments = (ins Graft_Tensor:$input);
  let results = (outs Graft_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class Graft_ReductionOp<string mnemonic, string torchName>
    : Graft_Op<mnemonic, [Pure, SameOperandsAndResultElementType,
                          Graft_Differentiable]> {
  let summary = "Reduction over `dims` (" # torchName # ").";
  let description = [{
    Reduces over `dims`; an empty `dims` reduces over every dim. Negative
    dims count from the back, as in PyTorch. With `keepdim` the reduced dims
    stay in the result with size 1.

    ```mlir
    %r = graft.}] # mnemonic # [{ %x {dims = array<i64: 1>, keepdim = false} : (tensor<4x5xf32>) -> tensor<4xf32>
    %a = graft.}] # mnemonic # [{ %x : (tensor<4x5xf32>) -> tensor<f32>
    ```
  }];
  let arguments = (ins Graft_Tensor:$input,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$dims,
                       DefaultValuedAttr<BoolAttr, "false">:$keepdim);
  let results = (outs Graft_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let extraClassDeclaration = [{
    /// The reduced dims, non-negative and sorted. Valid after verification.
    ::llvm::SmallVector<int64_t> getReducedDims() {
      return ::mlir::graft::normalizeReductionDims(getDims(),
                                                   getInput().getType().getRank());
    }
  }];
  let builders = [OpBuilder<(ins "::mlir::Value":$input,
                                 "::llvm::ArrayRef<int64_t>":$dims,
                                 CArg<"bool", "false">:$keepdim), [{
    build($_builder, $_state,
          ::mlir::graft::inferReductionType(input.getType(), dims, keepdim),
          input, dims, keepdim);
  }]>];
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() {
      return ::mlir::graft::verifyReductionOp(*this, getDims(), getKeepdim());
    }
  }];
}

def Graft_SumOp : Graft_ReductionOp<"sum", "torch.sum">;
def Graft_MeanOp : Graft_ReductionOp<"mean", "torch.mean">;
def Graft_MaxOp : Graft_ReductionOp<"max", "torch.amax; values only">;

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

class Graft_SoftmaxLikeOp<string mnemonic, string torchName>
    : Graft_Op<mnemonic, [Pure, SameOperandsAndResultType,
                          Graft_Differentiable]> {
  let summary = torchName # " along `dim`, max-subtracted for stability.";
  let description = [{
    `dim` may be negative (counted from the back).

    ```mlir
    %m = graft.}] # mnemonic # [{ %x {dim = 1 : i64} : tensor<4x5xf32>
    ```
  }];
  let arguments = (ins Graft_Tensor:$input, I64Attr:$dim);
  let results = (outs Graft_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// `dim` mapped into [0, rank). Valid after verification.
    int64_t getNormalizedDim() {
      // I64Attr accessors return uint64_t; the dim is signed. A scalar
      // accepts 0 and -1, which both mean its only (virtual) dim 0.
      int64_t dim = static_cast<int64_t>(getDim());
      int64_t bound = std::max<int64_t>(getInput().getType().getRank(), 1);
      return dim < 0 ? dim + bound : dim;
    }
  }];
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() {
      return ::mlir::graft::verifyDimInRange(*this,
                                             static_cast<int64_t>(getDim()));
    }
  }];
}

def Graft_SoftmaxOp : Graft_SoftmaxLikeOp<"softmax", "torch.softmax">;
def Graft_LogSoftmaxOp : Graft_SoftmaxLikeOp<"log_softmax", "torch.log_softmax">;

#endif // GRAFT_DIALECT_GRAFT_IR_GRAFTOPS_TD
