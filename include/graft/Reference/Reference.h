//===- Reference.h - Reference evaluator for graft IR -----------*- C++ -*-===//
//
// A deliberately simple, obviously correct evaluator of graft functions:
// naive loops in double precision, one op at a time. It is an independent
// path to compare compiled code against (tests, `tensor-run --check`); it
// shares nothing with the lowering beyond the dialect's shape rules. It does
// not differentiate: gradients are checked against central finite
// differences of the forward function it evaluates (`checkGradients`,
// `tensor-run --check-grad`).
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_REFERENCE_REFERENCE_H
#define GRAFT_REFERENCE_REFERENCE_H

#include "graft/Runtime/Error.h"
#include "graft/Runtime/Tensor.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace graft {

/// Options of the reference evaluator. The defaults are the strict ones.
struct ReferenceOptions {
  /// Evaluate a function marked `graft.wrt` as written, i.e. its forward
  /// computation only, instead of rejecting it. Rejection is the default
  /// because the compiled function also returns gradients (and may take an
  /// incoming gradient), which the evaluator does not compute. Gradient
  /// checks need the forward function.
  bool ignoreWrt = false;
  /// Also accept F64 tensors for f32 arguments. The evaluator computes in
  /// double anyway; finite differences need it because their steps are far
  /// below an f32 ulp.
  bool acceptF64Inputs = false;
};

/// Evaluates function `entry` (may be empty when the module has exactly one
/// public function) of the graft module in `source` on `inputs`. Every
/// intermediate value is computed in double precision, whatever the IR's
/// element types; the results are F64 tensors with the result shapes.
/// `rand`/`randn` use the same torch-compatible generator as compiled code;
/// creation ops (`constant`, `full`, `rand`, `randn`) yield element-type
/// values, since that is what the tensor they define holds. The entry is
/// chosen and `inputs` are checked (count, shape, dtype) with the engine's
/// rules and messages. Errors (parse, verify, unsupported op, wrong inputs,
/// a `graft.wrt` function without `options.ignoreWrt`) come back as Error,
/// with `bufferName:line:col:` locations where there are any. It is
/// `ReferenceFunction::create` followed by one `evaluate`.
Expected<std::vector<Tensor>>
evaluateReference(std::string_view source, const std::vector<Tensor> &inputs,
                  const std::string &entry = "",
                  const std::string &bufferName = "<source>",
                  const ReferenceOptions &options = {});

/// One function of a graft module, parsed and verified once and then
/// evaluated by the reference evaluator as often as needed (finite
/// differences evaluate it many times). Evaluation is not thread-safe: use
/// one ReferenceFunction per thread.
class ReferenceFunction {
public:
  /// Parses and verifies `source` and picks function `entry` (may be empty
  /// when the module has exactly one public function) with the engine's
  /// rules. Errors have `bufferName:line:col:` locations where there are
  /// any; a `graft.wrt` function is an error unless `options.ignoreWrt`.
  static Expected<ReferenceFunction>
  create(std::string_view source, const std::string &entry = "",
         const std::string &bufferName = "<source>",
         const ReferenceOptions &options = {});

  ReferenceFunction(ReferenceFunction &&) noexcept;
  ReferenceFunction &operator=(ReferenceFunction &&) noexcept;
  ~ReferenceFunction();

  const std::string &name() const;
  /// The argument and result shapes of the function as written (for a
  /// `graft.wrt` function: without the incoming gradient and the
  /// gradients the compiled function adds).
  const std::vector<std::vector<int64_t>> &argumentShapes() const;
  const std::vector<std::vector<int64_t>> &resultShapes() const;
  /// Whether the function carries `graft.wrt`, and its argument indices.
  bool hasWrt() const;
  const std::vector<int64_t> &wrt() const;

  /// Evaluates the function on `inputs` (checked for count, shape and
  /// dtype) and returns the results as F64 tensors.
  Expected<std::vector<Tensor>> evaluate(const std::vector<Tensor> &inputs);

  struct Impl;

private:
  explicit ReferenceFunction(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

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

/// Element `index` (in row-major order) of `tensor`, whatever its dtype, as
/// a double: how the reference side reads every tensor.
double elementAsDouble(const Tensor &tensor, int64_t index);

/// Options of checkGradients.
struct GradientCheckOptions {
  /// Check at most this many elements of each argument (0: all of them).
  /// A larger argument is sampled deterministically: its first and last
  /// elements and a fixed pseudo-random choice of the others.
  int64_t maxSamples = 64;
  /// The step for element x is relativeStep * max(1, |x|).
  double relativeStep = 1e-6;
};

/// How far the gradient of one `graft.wrt` argument is from central finite
/// differences, over the checked elements.
struct GradientDiscrepancy {
  int64_t argument = 0; ///< the argument's index in the function
  int64_t numel = 0;    ///< its element count
  /// The checked elements (row-major, ascending) and, for each, the finite
  /// difference and the compiled gradient.
  std::vector<int64_t> indices;
  std::vector<double> finiteDifference, gradient;
  double maxAbsError = 0; ///< max |fd - g|
  /// Normwise: maxAbsError / max(max |g|, tiny), tiny the smallest normal
  /// double; max |g| is taken over the checked elements.
  double maxRelError = 0;
  int64_t worstIndex = -1;  ///< the element with the largest |fd - g|
  bool nanMismatch = false; ///< fd or g is NaN and the other is not
};

/// Checks the gradients that graft::Engine computed for a `graft.wrt`
/// function against central differences of its forward function, which
/// `forward` evaluates (created with `ignoreWrt` and `acceptF64Inputs`).
///
/// `inputs` are the compiled function's inputs: the forward arguments,
/// then, if result 0 is not a scalar, the incoming gradient v. `results`
/// are its results: the forward results, then one gradient per `wrt`
/// argument. The compiled gradient of L(x) = <v, result0(x)> (v = 1 for a
/// scalar) is compared, element by checked element x_i of each `wrt`
/// argument, with
///
///   fd_i = sum_j v_j (result0_j(x + h e_i) - result0_j(x - h e_i)) / 2h,
///
/// evaluated in double with h = relativeStep * max(1, |x_i|) (the divisor
/// is the difference of the two perturbed values as rounded). Differences
/// are taken per result element before the sum with v, so that a large L
/// does not cancel away the small change.
Expected<std::vector<GradientDiscrepancy>>
checkGradients(ReferenceFunction &forward, const std::vector<Tensor> &inputs,
               const std::vector<Tensor> &results,
               const GradientCheckOptions &options = {});

} // namespace graft

#endif // GRAFT_REFERENCE_REFERENCE_H
