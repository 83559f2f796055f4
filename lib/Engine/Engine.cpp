//===- Engine.cpp - Compile and run graft functions -------------*- C++ -*-===//
//
// This file implements graft::Engine: parse, verify, run the JIT pipeline
// stage by stage, translate to LLVM IR and hand it to the ORC JIT, timing
// every stage; and the process-wide compile cache. Compiled functions use the
// bare-pointer calling convention, `void f(T *in..., T *out...)`, so a call
// passes the caller's buffers straight through.
//
//===----------------------------------------------------------------------===//

#include "graft/Engine/Engine.h"
#include "Guard.h"
#include "Jit.h"
#include "Stages.h"
#include "Temporaries.h"

#include "graft/API/Graph.h"
#include "graft/Dialect/Graft/IR/EntryPoint.h"
#include "graft/InitAll.h"
#include "graft/Pipelines/Pipelines.h"
#include "graft/Runtime/BufferCache.h"
#include "graft/Runtime/MemoryLimit.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <future>
#include <iterator>
#include <list>
#include <mutex>
#include <unordered_map>

using namespace graft;

//===----------------------------------------------------------------------===//
// Specs
//===----------------------------------------------------------------------===//

std::string TensorSpec::str() const {
  std::string text = "tensor<";
  for (int64_t dim : shape)
    text += std::to_string(dim) + "x";
  return text + dtypeName(dtype) + ">";
}

//===----------------------------------------------------------------------===//
// Stages and their timings
//===----------------------------------------------------------------------===//

const char *graft::compileStageName(CompileStage stage) {
  static const char *const names[] = {"parse",    "frontend",      "to-linalg",
                                      "codegen",  "lower-to-llvm", "translate",
                                      "llvm-opt", "machine-code"};
  static_assert(std::size(names) == kNumCompileStages);
  return names[static_cast<size_t>(stage)];
}

std::string CompileStats::table() const {
  char line[96];
  std::snprintf(line, sizeof(line), "%-13s %9s %7s\n", "stage", "ms", "%");
  std::string text = line;
  for (size_t i = 0; i < kNumCompileStages; ++i) {
    std::snprintf(line, sizeof(line), "%-13s %9.2f %6.1f%%\n",
                  compileStageName(static_cast<CompileStage>(i)), stageMs[i],
                  totalMs > 0 ? 100.0 * stageMs[i] / totalMs : 0.0);
    text += line;
  }
  std::snprintf(line, sizeof(line), "%-13s %9.2f  %s\n", "total", totalMs,
                cacheHit ? "cache hit" : "cache miss");
  return text + line;
}

void graft::buildStagePipeline(
    CompileStage stage, mlir::OpPassManager &pm,
    const mlir::graft::GraftPipelineOptions &options) {
  switch (stage) {
  case CompileStage::Frontend:
    return mlir::graft::buildGraftFrontendPipeline(pm);
  case CompileStage::ToLinalg:
    return mlir::graft::buildGraftToLinalgPipeline(pm);
  case CompileStage::Codegen:
    return mlir::graft::buildGraftCodegenPipeline(pm, options);
  case CompileStage::LowerToLLVM:
    return mlir::graft::buildGraftLowerToLLVMPipeline(pm, options);
  default:
    llvm_unreachable("not a pass pipeline stage");
  }
}

namespace {

/// Adds the time since `start` to `stage`.
void addStageTime(CompileStats &stats, CompileStage stage,
                  Clock::time_point start) {
  stats.stageMs[static_cast<size_t>(stage)] += millisecondsSince(start);
}

Expected<TensorSpec> specOf(mlir::Type type) {
  auto tensor = llvm::dyn_cast<mlir::RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return Error("expected a statically shaped tensor");
  // Compiled functions take one pointer per argument; a tensor without
  // elements has no buffer to point to.
  if (tensor.getNumElements() == 0)
    return Error("tensors with a zero-size dim cannot cross the boundary of "
                 "a compiled function");
  TensorSpec spec;
  spec.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  mlir::Type element = tensor.getElementType();
  if (element.isF32())
    spec.dtype = DType::F32;
  else if (element.isF64())
    spec.dtype = DType::F64;
  else if (element.isInteger(64))
    spec.dtype = DType::I64;
  else
    return Error("element type must be f32, f64 or i64");
  return spec;
}

//===----------------------------------------------------------------------===//
// One compilation: a context, a module, and the diagnostics they produce
//===----------------------------------------------------------------------===//

/// Writes `text` to `dir/name`, creating `dir`.
Error writeDumpFile(const std::string &dir, const std::string &name,
                    const std::string &text) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return Error("cannot create '" + dir + "': " + ec.message());
  llvm::SmallString<128> path(dir);
  llvm::sys::path::append(path, name);
  std::error_code ec;
  llvm::raw_fd_ostream file(path, ec);
  if (ec)
    return Error("cannot write '" + path.str().str() + "': " + ec.message());
  file << text;
  return Error::success();
}

