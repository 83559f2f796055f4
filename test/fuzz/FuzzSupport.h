//===- FuzzSupport.h - Shared by the fuzz targets that compile --*- C++ -*-===//
//
// Helpers of the fuzz targets that compile and call functions: calling on
// random inputs, and checking the errors that come back.
//
// Set GRAFT_FUZZ_VERBOSE=1 to print every error a compile or call of a
// verified module or a built graph returns: one that verifies but fails
// later often points at a check that belongs in a verifier.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_TEST_FUZZ_FUZZSUPPORT_H
#define GRAFT_TEST_FUZZ_FUZZSUPPORT_H

#include "graft/Engine/Engine.h"
#include "graft/Runtime/Tensor.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace graft::fuzz {

/// One call of `fn` on inputs drawn from Tensor::rand (zeros for i64
/// arguments, which rand does not support).
inline Expected<std::vector<Tensor>> callOnRandomInputs(const Function &fn) {
  std::vector<Tensor> inputs;
  uint64_t seed = 0;
  for (const TensorSpec &spec : fn.inputs())
    inputs.push_back(spec.dtype == DType::I64
                         ? Tensor::zeros(spec.shape, spec.dtype)
                         : Tensor::rand(spec.shape, seed++, spec.dtype));
  return fn(inputs);
}

/// Checks an error that `stage` ("compile", "call") returned for valid
/// input: it must say something. Prints it with GRAFT_FUZZ_VERBOSE set.
inline void checkError(const char *stage, const Error &error) {
  if (error.message().empty()) {
    std::fprintf(stderr, "fuzzer: %s failed with an empty message\n", stage);
    std::abort();
  }
  static const bool verbose = std::getenv("GRAFT_FUZZ_VERBOSE") != nullptr;
  if (verbose)
    std::fprintf(stderr, "fuzzer: %s: %s\n", stage, error.message().c_str());
}

} // namespace graft::fuzz

#endif // GRAFT_TEST_FUZZ_FUZZSUPPORT_H
