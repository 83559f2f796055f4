//===- Pipelines.h - Graft pass pipelines -----------------------*- C++ -*-===//
//
// The pass pipelines of the compiler. Each is a function, and each is also
// registered with the pass registry, so that `tensor-opt --graft-jit-pipeline`
// runs exactly what the JIT runs.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_PIPELINES_PIPELINES_H
#define GRAFT_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir::graft {

/// The vector register width of the host CPU in bits: 512 with AVX-512,
/// 256 with AVX2, 128 otherwise.
int64_t getHostVectorBits();

/// Options of the code generation pipelines.
struct GraftPipelineOptions : PassPipelineOptions<GraftPipelineOptions> {
  Option<int64_t> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Vector register width to generate code for (default: "
                     "the host's)"),
      llvm::cl::init(getHostVectorBits())};
};

/// graft-autodiff, then folding and CSE on graft IR
/// (`graft-frontend-pipeline`). Its output is what `--emit=graft` shows and
/// what fixes a compiled function's signature.
void buildGraftFrontendPipeline(OpPassManager &pm);

/// graft ops -> fused linalg on tensors (`graft-to-linalg-pipeline`).
void buildGraftToLinalgPipeline(OpPassManager &pm);

/// linalg on tensors -> tiled, bufferized, vectorized code on memrefs with
/// outputs as trailing arguments (`graft-codegen-pipeline`).
void buildGraftCodegenPipeline(OpPassManager &pm,
                               const GraftPipelineOptions &options = {});

/// Vector/scf/memref/arith/math/func -> LLVM dialect (`graft-lower-to-llvm`).
/// Functions take bare element pointers, one per argument.
void buildGraftLowerToLLVMPipeline(OpPassManager &pm);

/// Everything after the frontend: to-linalg, codegen and lower-to-llvm, in
/// order (`graft-backend-pipeline`).
void buildGraftBackendPipeline(OpPassManager &pm,
                               const GraftPipelineOptions &options = {});

/// The whole JIT pipeline: frontend then backend (`graft-jit-pipeline`).
void buildGraftJitPipeline(OpPassManager &pm,
                           const GraftPipelineOptions &options = {});

/// Registers the pipelines above with the pass registry.
void registerGraftPipelines();

} // namespace mlir::graft

#endif // GRAFT_PIPELINES_PIPELINES_H
