//===- DifferentialTest.cpp - Random graphs: JIT vs. reference, stress ----===//
//
// This file generates random well-typed graft functions from a fixed seed
// (RandomGraph.h), compiles each with graft::Engine, runs it, evaluates it
// with the reference evaluator on the same inputs, and compares every
// result. The generator draws from the whole op set and respects every
// shape rule: broadcasting partners, matmul contraction dims and broadcast
// batch dims, permutations, reduction dims (negative, unsorted, empty, on
// scalars), element-count preserving reshapes and broadcast_to targets. The
// f64 graphs also draw comparisons, half of them against the compared value
// itself or its row maxima, so that ties are common; f32 graphs do not,
// because the f32 JIT and the double reference round differently and a
// comparison of two nearly equal values would flip.
//
// Replaying. Arguments are filled exactly as `tensor-run --seed=S` fills
// them (torch.manual_seed(S), then one torch.rand per argument); the graph
// itself maps each one to [-1, 1). So a failing graph, which the test prints
// in full together with S, replays with
//
//   tensor-run graph.mlir --seed=S --check
//
// Values are kept where both sides are well defined: log, sqrt and pow see
// `abs(x) + 0.5`, divisors are `abs(y) + 0.5` (possibly negated), exp's
// argument is scaled into [-4, 4], and the generator tracks a bound on |x|
// for every value, rescaling by a constant when it passes 64.
//
// Tolerance. A wrong index, dim or broadcast shows up as an O(1) relative
// error; rounding does not. Each result element must satisfy
// |jit - ref| <= rtol (|ref| + scale), where scale is the tracked bound of
// the result, i.e. an upper estimate of the magnitude of everything that
// flowed into it, so that cancellation (x - y, sums of mixed signs) is
// judged against the size of its operands. Per op the rounding error
// against that scale is at most about K u (K <= 33^2 terms of a dot product
// or a sum) and nonlinear ops amplify it by small factors. rtol is 1e-4 for
// f32 (~1700 u) and 1e-11 for f64 (~90000 u); the worst ratios observed over
// all graphs are printed at the end, far below these.
//
//===----------------------------------------------------------------------===//

#include "RandomGraph.h"

#include "graft/Engine/Engine.h"
#include "graft/Reference/Reference.h"
#include "graft/Runtime/BufferCache.h"
#include "graft/Runtime/Random.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace graft;
using namespace graft::test;

