//===- Jit.h - LLVM optimization, machine code and linking ------*- C++ -*-===//
//
// The LLVM half of a compile: a module in the LLVM dialect becomes optimized
// machine code in a JIT of its own, on one or more threads.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_LIB_ENGINE_JIT_H
#define GRAFT_LIB_ENGINE_JIT_H

#include "graft/Runtime/Error.h"

#include <functional>
#include <memory>
#include <string>

namespace llvm {
namespace orc {
class LLJIT;
} // namespace orc
} // namespace llvm

namespace mlir {
class ModuleOp;
} // namespace mlir

namespace graft {

/// Makes LLVM's host target usable; idempotent.
void initializeLLVMOnce();

/// The optimized LLVM IR of `module` (in the LLVM dialect) for the host,
/// or its assembly.
Expected<std::string> emitHostCode(mlir::ModuleOp module, unsigned optLevel,
                                   bool assembly);

/// What JitCode::compile does besides compiling.
struct JitOptions {
  /// LLVM optimization level, 0-3.
  unsigned optLevel = 3;
  /// Threads to compile on: the module's functions are split into up to
  /// this many parts (and no more than the host's cores) of about equal
  /// size, each optimized and compiled on a thread of its own.
  unsigned threads = 1;
  /// Receives the optimized LLVM IR when set.
  std::function<void(const std::string &)> dumpOptimized;
};

/// Where the time of JitCode::compile went, in milliseconds.
struct JitTimes {
  double translateMs = 0;
  /// The slowest part's optimization.
  double optimizeMs = 0;
  /// Everything else: machine code, waiting for the other parts, and
  /// linking.
  double machineCodeMs = 0;
  /// The parts compiled at the same time.
  unsigned parts = 1;
};

/// The machine code of one module in the LLVM dialect, linked with the
/// runtime functions and the process's symbols in a JIT of its own.
class JitCode {
public:
  /// Translates, optimizes and compiles `module`, whose function `entry`
  /// then has a packed wrapper (`void(void **)`, one pointer to each
  /// argument).
  static Expected<std::unique_ptr<JitCode>> compile(mlir::ModuleOp module,
                                                    const std::string &entry,
                                                    const JitOptions &options,
                                                    JitTimes &times);
  ~JitCode();

  /// The packed wrapper of the entry function.
  void (*entry() const)(void **) { return packedEntry; }

private:
  JitCode() = default;
  std::unique_ptr<llvm::orc::LLJIT> jit;
  void (*packedEntry)(void **) = nullptr;
};

} // namespace graft

#endif // GRAFT_LIB_ENGINE_JIT_H