/// Owns the MLIR state of one compilation and collects every diagnostic as
/// `name:line:col: error: ...` text.
class Compilation {
public:
  Compilation(std::string_view source, const std::string &bufferName)
      : context(mlir::graft::createDialectRegistry(),
                mlir::MLIRContext::Threading::DISABLED),
        diagnostics(diagnosticText), handler(sourceMgr, &context, diagnostics) {
    sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(
            llvm::StringRef(source.data(), source.size()), bufferName),
        llvm::SMLoc());
  }

  /// Parses and verifies the module and picks the entry function.
  Error parse(const std::string &entryName) {
    module = mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
    if (!module)
      return failure("cannot parse the module");
    std::string error;
    entry = mlir::graft::findEntryFunction(*module, entryName, error);
    if (!entry)
      return failure(error);
    // Only the entry and what it may call are compiled: other public
    // functions may have signatures the engine cannot call.
    for (auto func :
         llvm::make_early_inc_range(module->getOps<mlir::func::FuncOp>()))
      if (func != entry && !func.isExternal() &&
          mlir::SymbolTable::symbolKnownUseEmpty(func, *module))
        func.erase();
    return Error::success();
  }

  /// Reads the entry's argument and result specs.
  Error readSignature(std::vector<TensorSpec> &inputs,
                      std::vector<TensorSpec> &outputs) {
    mlir::FunctionType type = entry.getFunctionType();
    auto collect = [&](mlir::TypeRange types, const char *kind,
                       std::vector<TensorSpec> &specs) -> Error {
      for (auto [index, type] : llvm::enumerate(types)) {
        Expected<TensorSpec> spec = specOf(type);
        if (!spec) {
          std::string typeText;
          llvm::raw_string_ostream os(typeText);
          os << type;
          return Error("function '" + entry.getName().str() + "' " + kind +
                       " " + std::to_string(index) + " has type " + typeText +
                       ": " + spec.error().message());
        }
        specs.push_back(*spec);
      }
      return Error::success();
    };
    if (Error err = collect(type.getInputs(), "argument", inputs))
      return err;
    return collect(type.getResults(), "result", outputs);
  }

  /// Runs the pipelines of stages `first` to `last` on the module, one
  /// PassManager each, adding their times to `stats`.
  Error runStages(CompileStage first, CompileStage last,
                  const mlir::graft::GraftPipelineOptions &options,
                  CompileStats &stats) {
    for (auto i = static_cast<size_t>(first); i <= static_cast<size_t>(last);
         ++i) {
      auto stage = static_cast<CompileStage>(i);
      Clock::time_point start = Clock::now();
      mlir::PassManager pm(&context);
      // Verifying after each of the ~50 passes was a third of the MLIR
      // time; the input is verified when parsed and the result once below.
      // (tensor-opt and the lit tests keep verifying after every pass.)
      pm.enableVerifier(false);
      buildStagePipeline(stage, pm, options);
      mlir::LogicalResult result = pm.run(*module);
      addStageTime(stats, stage, start);
      if (mlir::failed(result))
        return failure("compilation failed");
    }
    if (mlir::failed(mlir::verify(*module)))
      return failure("compilation produced invalid IR");
    return Error::success();
  }

  /// Writes the module to `dir/name` when dumping is on.
  Error dump(const std::string &dir, const std::string &name) {
    if (dir.empty())
      return Error::success();
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
    return writeDumpFile(dir, name, text);
  }

  /// Builds an Error from `what` and every diagnostic seen so far.
  Error failure(const std::string &what) {
    diagnostics.flush();
    std::string message = diagnosticText.empty() ? what : diagnosticText;
    while (!message.empty() && message.back() == '\n')
      message.pop_back();
    return Error(message);
  }

  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp entry;

