//===- RuntimeSymbols.h - Functions compiled code calls ---------*- C++ -*-===//
//
// The host functions that JIT-compiled graft code may call, and their
// registration with the JIT.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_LIB_ENGINE_RUNTIMESYMBOLS_H
#define GRAFT_LIB_ENGINE_RUNTIMESYMBOLS_H

namespace llvm::orc {
class LLJIT;
} // namespace llvm::orc

namespace graft {

/// Makes the runtime functions visible to the code `jit` links.
void registerRuntimeSymbols(llvm::orc::LLJIT &jit);

} // namespace graft

#endif // GRAFT_LIB_ENGINE_RUNTIMESYMBOLS_H