namespace {

constexpr int kGraphs = 200;
/// The stress test's graphs before it measures, and the most its resident
/// set may grow after them.
constexpr int kStressWarmUp = 100;
constexpr int64_t kStressRssGrowth = int64_t(64) << 20;
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GRAFT_TEST_ASAN 1
#endif
#endif
#ifdef GRAFT_TEST_ASAN
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
constexpr uint64_t kBaseSeed = 20240601;
/// See the file comment.
constexpr double kRtolF32 = 1e-4;
constexpr double kRtolF64 = 1e-11;

//===----------------------------------------------------------------------===//
// The test
//===----------------------------------------------------------------------===//

double elementAt(const Tensor &tensor, int64_t i) {
  return tensor.dtype() == DType::F32 ? tensor.data<float>()[i]
                                      : tensor.data<double>()[i];
}

/// What one worker saw.
struct Summary {
  int failures = 0;
  /// max |jit - ref| / (rtol (|ref| + scale)) per dtype, and where.
  double worst[2] = {0, 0};
  int worstGraph[2] = {-1, -1};
  std::map<std::string, int> opCounts;
};

/// Runs graph `index`; reports and returns false when it fails.
bool runGraph(int index, Summary &summary) {
  uint64_t seed = kBaseSeed + index;
  DType dtype = index % 2 ? DType::F64 : DType::F32;
  RandomGraphOptions graphOptions;
  graphOptions.dtype = dtype;
  graphOptions.comparisons = dtype == DType::F64;
  RandomGraph graph = generateRandomGraph(seed, graphOptions);
  const std::string &source = graph.source;
  const std::vector<double> &bounds = graph.bounds;
  std::string replay =
      "differential graph " + std::to_string(index) +
      "; replay with `tensor-run graph.mlir --seed=" + std::to_string(seed) +
      " --check` on:\n" + source;
  for (size_t at = source.find("\"graft."); at != std::string::npos;
       at = source.find("\"graft.", at + 1))
    ++summary
          .opCounts[source.substr(at + 7, source.find('"', at + 1) - at - 7)];

  Engine engine;
  // Guarded: every result and input is framed by canaries, so an
  // out-of-bounds write by the generated code fails the graph.
  CompileOptions options;
  options.guard = true;
  Expected<Function> function = engine.compile(source, options, "graph.mlir");
  if (!function) {
    ADD_FAILURE() << "compile failed: " << function.error().message() << "\n"
                  << replay;
    return false;
  }
  std::vector<Tensor> inputs;
  for (const TensorSpec &spec : function->inputs())
    inputs.push_back(Tensor::empty(spec.shape, spec.dtype));
  fillRandSequence(inputs, seed);
  Expected<std::vector<Tensor>> actual = (*function)(inputs);
  if (!actual) {
    ADD_FAILURE() << "call failed: " << actual.error().message() << "\n"
                  << replay;
    return false;
  }
  Expected<std::vector<Tensor>> expected =
      evaluateReference(source, inputs, "", "graph.mlir");
  if (!expected) {
    ADD_FAILURE() << "reference failed: " << expected.error().message() << "\n"
                  << replay;
    return false;
  }
  double rtol = dtype == DType::F32 ? kRtolF32 : kRtolF64;
  int which = dtype == DType::F32 ? 0 : 1;
  for (size_t r = 0; r < actual->size(); ++r) {
    const Tensor &a = (*actual)[r], &e = (*expected)[r];
    for (int64_t i = 0; i < e.numel(); ++i) {
      double x = elementAt(a, i), y = elementAt(e, i);
      if (std::isnan(x) && std::isnan(y))
        continue;
      double ratio = std::fabs(x - y) / (rtol * (std::fabs(y) + bounds[r]));
      if (!(ratio <= 1)) { // also catches a NaN on one side
        ADD_FAILURE() << "result " << r << " element " << i << ": jit "
                      << ::testing::PrintToString(x) << ", reference "
                      << ::testing::PrintToString(y) << ", scale " << bounds[r]
                      << "\n"
                      << replay;
        return false;
      }
      if (ratio > summary.worst[which]) {
        summary.worst[which] = ratio;
        summary.worstGraph[which] = index;
      }
    }
  }
  return true;
}

TEST(DifferentialTest, RandomGraphs) {
  // Graphs are independent and each is deterministic: two threads split
  // them, each with its own summary.
  Summary summaries[2];
  test::forEachOnTwoThreads(kGraphs, [&](int index, int worker) {
    summaries[worker].failures += !runGraph(index, summaries[worker]);
  });

  Summary total;
  for (const Summary &summary : summaries) {
    total.failures += summary.failures;
    for (const auto &[op, count] : summary.opCounts)
      total.opCounts[op] += count;
    for (int d = 0; d < 2; ++d)
      if (summary.worst[d] >= total.worst[d]) {
        total.worst[d] = summary.worst[d];
        total.worstGraph[d] = summary.worstGraph[d];
      }
  }
  EXPECT_EQ(total.failures, 0) << "of " << kGraphs << " graphs";
  std::cout << "ops generated:";
  for (const auto &[op, count] : total.opCounts)
    std::cout << " " << op << " " << count;
  std::cout << "\nworst error / tolerance: f32 " << total.worst[0] << " (graph "
            << total.worstGraph[0] << "), f64 " << total.worst[1] << " (graph "
            << total.worstGraph[1] << ")\n";
  // Every op of DESIGN.md's table appears.
  EXPECT_EQ(total.opCounts.size(), 35u);
}

//===----------------------------------------------------------------------===//
// Stress: many graphs in one process, with stable memory
//===----------------------------------------------------------------------===//

/// Resident set size of this process in bytes.
uint64_t residentBytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGE_SIZE));
}

/// GRAFT_STRESS_GRAPHS, or `fallback`; the sanitizer run uses fewer.
int stressGraphCount(int fallback) {
  const char *text = std::getenv("GRAFT_STRESS_GRAPHS");
  return text ? std::max(2 * kStressWarmUp, std::atoi(text)) : fallback;
}