private:
  llvm::SourceMgr sourceMgr;
  std::string diagnosticText;
  llvm::raw_string_ostream diagnostics;
  mlir::SourceMgrDiagnosticHandler handler;
};

/// The code generation target of `options`: the host, on
/// `options.threads` threads (all cores when 0).
void setPipelineOptions(mlir::graft::GraftPipelineOptions &pipeline,
                        const CompileOptions &options) {
  if (options.threads > 0)
    pipeline.threads = options.threads;
}

/// Optimized LLVM IR or assembly of `compilation`'s module, which is in the
/// LLVM dialect.
Expected<std::string> emitMachineCode(Compilation &compilation,
                                      const CompileOptions &options,
                                      bool assembly) {
  Expected<std::string> text =
      emitHostCode(*compilation.module, options.optLevel, assembly);
  if (!text)
    return compilation.failure(text.error().message());
  return text;
}

} // namespace

//===----------------------------------------------------------------------===//
// Function
//===----------------------------------------------------------------------===//

/// The compiled code and its signature, shared by every Function and the
/// compile cache entry that use it.
struct Function::Impl {
  std::string name;
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
  std::unique_ptr<JitCode> code;
  void (*packed)(void **) = nullptr;
  /// An upper bound of the heap one call allocates (Temporaries.h),
  /// reserved from the memory limit for the duration of each call.
  uint64_t temporaryBytes = 0;
  /// The alignment in bytes the code assumes for its output buffers
  /// (graft-streaming-stores makes aligned stores into them non-temporal).
  uint64_t outputAlignment = 1;
};

Function::Function(std::shared_ptr<const Impl> impl, const CompileStats &stats,
                   bool guard)
    : impl_(std::move(impl)), stats_(stats), guard_(guard) {}

const std::string &Function::name() const { return impl_->name; }
const std::vector<TensorSpec> &Function::inputs() const {
  return impl_->inputs;
}
const std::vector<TensorSpec> &Function::outputs() const {
  return impl_->outputs;
}

namespace {

Error checkTensors(const std::string &function, const char *kind,
                   const std::vector<TensorSpec> &specs,
                   const std::vector<Tensor> &tensors) {
  if (tensors.size() != specs.size()) {
    std::string types;
    for (const TensorSpec &spec : specs)
      types += (types.empty() ? "" : ", ") + spec.str();
    return Error("function '" + function + "' expects " +
                 std::to_string(specs.size()) + " " + kind + "s (" + types +
                 "), got " + std::to_string(tensors.size()));
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    const Tensor &tensor = tensors[i];
    TensorSpec actual{tensor.shape(), tensor.dtype()};
    if (!tensor.valid() || actual.shape != specs[i].shape ||
        actual.dtype != specs[i].dtype)
      return Error("function '" + function + "' " + kind + " " +
                   std::to_string(i) + " must be " + specs[i].str() + ", got " +
                   (tensor.valid() ? actual.str() : std::string("no tensor")));
  }
  return Error::success();
}

bool overlaps(const Tensor &a, const Tensor &b) {
  auto *aBegin = static_cast<const char *>(a.data());
  auto *bBegin = static_cast<const char *>(b.data());
  return a.nbytes() && b.nbytes() && aBegin < bBegin + b.nbytes() &&
         bBegin < aBegin + a.nbytes();
}

} // namespace

