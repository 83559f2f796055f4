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

/// Options of the code generation pipelines: the target to generate code
/// for. Each defaults to the host's (see graft/Codegen/Target.h).
struct GraftPipelineOptions : PassPipelineOptions<GraftPipelineOptions> {
  GraftPipelineOptions();
  Option<int64_t> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Vector register width to generate code for (default: "
                     "the host's)")};
  Option<int64_t> l1CacheBytes{
      *this, "l1-cache-bytes",
      llvm::cl::desc(
          "Per-core L1 data cache size in bytes (default: the host's)")};
  Option<int64_t> l2CacheBytes{
      *this, "l2-cache-bytes",
      llvm::cl::desc("Per-core L2 cache size in bytes (default: the host's)")};
  Option<int64_t> l3CacheBytes{
      *this, "l3-cache-bytes",
      llvm::cl::desc("Last-level cache size in bytes (default: the host's)")};
  Option<int64_t> outputAlignment{
      *this, "output-alignment",
      llvm::cl::desc("Byte alignment the caller guarantees for the output "
                     "buffers of entry points (graft::Engine: 64)"),
      llvm::cl::init(64)};
  Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Threads the generated code runs on (default: the "
                     "host's cores); 1 generates single-threaded code")};
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

/// Vector/scf/memref/arith/math/func -> LLVM dialect (`graft-lower-to-llvm`);
/// parallel loops become OpenMP regions on `options.threads` threads.
/// Functions take bare element pointers, one per argument.
void buildGraftLowerToLLVMPipeline(OpPassManager &pm,
                                   const GraftPipelineOptions &options = {});

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
