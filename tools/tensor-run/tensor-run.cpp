//===- tensor-run.cpp - JIT-run one graft function --------------*- C++ -*-===//
//
// Compiles a .mlir file with graft::Engine and runs one function on .npy or
// torch.rand-like random inputs, printing results in PyTorch's format. Every
// failure is a message on stderr and exit code 1.
//
//===----------------------------------------------------------------------===//

#include "graft/Engine/Engine.h"
#include "graft/Reference/Reference.h"
#include "graft/Runtime/Format.h"
#include "graft/Runtime/Npy.h"
#include "graft/Runtime/Random.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <chrono>
#include <iostream>

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
    emit("emit", cl::desc("Print a stage instead of running: graft, linalg, "
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
                   "error <r>`. There is no tolerance: exit code 1 only "
                   "when one side has a NaN where the other has not"),
          cl::cat(category));
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

/// Loads --input files, or fills random inputs from --seed.
static graft::Expected<std::vector<graft::Tensor>>
loadInputs(const graft::Function &function) {
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
  if (inputs.size() != function.inputs().size())
    return graft::Error("function '" + function.name() + "' takes " +
                        std::to_string(function.inputs().size()) +
                        " arguments but " + std::to_string(inputs.size()) +
                        " --input files were given");
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
  double median = times.size() % 2
                      ? times[times.size() / 2]
                      : (times[times.size() / 2 - 1] + times[times.size() / 2]) / 2;
  std::cout << "median: " << formatDuration(median) << " (" << bench
            << " runs)\n";
  return 0;
}

/// --check: evaluates the reference on `args` and reports how far each of
/// `results` is from it.
static int runCheck(const graft::Function &function, const std::string &source,
                    const std::vector<graft::Tensor> &args,
                    const std::vector<graft::Tensor> &results) {
  graft::Expected<std::vector<graft::Tensor>> expected =
      graft::evaluateReference(source, args, function.name(), inputFile);
  if (!expected)
    return fail("--check: " + expected.error().message());
  std::string mismatches;
  for (size_t i = 0; i < results.size(); ++i) {
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

/// Removes `--threads=N` from the arguments and returns N (1 if absent).
/// libLLVM already registers a `threads` option, so this flag cannot be a
/// cl::opt of its own.
static std::optional<unsigned> takeThreadsFlag(std::vector<char *> &args) {
  unsigned threads = 1;
  for (auto it = args.begin(); it != args.end();) {
    llvm::StringRef arg(*it);
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
    return fail("--threads expects a positive integer");
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(static_cast<int>(commandLine.size()),
                              commandLine.data(),
                              "Graft JIT runner\n"
                              "  --threads=N  worker threads for the compiled "
                              "code (this version runs on one)\n");

  graft::Expected<std::string> source = graft::readFile(inputFile);
  if (!source)
    return fail(source.error().message());
  graft::CompileOptions options;
  options.entry = entry;
  graft::Engine engine;

  if (!emit.empty()) {
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

  if (*threads != 1)
    return fail("--threads=" + std::to_string(*threads) +
                ": compiled code runs on one thread in this version");
  graft::Expected<graft::Function> function =
      engine.compile(*source, options, inputFile);
  if (!function)
    return fail(function.error().message());
  graft::Expected<std::vector<graft::Tensor>> args = loadInputs(*function);
  if (!args)
    return fail(args.error().message());
  graft::Expected<std::vector<graft::Tensor>> results = (*function)(*args);
  if (!results)
    return fail(results.error().message());

  if (bench) {
    if (int status = runBenchmark(*function, *args, *results))
      return status;
    return check ? runCheck(*function, *source, *args, *results) : 0;
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
  if (check)
    return runCheck(*function, *source, *args, *results);
  return 0;
}
