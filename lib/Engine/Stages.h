//===- Stages.h - The engine's compile stages and their timing --*- C++ -*-===//
//
// The engine runs the JIT pipeline as one PassManager per stage so that each
// stage can be timed. This header is internal: the unit tests check that the
// stages together are exactly buildGraftJitPipeline.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_LIB_ENGINE_STAGES_H
#define GRAFT_LIB_ENGINE_STAGES_H

#include "graft/Engine/Engine.h"
#include "graft/Pipelines/Pipelines.h"

#include <chrono>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace graft {

/// The clock of the stage timings.
using Clock = std::chrono::steady_clock;

/// Milliseconds since `start`.
inline double millisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start)
      .count();
}

/// The first and last stage that are MLIR pass pipelines.
inline constexpr CompileStage kFirstPassStage = CompileStage::Frontend;
inline constexpr CompileStage kLastPassStage = CompileStage::LowerToLLVM;

/// Adds the passes of `stage`, one of kFirstPassStage to kLastPassStage, to
/// `pm`. `options` goes to every pipeline that takes options.
void buildStagePipeline(CompileStage stage, mlir::OpPassManager &pm,
                        const mlir::graft::GraftPipelineOptions &options);

} // namespace graft

#endif // GRAFT_LIB_ENGINE_STAGES_H