Error Function::call(const std::vector<Tensor> &inputs,
                     const std::vector<Tensor> &outputs) const {
  const Impl &impl = *impl_;
  if (Error err = checkTensors(impl.name, "input", impl.inputs, inputs))
    return err;
  if (Error err = checkTensors(impl.name, "output", impl.outputs, outputs))
    return err;
  auto describe = [&](const char *kind, size_t index, const TensorSpec &spec) {
    return std::string(kind) + " " + std::to_string(index) + " (" + spec.str() +
           ")";
  };
  for (size_t i = 0; i < outputs.size(); ++i) {
    for (size_t j = 0; j < inputs.size(); ++j)
      if (overlaps(outputs[i], inputs[j]))
        return Error("function '" + impl.name + "' " +
                     describe("output", i, impl.outputs[i]) + " overlaps " +
                     describe("input", j, impl.inputs[j]));
    for (size_t j = 0; j < i; ++j)
      if (overlaps(outputs[i], outputs[j]))
        return Error("function '" + impl.name + "' " +
                     describe("output", i, impl.outputs[i]) + " overlaps " +
                     describe("output", j, impl.outputs[j]));
  }
  Expected<MemoryReservation> temporaries = reserveMemory(
      impl.temporaryBytes, "the temporaries of a call of '" + impl.name + "'");
  if (!temporaries)
    return temporaries.error();
  // Guarded copies are 64-byte aligned, as much as the pipeline assumes.
  if (guard_)
    return callGuarded(inputs, outputs);
  std::vector<void *> pointers;
  for (const Tensor &tensor : inputs)
    pointers.push_back(const_cast<void *>(tensor.data()));
  // An output less aligned than the code assumes (a view into the caller's
  // memory) is computed in an aligned copy, copied back after the call.
  std::vector<std::pair<Tensor, const Tensor *>> staged;
  for (const Tensor &tensor : outputs) {
    if (reinterpret_cast<uintptr_t>(tensor.data()) % impl.outputAlignment) {
      Expected<Tensor> copy = Tensor::tryEmpty(tensor.shape(), tensor.dtype());
      if (!copy)
        return copy.error();
      std::memcpy(copy->data(), tensor.data(), tensor.nbytes());
      staged.emplace_back(copy.take(), &tensor);
      pointers.push_back(staged.back().first.data());
      continue;
    }
    pointers.push_back(const_cast<void *>(tensor.data()));
  }
  invoke(std::move(pointers));
  for (const auto &[copy, output] : staged)
    std::memcpy(const_cast<void *>(output->data()), copy.data(),
                output->nbytes());
  return Error::success();
}

void Function::invoke(std::vector<void *> pointers) const {
  // Bare-pointer convention: one element pointer per argument, inputs
  // first; the packed wrapper takes the address of each.
  std::vector<void *> args;
  for (void *&pointer : pointers)
    args.push_back(&pointer);
  impl_->packed(args.data());
}

Error Function::callGuarded(const std::vector<Tensor> &inputs,
                            const std::vector<Tensor> &outputs) const {
  const Impl &impl = *impl_;
  std::vector<const Tensor *> tensors;
  for (const Tensor &tensor : inputs)
    tensors.push_back(&tensor);
  for (const Tensor &tensor : outputs)
    tensors.push_back(&tensor);
  // Copies of every tensor, outputs included, so that the call sees the
  // same contents as an unguarded one.
  std::vector<GuardedBuffer> copies;
  std::vector<void *> pointers;
  for (const Tensor *tensor : tensors) {
    GuardedBuffer &copy = copies.emplace_back(tensor->nbytes());
    if (!copy.data())
      return Error("guarded call of '" + impl.name + "': out of memory " +
                   "copying a tensor of " + formatBytes(tensor->nbytes()));
    std::memcpy(copy.data(), tensor->data(), tensor->nbytes());
    pointers.push_back(copy.data());
  }
  uint64_t damagedBefore = damagedBufferCount();
  invoke(std::move(pointers));

  std::string problems;
  auto report = [&](const std::string &problem) {
    problems += (problems.empty() ? "" : "; ") + problem;
  };
  for (size_t i = 0; i < tensors.size(); ++i) {
    bool isInput = i < inputs.size();
    size_t index = isInput ? i : i - inputs.size();
    const TensorSpec &spec =
        isInput ? impl.inputs[index] : impl.outputs[index];
    std::string name = std::string(isInput ? "input " : "output ") +
                       std::to_string(index) + " (" + spec.str() + ")";
    std::string damage = copies[i].damage();
    if (!damage.empty())
      report("wrote out of bounds of " + name + ": " + damage);
    if (isInput && std::memcmp(copies[i].data(), tensors[i]->data(),
                               tensors[i]->nbytes()) != 0)
      report("wrote into " + name + ", which it may only read");
  }
  if (uint64_t damaged = damagedBufferCount() - damagedBefore)
    report("wrote out of bounds of " + std::to_string(damaged) +
           " temporary buffer(s)");
  if (!problems.empty())
    return Error("guarded call of '" + impl.name + "': the compiled code " +
                 problems);
  for (size_t i = inputs.size(); i < tensors.size(); ++i)
    std::memcpy(const_cast<void *>(tensors[i]->data()), copies[i].data(),
                tensors[i]->nbytes());
  return Error::success();
}

