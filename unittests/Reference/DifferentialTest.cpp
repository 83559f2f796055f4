//===- DifferentialTest.cpp - Random graphs: JIT vs. reference ------------===//
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
#include "graft/Runtime/Random.h"

#include "gtest/gtest.h"

#include <cmath>
#include <iostream>
#include <map>
#include <string>
#include <vector>

using namespace graft;
using namespace graft::test;

namespace {

constexpr int kGraphs = 200;
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

} // namespace
