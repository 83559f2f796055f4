//===- Engine.h - Compile and run graft functions ---------------*- C++ -*-===//
//
// The host-facing JIT: compiles graft IR through the JIT pipeline with the
// ORC JIT and calls the result on the caller's buffers without copying.
// No MLIR or LLVM type appears here; everything that can fail returns an
// Error or Expected.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_ENGINE_ENGINE_H
#define GRAFT_ENGINE_ENGINE_H

#include "graft/Runtime/Error.h"
#include "graft/Runtime/Tensor.h"

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace graft {

class Graph;

/// The shape and element type of one argument or result.
struct TensorSpec {
  std::vector<int64_t> shape;
  DType dtype = DType::F32;
  /// `tensor<3x3xf32>`.
  std::string str() const;
};

/// Options of one compilation.
struct CompileOptions {
  /// The function to compile; may be empty when the module has exactly one.
  std::string entry;
  /// LLVM optimization level, 0 to 3.
  unsigned optLevel = 3;
  /// The threads the compiled code runs its parallel loops on (OpenMP, one
  /// pool per process); 0 means one per core. With 1 the code has no
  /// parallel regions at all.
  unsigned threads = 0;
  /// If set, each stage is written there: 0-input.mlir, 1-frontend.mlir
  /// (after autodiff and folding), 2-llvm-dialect.mlir, 3-optimized.ll.
  /// Such a compile bypasses the compile cache, so the files are always
  /// written.
  std::string dumpDir;
  /// Look the compile up in the process-wide compile cache and add it there
  /// (see Engine::clearCompileCache). The key is the module text, the entry
  /// and every option above that changes the generated code; a field added
  /// here that changes code must join the key (`cacheKey` in Engine.cpp).
  bool useCache = true;
  /// Guard every call against out-of-bounds writes by the compiled code,
  /// which sanitizers cannot instrument. The code runs on copies of the
  /// inputs and outputs framed by canary bytes; after the call the frames
  /// are checked, the input copies compared with the inputs, and the
  /// canaries of the temporaries freed during the call (BufferCache.h)
  /// counted. Any damage fails the call with an Error naming the tensor, and
  /// the caller's outputs are left as they were. Costs a copy of every
  /// tensor per call. Does not change the generated code, so it is not part
  /// of the cache key.
  bool guard = false;
};

/// The stages of a compilation, in the order they run.
enum class CompileStage {
  Parse,       ///< context setup, parsing and verifying the module
  Frontend,    ///< graft-frontend-pipeline: autodiff, folding, CSE
  ToLinalg,    ///< graft-to-linalg-pipeline: graft ops to fused linalg
  Codegen,     ///< graft-codegen-pipeline: tile, bufferize, vectorize
  LowerToLLVM, ///< graft-lower-to-llvm: to the LLVM dialect
  Translate,   ///< LLVM dialect to LLVM IR
  Optimize,    ///< the LLVM optimization pipeline at `optLevel`
  MachineCode, ///< instruction selection to machine code, and the JIT link
};
inline constexpr size_t kNumCompileStages = 8;

/// The short name of `stage` (`parse`, `frontend`, `to-linalg`, `codegen`,
/// `lower-to-llvm`, `translate`, `llvm-opt`, `machine-code`).
const char *compileStageName(CompileStage stage);

/// Where the wall time of one `Engine::compile` call went.
struct CompileStats {
  /// Milliseconds per stage, indexed by CompileStage; all zero on a cache
  /// hit, where no stage runs.
  std::array<double, kNumCompileStages> stageMs{};
  /// Milliseconds of the whole call. Besides the stages it covers the cache
  /// lookup, reading the signature and writing dumps, so it is at least the
  /// sum of `stageMs`.
  double totalMs = 0;
  /// The machine code came from the compile cache, possibly after waiting for
  /// another thread that was compiling the same key.
  bool cacheHit = false;
  /// The LLVM module was optimized and compiled in this many parts at once,
  /// one thread each: the entry function and the parallel regions OpenMP
  /// outlined from it, shared among up to `CompileOptions::threads` parts.
  /// 1 for code that runs on one thread; 0 on a cache hit.
  unsigned llvmParts = 0;

  double ms(CompileStage stage) const {
    return stageMs[static_cast<size_t>(stage)];
  }
  /// A table with one line per stage (name, milliseconds, share of the
  /// total) and a `total` line that says whether the cache was hit.
  std::string table() const;
};

/// The stages `emit` can print.
enum class Stage {
  Graft,  ///< graft IR after the frontend (autodiff, folding, CSE)
  Linalg, ///< after lowering to fused linalg on tensors
  LLVM,   ///< optimized LLVM IR
  Asm,    ///< native assembly for the host CPU
};

/// A compiled function. Cheap to copy; copies share the machine code, which
/// stays alive as long as any copy does.
class Function {
public:
  const std::string &name() const;
  const std::vector<TensorSpec> &inputs() const;
  const std::vector<TensorSpec> &outputs() const;
  /// The timings of the compile that returned this function.
  const CompileStats &compileStats() const { return stats_; }

  /// Runs on `inputs` and returns freshly allocated outputs.
  Expected<std::vector<Tensor>>
  operator()(const std::vector<Tensor> &inputs) const;

  /// Runs on `inputs`, writing the results into `outputs`, which must have
  /// the result shapes and dtypes and must not overlap the inputs or each
  /// other. Inputs are only read. The compiled code writes straight into
  /// outputs that are 64-byte aligned (as every owning Tensor is); one that
  /// is not is computed in an aligned copy, then copied into it.
  Error call(const std::vector<Tensor> &inputs,
             const std::vector<Tensor> &outputs) const;

  struct Impl;

private:
  friend class Engine;
  Function(std::shared_ptr<const Impl> impl, const CompileStats &stats,
           bool guard);
  /// The call itself, on `pointers` (inputs then outputs).
  void invoke(std::vector<void *> pointers) const;
  Error callGuarded(const std::vector<Tensor> &inputs,
                    const std::vector<Tensor> &outputs) const;
  std::shared_ptr<const Impl> impl_;
  CompileStats stats_;
  bool guard_ = false;
};

/// Compiles graft IR into callable functions.
class Engine {
public:
  Engine();
  ~Engine();
  Engine(const Engine &) = delete;
  Engine &operator=(const Engine &) = delete;

  /// Compiles one function of a module given as `.mlir` text. `bufferName`
  /// appears in diagnostics.
  Expected<Function> compile(std::string_view source,
                             const CompileOptions &options = {},
                             const std::string &bufferName = "<source>");

  /// Compiles a graph built with the C++ API (see graft/API/Graph.h). A
  /// graph with a build error fails with that error.
  Expected<Function> compile(const Graph &graph,
                             const CompileOptions &options = {});

  /// Like compile, reading the module from `path`.
  Expected<Function> compileFile(const std::string &path,
                                 const CompileOptions &options = {});

  /// Prints `source` at `stage` instead of compiling it to machine code.
  Expected<std::string> emit(std::string_view source, Stage stage,
                             const CompileOptions &options = {},
                             const std::string &bufferName = "<source>");

  /// The compile cache is shared by all engines of the process and is safe
  /// to use from several threads. It is bounded: beyond its capacity (64
  /// functions by default) the least recently used entry is dropped. Dropping
  /// an entry, by eviction or clearing, never invalidates a Function: its
  /// machine code lives as long as any Function that uses it.
  static void clearCompileCache();
  /// Sets the most functions the cache keeps, evicting beyond it; 0 turns
  /// caching off for the whole process.
  static void setCompileCacheCapacity(size_t functions);
};

/// Reads a whole file; the error names the path.
Expected<std::string> readFile(const std::string &path);

} // namespace graft

#endif // GRAFT_ENGINE_ENGINE_H