Expected<std::vector<Tensor>>
Function::operator()(const std::vector<Tensor> &inputs) const {
  std::vector<Tensor> outputs;
  for (const TensorSpec &spec : impl_->outputs) {
    Expected<Tensor> output = Tensor::tryEmpty(spec.shape, spec.dtype);
    if (!output)
      return output.error();
    outputs.push_back(output.take());
  }
  if (Error err = call(inputs, outputs))
    return err;
  return outputs;
}

//===----------------------------------------------------------------------===//
// The compile cache
//===----------------------------------------------------------------------===//

namespace {

using Code = std::shared_ptr<const Function::Impl>;

/// Maps a cache key (see cacheKey) to the code compiled from it, least
/// recently used last. A compile in progress has its entry already, so
/// threads asking for the same key wait for it instead of compiling it again.
class CompileCache {
public:
  /// The code for `key`: cached, compiled by another thread while this one
  /// waits (`hit` is set for both), or compiled by `compile` and added.
  /// Failures are not cached: each caller gets its own diagnostics.
  Expected<Code> getOrCompile(const std::string &key,
                              llvm::function_ref<Expected<Code>()> compile,
                              bool &hit) {
    hit = false;
    std::promise<Code> promise;
    std::shared_future<Code> pending;
    uint64_t id = 0;
    {
      std::lock_guard<std::mutex> lock(mutex);
      auto found = index.find(key);
      if (found != index.end()) {
        entries.splice(entries.begin(), entries, found->second);
        pending = found->second->code;
      } else if (capacity > 0) {
        id = ++lastId;
        entries.push_front({key, promise.get_future().share(), id});
        index.emplace(entries.front().key, entries.begin());
        evictBeyond(capacity);
      }
    }
    if (pending.valid()) {
      if (Code code = pending.get()) {
        hit = true;
        return code;
      }
      // The other thread's compile failed; this one reports its own errors.
      return compile();
    }
    Expected<Code> code = compile();
    if (id == 0)
      return code;
    promise.set_value(code ? *code : nullptr);
    if (!code) {
      std::lock_guard<std::mutex> lock(mutex);
      auto found = index.find(key);
      // The entry may have been evicted, and the key added again since.
      if (found != index.end() && found->second->id == id)
        erase(found);
    }
    return code;
  }

  void clear() {
    std::lock_guard<std::mutex> lock(mutex);
    index.clear();
    entries.clear();
  }

  void setCapacity(size_t functions) {
    std::lock_guard<std::mutex> lock(mutex);
    capacity = functions;
    evictBeyond(capacity);
  }

private:
  struct Entry {
    std::string key;
    std::shared_future<Code> code;
    /// Tells a re-added key from the entry a failed compile must remove.
    uint64_t id;
  };
  using Index =
      std::unordered_map<std::string_view, std::list<Entry>::iterator>;

  void erase(Index::iterator found) {
    std::list<Entry>::iterator entry = found->second;
    index.erase(found);
    entries.erase(entry);
  }

  void evictBeyond(size_t size) {
    while (entries.size() > size)
      erase(index.find(entries.back().key));
  }

