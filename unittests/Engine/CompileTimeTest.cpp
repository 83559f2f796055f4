//===- CompileTimeTest.cpp - Compile stats and the compile cache ----------===//
//
// This file tests the per-stage timings of a compile (present and
// consistent, never their values), that the engine's stage pipelines are
// exactly the JIT pipeline, and the process-wide compile cache: hits share
// working code and say so, anything that changes code misses, the opt-out,
// clearing, the capacity bound, failures, and concurrent compiles of one
// module.
//
//===----------------------------------------------------------------------===//

#include "Stages.h"

#include "graft/API/Graph.h"
#include "graft/Engine/Engine.h"
#include "graft/Runtime/Tensor.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <atomic>
#include <cstdlib>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

using namespace graft;

namespace {

/// x * y + x on tensor<nxf32>; each test picks its own `n`, so that its
/// text is cold in the process-wide cache.
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

/// Runs a `scaleSource` function on fixed inputs.
std::vector<float> runScale(const Function &fn) {
  int64_t n = fn.inputs()[0].shape[0];
  Tensor x = Tensor::rand({n}, 1), y = Tensor::rand({n}, 2);
  Expected<std::vector<Tensor>> out = fn({x, y});
  EXPECT_TRUE(out) << out.error().message();
  if (!out)
    return {};
  const float *data = (*out)[0].data<float>();
  return std::vector<float>(data, data + n);
}

/// x * y + x on the host, for the inputs runScale uses.
std::vector<float> scaleReference(int64_t n) {
  Tensor x = Tensor::rand({n}, 1), y = Tensor::rand({n}, 2);
  std::vector<float> out(n);
  for (int64_t i = 0; i < n; ++i)
    out[i] = x.data<float>()[i] * y.data<float>()[i] + x.data<float>()[i];
  return out;
}

double stageSum(const CompileStats &stats) {
  return std::accumulate(stats.stageMs.begin(), stats.stageMs.end(), 0.0);
}

//===----------------------------------------------------------------------===//
// Stats
//===----------------------------------------------------------------------===//

/// Options of a compile that does run every stage.
CompileOptions uncached() {
  CompileOptions options;
  options.useCache = false;
  return options;
}

TEST(CompileStatsTest, ColdCompileTimesEveryStage) {
  Engine engine;
  Function fn = compileOk(engine, scaleSource(101), uncached());
  const CompileStats &stats = fn.compileStats();
  EXPECT_FALSE(stats.cacheHit);
  for (size_t i = 0; i < kNumCompileStages; ++i)
    EXPECT_GT(stats.stageMs[i], 0.0)
        << compileStageName(static_cast<CompileStage>(i)) << " was not timed";
  // A relative slack for the rounding of the sum, not for time.
  EXPECT_LE(stageSum(stats), stats.totalMs * (1 + 1e-9));
  EXPECT_EQ(stats.ms(CompileStage::Optimize),
            stats.stageMs[static_cast<size_t>(CompileStage::Optimize)]);
}

TEST(CompileStatsTest, ParallelCodeCompilesInParts) {
  // Large enough to run on both threads: the LLVM module then has the
  // outlined parallel region besides the entry, and compiles in two parts
  // whose code links into one working function.
  const int64_t n = 1 << 20;
  Engine engine;
  for (unsigned threads : {1u, 2u}) {
    CompileOptions options;
    options.threads = threads;
    options.useCache = false;
    Function fn = compileOk(engine, scaleSource(n), options);
    EXPECT_EQ(fn.compileStats().llvmParts, threads);
    EXPECT_EQ(runScale(fn), scaleReference(n));
  }
}

TEST(CompileStatsTest, TableNamesEveryStage) {
  Engine engine;
  Function fn = compileOk(engine, scaleSource(102), uncached());
  std::string table = fn.compileStats().table();
  for (const char *name :
       {"parse", "frontend", "to-linalg", "codegen", "lower-to-llvm",
        "translate", "llvm-opt", "machine-code", "total", "cache miss"})
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

//===----------------------------------------------------------------------===//
// The cache
//===----------------------------------------------------------------------===//

/// Each test starts with an empty cache of the default capacity.
class CompileCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    Engine::setCompileCacheCapacity(64);
    Engine::clearCompileCache();
  }
  void TearDown() override { SetUp(); }
  Engine engine;
};

TEST_F(CompileCacheTest, HitSharesWorkingCodeAndIsFlagged) {
  std::string source = scaleSource(103);
  std::vector<float> want = scaleReference(103);
  std::vector<float> first;
  {
    Function cold = compileOk(engine, source);
    EXPECT_FALSE(cold.compileStats().cacheHit);
    first = runScale(cold);
  }
  // The cache keeps the code alive after every Function is gone.
  Engine other;
  Function hit = compileOk(other, source);
  const CompileStats &stats = hit.compileStats();
  EXPECT_TRUE(stats.cacheHit);
  EXPECT_EQ(stageSum(stats), 0.0);
  EXPECT_EQ(stats.llvmParts, 0u);
  EXPECT_GE(stats.totalMs, 0.0);
  EXPECT_NE(stats.table().find("cache hit"), std::string::npos);
  EXPECT_EQ(hit.name(), "scale");
  EXPECT_EQ(runScale(hit), first);
  EXPECT_EQ(first, want);
}

