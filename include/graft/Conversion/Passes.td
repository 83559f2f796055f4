//===- Passes.td - Graft conversion passes -----------------*- tablegen -*-===//
//
// Conversions out of the graft dialect.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_CONVERSION_PASSES_TD
#define GRAFT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertGraftToLinalgPass : Pass<"convert-graft-to-linalg", "ModuleOp"> {
  let summary = "Lower graft ops to linalg on tensors.";
  let description = [{
    Rewrites every graft op into linalg named ops (`linalg.matmul`,
    `linalg.fill`) or `linalg.generic` with broadcasting indexing maps, plus
    `arith`/`math` scalar bodies and `tensor` reshapes. `graft.rand` becomes a
    call to the runtime's torch-compatible generator on a fresh buffer. Every
    graft op must convert; a leftover op is an error naming it. The tensor
    arguments of public functions get `bufferization.writable = false`:
    they belong to the caller, who may pass one tensor for several of them,
    so bufferization never writes them in place.

    ```mlir
    %z = graft.add %x, %y : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
    // becomes
    %e = tensor.empty() : tensor<4x5xf32>
    %z = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                          affine_map<(d0, d1) -> (d1)>,
                                          affine_map<(d0, d1) -> (d0, d1)>], ...}
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // GRAFT_CONVERSION_PASSES_TD
