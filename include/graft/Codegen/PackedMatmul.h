//===- PackedMatmul.h - The packed matmul forms -----------------*- C++ -*-===//
//
// graft-pack-matmul creates, and graft-tile tiles, two forms of a matmul on
// packed operands (A as [M/mr][K][mr][1], B as [N/nr][K][nr][1]):
// linalg.mmt4d, whose result is packed too and unpacked afterwards, and a
// linalg.generic that accumulates straight into the result, expanded to
// [M/mr][mr][N/nr][nr] (no packed result, no unpack). Both have the loops
// (M/mr, N/nr, K, mr, nr, 1).
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_CODEGEN_PACKEDMATMUL_H
#define GRAFT_CODEGEN_PACKEDMATMUL_H

namespace mlir {
class Operation;
} // namespace mlir

namespace mlir::graft {

/// Whether `op` is a linalg.mmt4d or the generic form that writes its
/// result in place.
bool isPackedMatmul(Operation *op);

/// Whether `op` is the generic form (result expanded, not packed).
bool isInPlacePackedMatmul(Operation *op);

} // namespace mlir::graft

#endif // GRAFT_CODEGEN_PACKEDMATMUL_H
