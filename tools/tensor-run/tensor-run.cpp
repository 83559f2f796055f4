//===- tensor-run.cpp - JIT-run one graft function --------------*- C++ -*-===//
//
// Compiles a .mlir file with graft::Engine and runs one function on .npy or
// torch.rand-like random inputs, printing results in PyTorch's format.
// --check and --check-grad compare the results and gradients with the
// reference evaluator. Every failure is a message on stderr and exit code 1.
//
//===----------------------------------------------------------------------===//

#include "graft/Engine/Engine.h"
#include "graft/Reference/Reference.h"
#include "graft/Runtime/Format.h"
#include "graft/Runtime/MemoryLimit.h"
#include "graft/Runtime/Npy.h"
#include "graft/Runtime/Random.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>

namespace cl = llvm::cl;

static cl::OptionCategory category("tensor-run options");
static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<file.mlir>"),
                                      cl::cat(category));
static cl::opt<std::string>
    entry("entry", cl::desc("Function to run (optional with one function)"),
          cl::cat(category));
static cl::list<std::string>
    inputs("input", cl::desc("A .npy file per argument, in order"),
           cl::cat(category));
static cl::opt<uint64_t>
    seed("seed", cl::init(0),
         cl::desc("Without --input: fill the arguments in order as "
                  "torch.manual_seed(seed) followed by one torch.rand per "
                  "argument"),
         cl::cat(category));
static cl::opt<std::string>
    outputDir("output-dir",
              cl::desc("Write result0.npy, result1.npy, ... into this dir"),
              cl::cat(category));
static cl::opt<std::string>
    emit("emit",
         cl::desc("Print a stage instead of running: graft, linalg, "
                  "llvm or asm"),
         cl::cat(category));
static cl::opt<unsigned>
    bench("bench", cl::init(0),
          cl::desc("Run N times after one warm-up call and print the median"),
          cl::cat(category));
static cl::opt<bool>
    check("check",
          cl::desc("Also run the reference evaluator (naive loops in double "
                   "precision) on the same inputs and print one line per "
                   "result: `check result<i>: max abs error <a>, max rel "
                   "error <r>`. For a graft.wrt function only the forward "
                   "results are checked (see --check-grad). There is no "
                   "tolerance: exit code 1 only when one side has a NaN "
                   "where the other has not"),
          cl::cat(category));
static cl::opt<bool> checkGrad(
    "check-grad",
    cl::desc(
        "For a function marked graft.wrt (an error otherwise): after the "
        "run, compare each gradient it returned with central finite "
        "differences fd_i = (L(x + h e_i) - L(x - h e_i)) / 2h of "
        "L(x) = <v, result0(x)>, v being the incoming gradient (the last "
        "input when result 0 is not a scalar; 1 for a scalar), evaluated by "
        "the reference evaluator in double on the forward function as "
        "written (f32 arguments are perturbed in double too). Step "
        "h = 1e-6 max(1, |x_i|) (--check-grad-step): the truncation error "
        "O(h^2) ~ 1e-12 and the rounding error O(2^-53 / h) ~ 1e-10 of a "
        "central difference are then both far below any real gradient "
        "error, and the step scales with x_i so that it stays the same "
        "number of ulps of x_i. "
        "Each checked element costs two reference evaluations of the whole "
        "function; arguments with more than --check-grad-samples elements "
        "are sampled: the first, the last and a fixed pseudo-random choice "
        "of the others. Prints one "
        "line per graft.wrt argument, in graft.wrt order: `check-grad "
        "arg<i>: max abs error <a>, max rel error <r> (<k> of <n> "
        "elements)`, where a = max |fd - g| and the relative error is "
        "normwise, r = a / max |g| (maxima over the k checked elements; "
        "max |g| at least the smallest normal double). There is no "
        "tolerance: exit code 1 only when fd or g is NaN and the other is "
        "not"),
    cl::cat(category));
static cl::opt<int64_t> checkGradSamples(
    "check-grad-samples", cl::init(64),
    cl::desc("--check-grad checks at most this many elements per argument "
             "(0: all)"),
    cl::cat(category));
static cl::opt<double> checkGradStep(
    "check-grad-step", cl::init(1e-6),
    cl::desc("--check-grad's relative step: h = step max(1, |x_i|). The "
             "rounding noise of a finite difference is about "
             "2^-53 |L| / (h |g|) relative: raise the step when L is much "
             "larger than the gradients, e.g. the mean of many large terms"),
    cl::cat(category));
