//===- Graft.h - The Graft host API -----------------------------*- C++ -*-===//
//
// The one header a host program includes: host tensors, .npy files,
// PyTorch-style printing, the torch-compatible generator, graph building,
// autodiff and the JIT engine. No MLIR or LLVM type appears in any of them.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_GRAFT_H
#define GRAFT_GRAFT_H

#include "graft/API/Graph.h"
#include "graft/Engine/Engine.h"
#include "graft/Runtime/BufferCache.h"
#include "graft/Runtime/Error.h"
#include "graft/Runtime/Format.h"
#include "graft/Runtime/MemoryLimit.h"
#include "graft/Runtime/Npy.h"
#include "graft/Runtime/Random.h"
#include "graft/Runtime/Tensor.h"

#endif // GRAFT_GRAFT_H
