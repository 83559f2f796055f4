//===- Pipelines.cpp - Graft pass pipelines ---------------------*- C++ -*-===//
//
// This file assembles the compiler's pass pipelines from graft and upstream
// passes. The order follows the matmul recipe: tile on tensors, bufferize,
// then vectorize on buffers.
//
//===----------------------------------------------------------------------===//

#include "graft/Pipelines/Pipelines.h"
#include "graft/Codegen/Passes.h"
#include "graft/Codegen/Target.h"
#include "graft/Conversion/Passes.h"
#include "graft/Dialect/Graft/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

/// Canonicalization and CSE. CSE runs only where it changes the compiled
/// code; the other steps end with canonicalization alone (with CSE dropped
/// there, the optimized LLVM IR of every test and benchmark graph is the
/// same, on 1 and 2 threads).
static void addCleanup(OpPassManager &pm) {
  pm.addPass(graft::createGraftCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void mlir::graft::buildGraftFrontendPipeline(OpPassManager &pm) {
  pm.addPass(graft::createGraftAutodiffPass());
  addCleanup(pm);
}

void mlir::graft::buildGraftToLinalgPipeline(OpPassManager &pm) {
  pm.addPass(graft::createConvertGraftToLinalgPass());
  pm.addPass(createLinalgElementwiseOpFusionPass());
  addCleanup(pm);
}

mlir::graft::GraftPipelineOptions::GraftPipelineOptions() {
  TargetDescription host = TargetDescription::host();
  vectorBits = host.vectorBits;
  l1CacheBytes = host.l1Bytes;
  l2CacheBytes = host.l2Bytes;
  l3CacheBytes = host.l3Bytes;
  threads = host.cores;
}

void mlir::graft::buildGraftCodegenPipeline(
    OpPassManager &pm, const GraftPipelineOptions &options) {
  GraftTilePassOptions tile;
  tile.vectorBits = options.vectorBits;
  tile.l1CacheBytes = options.l1CacheBytes;
  tile.l2CacheBytes = options.l2CacheBytes;
  tile.l3CacheBytes = options.l3CacheBytes;
  tile.threads = options.threads;
  GraftPackMatmulPassOptions pack;
  pack.vectorBits = options.vectorBits;
  pm.addNestedPass<func::FuncOp>(graft::createGraftPackMatmulPass(pack));
  // Folds the pack of a zero init into a fill of the packed tensor.
  pm.addPass(graft::createGraftCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(graft::createGraftUnshareFillsPass());
  pm.addNestedPass<func::FuncOp>(graft::createGraftTilePass(tile));
  pm.addPass(graft::createGraftCanonicalizerPass());

  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Bufferization leaves self-copies that block vectorization, and loops
  // that return their iter_args buffer, which hide the result's alloc.
  addCleanup(pm);
  // Threads' tiles write disjoint subviews; scf.parallel is what the OpenMP
  // lowering takes.
  pm.addNestedPass<func::FuncOp>(createForallToParallelLoopPass());
  // Results become caller-provided output buffers; a statically shaped
  // result is computed in place in the caller's buffer.
  pm.addNestedPass<func::FuncOp>(graft::createGraftDistinctResultBuffersPass());
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  pm.addPass(graft::createGraftCanonicalizerPass());

  // No cleanup of its own: the one after the deallocation steps serves both
  // (the optimized LLVM IR of the test and benchmark graphs is the same).
  pm.addNestedPass<func::FuncOp>(graft::createGraftVectorizePass());
  pm.addNestedPass<func::FuncOp>(graft::createGraftPrefetchPass());
  // A temporary allocated in a loop (the zero-padded edge of a pack, one
  // per depth step) is allocated once before it instead; never out of a
  // parallel loop, whose threads each need their own.
  pm.addNestedPass<func::FuncOp>(bufferization::createBufferLoopHoistingPass());
  // Upstream's buffer deallocation pipeline, without the expansion of
  // memref.realloc (Graft creates none) and with one canonicalization, at
  // the end, instead of two.
  pm.addPass(bufferization::createOwnershipBasedBufferDeallocationPass());
  pm.addPass(bufferization::createBufferDeallocationSimplificationPass());
  pm.addPass(bufferization::createLowerDeallocationsPass());
  addCleanup(pm);
}

void mlir::graft::buildGraftLowerToLLVMPipeline(
    OpPassManager &pm, const GraftPipelineOptions &options) {
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addNestedPass<func::FuncOp>(graft::createGraftLowerVectorsPass());
  GraftStreamingStoresPassOptions streaming;
  streaming.vectorBits = options.vectorBits;
  streaming.l3CacheBytes = options.l3CacheBytes;
  streaming.outputAlignment = options.outputAlignment;
  pm.addPass(graft::createGraftStreamingStoresPass(streaming));
  // Before scf-to-cf, which would turn scf.parallel into sequential loops.
  ConvertSCFToOpenMPPassOptions openmp;
  openmp.numThreads = options.threads;
  pm.addPass(createConvertSCFToOpenMPPass(openmp));
  // The OpenMP lowering wraps each loop body in a memref.alloca_scope, which
  // must stay one block: canonicalization inlines the scopes that allocate
  // nothing on the stack (all of ours) before scf-to-cf splits the bodies.
  pm.addPass(graft::createGraftCanonicalizerPass());
  // Then a loop body is one block, whose scratch buffers can move out.
  pm.addNestedPass<func::FuncOp>(graft::createGraftHoistThreadBuffersPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(graft::createGraftCanonicalizerPass());
  pm.addPass(graft::createGraftConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(graft::createGraftCanonicalizerPass());
}

void mlir::graft::buildGraftBackendPipeline(
    OpPassManager &pm, const GraftPipelineOptions &options) {
  buildGraftToLinalgPipeline(pm);
  buildGraftCodegenPipeline(pm, options);
  buildGraftLowerToLLVMPipeline(pm, options);
}

void mlir::graft::buildGraftJitPipeline(OpPassManager &pm,
                                        const GraftPipelineOptions &options) {
  buildGraftFrontendPipeline(pm);
  buildGraftBackendPipeline(pm, options);
}

void mlir::graft::registerGraftPipelines() {
  PassPipelineRegistration<>(
      "graft-frontend-pipeline",
      "Differentiate graft.wrt functions, then fold and CSE graft IR.",
      [](OpPassManager &pm) { buildGraftFrontendPipeline(pm); });
  PassPipelineRegistration<>(
      "graft-to-linalg-pipeline", "Lower graft ops to fused linalg on tensors.",
      [](OpPassManager &pm) { buildGraftToLinalgPipeline(pm); });
  PassPipelineRegistration<GraftPipelineOptions>(
      "graft-codegen-pipeline",
      "Tile, bufferize and vectorize linalg on tensors.",
      [](OpPassManager &pm, const GraftPipelineOptions &options) {
        buildGraftCodegenPipeline(pm, options);
      });
  PassPipelineRegistration<GraftPipelineOptions>(
      "graft-lower-to-llvm", "Lower vector/scf/memref/arith/func to LLVM.",
      [](OpPassManager &pm, const GraftPipelineOptions &options) {
        buildGraftLowerToLLVMPipeline(pm, options);
      });
  PassPipelineRegistration<GraftPipelineOptions>(
      "graft-backend-pipeline",
      "Everything after the frontend: graft IR to the LLVM dialect.",
      [](OpPassManager &pm, const GraftPipelineOptions &options) {
        buildGraftBackendPipeline(pm, options);
      });
  PassPipelineRegistration<GraftPipelineOptions>(
      "graft-jit-pipeline", "Everything the JIT runs, graft to LLVM.",
      [](OpPassManager &pm, const GraftPipelineOptions &options) {
        buildGraftJitPipeline(pm, options);
      });
}
