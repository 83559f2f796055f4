//===- GraftBench.cpp - Graft against its references ---------*- C++ -*-===//
//
// Google Benchmark cases, each in a pair: Graft's compiled function and the
// reference it is judged against, measured in the same process:
//
//   sgemm/<n>/graft   vs  sgemm/<n>/openblas     (cblas_sgemm, 1 thread)
//   chain/graft       vs  chain/stream           (relu(a*b+c) vs a
//                                                  STREAM-style triad loop)
//   sum/graft, mean_dim1/graft, softmax/graft vs  stream/copy bandwidth
//   seed_fwd/graft, seed_fwd_bwd/graft           (PyTorch side: torch_ref.py)
//   compile/seed_fwd_bwd                          (cold compile time)
//
// bench/run.sh runs this and turns the JSON into the markdown table.
//
//===----------------------------------------------------------------------===//

#include "graft/Graft.h"

#include <benchmark/benchmark.h>
#include <cblas.h>

#include <cstdlib>
#include <iostream>
#include <string>

using namespace graft;

extern "C" void openblas_set_num_threads(int);

namespace {

Function compileOrDie(const std::string &source) {
  Engine engine;
  Expected<Function> fn = engine.compile(source);
  if (!fn) {
    std::cerr << fn.error().message() << "\n";
    std::exit(1);
  }
  return *fn;
}

std::string tensor(int64_t m, int64_t n) {
  return "tensor<" + std::to_string(m) + "x" + std::to_string(n) + "xf32>";
}

void runFunction(benchmark::State &state, const Function &fn,
                 const std::vector<Tensor> &inputs) {
  std::vector<Tensor> outputs;
  for (const TensorSpec &spec : fn.outputs())
    outputs.push_back(Tensor::empty(spec.shape, spec.dtype));
  for (auto _ : state)
    if (Error err = fn.call(inputs, outputs))
      state.SkipWithError(err.message().c_str());
}

//===----------------------------------------------------------------------===//
// sgemm
//===----------------------------------------------------------------------===//

void sgemmGraft(benchmark::State &state) {
  int64_t m = state.range(0), k = state.range(1), n = state.range(2);
  std::string t = tensor(m, k), u = tensor(k, n), r = tensor(m, n);
  Function fn = compileOrDie(
      "func.func @mm(%a: " + t + ", %b: " + u + ") -> " + r + " {\n"
      "  %c = graft.matmul %a, %b : (" + t + ", " + u + ") -> " + r + "\n"
      "  return %c : " + r + "\n}\n");
  runFunction(state, fn, {Tensor::rand({m, k}, 1), Tensor::rand({k, n}, 2)});
  state.counters["GFLOPs"] = benchmark::Counter(
      2.0 * m * n * k, benchmark::Counter::kIsIterationInvariantRate,
      benchmark::Counter::kIs1000);
}

void sgemmOpenBlas(benchmark::State &state) {
  int64_t m = state.range(0), k = state.range(1), n = state.range(2);
  openblas_set_num_threads(1);
  Tensor a = Tensor::rand({m, k}, 1), b = Tensor::rand({k, n}, 2),
         c = Tensor::empty({m, n});
  for (auto _ : state)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f,
                a.data<float>(), k, b.data<float>(), n, 0.0f, c.data<float>(),
                n);
  state.counters["GFLOPs"] = benchmark::Counter(
      2.0 * m * n * k, benchmark::Counter::kIsIterationInvariantRate,
      benchmark::Counter::kIs1000);
}

