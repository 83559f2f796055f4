//===- GraftBench.cpp - Graft against its references ---------*- C++ -*-===//
//
// Google Benchmark cases. Every benchmark is named `<case>/<side>/<T>T`:
// Graft's compiled function (`graft`, compiled with CompileOptions::threads
// = T) and the references it is judged against with the same thread count,
// registered next to each other so that a pair runs back to back:
//
//   sgemm MxKxN, A^T@B, A@B^T  vs  OpenBLAS cblas_sgemm (CblasTrans on the
//                                  transposed operand)
//   relu(a*b+c) 4096^2         vs  a STREAM triad loop a = b * c + d
//   sum, mean dim 1, softmax   vs  a STREAM copy loop a = b
//   bmm, seed graph, MLP step      PyTorch only (bench/torch_ref.py)
//   peak/FMA loop/1T               one core's FMA throughput, for "% of
//                                  peak"
//
// The STREAM loops run on T threads through the same OpenMP runtime (LLVM's
// libomp) as Graft's compiled code. Graft sides carry a GFLOPs or
// GB/s counter, and "compile ms", how long compiling took (a fresh Engine;
// run.sh reports the seed fwd+bwd graph's as the cold compile time).
// bench/run.sh turns the JSON into the markdown table and matches the
// PyTorch side by the case name.
//
// GRAFT_BENCH_QUICK=1 registers the subset of `bench/run.sh --quick`;
// GRAFT_BENCH_CASE=<case> only that case's benchmarks. A crash prints the
// benchmark that crashed and, for a Graft side, its IR.
//
//===----------------------------------------------------------------------===//

#include "graft/Graft.h"

#include <benchmark/benchmark.h>
#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include <unistd.h>

using namespace graft;

extern "C" void openblas_set_num_threads(int);

namespace {

using Shape = std::vector<int64_t>;

constexpr unsigned kThreadCounts[] = {1, 2};

bool quick() {
  static const bool isQuick = std::getenv("GRAFT_BENCH_QUICK") != nullptr;
  return isQuick;
}

//===----------------------------------------------------------------------===//
// Graft IR as text
//===----------------------------------------------------------------------===//

std::string tensorType(const Shape &shape) {
  std::string type = "tensor<";
  for (int64_t dim : shape)
    type += std::to_string(dim) + "x";
  return type + "f32>";
}

/// One graft function written as text. Each value's shape is tracked, so an
/// op names only its operands and its result's shape.
class FuncText {
public:
  FuncText(const std::string &name,
           const std::vector<std::pair<std::string, Shape>> &args,
           const std::string &attrs = "") {
    text_ = "func.func @" + name + "(";
    for (const auto &[arg, shape] : args) {
      text_ += (shapes_.empty() ? "%" : ", %") + arg + ": " + tensorType(shape);
      shapes_[arg] = shape;
    }
    attrs_ = attrs.empty() ? "" : " attributes {" + attrs + "}";
  }

  /// `%result = graft.<op> %a, %b {attrs} : (A, B) -> R`.
  FuncText &op(const std::string &result, const std::string &opName,
               const std::vector<std::string> &operands, const Shape &shape,
               const std::string &attrs = "") {
    std::string types;
    for (const std::string &operand : operands)
      types += (types.empty() ? "" : ", ") + tensorType(shapes_.at(operand));
    line(result, opName, operands, attrs,
         "(" + types + ") -> " + tensorType(shape));
    shapes_[result] = shape;
    return *this;
  }

  /// One-type ops (elementwise unary, softmax):
  /// `%result = graft.<op> %x {attrs} : T`.
  FuncText &same(const std::string &result, const std::string &opName,
                 const std::string &operand, const std::string &attrs = "") {
    shapes_[result] = shapes_.at(operand);
    line(result, opName, {operand}, attrs, tensorType(shapes_[result]));
    return *this;
  }

  /// The whole function, returning `result`.
  std::string ret(const std::string &result) const {
    std::string type = tensorType(shapes_.at(result));
    return text_ + ") -> " + type + attrs_ + " {\n" + body_ + "  return %" +
           result + " : " + type + "\n}\n";
  }

private:
  void line(const std::string &result, const std::string &opName,
            const std::vector<std::string> &operands, const std::string &attrs,
            const std::string &types) {
    body_ += "  %" + result + " = graft." + opName;
    for (size_t i = 0; i < operands.size(); ++i)
      body_ += (i ? ", %" : " %") + operands[i];
    body_ += (attrs.empty() ? "" : " {" + attrs + "}") + " : " + types + "\n";
  }