TEST_F(CompileCacheTest, ThingsThatChangeCodeMiss) {
  std::string source = scaleSource(104);
  compileOk(engine, source);
  CompileOptions o2;
  o2.optLevel = 2;
  CompileOptions threads;
  threads.threads = 2;
  CompileOptions entry;
  entry.entry = "scale";
  for (const CompileOptions &options : {o2, threads, entry}) {
    Function fn = compileOk(engine, source, options);
    EXPECT_FALSE(fn.compileStats().cacheHit);
    EXPECT_EQ(runScale(fn), scaleReference(104));
    EXPECT_TRUE(compileOk(engine, source, options).compileStats().cacheHit);
  }
  EXPECT_FALSE(compileOk(engine, source + "\n").compileStats().cacheHit);
}

TEST_F(CompileCacheTest, OptOutNeitherReadsNorFills) {
  std::string source = scaleSource(105);
  CompileOptions noCache;
  noCache.useCache = false;
  EXPECT_FALSE(compileOk(engine, source, noCache).compileStats().cacheHit);
  EXPECT_FALSE(compileOk(engine, source, noCache).compileStats().cacheHit);
  EXPECT_FALSE(compileOk(engine, source).compileStats().cacheHit);
  EXPECT_TRUE(compileOk(engine, source).compileStats().cacheHit);
  EXPECT_FALSE(compileOk(engine, source, noCache).compileStats().cacheHit);
}

TEST_F(CompileCacheTest, DumpingBypassesTheCache) {
  std::string source = scaleSource(106);
  compileOk(engine, source);
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("graft-dump", dir));
  CompileOptions dump;
  dump.dumpDir = dir.str().str();
  EXPECT_FALSE(compileOk(engine, source, dump).compileStats().cacheHit);
  llvm::SmallString<128> optimized(dir);
  llvm::sys::path::append(optimized, "3-optimized.ll");
  EXPECT_TRUE(llvm::sys::fs::exists(optimized));
  llvm::sys::fs::remove_directories(dir);
}

TEST_F(CompileCacheTest, ClearAndCapacity) {
  std::string a = scaleSource(107), b = scaleSource(108);
  compileOk(engine, a);
  Engine::clearCompileCache();
  EXPECT_FALSE(compileOk(engine, a).compileStats().cacheHit);

  Engine::setCompileCacheCapacity(1);
  compileOk(engine, b); // evicts a
  EXPECT_TRUE(compileOk(engine, b).compileStats().cacheHit);
  Function again = compileOk(engine, a);
  EXPECT_FALSE(again.compileStats().cacheHit);
  EXPECT_EQ(runScale(again), scaleReference(107));

  Engine::setCompileCacheCapacity(0);
  EXPECT_FALSE(compileOk(engine, a).compileStats().cacheHit);
  EXPECT_FALSE(compileOk(engine, a).compileStats().cacheHit);
}

TEST_F(CompileCacheTest, FailuresAreNotCached) {
  const char *bad = "func.func @f(%x: tensor<3xf32>) -> tensor<3xf32> {\n"
                    "  %a = graft.add %x, %x : (tensor<3xf32>, tensor<3xf32>)"
                    " -> tensor<4xf32>\n"
                    "  return %a : tensor<3xf32>\n}\n";
  // Each failure carries the diagnostics of its own call.
  Expected<Function> first = engine.compile(bad, {}, "first.mlir");
  Expected<Function> second = engine.compile(bad, {}, "second.mlir");
  ASSERT_FALSE(first);
  ASSERT_FALSE(second);
  EXPECT_NE(first.error().message().find("first.mlir"), std::string::npos);
  EXPECT_NE(second.error().message().find("second.mlir"), std::string::npos);
}

TEST_F(CompileCacheTest, GraphsHitToo) {
  Graph graph("square");
  Value x = graph.input("x", {109});
  graph.output(x * x);
  Expected<Function> cold = engine.compile(graph);
  ASSERT_TRUE(cold) << cold.error().message();
  EXPECT_FALSE(cold->compileStats().cacheHit);
  Expected<Function> hit = engine.compile(graph);
  ASSERT_TRUE(hit) << hit.error().message();
  EXPECT_TRUE(hit->compileStats().cacheHit);
  // The graph's text with its entry is the same key.
  CompileOptions entry;
  entry.entry = "square";
  EXPECT_TRUE(compileOk(engine, graph.print(), entry).compileStats().cacheHit);
}

TEST_F(CompileCacheTest, ConcurrentCompilesOfOneModule) {
  std::string source = scaleSource(110);
  std::vector<float> want = scaleReference(110);
  const char *bad = "func.func @f() {\n  %a = graft.nonsense\n}\n";
  std::atomic<int> misses{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      Engine own;
      Expected<Function> fn = own.compile(source);
      if (!fn || runScale(*fn) != want)
        ++failures;
      else if (!fn->compileStats().cacheHit)
        ++misses;
      // Threads waiting for a compile that fails get their own error.
      if (own.compile(bad))
        ++failures;
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
  // The first thread compiles; the others wait for it and share its code.
  EXPECT_EQ(misses.load(), 1);
}

} // namespace