void sgemmSizes(benchmark::internal::Benchmark *b) {
  bool quick = std::getenv("GRAFT_BENCH_QUICK") != nullptr;
  for (int64_t n : {256, 512, 1000, 1023, 1024, 2048, 4096})
    if (!quick || n == 1000 || n == 1024)
      b->Args({n, n, n});
  if (!quick) {
    b->Args({1000, 4096, 1000});
    b->Args({4096, 1000, 1000});
  }
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

BENCHMARK(sgemmGraft)->Name("sgemm/graft")->Apply(sgemmSizes);
BENCHMARK(sgemmOpenBlas)->Name("sgemm/openblas")->Apply(sgemmSizes);

//===----------------------------------------------------------------------===//
// Bandwidth-bound graphs at 4096^2
//===----------------------------------------------------------------------===//

constexpr int64_t kBig = 4096;

void bandwidthCounter(benchmark::State &state, double bytes) {
  state.counters["GB/s"] = benchmark::Counter(
      bytes, benchmark::Counter::kIsIterationInvariantRate,
      benchmark::Counter::kIs1000);
}

void chainGraft(benchmark::State &state) {
  std::string t = tensor(kBig, kBig);
  Function fn = compileOrDie(
      "func.func @chain(%a: " + t + ", %b: " + t + ", %c: " + t + ") -> " + t +
      " {\n  %m = graft.mul %a, %b : (" + t + ", " + t + ") -> " + t +
      "\n  %s = graft.add %m, %c : (" + t + ", " + t + ") -> " + t +
      "\n  %r = graft.relu %s : " + t + "\n  return %r : " + t + "\n}\n");
  runFunction(state, fn,
              {Tensor::rand({kBig, kBig}, 1), Tensor::rand({kBig, kBig}, 2),
               Tensor::rand({kBig, kBig}, 3)});
  bandwidthCounter(state, 4.0 * kBig * kBig * sizeof(float));
}

/// The STREAM triad a = b * c + d on the same sizes: the bandwidth a fused
/// elementwise chain can reach.
void chainStream(benchmark::State &state) {
  Tensor a = Tensor::empty({kBig, kBig}), b = Tensor::rand({kBig, kBig}, 1),
         c = Tensor::rand({kBig, kBig}, 2), d = Tensor::rand({kBig, kBig}, 3);
  float *pa = a.data<float>();
  const float *pb = b.data<float>(), *pc = c.data<float>(),
              *pd = d.data<float>();
  for (auto _ : state) {
    for (int64_t i = 0; i < kBig * kBig; ++i)
      pa[i] = pb[i] * pc[i] + pd[i];
    benchmark::ClobberMemory();
  }
  bandwidthCounter(state, 4.0 * kBig * kBig * sizeof(float));
}

void reductionGraft(benchmark::State &state, const std::string &body,
                    const std::string &result) {
  std::string t = tensor(kBig, kBig);
  Function fn = compileOrDie("func.func @r(%x: " + t + ") -> " + result +
                             " {\n" + body + "\n  return %y : " + result +
                             "\n}\n");
  runFunction(state, fn, {Tensor::rand({kBig, kBig}, 1)});
}

void sumGraft(benchmark::State &state) {
  reductionGraft(state,
                 "  %y = graft.sum %x : (" + tensor(kBig, kBig) +
                     ") -> tensor<f32>",
                 "tensor<f32>");
  bandwidthCounter(state, 1.0 * kBig * kBig * sizeof(float));
}

void meanDim1Graft(benchmark::State &state) {
  reductionGraft(state,
                 "  %y = graft.mean %x {dims = array<i64: 1>} : (" +
                     tensor(kBig, kBig) + ") -> tensor<" +
                     std::to_string(kBig) + "xf32>",
                 "tensor<" + std::to_string(kBig) + "xf32>");
  bandwidthCounter(state, 1.0 * kBig * kBig * sizeof(float));
}

void softmaxGraft(benchmark::State &state) {
  reductionGraft(state,
                 "  %y = graft.softmax %x {dim = 1 : i64} : " +
                     tensor(kBig, kBig),
                 tensor(kBig, kBig));
  bandwidthCounter(state, 2.0 * kBig * kBig * sizeof(float));
}

/// STREAM copy: the read+write bandwidth of this machine.
void copyStream(benchmark::State &state) {
  Tensor a = Tensor::empty({kBig, kBig}), b = Tensor::rand({kBig, kBig}, 1);
  float *pa = a.data<float>();
  const float *pb = b.data<float>();
  for (auto _ : state) {
    for (int64_t i = 0; i < kBig * kBig; ++i)
      pa[i] = pb[i];
    benchmark::ClobberMemory();
  }
  bandwidthCounter(state, 2.0 * kBig * kBig * sizeof(float));
}

BENCHMARK(chainGraft)->Name("chain/graft")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(chainStream)->Name("chain/stream")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(sumGraft)->Name("sum/graft")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(meanDim1Graft)->Name("mean_dim1/graft")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(softmaxGraft)->Name("softmax/graft")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(copyStream)->Name("copy/stream")->Unit(benchmark::kMillisecond)->UseRealTime();

//===----------------------------------------------------------------------===//
// The seed graph
//===----------------------------------------------------------------------===//

std::string seedSource(bool backward) {
  std::string t = tensor(1000, 1000);
  return "func.func @seed(%x: " + t + ", %y: " + t + ", %z: " + t +
         ") -> tensor<f32>" +
         (backward ? " attributes {graft.wrt = array<i64: 0, 1, 2>}" : "") +
         " {\n  %q = graft.matmul %x, %y : (" + t + ", " + t + ") -> " + t +
         "\n  %f = graft.mul %q, %z : (" + t + ", " + t + ") -> " + t +
         "\n  %m = graft.mean %f : (" + t + ") -> tensor<f32>\n"
         "  return %m : tensor<f32>\n}\n";
}

void seedGraft(benchmark::State &state, bool backward) {
  Function fn = compileOrDie(seedSource(backward));
  std::vector<Tensor> xyz = {Tensor::empty({1000, 1000}),
                             Tensor::empty({1000, 1000}),
                             Tensor::empty({1000, 1000})};
  fillRandSequence(xyz, 0);
  runFunction(state, fn, xyz);
}

void compileSeed(benchmark::State &state) {
  std::string source = seedSource(true);
  for (auto _ : state) {
    Engine engine;
    Expected<Function> fn = engine.compile(source);
    if (!fn)
      state.SkipWithError(fn.error().message().c_str());
  }
}

BENCHMARK_CAPTURE(seedGraft, forward, false)->Name("seed_fwd/graft")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(seedGraft, backward, true)->Name("seed_fwd_bwd/graft")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(compileSeed)->Name("compile/seed_fwd_bwd")->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
