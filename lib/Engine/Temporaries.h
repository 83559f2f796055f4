//===- Temporaries.h - Heap use of a compiled function ----------*- C++ -*-===//
//
// Shapes are static, so the heap a call of a compiled function needs is
// known once the function is bufferized. The engine reserves that much of
// the memory limit before each call (graft/Runtime/MemoryLimit.h).
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_LIB_ENGINE_TEMPORARIES_H
#define GRAFT_LIB_ENGINE_TEMPORARIES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cstdint>
#include <optional>

namespace graft {

/// An upper bound of the heap bytes a call of the bufferized `function`
/// holds at once, when its parallel loops run on `threads` threads. Every
/// `memref.alloc` counts once; one inside a loop counts once per iteration
/// that may be live at the same time: per thread for a parallel loop, one
/// for a sequential loop whose iteration frees it, every iteration
/// otherwise. None when an allocation or a loop bound is not static.
std::optional<uint64_t> temporaryBytesUpperBound(mlir::func::FuncOp function,
                                                 unsigned threads);

} // namespace graft

#endif // GRAFT_LIB_ENGINE_TEMPORARIES_H
