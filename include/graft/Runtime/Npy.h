//===- Npy.h - NumPy .npy file I/O ------------------------------*- C++ -*-===//
//
// This file declares reading and writing of NumPy's .npy format for host
// tensors: little-endian, C order, dtypes <f4, <f8 and <i8. Files are written
// as format version 1.0 with the same header numpy.save produces; versions
// 2.0 and 3.0 are accepted on read. Readers validate everything and never
// read past the input, so a corrupt or hostile file yields an Error whose
// message names the file and the problem.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_RUNTIME_NPY_H
#define GRAFT_RUNTIME_NPY_H

#include "graft/Runtime/Error.h"
#include "graft/Runtime/Tensor.h"

#include <cstddef>
#include <string>

namespace graft {

/// Reads the .npy file at `path` into a new owning tensor.
Expected<Tensor> readNpy(const std::string &path);

/// Parses an in-memory .npy image of `size` bytes. `name` identifies the
/// input in error messages.
Expected<Tensor> parseNpy(const void *bytes, size_t size,
                          const std::string &name = "<memory>");

/// Writes `tensor` to `path` as a version 1.0 .npy file.
Error writeNpy(const std::string &path, const Tensor &tensor);

/// The bytes of the .npy file writeNpy would write. The tensor must be
/// valid (a fatal error otherwise).
std::string serializeNpy(const Tensor &tensor);

} // namespace graft

#endif // GRAFT_RUNTIME_NPY_H