static cl::opt<unsigned>
    optLevel("opt-level", cl::init(3),
             cl::desc("LLVM optimization level of the compiled code, 0 to 3"),
             cl::cat(category));
static cl::opt<bool> timeCompile(
    "time-compile",
    cl::desc("Print the wall time of each compile stage (parse, the graft "
             "pipelines, translation to LLVM IR, LLVM optimization, machine "
             "code and JIT link) as a table on stderr"),
    cl::cat(category));
static cl::opt<bool>
    guard("guard",
          cl::desc("Run the compiled code on canary-framed copies of its "
                   "inputs and outputs and fail if it wrote out of bounds"),
          cl::cat(category));
static cl::opt<std::string> memoryLimit(
    "memory-limit",
    cl::desc("Refuse functions and calls that would need more memory than "
             "this, e.g. 512M or 2GiB (default: the physical memory)"),
    cl::value_desc("size"), cl::cat(category));
static cl::opt<bool> printShape("print-shape",
                                cl::desc("Print torch.Size after each result"),
                                cl::cat(category));

static int fail(const std::string &message) {
  std::cerr << "tensor-run: " << message << "\n";
  return 1;
}

static std::string formatDuration(double seconds) {
  const char *units[] = {"s", "ms", "us", "ns"};
  int unit = 0;
  while (unit < 3 && seconds < 1.0) {
    seconds *= 1000.0;
    ++unit;
  }
  char text[64];
  std::snprintf(text, sizeof(text), "%.3f %s", seconds, units[unit]);
  return text;
}

/// Loads --input files, or fills random inputs from --seed. `forward`, the
/// function as written if known, explains a trailing incoming gradient.
static graft::Expected<std::vector<graft::Tensor>>
loadInputs(const graft::Function &function,
           const graft::ReferenceFunction *forward) {
  std::vector<graft::Tensor> tensors;
  if (inputs.empty()) {
    for (const graft::TensorSpec &spec : function.inputs()) {
      if (spec.dtype == graft::DType::I64)
        return graft::Error("cannot fill i64 argument " +
                            std::to_string(tensors.size()) +
                            " randomly; pass --input");
      graft::Expected<graft::Tensor> tensor =
          graft::Tensor::tryEmpty(spec.shape, spec.dtype);
      if (!tensor)
        return tensor.error();
      tensors.push_back(tensor.take());
    }
    graft::fillRandSequence(tensors, seed);
    return tensors;
  }
  if (inputs.size() != function.inputs().size()) {
    bool cotangent = forward && function.inputs().size() ==
                                    forward->argumentShapes().size() + 1;
    return graft::Error(
        "function '" + function.name() + "' takes " +
        std::to_string(function.inputs().size()) + " arguments" +
        (cotangent ? " (the last one is the incoming gradient of result 0)"
                   : "") +
        " but " + std::to_string(inputs.size()) + " --input files were given");
  }
  for (const std::string &path : inputs) {
    graft::Expected<graft::Tensor> tensor = graft::readNpy(path);
    if (!tensor)
      return tensor.error();
    const graft::TensorSpec &spec = function.inputs()[tensors.size()];
    graft::TensorSpec actual{tensor->shape(), tensor->dtype()};
    if (actual.shape != spec.shape || actual.dtype != spec.dtype)
      return graft::Error(path + ": argument " +
                          std::to_string(tensors.size()) + " of '" +
                          function.name() + "' must be " + spec.str() +
                          ", the file holds " + actual.str());
    tensors.push_back(tensor.take());
  }
  return tensors;
}

static int runBenchmark(const graft::Function &function,
                        const std::vector<graft::Tensor> &args,
                        const std::vector<graft::Tensor> &results) {
  std::vector<double> times;
  for (unsigned i = 0; i < bench; ++i) {
    auto start = std::chrono::steady_clock::now();
    if (graft::Error err = function.call(args, results))
      return fail(err.message());
    auto stop = std::chrono::steady_clock::now();
    times.push_back(std::chrono::duration<double>(stop - start).count());
  }
  std::sort(times.begin(), times.end());
  double median =
      times.size() % 2
          ? times[times.size() / 2]
          : (times[times.size() / 2 - 1] + times[times.size() / 2]) / 2;
  // The minimum is the least disturbed call: on a noisy machine it compares
  // two builds better than the median.
  std::cout << "median: " << formatDuration(median) << " (" << bench
            << " runs, min " << formatDuration(times.front()) << ")\n";
  return 0;
}