  std::mutex mutex;
  /// Most recently used first. Threads waiting on an evicted entry keep its
  /// future, so eviction never strands them.
  std::list<Entry> entries;
  /// Views into the keys of `entries`, which std::list never moves.
  Index index;
  size_t capacity = 64;
  uint64_t lastId = 0;
};

CompileCache &compileCache() {
  // Leaked on purpose: JITs destroyed after main returns would run after
  // llvm_shutdown has torn down state they use.
  static CompileCache *cache = new CompileCache;
  return *cache;
}

/// Everything that decides the generated code: the module text, the entry,
/// the LLVM optimization level, the threads and the pipeline options, which
/// print every option they have. The host CPU is the same for the process.
std::string cacheKey(std::string_view source, const CompileOptions &options,
                     const mlir::graft::GraftPipelineOptions &pipeline) {
  std::string key;
  llvm::raw_string_ostream os(key);
  os << "entry=" << options.entry << " O" << options.optLevel
     << " threads=" << options.threads << " pipeline=";
  pipeline.print(os);
  os << '\n' << source;
  return key;
}

} // namespace

//===----------------------------------------------------------------------===//
// Engine
//===----------------------------------------------------------------------===//

Engine::Engine() = default;
Engine::~Engine() = default;

void Engine::clearCompileCache() { compileCache().clear(); }

void Engine::setCompileCacheCapacity(size_t functions) {
  compileCache().setCapacity(functions);
}

/// Rejects options outside their documented ranges.
static Error checkOptions(const CompileOptions &options) {
  if (options.optLevel > 3)
    return Error("optimization level " + std::to_string(options.optLevel) +
                 " is out of range; expected 0 to 3");
  return Error::success();
}

/// Records the temporaries a call of the bufferized `entry` needs in `impl`
/// and fails when arguments, results and temporaries together would pass
/// the memory limit, so that no call could ever succeed.
static Error checkMemoryNeeds(mlir::func::FuncOp entry, unsigned threads,
                              Function::Impl &impl) {
  std::optional<uint64_t> temporaries =
      temporaryBytesUpperBound(entry, threads);
  impl.temporaryBytes = temporaries.value_or(0);
  auto bytesOf = [](const std::vector<TensorSpec> &specs) {
    uint64_t bytes = 0;
    for (const TensorSpec &spec : specs) {
      uint64_t numel = 1;
      for (int64_t dim : spec.shape)
        numel *= static_cast<uint64_t>(dim);
      bytes += numel * dtypeSize(spec.dtype);
    }
    return bytes;
  };
  // Each term is below 2^63 (the verifier bounds every tensor), but their
  // sum is checked in long double to be safe from wrapping.
  uint64_t arguments = bytesOf(impl.inputs), results = bytesOf(impl.outputs);
  long double total = static_cast<long double>(arguments) + results +
                      static_cast<long double>(impl.temporaryBytes);
  if (total <= memoryLimit())
    return Error::success();
  return Error("function '" + impl.name + "' would need " +
               formatBytes(total >= 1.8e19L ? UINT64_MAX
                                            : static_cast<uint64_t>(total)) +
               " (arguments " + formatBytes(arguments) + ", results " +
               formatBytes(results) + ", temporaries " +
               formatBytes(impl.temporaryBytes) +
               "), above the memory limit of " + formatBytes(memoryLimit()));
}

