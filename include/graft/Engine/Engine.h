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
  std::string dumpDir;
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

  /// Runs on `inputs` and returns freshly allocated outputs.
  Expected<std::vector<Tensor>>
  operator()(const std::vector<Tensor> &inputs) const;

  /// Runs on `inputs`, writing the results into `outputs`, which must have
  /// the result shapes and dtypes and must not overlap the inputs or each
  /// other. Inputs are only read.
  Error call(const std::vector<Tensor> &inputs,
             const std::vector<Tensor> &outputs) const;

  struct Impl;

private:
  friend class Engine;
  explicit Function(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
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
};

/// Reads a whole file; the error names the path.
Expected<std::string> readFile(const std::string &path);

} // namespace graft

#endif // GRAFT_ENGINE_ENGINE_H
