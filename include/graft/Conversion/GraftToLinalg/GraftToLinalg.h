//===- GraftToLinalg.h - Graft to linalg patterns ---------------*- C++ -*-===//
//
// Exposes the graft-to-linalg lowering patterns for reuse in other passes.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_CONVERSION_GRAFTTOLINALG_GRAFTTOLINALG_H
#define GRAFT_CONVERSION_GRAFTTOLINALG_GRAFTTOLINALG_H

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace mlir::graft {

/// Prefix of the runtime functions that fill a buffer like torch.rand; the
/// suffix is the element type (`f32`, `f64`). Their C signature is
/// `void (int64_t address, int64_t count, int64_t seed)`; the JIT engine
/// provides them.
inline constexpr const char *kRandRuntimeFunctionPrefix = "graft_rt_rand_";

/// Adds the patterns that lower every graft op to linalg on tensors.
void populateGraftToLinalgPatterns(RewritePatternSet &patterns);

} // namespace mlir::graft

#endif // GRAFT_CONVERSION_GRAFTTOLINALG_GRAFTTOLINALG_H
