//===- GraftBase.td - Graft dialect definition -------------*- tablegen -*-===//
//
// The graft dialect: a static dataflow graph of tensor ops with PyTorch
// semantics, the front end of the Graft compiler.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_DIALECT_GRAFT_IR_GRAFTBASE_TD
#define GRAFT_DIALECT_GRAFT_IR_GRAFTBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinTypes.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/IR/CommonAttrConstraints.td"

def Graft_Dialect : Dialect {
  let name = "graft";
  let cppNamespace = "::mlir::graft";
  let summary = "Static tensor graphs with PyTorch semantics.";
  let description = [{
    A `graft` program is a `func.func` whose body is a dataflow graph of
    `graft` ops on statically shaped ranked tensors of `f32` or `f64`.
    Elementwise binary ops broadcast with NumPy/PyTorch rules. The graph is
    differentiated by `--graft-autodiff`, lowered by `--convert-graft-to-linalg`
    and compiled for the CPU by `--graft-jit-pipeline`.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
  let hasConstantMaterializer = 1;
}

/// A statically shaped ranked tensor of f32 or f64 (rank 0 is a scalar).
// A tensor whose size in bytes does not fit in 64 bits cannot be allocated or
// indexed; rejecting it here keeps every later pass and the runtime from
// computing with overflowed sizes.
def Graft_Tensor : RankedTensorOf<[F32, F64],
    [HasStaticShapePred,
     CPred<"::mlir::graft::hasAddressableSize(::llvm::cast<::mlir::ShapedType>($_self))">],
    "statically shaped tensor (of at most 2^63 - 1 bytes)">;

class Graft_Op<string mnemonic, list<Trait> traits = []>
    : Op<Graft_Dialect, mnemonic, traits>;

#endif // GRAFT_DIALECT_GRAFT_IR_GRAFTBASE_TD
