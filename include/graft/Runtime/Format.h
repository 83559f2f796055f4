//===- Format.h - PyTorch-style tensor printing -----------------*- C++ -*-===//
//
// This file declares printing of host tensors exactly as PyTorch 1.13's
// repr(torch.Tensor) prints them with default print options (precision 4,
// linewidth 80, threshold 1000, edgeitems 3), e.g.
//
//   tensor([[0.4963, 0.7682, 0.0885],
//           [0.1320, 0.3074, 0.6341],
//           [0.4901, 0.8964, 0.4556]])
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_RUNTIME_FORMAT_H
#define GRAFT_RUNTIME_FORMAT_H

#include "graft/Runtime/Tensor.h"

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace graft {

/// repr(tensor) in PyTorch's format. f32 tensors print like torch.float32,
/// f64 ones get the `dtype=torch.float64` suffix, and i64 ones print like
/// torch.int64 (no suffix). An invalid tensor prints as `tensor(<invalid>)`.
std::string formatTensor(const Tensor &tensor);

/// str(tensor.shape) in PyTorch's format: `torch.Size([3, 3])`.
std::string formatShape(const std::vector<int64_t> &shape);

/// Writes formatTensor(tensor).
std::ostream &operator<<(std::ostream &os, const Tensor &tensor);

} // namespace graft

#endif // GRAFT_RUNTIME_FORMAT_H
