//===- Reference.h - Reference evaluator for graft IR -----------*- C++ -*-===//
//
// A deliberately simple, obviously correct evaluator of graft functions:
// naive loops in double precision, one op at a time. It is an independent
// path to compare compiled code against (tests, `tensor-run --check`); it
// shares nothing with the lowering beyond the dialect's shape rules.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_REFERENCE_REFERENCE_H
#define GRAFT_REFERENCE_REFERENCE_H

#include "graft/Runtime/Error.h"
#include "graft/Runtime/Tensor.h"

#include <string>
#include <string_view>
#include <vector>

namespace graft {

/// Evaluates function `entry` (may be empty when the module has exactly one
/// public function) of the graft module in `source` on `inputs`. Every
/// intermediate value is computed in double precision, whatever the IR's
/// element types; the results are F64 tensors with the result shapes.
/// `rand`/`randn` use the same torch-compatible generator as compiled code;
/// creation ops (`constant`, `full`, `rand`, `randn`) yield element-type
/// values, since that is what the tensor they define holds. The entry is
/// chosen and `inputs` are checked (count, shape, dtype) with the engine's
/// rules and messages. Errors (parse, verify, unsupported op, wrong inputs,
/// a `graft.wrt` function, which must be differentiated first) come back as
/// Error, with `bufferName:line:col:` locations where there are any.
Expected<std::vector<Tensor>>
evaluateReference(std::string_view source, const std::vector<Tensor> &inputs,
                  const std::string &entry = "",
                  const std::string &bufferName = "<source>");

/// How far `actual` is from `expected` (same shape, any float dtypes).
/// Elements that are NaN in both, or equal (infinities included), count as
/// exact; an infinity against a finite value is an infinite error.
struct Discrepancy {
  double maxAbsError = 0;   ///< max |actual - expected|
  double maxRelError = 0;   ///< max |actual - expected| / max(|expected|, tiny)
  int64_t worstIndex = -1;  ///< row-major index of the worst relative error
  bool nanMismatch = false; ///< NaN in one and not the other
  /// The shapes differ or a tensor is invalid; both errors are infinite.
  bool shapeMismatch = false;
};
Discrepancy compareTensors(const Tensor &actual, const Tensor &expected);

} // namespace graft

#endif // GRAFT_REFERENCE_REFERENCE_H
