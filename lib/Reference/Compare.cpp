//===- Compare.cpp - Compare tensors against a reference --------*- C++ -*-===//
//
// This file implements graft::compareTensors, the max abs/rel error report
// that tests and `tensor-run --check` print next to the reference
// evaluator's results.
//
//===----------------------------------------------------------------------===//

#include "graft/Reference/Reference.h"

#include <cmath>
#include <limits>

using namespace graft;

static double elementAsDouble(const Tensor &tensor, int64_t i) {
  switch (tensor.dtype()) {
  case DType::F32:
    return tensor.data<float>()[i];
  case DType::F64:
    return tensor.data<double>()[i];
  case DType::I64:
    return static_cast<double>(tensor.data<int64_t>()[i]);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

Discrepancy graft::compareTensors(const Tensor &actual,
                                  const Tensor &expected) {
  Discrepancy result;
  if (!actual.valid() || !expected.valid() ||
      actual.shape() != expected.shape()) {
    result.shapeMismatch = true;
    result.maxAbsError = result.maxRelError =
        std::numeric_limits<double>::infinity();
    return result;
  }
  // The smallest normal double: a zero expected value makes any difference
  // an enormous relative error, which is what a relative error means there.
  const double tiny = std::numeric_limits<double>::min();
  for (int64_t i = 0; i < actual.numel(); ++i) {
    double a = elementAsDouble(actual, i), e = elementAsDouble(expected, i);
    if (std::isnan(a) || std::isnan(e)) {
      result.nanMismatch |= std::isnan(a) != std::isnan(e);
      continue;
    }
    if (a == e) // also equal infinities, whose difference would be NaN
      continue;
    double abs = std::fabs(a - e);
    double rel = abs / std::max(std::fabs(e), tiny);
    result.maxAbsError = std::max(result.maxAbsError, abs);
    if (rel > result.maxRelError || result.worstIndex < 0) {
      result.maxRelError = std::max(result.maxRelError, rel);
      result.worstIndex = i;
    }
  }
  return result;
}
