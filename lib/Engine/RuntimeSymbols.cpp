//===- RuntimeSymbols.cpp - Functions compiled code calls -------*- C++ -*-===//
//
// This file implements the runtime functions that lowered graft ops call
// (see convert-graft-to-linalg) and registers them with the JIT.
//
//===----------------------------------------------------------------------===//

#include "RuntimeSymbols.h"

#include "graft/Conversion/GraftToLinalg/GraftToLinalg.h"
#include "graft/Runtime/BufferCache.h"
#include "graft/Runtime/MemoryLimit.h"
#include "graft/Runtime/Random.h"

#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"

#include <cstdint>

namespace {

// graft.rand: (buffer address, element count, seed), like torch.rand.
void graftRandF32(int64_t address, int64_t count, int64_t seed) {
  graft::fillRand(reinterpret_cast<float *>(address), count,
                  static_cast<uint64_t>(seed));
}

void graftRandF64(int64_t address, int64_t count, int64_t seed) {
  graft::fillRand(reinterpret_cast<double *>(address), count,
                  static_cast<uint64_t>(seed));
}

// graft.randn, like torch.randn.
void graftRandnF32(int64_t address, int64_t count, int64_t seed) {
  graft::fillRandn(reinterpret_cast<float *>(address), count,
                   static_cast<uint64_t>(seed));
}

void graftRandnF64(int64_t address, int64_t count, int64_t seed) {
  graft::fillRandn(reinterpret_cast<double *>(address), count,
                   static_cast<uint64_t>(seed));
}

// Compiled code cannot handle a failed allocation. Each call reserves an
// upper bound of its temporaries from the memory limit first, so this fails
// only when the system refuses memory the limit allowed.
void *graftAlloc(uint64_t bytes) {
  void *pointer = graft::allocateBuffer(bytes);
  if (!pointer)
    graft::reportFatalError("out of memory: compiled code could not allocate " +
                            graft::formatBytes(bytes) +
                            " for a temporary (lower the memory limit, "
                            "graft::setMemoryLimit, to fail such calls with "
                            "an error instead)");
  return pointer;
}

void graftFree(void *pointer) { graft::freeBuffer(pointer); }

} // namespace

void graft::registerRuntimeSymbols(llvm::orc::LLJIT &jit) {
  llvm::orc::MangleAndInterner interner(jit.getExecutionSession(),
                                        jit.getDataLayout());
  llvm::orc::SymbolMap symbols;
  auto add = [&](const std::string &name, auto *function) {
    symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(function),
                               llvm::JITSymbolFlags::Exported};
  };
  using mlir::graft::getRandomRuntimeFunctionName;
  add(getRandomRuntimeFunctionName(/*normal=*/false, 32), &graftRandF32);
  add(getRandomRuntimeFunctionName(/*normal=*/false, 64), &graftRandF64);
  add(getRandomRuntimeFunctionName(/*normal=*/true, 32), &graftRandnF32);
  add(getRandomRuntimeFunctionName(/*normal=*/true, 64), &graftRandnF64);
  // finalize-memref-to-llvm{use-generic-functions}'s allocation calls.
  add("_mlir_memref_to_llvm_alloc", &graftAlloc);
  add("_mlir_memref_to_llvm_free", &graftFree);
  // The JIT is new: nothing it defines can clash with these names.
  llvm::cantFail(
      jit.getMainJITDylib().define(llvm::orc::absoluteSymbols(symbols)));
}
