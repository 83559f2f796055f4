//===- RandomGraph.h - Random well-typed graft functions --------*- C++ -*-===//
//
// The random graph generator of the differential tests: well-typed graft
// functions drawn from a fixed seed over the whole op set, respecting every
// shape rule, with guards that keep values where the ops are well defined
// (see RandomGraph.cpp). DifferentialTest compares JIT and reference on
// them; GradientDifferentialTest checks their gradients.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_UNITTESTS_REFERENCE_RANDOMGRAPH_H
#define GRAFT_UNITTESTS_REFERENCE_RANDOMGRAPH_H

#include "graft/Runtime/Tensor.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace graft::test {

struct RandomGraphOptions {
  DType dtype = DType::F32;
  /// Mark every argument `graft.wrt` (the graph then has at least one).
  bool differentiable = false;
  /// Also draw the comparisons eq, ne, lt, le, gt, ge. They are piecewise
  /// constant, so a comparison whose operands differ by rounding on the two
  /// sides of a comparison flips: only for f64 against the reference.
  bool comparisons = false;
  /// Limits that keep every graph fast to run naively: elements per value
  /// and multiply-adds per matmul.
  int64_t maxNumel = 20000;
  int64_t maxMatMulWork = 1 << 20;
};

struct RandomGraph {
  /// `func.func @graph(...)`: arguments are torch.rand draws in [0, 1),
  /// mapped to [-1, 1) by the graph itself.
  std::string source;
  /// Per result: an upper estimate of the magnitude of everything that
  /// flowed into it, the scale against which rounding is judged.
  std::vector<double> bounds;
  int numArguments = 0;
};

/// The graph of `seed`; the same on every platform.
RandomGraph generateRandomGraph(uint64_t seed,
                                const RandomGraphOptions &options);

/// IR text helpers: `a, b, c` and `array<i64: 1, 0>`.
std::string joinWithCommas(const std::vector<std::string> &items);
std::string i64Array(const std::vector<int64_t> &values);

/// Runs `work(index, worker)` for index in [0, count) on two threads (the
/// machine has two cores): worker 0 takes the even indices, worker 1 the
/// odd ones. Each index must be independent of the others.
void forEachOnTwoThreads(int count,
                         const std::function<void(int index, int worker)> &work);

} // namespace graft::test

#endif // GRAFT_UNITTESTS_REFERENCE_RANDOMGRAPH_H