/// Compiles `source` to machine code, adding each stage's time to `stats`.
static Expected<Code>
compileToCode(std::string_view source, const CompileOptions &options,
              const mlir::graft::GraftPipelineOptions &pipeline,
              const std::string &bufferName, CompileStats &stats) {
  Clock::time_point start = Clock::now();
  Compilation compilation(source, bufferName);
  Error parsed = compilation.parse(options.entry);
  addStageTime(stats, CompileStage::Parse, start);
  if (parsed)
    return parsed;
  const std::string &dumpDir = options.dumpDir;
  if (Error err = compilation.dump(dumpDir, "0-input.mlir"))
    return err;
  // The frontend (autodiff) fixes the signature; the rest compiles it.
  if (Error err = compilation.runStages(
          CompileStage::Frontend, CompileStage::Frontend, pipeline, stats))
    return err;
  if (Error err = compilation.dump(dumpDir, "1-frontend.mlir"))
    return err;
  auto impl = std::make_shared<Function::Impl>();
  impl->name = compilation.entry.getName().str();
  impl->outputAlignment = pipeline.outputAlignment;
  if (Error err = compilation.readSignature(impl->inputs, impl->outputs))
    return err;
  if (Error err = compilation.runStages(
          CompileStage::ToLinalg, CompileStage::Codegen, pipeline, stats))
    return err;
  if (Error err = checkMemoryNeeds(compilation.entry, pipeline.threads, *impl))
    return err;
  if (Error err = compilation.runStages(CompileStage::LowerToLLVM,
                                        kLastPassStage, pipeline, stats))
    return err;
  if (Error err = compilation.dump(dumpDir, "2-llvm-dialect.mlir"))
    return err;

  JitOptions jitOptions;
  jitOptions.optLevel = options.optLevel;
  // The code runs on `threads` threads, so it may be compiled on as many.
  jitOptions.threads = pipeline.threads;
  Error dumpError = Error::success();
  if (!dumpDir.empty())
    jitOptions.dumpOptimized = [&](const std::string &text) {
      dumpError = writeDumpFile(dumpDir, "3-optimized.ll", text);
    };
  JitTimes times;
  Expected<std::unique_ptr<JitCode>> code =
      JitCode::compile(*compilation.module, impl->name, jitOptions, times);
  if (!code)
    return Error("JIT compilation failed: " + code.error().message());
  if (dumpError)
    return dumpError;
  stats.stageMs[static_cast<size_t>(CompileStage::Translate)] +=
      times.translateMs;
  stats.stageMs[static_cast<size_t>(CompileStage::Optimize)] +=
      times.optimizeMs;
  stats.stageMs[static_cast<size_t>(CompileStage::MachineCode)] +=
      times.machineCodeMs;
  stats.llvmParts = times.parts;
  impl->packed = (*code)->entry();
  impl->code = code.take();
  return Code(std::move(impl));
}

Expected<Function> Engine::compile(std::string_view source,
                                   const CompileOptions &options,
                                   const std::string &bufferName) {
  Clock::time_point start = Clock::now();
  if (Error err = checkOptions(options))
    return err;
  initializeLLVMOnce();
  mlir::graft::GraftPipelineOptions pipeline;
  setPipelineOptions(pipeline, options);
  CompileStats stats;
  auto compileHere = [&] {
    return compileToCode(source, options, pipeline, bufferName, stats);
  };
  // A hit would write no dump files.
  Expected<Code> code =
      options.useCache && options.dumpDir.empty()
          ? compileCache().getOrCompile(cacheKey(source, options, pipeline),
                                        compileHere, stats.cacheHit)
          : compileHere();
  if (!code)
    return code.error();
  stats.totalMs = millisecondsSince(start);
  return Function(code.take(), stats, options.guard);
}

Expected<Function> Engine::compile(const Graph &graph,
                                   const CompileOptions &options) {
  if (graph.error())
    return graph.error();
  CompileOptions graphOptions = options;
  graphOptions.entry = graph.name();
  return compile(graph.print(), graphOptions, "<graph " + graph.name() + ">");
}

Expected<Function> Engine::compileFile(const std::string &path,
                                       const CompileOptions &options) {
  Expected<std::string> source = readFile(path);
  if (!source)
    return source.error();
  return compile(*source, options, path);
}

Expected<std::string> Engine::emit(std::string_view source, Stage stage,
                                   const CompileOptions &options,
                                   const std::string &bufferName) {
  if (Error err = checkOptions(options))
    return err;
  Compilation compilation(source, bufferName);
  if (Error err = compilation.parse(options.entry))
    return err;
  CompileStage last = stage == Stage::Graft    ? CompileStage::Frontend
                      : stage == Stage::Linalg ? CompileStage::ToLinalg
                                               : kLastPassStage;
  mlir::graft::GraftPipelineOptions pipeline;
  setPipelineOptions(pipeline, options);
  CompileStats stats;
  if (Error err = compilation.runStages(kFirstPassStage, last, pipeline, stats))
    return err;
  if (stage == Stage::LLVM || stage == Stage::Asm)
    return emitMachineCode(compilation, options, stage == Stage::Asm);
  std::string text;
  llvm::raw_string_ostream os(text);
  compilation.module->print(os);
  return text;
}

Expected<std::string> graft::readFile(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path);
  if (!buffer)
    return Error("cannot read '" + path + "': " + buffer.getError().message());
  return (*buffer)->getBuffer().str();
}