TEST(StressTest, ThousandGraphsInOneProcess) {
  // Graphs after the differential test's, each compiled (filling and then
  // cycling the compile cache), run guarded and checked against the
  // reference. After a warm-up the resident set may grow by at most
  // kStressRssGrowth beyond what the buffer cache deliberately keeps.
  const int count = stressGraphCount(1000);
  Summary summaries[2];
  auto run = [&](int first, int n) {
    test::forEachOnTwoThreads(n, [&](int index, int worker) {
      summaries[worker].failures += !runGraph(first + index, summaries[worker]);
    });
  };
  run(kGraphs, kStressWarmUp);
  uint64_t rssAfterWarmUp = residentBytes();
  uint64_t cachedAfterWarmUp = cachedBufferBytes();
  run(kGraphs + kStressWarmUp, count - kStressWarmUp);
  int64_t growth = int64_t(residentBytes()) - int64_t(rssAfterWarmUp);
  int64_t cacheGrowth = int64_t(cachedBufferBytes()) - int64_t(cachedAfterWarmUp);
  EXPECT_EQ(summaries[0].failures + summaries[1].failures, 0)
      << "of " << count << " graphs";
  std::cout << count << " graphs; resident set " << rssAfterWarmUp / 1024
            << " KiB after " << kStressWarmUp << ", growth " << growth / 1024
            << " KiB since, of which the buffer cache " << cacheGrowth / 1024
            << " KiB\n";
  // Under AddressSanitizer freed memory sits in a quarantine of up to 256
  // MiB before it is reused, so the resident set grows by design; there
  // LeakSanitizer checks for leaks at exit instead.
  if (!kAddressSanitizer)
    EXPECT_LT(growth - cacheGrowth, kStressRssGrowth);
}

/// GRAFT_SOAK_SECONDS, or `fallback`.
double soakSeconds(double fallback) {
  const char *text = std::getenv("GRAFT_SOAK_SECONDS");
  return text ? std::atof(text) : fallback;
}

TEST(StressTest, ThreadsCompileAndCallTogether) {
  // For a bounded time, four threads at once: compile graphs from a small
  // pool (so that two threads often compile the same key, one waiting for
  // the other, or hit the cache while another thread compiles or clears
  // it), check each
  // against the reference, and call functions shared by all threads, whose
  // results must be bitwise those of their first call. Run under
  // ThreadSanitizer by scripts/test-tsan.sh.
  constexpr int kThreads = 4, kPool = 12, kShared = 3;
  Engine engine;
  struct Shared {
    Function function;
    std::vector<Tensor> inputs, expected;
  };
  std::vector<Shared> shared;
  for (int i = 0; i < kShared; ++i) {
    RandomGraphOptions graphOptions;
    graphOptions.dtype = i % 2 ? DType::F64 : DType::F32;
    uint64_t seed = kBaseSeed + kGraphs + 5000 + i;
    Expected<Function> function =
        engine.compile(generateRandomGraph(seed, graphOptions).source);
    ASSERT_TRUE(function) << function.error().message();
    Shared entry{*function, {}, {}};
    for (const TensorSpec &spec : function->inputs())
      entry.inputs.push_back(Tensor::empty(spec.shape, spec.dtype));
    fillRandSequence(entry.inputs, seed);
    Expected<std::vector<Tensor>> results = (*function)(entry.inputs);
    ASSERT_TRUE(results) << results.error().message();
    entry.expected = results.take();
    shared.push_back(std::move(entry));
  }

  const double seconds = soakSeconds(5);
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::duration<double>(seconds);
  std::atomic<int> failures{0}, rounds{0};
  std::vector<Summary> summaries(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; std::chrono::steady_clock::now() < deadline;
           ++round) {
        // Clearing the cache now and then keeps the threads compiling.
        if (t == 0 && round % 64 == 63)
          Engine::clearCompileCache();
        failures += !runGraph(kGraphs + 2000 + (t + round) % kPool,
                              summaries[t]);
        const Shared &entry = shared[(t + round) % kShared];
        Expected<std::vector<Tensor>> results =
            entry.function(entry.inputs);
        bool same = results && results->size() == entry.expected.size();
        for (size_t r = 0; same && r < results->size(); ++r)
          same = std::memcmp((*results)[r].data(), entry.expected[r].data(),
                             entry.expected[r].nbytes()) == 0;
        failures += !same;
        ++rounds;
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GE(rounds.load(), kThreads);
  std::cout << rounds.load() << " rounds on " << kThreads << " threads in "
            << seconds << " s\n";
}

} // namespace
