//===- ToLLVM.cpp - Lowered dialects to LLVM in one conversion --*- C++ -*-===//
//
// This file implements the graft-convert-to-llvm pass: what Graft's codegen
// leaves (vector, math, memref, func, arith, index, cf, ub and omp) becomes
// the LLVM dialect in one dialect conversion. One upstream pass per dialect
// would each walk the whole module and check every op's legality: ten
// conversions, about a quarter of the MLIR part of a compile.
//
//===----------------------------------------------------------------------===//

#include "graft/Codegen/Passes.h"
#include "graft/Conversion/Passes.h"

#include "mlir/Analysis/DataLayoutAnalysis.h"
#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/LLVMCommon/ConversionTarget.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/OpenMPToLLVM/ConvertOpenMPToLLVM.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVM.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::graft {
#define GEN_PASS_DEF_GRAFTCONVERTTOLLVMPASS
#include "graft/Conversion/Passes.h.inc"
} // namespace mlir::graft

using namespace mlir;

namespace {

struct GraftConvertToLLVMPass final
    : graft::impl::GraftConvertToLLVMPassBase<GraftConvertToLLVMPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    expandStridedMetadata();
    lowerVectorsForLLVM();
    const auto &dataLayout = getAnalysis<DataLayoutAnalysis>();
    LowerToLLVMOptions options(&getContext(), dataLayout.getAtOrAbove(module));
    // Compiled functions take one pointer per memref (DESIGN.md's calling
    // convention), and allocate through the engine's buffer cache, which
    // provides the generic allocation functions.
    options.useBarePtrCallConv = true;
    options.useGenericFunctions = true;
    LLVMTypeConverter converter(&getContext(), options, &dataLayout);
    if (failed(convert(converter)))
      signalPassFailure();
  }

  /// Views (subviews, reshapes) become reinterpret casts of their base
  /// buffer, with offsets and strides computed by affine maps that are
  /// lowered to arith: upstream's expand-strided-metadata and lower-affine,
  /// in one rewrite without region simplification.
  void expandStridedMetadata() {
    RewritePatternSet patterns(&getContext());
    memref::populateExpandStridedMetadataPatterns(patterns);
    populateAffineToStdConversionPatterns(patterns);
    (void)applyPatternsGreedily(getOperation(), std::move(patterns),
                                graft::graftRewriteConfig());
  }

  /// The vector rewrites convert-vector-to-llvm applies before converting:
  /// what graft-lower-vectors left of masks, strided slices, steps and
  /// n-D FMAs becomes ops with a direct LLVM counterpart.
  void lowerVectorsForLLVM() {
    RewritePatternSet patterns(&getContext());
    vector::populateVectorToVectorCanonicalizationPatterns(patterns);
    vector::populateVectorBitCastLoweringPatterns(patterns);
    vector::populateVectorBroadcastLoweringPatterns(patterns);
    vector::populateVectorContractLoweringPatterns(
        patterns, vector::VectorContractLowering::Dot);
    vector::populateVectorMaskOpLoweringPatterns(patterns);
    vector::populateVectorShapeCastLoweringPatterns(patterns);
    vector::populateVectorInterleaveLoweringPatterns(patterns);
    vector::populateVectorTransposeLoweringPatterns(
        patterns, vector::VectorTransposeLowering::EltWise);
    vector::populateVectorTransferLoweringPatterns(patterns,
                                                   /*maxTransferRank=*/1);
    vector::populateVectorMaskMaterializationPatterns(
        patterns, /*force32BitVectorIndices=*/false);
    vector::populateVectorInsertExtractStridedSliceTransforms(patterns);
    vector::populateVectorStepLoweringPatterns(patterns);
    vector::populateVectorRankReducingFMAPattern(patterns);
    vector::populateVectorGatherLoweringPatterns(patterns);
    vector::populateVectorFromElementsUnrollPatterns(patterns);
    vector::populateVectorToElementsUnrollPatterns(patterns);
    (void)applyPatternsGreedily(getOperation(), std::move(patterns),
                                graft::graftRewriteConfig());
  }

  /// A full conversion: an op nothing lowers is an error that names it,
  /// not a module that fails to translate later.
  LogicalResult convert(LLVMTypeConverter &converter) {
    RewritePatternSet patterns(&getContext());
    vector::populateVectorTransferLoweringPatterns(patterns);
    populateVectorToLLVMConversionPatterns(converter, patterns);
    populateMathToLLVMConversionPatterns(converter, patterns);
    populateFinalizeMemRefToLLVMConversionPatterns(converter, patterns);
    populateFuncToLLVMConversionPatterns(converter, patterns);
    arith::populateArithToLLVMConversionPatterns(converter, patterns);
    index::populateIndexToLLVMConversionPatterns(converter, patterns);
    cf::populateControlFlowToLLVMConversionPatterns(converter, patterns);
    ub::populateUBToLLVMConversionPatterns(converter, patterns);
    populateOpenMPToLLVMConversionPatterns(converter, patterns);
    LLVMConversionTarget target(getContext());
    target.addLegalOp<ModuleOp, omp::TerminatorOp, omp::YieldOp,
                      omp::BarrierOp>();
    configureOpenMPToLLVMConversionLegality(target, converter);
    return applyFullConversion(getOperation(), target, std::move(patterns));
  }
};

} // namespace
