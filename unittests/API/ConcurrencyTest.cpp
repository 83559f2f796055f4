//===- ConcurrencyTest.cpp - Compiled functions across threads ------------===//
//
// One compiled Function is called from several host threads at once, each on
// its own buffers, and compiling in one thread while others run must be
// safe. Every result is checked against a host loop.
//
//===----------------------------------------------------------------------===//

#include "graft/API/Graph.h"
#include "graft/Engine/Engine.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

using namespace graft;

namespace {

Graph affine(int64_t n) {
  Graph g("affine");
  Value x = g.input("x", {n, n}), w = g.input("w", {n, n});
  g.output(relu(matmul(x, w) + x));
  return g;
}

/// relu(x @ w + x) on the host, in double.
bool matches(const Tensor &x, const Tensor &w, const Tensor &out) {
  int64_t n = x.shape()[0];
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double acc = x.at({i, j});
      for (int64_t k = 0; k < n; ++k)
        acc += x.at({i, k}) * w.at({k, j});
      double want = std::max(acc, 0.0);
      if (std::fabs(out.at({i, j}) - want) > 1e-4 * (1 + std::fabs(want)))
        return false;
    }
  return true;
}

TEST(ConcurrencyTest, OneFunctionManyThreads) {
  const int64_t n = 48;
  Engine engine;
  Expected<Function> fn = engine.compile(affine(n));
  ASSERT_TRUE(fn) << fn.error().message();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int iter = 0; iter < 20; ++iter) {
        Tensor x = Tensor::rand({n, n}, 10 * t + iter);
        Tensor w = Tensor::rand({n, n}, 1000 + 10 * t + iter);
        Tensor out = Tensor::empty({n, n});
        if (fn->call({x, w}, {out}) || !matches(x, w, out))
          ++failures;
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(ConcurrencyTest, CompileWhileOthersRun) {
  const int64_t n = 32;
  Engine engine;
  Expected<Function> fn = engine.compile(affine(n));
  ASSERT_TRUE(fn) << fn.error().message();
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::thread runner([&] {
    uint64_t seed = 0;
    while (!done) {
      Tensor x = Tensor::rand({n, n}, seed++), w = Tensor::rand({n, n}, seed++);
      Expected<std::vector<Tensor>> out = (*fn)({x, w});
      if (!out || !matches(x, w, (*out)[0]))
        ++failures;
    }
  });
  std::vector<std::thread> compilers;
  for (int t = 0; t < 2; ++t)
    compilers.emplace_back([&, t] {
      Engine own;
      for (int i = 0; i < 3; ++i) {
        Expected<Function> other = (t ? own : engine).compile(affine(8 + i));
        if (!other) {
          ++failures;
          continue;
        }
        Tensor x = Tensor::rand({8 + i, 8 + i}, i),
               w = Tensor::rand({8 + i, 8 + i}, i + 1);
        Expected<std::vector<Tensor>> out = (*other)({x, w});
        if (!out || !matches(x, w, (*out)[0]))
          ++failures;
      }
    });
  for (std::thread &thread : compilers)
    thread.join();
  done = true;
  runner.join();
  EXPECT_EQ(failures.load(), 0);
}

} // namespace