/// --check: evaluates the reference on `args` and reports how far each of
/// `results` is from it. For a graft.wrt function only the forward results
/// are checked (on the forward arguments); --check-grad checks gradients.
static int runCheck(const graft::Function &function, const std::string &source,
                    const std::vector<graft::Tensor> &args,
                    const std::vector<graft::Tensor> &results) {
  graft::ReferenceOptions options;
  options.ignoreWrt = true;
  graft::Expected<graft::ReferenceFunction> reference =
      graft::ReferenceFunction::create(source, function.name(), inputFile,
                                       options);
  if (!reference)
    return fail("--check: " + reference.error().message());
  size_t numArgs = reference->argumentShapes().size();
  size_t numResults = reference->resultShapes().size();
  std::vector<graft::Tensor> forwardArgs(
      args.begin(), args.begin() + std::min(numArgs, args.size()));
  graft::Expected<std::vector<graft::Tensor>> expected =
      reference->evaluate(forwardArgs);
  if (!expected)
    return fail("--check: " + expected.error().message());
  std::string mismatches;
  for (size_t i = 0; i < std::min(numResults, results.size()); ++i) {
    graft::Discrepancy d = graft::compareTensors(results[i], (*expected)[i]);
    char line[128];
    std::snprintf(line, sizeof(line),
                  "check result%zu: max abs error %.3g, max rel error %.3g\n",
                  i, d.maxAbsError, d.maxRelError);
    std::cout << line;
    if (d.nanMismatch || d.shapeMismatch)
      mismatches += (mismatches.empty() ? "" : ", ") + std::string("result") +
                    std::to_string(i);
  }
  std::cout.flush();
  if (!mismatches.empty())
    return fail("--check: NaN where the reference has none, or the other "
                "way round, in " +
                mismatches);
  return 0;
}

/// --check-grad: compares the gradients in `results` with central finite
/// differences of the reference evaluator on `forward` (see the flag's
/// description).
static int runCheckGrad(graft::ReferenceFunction &forward,
                        const std::vector<graft::Tensor> &args,
                        const std::vector<graft::Tensor> &results) {
  graft::GradientCheckOptions options;
  options.maxSamples = checkGradSamples;
  options.relativeStep = checkGradStep;
  graft::Expected<std::vector<graft::GradientDiscrepancy>> report =
      graft::checkGradients(forward, args, results, options);
  if (!report)
    return fail("--check-grad: " + report.error().message());
  std::string mismatches;
  for (const graft::GradientDiscrepancy &d : *report) {
    char line[160];
    std::snprintf(line, sizeof(line),
                  "check-grad arg%lld: max abs error %.3g, max rel error %.3g "
                  "(%zu of %lld elements)\n",
                  static_cast<long long>(d.argument), d.maxAbsError,
                  d.maxRelError, d.indices.size(),
                  static_cast<long long>(d.numel));
    std::cout << line;
    if (d.nanMismatch)
      mismatches +=
          (mismatches.empty() ? "arg" : ", arg") + std::to_string(d.argument);
  }
  std::cout.flush();
  if (!mismatches.empty())
    return fail("--check-grad: NaN in the gradient where the finite "
                "difference has none, or the other way round, in " +
                mismatches);
  return 0;
}

