//===- GradientDifferentialTest.cpp - Random graphs: gradients vs. FD -----===//
//
// This file generates random f64 graft functions (RandomGraph.h, the
// generator of DifferentialTest) with `graft.wrt` on every argument,
// compiles each with graft::Engine, which differentiates it with
// graft-autodiff, and compares the gradients it returns with central finite
// differences of the forward function as written, evaluated by the
// reference evaluator (graft::checkGradients): for L(x) = <v, result0(x)>,
// v being the incoming gradient (the last argument when result 0 is not a
// scalar) or 1,
//
//   fd_i = sum_j v_j (result0_j(x + h e_i) - result0_j(x - h e_i)) / 2h.
//
// The forward results of the compiled function are also compared with the
// reference, as DifferentialTest does, so that the pass cannot corrupt them
// unnoticed.
//
// Replaying. Arguments, the incoming gradient included, are filled exactly
// as `tensor-run --seed=S` fills them, and checkGradients samples elements
// exactly as `tensor-run --check-grad` does, so a failing graph, which the
// test prints in full together with S, replays with
//
//   tensor-run graph.mlir --seed=S --check-grad
//
// Sampling. Each argument has up to 20000 elements; 64 of them are checked
// (all when there are fewer): its first, its last and a fixed pseudo-random
// choice, as tensor-run does by default. An FD costs two reference
// evaluations of the whole graph; the test takes about 8 s.
//
// Tolerance. Per argument, normwise:
//
//   max_i |fd_i - g_i| <= 1e-6 max(max_i |g_i|, 1e-3).
//
// With h = 1e-6 max(1, |x_i|) a central difference is off by O(h^2 f''')
// ~ 1e-12 (truncation) plus the rounding noise of the two evaluations
// divided by 2h, ~ 1e-10 relative to the values that flow into the
// perturbed path; the compiled f64 gradient itself is accurate to ~1e-13.
// 1e-6 leaves four orders of magnitude for graphs that amplify rounding,
// while a wrong rule, a lost broadcast reduction or a gradient sent to the
// wrong argument is an O(1) relative error. The floor 1e-3 (an absolute
// tolerance of 1e-9; arguments and values are O(1) here) covers gradients
// that are zero analytically, like those of sum(softmax(x)) or of x * (c /
// x), where the compiled gradient is rounding noise (~1e-17) and the FD
// rounding noise (~1e-10) would otherwise be an enormous relative error.
//
// Two effects can spoil a central difference at h = 1e-6 without any
// gradient being wrong: rounding noise when the perturbed element flows
// through a large sum (a 20000-term sum of O(1) values has an ulp of
// ~4e-12, a few 1e-6 of the change a 1e-6 step makes), and a kink of relu,
// abs, maximum, minimum or max within h of the evaluation point. An
// argument that fails at h = 1e-6 is therefore checked again at 1e-5 and
// 1e-4 (100x less noise; truncation at most ~1e-8 relative here), and each
// element keeps its smallest error: a wrong gradient is far from all
// three. The summary prints how many arguments needed that, and the worst
// error / tolerance.
//
// The generator once produced, in 2 of 3000 graphs, an f64 reduction to a
// scalar of a broadcasting `mul` that graft-vectorize turned into an
// invalid vector.contract; test/Integration/regressions.mlir keeps it.
//
//===----------------------------------------------------------------------===//

#include "RandomGraph.h"

#include "graft/Engine/Engine.h"
#include "graft/Reference/Reference.h"
#include "graft/Runtime/Random.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

using namespace graft;
using namespace graft::test;

