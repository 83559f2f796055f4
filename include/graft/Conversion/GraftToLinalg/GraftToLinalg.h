//===- GraftToLinalg.h - Graft to linalg patterns ---------------*- C++ -*-===//
//
// Exposes the graft-to-linalg lowering patterns for reuse in other passes.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_CONVERSION_GRAFTTOLINALG_GRAFTTOLINALG_H
#define GRAFT_CONVERSION_GRAFTTOLINALG_GRAFTTOLINALG_H

#include <string>

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace mlir::graft {

/// The runtime function that fills a buffer like torch.rand (or
/// torch.randn when `normal`) with floats of `bitWidth` bits (32 or 64), for
/// example `graft_rt_rand_f32`. Its C signature is
/// `void (int64_t address, int64_t count, int64_t seed)`; the JIT engine
/// provides it.
std::string getRandomRuntimeFunctionName(bool normal, unsigned bitWidth);

/// Adds the patterns that lower every graft op to linalg on tensors.
void populateGraftToLinalgPatterns(RewritePatternSet &patterns);

} // namespace mlir::graft

#endif // GRAFT_CONVERSION_GRAFTTOLINALG_GRAFTTOLINALG_H
