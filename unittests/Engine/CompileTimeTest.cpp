//===- CompileTimeTest.cpp - Per-stage compile timings --------------------===//
//
// This file tests the per-stage timings of a compile (present and
// consistent, never their values) and that the engine's stage pipelines are
// exactly the JIT pipeline.
//
//===----------------------------------------------------------------------===//

#include "Stages.h"

#include "graft/Engine/Engine.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cstdlib>
#include <numeric>
#include <string>
#include <vector>

using namespace graft;

namespace {

/// x * y + x on tensor<nxf32>.
std::string scaleSource(int64_t n) {
  std::string type = "tensor<" + std::to_string(n) + "xf32>";
  return "func.func @scale(%x: " + type + ", %y: " + type + ") -> " + type +
         " {\n  %a = graft.mul %x, %y : (" + type + ", " + type + ") -> " +
         type + "\n  %b = graft.add %a, %x : (" + type + ", " + type + ") -> " +
         type + "\n  return %b : " + type + "\n}\n";
}

/// Compiles or fails the test.
Function compileOk(Engine &engine, const std::string &source,
                   const CompileOptions &options = {}) {
  Expected<Function> fn = engine.compile(source, options);
  EXPECT_TRUE(fn) << fn.error().message();
  if (!fn)
    std::abort();
  return fn.take();
}

double stageSum(const CompileStats &stats) {
  return std::accumulate(stats.stageMs.begin(), stats.stageMs.end(), 0.0);
}

//===----------------------------------------------------------------------===//
// Stats
//===----------------------------------------------------------------------===//

TEST(CompileStatsTest, ColdCompileTimesEveryStage) {
  Engine engine;
  Function fn = compileOk(engine, scaleSource(101));
  const CompileStats &stats = fn.compileStats();
  for (size_t i = 0; i < kNumCompileStages; ++i)
    EXPECT_GT(stats.stageMs[i], 0.0)
        << compileStageName(static_cast<CompileStage>(i)) << " was not timed";
  // A relative slack for the rounding of the sum, not for time.
  EXPECT_LE(stageSum(stats), stats.totalMs * (1 + 1e-9));
  EXPECT_EQ(stats.ms(CompileStage::Optimize),
            stats.stageMs[static_cast<size_t>(CompileStage::Optimize)]);
}

TEST(CompileStatsTest, TableNamesEveryStage) {
  Engine engine;
  Function fn = compileOk(engine, scaleSource(102));
  std::string table = fn.compileStats().table();
  for (const char *name :
       {"parse", "frontend", "to-linalg", "codegen", "lower-to-llvm",
        "translate", "llvm-opt", "machine-code", "total"})
    EXPECT_NE(table.find(name), std::string::npos) << name << "\n" << table;
}

TEST(CompileStatsTest, StagesAreTheJitPipeline) {
  mlir::graft::GraftPipelineOptions options;
  // Not the host's default, so that the options visibly reach the stages.
  options.vectorBits = options.vectorBits == 512 ? 128 : 512;
  auto print = [](mlir::OpPassManager &pm) {
    std::string text;
    llvm::raw_string_ostream os(text);
    pm.printAsTextualPipeline(os);
    return text;
  };
  mlir::OpPassManager staged("builtin.module");
  for (auto i = static_cast<size_t>(kFirstPassStage);
       i <= static_cast<size_t>(kLastPassStage); ++i)
    buildStagePipeline(static_cast<CompileStage>(i), staged, options);
  mlir::OpPassManager whole("builtin.module");
  mlir::graft::buildGraftJitPipeline(whole, options);
  EXPECT_EQ(print(staged), print(whole));
  EXPECT_NE(
      print(staged).find("vector-bits=" + std::to_string(options.vectorBits)),
      std::string::npos);
}

} // namespace
