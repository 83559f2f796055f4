//===- RandomCall.h - Call a compiled function on random inputs -*- C++ -*-===//
//
// Shared by the fuzz targets that compile: one call of a compiled function
// on inputs drawn from Tensor::rand (zeros for i64 arguments, which rand
// does not support).
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_TEST_FUZZ_RANDOMCALL_H
#define GRAFT_TEST_FUZZ_RANDOMCALL_H

#include "graft/Engine/Engine.h"
#include "graft/Runtime/Tensor.h"

#include <cstdint>
#include <vector>

namespace graft::fuzz {

inline Expected<std::vector<Tensor>> callOnRandomInputs(const Function &fn) {
  std::vector<Tensor> inputs;
  uint64_t seed = 0;
  for (const TensorSpec &spec : fn.inputs())
    inputs.push_back(spec.dtype == DType::I64
                         ? Tensor::zeros(spec.shape, spec.dtype)
                         : Tensor::rand(spec.shape, seed++, spec.dtype));
  return fn(inputs);
}

} // namespace graft::fuzz

#endif // GRAFT_TEST_FUZZ_RANDOMCALL_H
