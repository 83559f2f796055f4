//===- GraftInterfaces.td - Graft op interfaces ------------*- tablegen -*-===//
//
// The interface through which each op contributes its derivative rule to
// graft-autodiff.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_DIALECT_GRAFT_IR_GRAFTINTERFACES_TD
#define GRAFT_DIALECT_GRAFT_IR_GRAFTINTERFACES_TD

include "mlir/IR/OpBase.td"

def Graft_DifferentiableOpInterface
    : OpInterface<"DifferentiableOpInterface"> {
  let cppNamespace = "::mlir::graft";
  let description = [{
    An op with a vector-Jacobian product. Given the cotangent of each result
    (`resultGrads`, one per result, with the result's type), `buildVJP`
    builds graft ops that compute the cotangent of each operand whose entry
    in `needsGrad` is true, and stores it in `operandGrads` (null for the
    others). A cotangent may have the result's broadcast shape; the autodiff
    pass sums it back to the operand's shape. Rules may use the op's own
    results: they are the forward values, already computed.
  }];
  let methods = [
    InterfaceMethod<
      "Builds the vector-Jacobian product at the builder's insertion point.",
      "::llvm::LogicalResult", "buildVJP",
      (ins "::mlir::OpBuilder &":$builder,
           "::mlir::ValueRange":$resultGrads,
           "::llvm::ArrayRef<bool>":$needsGrad,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGrads)>,
  ];
}

#endif // GRAFT_DIALECT_GRAFT_IR_GRAFTINTERFACES_TD