/// Removes `--threads=N` from the arguments and returns N (0, one per core,
/// if absent).
/// libLLVM already registers a `threads` option, so this flag cannot be a
/// cl::opt of its own.
static std::optional<unsigned> takeThreadsFlag(std::vector<char *> &args) {
  unsigned threads = 0;
  for (auto it = args.begin(); it != args.end();) {
    llvm::StringRef arg(*it);
    // The space-separated form would reach libLLVM's own `threads` option.
    if (arg == "--threads" || arg == "-threads")
      return std::nullopt;
    if (!arg.consume_front("--threads=") && !arg.consume_front("-threads=")) {
      ++it;
      continue;
    }
    if (arg.getAsInteger(10, threads) || threads == 0)
      return std::nullopt;
    it = args.erase(it);
  }
  return threads;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  std::vector<char *> commandLine(argv, argv + argc);
  std::optional<unsigned> threads = takeThreadsFlag(commandLine);
  if (!threads)
    return fail("--threads expects a positive integer, as --threads=N");
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(static_cast<int>(commandLine.size()),
                              commandLine.data(),
                              "Graft JIT runner\n"
                              "  --threads=N  threads the compiled code runs "
                              "on (default: one per core)\n");

  graft::Expected<std::string> source = graft::readFile(inputFile);
  if (!source)
    return fail(source.error().message());
  if (!memoryLimit.empty()) {
    graft::Expected<uint64_t> limit = graft::parseByteSize(memoryLimit);
    if (!limit)
      return fail("--memory-limit: " + limit.error().message());
    if (*limit == 0)
      return fail("--memory-limit must be positive");
    graft::setMemoryLimit(*limit);
  }
  graft::CompileOptions options;
  options.entry = entry;
  options.guard = guard;
  options.threads = *threads;
  options.optLevel = optLevel;
  graft::Engine engine;

  if (!emit.empty()) {
    if (timeCompile)
      return fail("--time-compile times a compile; it cannot be combined "
                  "with --emit");
    auto stage = llvm::StringSwitch<std::optional<graft::Stage>>(emit)
                     .Case("graft", graft::Stage::Graft)
                     .Case("linalg", graft::Stage::Linalg)
                     .Case("llvm", graft::Stage::LLVM)
                     .Case("asm", graft::Stage::Asm)
                     .Default(std::nullopt);
    if (!stage)
      return fail("unknown --emit stage '" + emit +
                  "'; expected graft, linalg, llvm or asm");
    graft::Expected<std::string> text =
        engine.emit(*source, *stage, options, inputFile);
    if (!text)
      return fail(text.error().message());
    std::cout << *text;
    return 0;
  }

  graft::Expected<graft::Function> function =
      engine.compile(*source, options, inputFile);
  if (!function)
    return fail(function.error().message());
  if (timeCompile)
    std::cerr << function->compileStats().table();
  // --check-grad needs the forward function as written; checking for
  // graft.wrt before the run fails fast.
  std::optional<graft::ReferenceFunction> forward;
  if (checkGrad) {
    if (!(checkGradStep > 0) || !std::isfinite(checkGradStep))
      return fail("--check-grad-step must be a positive finite number");
    if (checkGradSamples < 0)
      return fail("--check-grad-samples must be 0 (all) or positive");
    graft::ReferenceOptions referenceOptions;
    referenceOptions.ignoreWrt = true;
    referenceOptions.acceptF64Inputs = true;
    graft::Expected<graft::ReferenceFunction> reference =
        graft::ReferenceFunction::create(*source, function->name(), inputFile,
                                         referenceOptions);
    if (!reference)
      return fail("--check-grad: " + reference.error().message());
    if (!reference->hasWrt())
      return fail("--check-grad: function '" + function->name() +
                  "' has no graft.wrt attribute, so it returns no gradients; "
                  "mark the arguments to differentiate with graft.wrt = "
                  "array<i64: ...>");
    forward.emplace(reference.take());
  }
  graft::Expected<std::vector<graft::Tensor>> args =
      loadInputs(*function, forward ? &*forward : nullptr);
  if (!args)
    return fail(args.error().message());
  graft::Expected<std::vector<graft::Tensor>> results = (*function)(*args);
  if (!results)
    return fail(results.error().message());

  // Both checks run and report even when the first finds a mismatch.
  auto runChecks = [&] {
    int status = check ? runCheck(*function, *source, *args, *results) : 0;
    if (forward)
      status |= runCheckGrad(*forward, *args, *results);
    return status;
  };
  if (bench) {
    if (int status = runBenchmark(*function, *args, *results))
      return status;
    return runChecks();
  }

  for (const graft::Tensor &result : *results) {
    std::cout << graft::formatTensor(result) << "\n";
    if (printShape)
      std::cout << graft::formatShape(result.shape()) << "\n";
  }
  if (!outputDir.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
      return fail("cannot create '" + outputDir + "': " + ec.message());
    for (size_t i = 0; i < results->size(); ++i) {
      llvm::SmallString<128> path(outputDir);
      llvm::sys::path::append(path, "result" + std::to_string(i) + ".npy");
      if (graft::Error err = graft::writeNpy(path.str().str(), (*results)[i]))
        return fail(err.message());
    }
  }
  return runChecks();
}