namespace {

constexpr int kGraphs = 100;
constexpr uint64_t kBaseSeed = 20240817;
/// tensor-run --check-grad's default, so that a replay checks the same.
constexpr int64_t kSamples = 64;
/// See the file comment.
constexpr double kRtol = 1e-6;
constexpr double kGradientFloor = 1e-3;
constexpr double kSteps[] = {1e-6, 1e-5, 1e-4};
/// The forward results, as in DifferentialTest's f64 graphs.
constexpr double kForwardRtol = 1e-11;

/// What one worker saw.
struct Summary {
  int failures = 0;
  int arguments = 0;    ///< wrt arguments checked
  int64_t elements = 0; ///< elements checked
  int retried = 0;      ///< arguments that needed the larger steps
  double worst = 0;     ///< max error / tolerance
  int worstGraph = -1;
};

/// Compares the forward results of the compiled function with the
/// reference; reports and returns false on a mismatch.
bool checkForward(const std::vector<Tensor> &actual,
                  const std::vector<Tensor> &expected,
                  const std::vector<double> &bounds,
                  const std::string &replay) {
  for (size_t r = 0; r < expected.size(); ++r) {
    const double *a = actual[r].data<double>(), *e = expected[r].data<double>();
    for (int64_t i = 0; i < expected[r].numel(); ++i) {
      if (std::isnan(a[i]) && std::isnan(e[i]))
        continue;
      if (!(std::fabs(a[i] - e[i]) <=
            kForwardRtol * (std::fabs(e[i]) + bounds[r]))) {
        ADD_FAILURE() << "forward result " << r << " element " << i << ": jit "
                      << ::testing::PrintToString(a[i]) << ", reference "
                      << ::testing::PrintToString(e[i]) << "\n"
                      << replay;
        return false;
      }
    }
  }
  return true;
}

/// Runs graph `index`; reports and returns false when it fails.
bool runGraph(int index, Summary &summary) {
  uint64_t seed = kBaseSeed + index;
  RandomGraphOptions options;
  options.dtype = DType::F64;
  options.differentiable = true;
  RandomGraph graph = generateRandomGraph(seed, options);
  std::string replay =
      "gradient graph " + std::to_string(index) +
      "; replay with `tensor-run graph.mlir --seed=" + std::to_string(seed) +
      " --check-grad` on:\n" + graph.source;

  Engine engine;
  Expected<Function> function = engine.compile(graph.source, {}, "graph.mlir");
  if (!function) {
    ADD_FAILURE() << "compile failed: " << function.error().message() << "\n"
                  << replay;
    return false;
  }
  std::vector<Tensor> inputs;
  for (const TensorSpec &spec : function->inputs())
    inputs.push_back(Tensor::empty(spec.shape, spec.dtype));
  fillRandSequence(inputs, seed);
  Expected<std::vector<Tensor>> results = (*function)(inputs);
  if (!results) {
    ADD_FAILURE() << "call failed: " << results.error().message() << "\n"
                  << replay;
    return false;
  }

  ReferenceOptions referenceOptions;
  referenceOptions.ignoreWrt = true;
  Expected<ReferenceFunction> forward = ReferenceFunction::create(
      graph.source, "", "graph.mlir", referenceOptions);
  if (!forward) {
    ADD_FAILURE() << "reference failed: " << forward.error().message() << "\n"
                  << replay;
    return false;
  }
  std::vector<Tensor> forwardInputs(
      inputs.begin(), inputs.begin() + forward->argumentShapes().size());
  Expected<std::vector<Tensor>> expected = forward->evaluate(forwardInputs);
  if (!expected) {
    ADD_FAILURE() << "reference failed: " << expected.error().message() << "\n"
                  << replay;
    return false;
  }
  if (!checkForward(*results, *expected, graph.bounds, replay))
    return false;

  // Per argument and checked element, the smallest |fd - g| over the steps
  // tried so far.
  std::vector<std::vector<double>> errors;
  std::vector<bool> passed;
  std::vector<GradientDiscrepancy> first;
  for (double step : kSteps) {
    GradientCheckOptions check;
    check.maxSamples = kSamples;
    check.relativeStep = step;
    Expected<std::vector<GradientDiscrepancy>> report =
        checkGradients(*forward, inputs, *results, check);
    if (!report) {
      ADD_FAILURE() << "gradient check failed: " << report.error().message()
                    << "\n"
                    << replay;
      return false;
    }
    if (first.empty()) {
      first = *report;
      errors.resize(first.size());
      passed.assign(first.size(), false);
      for (size_t k = 0; k < first.size(); ++k)
        errors[k].assign(first[k].indices.size(),
                         std::numeric_limits<double>::infinity());
    }
    bool allPassed = true;
    for (size_t k = 0; k < report->size(); ++k) {
      if (passed[k])
        continue;
      const GradientDiscrepancy &d = (*report)[k];
      double scale = kGradientFloor;
      for (size_t s = 0; s < d.indices.size(); ++s) {
        double fd = d.finiteDifference[s], g = d.gradient[s];
        if (std::isfinite(g))
          scale = std::max(scale, std::fabs(g));
        double error = std::isnan(fd) && std::isnan(g) ? 0
                       : std::isnan(fd) || std::isnan(g)
                           ? std::numeric_limits<double>::infinity()
                           : std::fabs(fd - g);
        errors[k][s] = std::min(errors[k][s], error);
      }
      double worst = *std::max_element(errors[k].begin(), errors[k].end());
      double ratio = worst / (kRtol * scale);
      if (ratio <= 1) {
        passed[k] = true;
        summary.retried += step != kSteps[0];
        if (ratio > summary.worst) {
          summary.worst = ratio;
          summary.worstGraph = index;
        }
      } else {
        allPassed = false;
      }
    }
    if (allPassed)
      break;
  }

  summary.arguments += static_cast<int>(first.size());
  for (size_t k = 0; k < first.size(); ++k) {
    summary.elements += static_cast<int64_t>(first[k].indices.size());
    if (passed[k])
      continue;
    // Report the element whose error is largest at every step.
    const GradientDiscrepancy &d = first[k];
    size_t at = std::max_element(errors[k].begin(), errors[k].end()) -
                errors[k].begin();
    ADD_FAILURE() << "argument " << d.argument << " (" << d.indices.size()
                  << " of " << d.numel << " elements checked), element "
                  << d.indices[at] << ": gradient "
                  << ::testing::PrintToString(d.gradient[at])
                  << ", central difference at h = 1e-6 "
                  << ::testing::PrintToString(d.finiteDifference[at])
                  << "; at h = 1e-6 the max abs error is " << d.maxAbsError
                  << " and the normwise relative error " << d.maxRelError
                  << "\n"
                  << replay;
    return false;
  }
  return true;
}

TEST(GradientDifferentialTest, RandomGraphs) {
  // Graphs are independent and each is deterministic: two threads split
  // them, each with its own summary.
  Summary summaries[2];
  test::forEachOnTwoThreads(kGraphs, [&](int index, int worker) {
    summaries[worker].failures += !runGraph(index, summaries[worker]);
  });

  Summary total;
  for (const Summary &summary : summaries) {
    total.failures += summary.failures;
    total.arguments += summary.arguments;
    total.elements += summary.elements;
    total.retried += summary.retried;
    if (summary.worst >= total.worst) {
      total.worst = summary.worst;
      total.worstGraph = summary.worstGraph;
    }
  }
  EXPECT_EQ(total.failures, 0) << "of " << kGraphs << " graphs";
  std::cout << "checked " << total.elements << " elements of "
            << total.arguments << " arguments in " << kGraphs
            << " graphs; arguments that needed h = 1e-5 or 1e-4: "
            << total.retried << "\nworst error / tolerance: " << total.worst
            << " (graph " << total.worstGraph << ")\n";
}

} // namespace
