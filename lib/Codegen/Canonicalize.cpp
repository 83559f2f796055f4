//===- Canonicalize.cpp - Graft's greedy rewrite configuration --*- C++ -*-===//
//
// The greedy rewrite configuration and the canonicalizer Graft runs between
// its steps.
//
//===----------------------------------------------------------------------===//

#include "graft/Codegen/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

GreedyRewriteConfig graft::graftRewriteConfig() {
  // Region simplification (dead block arguments, region DCE, merging blocks)
  // walks the whole function after every round of patterns. In scf form
  // every region is one block, and the ops' own patterns already drop dead
  // iter_args and results; after scf-to-cf, LLVM simplifies the control
  // flow anyway. On the graphs of the tests it changed no LLVM IR before
  // scf-to-cf and no machine code after, and it cost 4% of a compile.
  return GreedyRewriteConfig().setRegionSimplificationLevel(
      GreedySimplifyRegionLevel::Disabled);
}

std::unique_ptr<Pass> graft::createGraftCanonicalizerPass() {
  return createCanonicalizerPass(graftRewriteConfig());
}
