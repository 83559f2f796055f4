//===- GraftOps.td - Graft dialect ops ---------------------*- tablegen -*-===//
//
// The op contract of ../shared/DESIGN.md: op names, attribute names and kinds
// are fixed, because other people's tests are written against them.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_DIALECT_GRAFT_IR_GRAFTOPS_TD
#define GRAFT_DIALECT_GRAFT_IR_GRAFTOPS_TD

include "graft/Dialect/Graft/IR/GraftBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

/// Any builtin FloatAttr; its value is converted to the result element type.
def Graft_AnyFloatAttr : Attr<CPred<"::llvm::isa<::mlir::FloatAttr>($_self)">,
                              "floating-point attribute"> {
  let storageType = "::mlir::FloatAttr";
  let returnType = "::mlir::FloatAttr";
  let convertFromStorage = "$_self";
}

//===----------------------------------------------------------------------===//
// Creation ops
//===----------------------------------------------------------------------===//

def Graft_ConstantOp : Graft_Op<"constant",
    [Pure, ConstantLike, AllTypesMatch<["value", "result"]>]> {
  let summary = "Literal tensor (torch.tensor).";
  let description = [{
    Materializes `value` as a tensor of the same type.

    ```mlir
    %c = graft.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
    %s = graft.constant dense<4.0> : tensor<f32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Graft_Tensor:$result);
  let assemblyFormat = "$value attr-dict";
  let builders = [OpBuilder<(ins "::mlir::ElementsAttr":$value), [{
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

def Graft_AddOp : Graft_BinaryOp<"add", "torch.add", [Commutative]>;
def Graft_MulOp : Graft_BinaryOp<"mul", "torch.mul", [Commutative]>;

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def Graft_MatMulOp : Graft_Op<"matmul",
    [Pure, SameOperandsAndResultElementType]> {
  let summary = "Matrix product (torch.matmul).";
  let description = [{
    `[M, K] x [K, N] -> [M, N]`. Batched and 1-D forms are not accepted yet;
    the verifier rejects them with the operand shapes.

    ```mlir
    %q = graft.matmul %x, %y : (tensor<4x3xf32>, tensor<3x5xf32>) -> tensor<4x5xf32>
    ```
  }];
  let arguments = (ins Graft_Tensor:$lhs, Graft_Tensor:$rhs);
  let results = (outs Graft_Tensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let builders = [OpBuilder<(ins "::mlir::Value":$lhs, "::mlir::Value":$rhs)>];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class Graft_ReductionOp<string mnemonic, string torchName>
    : Graft_Op<mnemonic, [Pure, SameOperandsAndResultElementType]> {
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

#endif // GRAFT_DIALECT_GRAFT_IR_GRAFTOPS_TD
