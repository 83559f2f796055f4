//===- LowerVectors.cpp - Lower vector ops to 1-D forms ---------*- C++ -*-===//
//
// This file implements the graft-lower-vectors pass, step 6 of the matmul
// recipe: contractions become outer products (broadcast + FMA), and n-D
// vector ops are broken into the 1-D ops that map onto zmm registers.
//
//===----------------------------------------------------------------------===//

#include "graft/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#define DEBUG_TYPE "graft-lower-vectors"

namespace mlir::graft {
#define GEN_PASS_DEF_GRAFTLOWERVECTORSPASS
#include "graft/Codegen/Passes.h.inc"
} // namespace mlir::graft

using namespace mlir;
using namespace mlir::graft;

namespace {

struct GraftLowerVectorsPass final
    : graft::impl::GraftLowerVectorsPassBase<GraftLowerVectorsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    vector::populateVectorContractLoweringPatterns(
        patterns, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorOuterProductLoweringPatterns(patterns);
    vector::populateVectorMultiReductionLoweringPatterns(
        patterns, vector::VectorMultiReductionLowering::InnerReduction);
    vector::populateVectorTransposeLoweringPatterns(
        patterns, vector::VectorTransposeLowering::EltWise);
    vector::populateVectorBroadcastLoweringPatterns(patterns);
    vector::populateVectorShapeCastLoweringPatterns(patterns);
    vector::populateVectorMaskOpLoweringPatterns(patterns);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateVectorTransferLoweringPatterns(patterns,
                                                   /*maxTransferRank=*/1);
    // f32 exp, log and tanh on vectors would otherwise become one libm call
    // per lane; the polynomials stay in vector registers.
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      return name == "math.exp" || name == "math.log" || name == "math.tanh";
    });
    // Not converging within the iteration limit leaves valid IR, only less
    // lowered; convert-vector-to-llvm reports anything it cannot handle.
    (void)applyPatternsGreedily(getOperation(), std::move(patterns));
  }
};

} // namespace