  std::string text_, attrs_, body_;
  std::map<std::string, Shape> shapes_;
};

//===----------------------------------------------------------------------===//
// Running and measuring
//===----------------------------------------------------------------------===//

/// A compiled function, or why compiling failed.
struct Compiled {
  std::optional<Function> fn;
  std::string error;
  double milliseconds = 0;
};

/// By (source, threads). Cleared at the end of main: a compiled function
/// destroyed during static destruction crashes (the JIT's own statics may be
/// gone by then).
std::map<std::pair<std::string, unsigned>, Compiled> compiledCache;

/// `source` compiled with CompileOptions::threads = `threads`, once per
/// process (Google Benchmark calls a case several times while it sizes the
/// run). A failure is also printed to stderr with the IR that triggers it.
const Compiled &compiled(const std::string &source, unsigned threads) {
  auto [it, isNew] = compiledCache.try_emplace({source, threads});
  if (isNew) {
    Engine engine;
    CompileOptions options;
    options.threads = threads;
    // The bench keeps its own table; the engine's cache would turn the
    // reported compile time into a lookup.
    options.useCache = false;
    auto start = std::chrono::steady_clock::now();
    Expected<Function> fn = engine.compile(source, options);
    it->second.milliseconds = std::chrono::duration<double, std::milli>(
                                  std::chrono::steady_clock::now() - start)
                                  .count();
    if (fn) {
      it->second.fn = *fn;
    } else {
      it->second.error = fn.error().message();
      std::cerr << "graft-bench: compiling with threads=" << threads
                << " failed:\n"
                << it->second.error << "\nIR:\n"
                << source;
    }
  }
  return it->second;
}

/// Random inputs of these shapes (seeds 1, 2, ...). A Graft case and its
/// references share them; only the last set is kept, so that the 4096^2
/// cases do not pile up.
const std::vector<Tensor> &randomInputs(const std::vector<Shape> &shapes) {
  static std::vector<Shape> key;
  static std::vector<Tensor> tensors;
  if (key != shapes) {
    tensors.clear();
    for (size_t i = 0; i < shapes.size(); ++i)
      tensors.push_back(Tensor::rand(shapes[i], i + 1));
    key = shapes;
  }
  return tensors;
}

/// What one iteration does, for the rate counters.
struct Work {
  double flops = 0, bytes = 0;
};

void countWork(benchmark::State &state, Work work) {
  auto rate = [](double amount) {
    return benchmark::Counter(amount,
                              benchmark::Counter::kIsIterationInvariantRate,
                              benchmark::Counter::kIs1000);
  };
  if (work.flops)
    state.counters["GFLOPs"] = rate(work.flops);
  if (work.bytes)
    state.counters["GB/s"] = rate(work.bytes);
}

/// The runtimes that keep worker threads spinning after a parallel region:
/// libomp (Graft's code, the STREAM and FMA loops) for KMP_BLOCKTIME, 200 ms,
/// and OpenBLAS's pthreads for a similar time. A benchmark that follows one
/// of the other runtime waits them out, so that it does not share the cores
/// with spinning threads.
enum class Runtime { OpenMP, OpenBlas };

void settle(Runtime runtime) {
  static Runtime last = runtime;
  if (runtime != last)
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  last = runtime;
}

using Body = std::function<void(benchmark::State &)>;

/// What the crash handler prints: the running benchmark and, for a Graft
/// side, its IR. run.sh runs one case per process, so a crash costs only
/// that case's rows.
const char *volatile crashNote = nullptr;

extern "C" void onCrash(int signal) {
  if (const char *note = crashNote)
    if (write(STDERR_FILENO, note, std::strlen(note)) < 0)
      std::abort();
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

/// Registers `<caseName>/<side>/<threads>T` unless GRAFT_BENCH_CASE names
/// another case. `ir` is the Graft side's source, for the crash note.
void add(const std::string &caseName, const std::string &side,
         unsigned threads, Runtime runtime, Body body,
         const std::string &ir = "") {
  const char *only = std::getenv("GRAFT_BENCH_CASE");
  if (only && caseName != only)
    return;
  std::string name = caseName + "/" + side + "/" + std::to_string(threads) +
                     "T";
  std::string note = "graft-bench: crashed in " + name +
                     (ir.empty() ? "\n" : ", IR:\n" + ir);
  benchmark::RegisterBenchmark(name.c_str(),
                               [=](benchmark::State &state) {
                                 settle(runtime);
                                 crashNote = note.c_str();
                                 body(state);
                                 crashNote = nullptr;
                               })
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
}

/// A reference measured next to a Graft case, on the case's inputs.
struct Reference {
  std::string name;
  Runtime runtime;
  std::function<void(benchmark::State &, const std::vector<Tensor> &inputs,
                     unsigned threads)>
      run;
};

/// Graft's side of a case: `source` compiled for `threads` threads, called
/// on the case's inputs.
void runGraft(benchmark::State &state, const std::string &source,
              unsigned threads, const std::vector<Shape> &shapes, Work work) {
  const Compiled &compiledSource = compiled(source, threads);
  if (!compiledSource.fn)
    return state.SkipWithError(("compile: " + compiledSource.error).c_str());
  const Function &fn = *compiledSource.fn;
  const std::vector<Tensor> &inputs = randomInputs(shapes);
  std::vector<Tensor> outputs;
  for (const TensorSpec &spec : fn.outputs())
    outputs.push_back(Tensor::empty(spec.shape, spec.dtype));
  for (auto _ : state)
    if (Error err = fn.call(inputs, outputs)) {
      state.SkipWithError(err.message().c_str());
      break;
    }
  countWork(state, work);
  state.counters["compile ms"] = compiledSource.milliseconds;
}

/// Registers, for each thread count T, Graft's `source` compiled for T
/// threads and then each reference on T threads, all on random inputs of
/// `shapes`.
void addCase(const std::string &name, const std::string &source,
             const std::vector<Shape> &shapes, Work work,
             const std::vector<Reference> &references = {}) {
  for (unsigned threads : kThreadCounts) {
    add(name, "graft", threads, Runtime::OpenMP,
        [=](benchmark::State &state) {
          runGraft(state, source, threads, shapes, work);
        },
        source);
    for (const Reference &ref : references)
      add(name, ref.name, threads, ref.runtime,
          [=](benchmark::State &state) {
            ref.run(state, randomInputs(shapes), threads);
          });
  }
}

//===----------------------------------------------------------------------===//
// sgemm: plain and with a transposed operand
//===----------------------------------------------------------------------===//

enum class Trans { None, A, B };

/// C[M,N] = A @ B with K the contraction. With Trans::A the stored A is
/// [K,M] and the graph is transpose(A) @ B; with Trans::B the stored B is
/// [N,K]. Graft reads the transposed operand through the matmul's indexing
/// maps; OpenBLAS gets CblasTrans on it.
void addSgemm(int64_t m, int64_t k, int64_t n, Trans trans) {
  Shape a = trans == Trans::A ? Shape{k, m} : Shape{m, k};
  Shape b = trans == Trans::B ? Shape{n, k} : Shape{k, n};
  FuncText fn("mm", {{"a", a}, {"b", b}});
  if (trans == Trans::A)
    fn.op("at", "transpose", {"a"}, {m, k}, "perm = array<i64: 1, 0>");
  if (trans == Trans::B)
    fn.op("bt", "transpose", {"b"}, {k, n}, "perm = array<i64: 1, 0>");
  fn.op("c", "matmul",
        {trans == Trans::A ? "at" : "a", trans == Trans::B ? "bt" : "b"},
        {m, n});

  Reference openBlas{
      "OpenBLAS", Runtime::OpenBlas,
      [=](benchmark::State &state, const std::vector<Tensor> &inputs,
          unsigned threads) {
        openblas_set_num_threads(threads);
        Tensor c = Tensor::empty({m, n});
        for (auto _ : state)
          cblas_sgemm(CblasRowMajor,
                      trans == Trans::A ? CblasTrans : CblasNoTrans,
                      trans == Trans::B ? CblasTrans : CblasNoTrans, m, n, k,
                      1.0f, inputs[0].data<float>(), a[1],
                      inputs[1].data<float>(), b[1], 0.0f, c.data<float>(), n);
      }};
  std::string prefix = trans == Trans::A   ? "sgemm A^T@B "
                       : trans == Trans::B ? "sgemm A@B^T "
                                           : "sgemm ";
  addCase(prefix + std::to_string(m) + "x" + std::to_string(k) + "x" +
              std::to_string(n),
          fn.ret("c"), {a, b}, {2.0 * m * k * n}, {openBlas});
}

void addSgemms() {
  for (int64_t n : {256, 512, 1000, 1023, 1024, 2048, 4096})
    if (!quick() || n == 1000 || n == 1024)
      addSgemm(n, n, n, Trans::None);
  if (!quick()) {
    addSgemm(1000, 4096, 1000, Trans::None);
    addSgemm(4096, 1000, 1000, Trans::None);
  }
  for (int64_t n : {1024, 2048})
    if (!quick() || n == 1024)
      for (Trans trans : {Trans::A, Trans::B})
        addSgemm(n, n, n, trans);
}

//===----------------------------------------------------------------------===//
// Batched matmul (PyTorch reference only)
//===----------------------------------------------------------------------===//

void addBatchedMatmul() {
  Shape s = {64, 128, 128};
  std::string source = FuncText("bmm", {{"a", s}, {"b", s}})
                           .op("c", "matmul", {"a", "b"}, s)
                           .ret("c");
  addCase("bmm 64x128x128 @ 64x128x128", source, {s, s},
          {2.0 * 64 * 128 * 128 * 128});
}

//===----------------------------------------------------------------------===//
// Bandwidth-bound graphs at 4096^2 against STREAM-style loops
//===----------------------------------------------------------------------===//

constexpr int64_t kBig = 4096;
const Shape kBigShape = {kBig, kBig};
constexpr double kBigBytes = 1.0 * kBig * kBig * sizeof(float);

/// A STREAM kernel over the case's inputs on `threads` OpenMP threads,
/// writing a fresh output; `bytes` is what one pass reads and writes.
Reference streamLoop(const std::string &name, double bytes,
                     void (*kernel)(float *out,
                                    const std::vector<Tensor> &inputs,
                                    int64_t count, int threads)) {
  return {name, Runtime::OpenMP,
          [=](benchmark::State &state, const std::vector<Tensor> &inputs,
              unsigned threads) {
            Tensor out = Tensor::empty(kBigShape);
            for (auto _ : state) {
              kernel(out.data<float>(), inputs, out.numel(), threads);
              benchmark::ClobberMemory();
            }
            countWork(state, {0, bytes});
          }};
}

/// STREAM triad a = b * c + d: the bandwidth a fused elementwise chain of
/// three inputs can reach.
void triad(float *a, const std::vector<Tensor> &inputs, int64_t count,
           int threads) {
  const float *b = inputs[0].data<float>(), *c = inputs[1].data<float>(),
              *d = inputs[2].data<float>();
#pragma omp parallel for simd num_threads(threads) schedule(static)
  for (int64_t i = 0; i < count; ++i)
    a[i] = b[i] * c[i] + d[i];
}

/// STREAM copy a = b: the read + write bandwidth.
void copy(float *a, const std::vector<Tensor> &inputs, int64_t count,
          int threads) {
  const float *b = inputs[0].data<float>();
#pragma omp parallel for simd num_threads(threads) schedule(static)
  for (int64_t i = 0; i < count; ++i)
    a[i] = b[i];
}

void addBandwidthCases() {
  std::string chain = FuncText("chain", {{"a", kBigShape},
                                         {"b", kBigShape},
                                         {"c", kBigShape}})
                          .op("m", "mul", {"a", "b"}, kBigShape)
                          .op("s", "add", {"m", "c"}, kBigShape)
                          .same("r", "relu", "s")
                          .ret("r");
  addCase("relu(a*b+c) 4096^2", chain, {kBigShape, kBigShape, kBigShape},
          {0, 4 * kBigBytes}, {streamLoop("triad loop", 4 * kBigBytes, triad)});

  Reference copyLoop = streamLoop("copy loop", 2 * kBigBytes, copy);
  FuncText input("r", {{"x", kBigShape}});
  addCase("sum 4096^2", FuncText(input).op("y", "sum", {"x"}, {}).ret("y"),
          {kBigShape}, {0, kBigBytes}, {copyLoop});
  addCase("mean dim 1 4096^2",
          FuncText(input)
              .op("y", "mean", {"x"}, {kBig}, "dims = array<i64: 1>")
              .ret("y"),
          {kBigShape}, {0, kBigBytes}, {copyLoop});
  addCase("softmax 4096^2",
          FuncText(input).same("y", "softmax", "x", "dim = 1 : i64").ret("y"),
          {kBigShape}, {0, 2 * kBigBytes}, {copyLoop});
}

//===----------------------------------------------------------------------===//
// The machine's FMA peak
//===----------------------------------------------------------------------===//

#ifdef __AVX512F__
constexpr int kVectorBytes = 64;
#else
constexpr int kVectorBytes = 32;
#endif
typedef float Vector __attribute__((vector_size(kVectorBytes)));
constexpr int kAccumulators = 12, kLanes = kVectorBytes / sizeof(float);
constexpr int64_t kFmaSteps = 1 << 20;

/// kFmaSteps x kAccumulators independent vector FMAs: enough chains in
/// flight to cover the FMA latency on every FMA port.
void fmaLoop() {
  Vector acc[kAccumulators], scale, offset;
  for (int i = 0; i < kLanes; ++i)
    scale[i] = 0.999999f, offset[i] = 1e-6f;
  for (Vector &v : acc)
    v = offset;
  for (int64_t step = 0; step < kFmaSteps; ++step)
    for (Vector &v : acc)
      v = __builtin_elementwise_fma(v, scale, offset);
  for (Vector &v : acc)
    benchmark::DoNotOptimize(v);
}

/// The FMA loop on one core. Its GFLOPs counter is the best iteration's
/// rate, not the mean: a peak, and less sensitive to other load. run.sh
/// takes T times it as the peak of T threads (each core has its own FMA
/// units; a measured two-thread peak would mostly measure the other load).
void addPeak() {
  add("peak", "FMA loop", 1, Runtime::OpenMP, [](benchmark::State &state) {
    double best = 0;
    for (auto _ : state) {
      auto start = std::chrono::steady_clock::now();
      fmaLoop();
      std::chrono::duration<double> seconds =
          std::chrono::steady_clock::now() - start;
      best = std::max(best, 1 / seconds.count());
    }
    state.counters["GFLOPs"] = 2.0 * kLanes * kAccumulators * kFmaSteps * best;
  });
}

//===----------------------------------------------------------------------===//
// The seed graph and an MLP training step (PyTorch reference only)
//===----------------------------------------------------------------------===//

/// mean((x @ y) * z) on 1000^2, with the gradients of all three inputs when
/// `backward`.
std::string seedSource(bool backward) {
  Shape s = {1000, 1000};
  return FuncText("seed", {{"x", s}, {"y", s}, {"z", s}},
                  backward ? "graft.wrt = array<i64: 0, 1, 2>" : "")
      .op("q", "matmul", {"x", "y"}, s)
      .op("f", "mul", {"q", "z"}, s)
      .op("m", "mean", {"f"}, {})
      .ret("m");
}

/// One training step of a 2-layer MLP, batch 256, 1024 input features (as
/// many as hidden units: the two big matmuls x @ w1 and x^T @ dh are both
/// 256x1024x1024), 1024 hidden, 10 classes: the loss
/// -mean(sum(y * log_softmax(relu(x @ w1 + b1) @ w2 + b2, 1), 1)) and its
/// gradients with respect to w1, b1, w2, b2 (graft.wrt on those arguments;
/// the function returns the loss, then the four gradients). y is a random
/// soft target. torch_ref.py's mlp_case does the same forward and
/// loss.backward().
constexpr int64_t kBatch = 256, kInputs = 1024, kHidden = 1024, kClasses = 10;

void addMlp() {
  std::vector<std::pair<std::string, Shape>> args = {
      {"x", {kBatch, kInputs}}, {"y", {kBatch, kClasses}},
      {"w1", {kInputs, kHidden}}, {"b1", {kHidden}},
      {"w2", {kHidden, kClasses}}, {"b2", {kClasses}}};
  std::string source =
      FuncText("mlp", args, "graft.wrt = array<i64: 2, 3, 4, 5>")
          .op("xw", "matmul", {"x", "w1"}, {kBatch, kHidden})
          .op("pre", "add", {"xw", "b1"}, {kBatch, kHidden})
          .same("h", "relu", "pre")
          .op("hw", "matmul", {"h", "w2"}, {kBatch, kClasses})
          .op("logits", "add", {"hw", "b2"}, {kBatch, kClasses})
          .same("logp", "log_softmax", "logits", "dim = 1 : i64")
          .op("yl", "mul", {"y", "logp"}, {kBatch, kClasses})
          .op("nll", "sum", {"yl"}, {kBatch}, "dims = array<i64: 1>")
          .op("mean", "mean", {"nll"}, {})
          .same("loss", "neg", "mean")
          .ret("loss");
  std::vector<Shape> shapes;
  for (const auto &arg : args)
    shapes.push_back(arg.second);
  // x @ w1 and x^T @ dh dominate; the three small matmuls with w2 follow.
  double flops = 2 * 2.0 * kBatch * kInputs * kHidden +
                 3 * 2.0 * kBatch * kHidden * kClasses;
  addCase("MLP train step 256x1024-1024-10", source, shapes, {flops});
}

void addSeed() {
  std::vector<Shape> xyz(3, {1000, 1000});
  // One 1000^3 matmul forward, two more backward.
  addCase("seed forward 1000^2", seedSource(false), xyz, {2e9});
  addCase("seed fwd+bwd 1000^2", seedSource(true), xyz, {3 * 2e9});
}

} // namespace

int main(int argc, char **argv) {
  for (int signal : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT})
    std::signal(signal, onCrash);
  addPeak();
  addSgemms();
  addBatchedMatmul();
  addBandwidthCases();
  addSeed();
  addMlp();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  compiledCache.clear();
  return 0;
}
