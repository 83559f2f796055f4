//===- Passes.td - Graft conversion passes -----------------*- tablegen -*-===//
//
// Conversions out of the graft dialect, and of the dialects Graft's codegen
// leaves into the LLVM dialect.
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

def GraftConvertToLLVMPass : Pass<"graft-convert-to-llvm", "ModuleOp"> {
  let summary = "Lower vector, math, memref, func, arith, index, cf, ub and "
                "omp to the LLVM dialect in one conversion.";
  let description = [{
    The last conversion of the pipeline, in place of one upstream
    `convert-*-to-llvm` pass per dialect: the same patterns, applied in a
    single dialect conversion, so the module is walked and its ops'
    legality checked once rather than ten times. Two rewrites come first,
    both with region simplification off:
    - upstream's `expand-strided-metadata` and `lower-affine` in one:
      views (subviews, reshapes) become reinterpret casts of their base
      buffer, with offsets and strides in arith;
    - the vector rewrites `convert-vector-to-llvm` applies before
      converting.

    - Functions use the bare-pointer calling convention: one pointer per
      memref argument (DESIGN.md).
    - `memref.alloc` and `memref.dealloc` call the generic allocation
      functions, which the engine provides (its buffer cache).
    - Math ops become LLVM intrinsics (`llvm.intr.tanh` included), which
      LLVM lowers to libm calls where the target has no instruction.
    - The conversion is full: an op no pattern lowers is an error naming
      it (`failed to legalize operation 'linalg.fill'`).

    `reconcile-unrealized-casts` removes the casts left between converted
    values.
  }];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect",
    "::mlir::func::FuncDialect",
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
  ];
}

#endif // GRAFT_CONVERSION_PASSES_TD
