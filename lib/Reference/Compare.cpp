//===- Compare.cpp - Compare tensors against a reference --------*- C++ -*-===//
//
// This file implements graft::compareTensors, the max abs/rel error report
// that tests and `tensor-run --check` print next to the reference
// evaluator's results, and graft::checkGradients, which compares compiled
// gradients with central finite differences of the reference evaluator
// (`tensor-run --check-grad` and the gradient tests).
//
//===----------------------------------------------------------------------===//

#include "graft/Reference/Reference.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>

using namespace graft;

double graft::elementAsDouble(const Tensor &tensor, int64_t i) {
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

/// The elements of an `n`-element argument that checkGradients checks: all
/// of them, or the first, the last and `maxSamples - 2` others drawn
/// without replacement (Floyd's algorithm) from std::mt19937, whose output
/// the standard fixes, seeded with the argument index: the same sample on
/// every platform and run.
static std::vector<int64_t> sampleIndices(int64_t n, int64_t maxSamples,
                                          int64_t argument) {
  std::vector<int64_t> indices;
  if (maxSamples <= 0 || n <= maxSamples) {
    for (int64_t i = 0; i < n; ++i)
      indices.push_back(i);
    return indices;
  }
  std::set<int64_t> chosen = {0, n - 1};
  if (maxSamples > 2) {
    // Choose m of the n - 2 inner elements, 1 .. n - 2.
    int64_t inner = n - 2, m = maxSamples - 2;
    std::mt19937 rng(static_cast<uint32_t>(20240817 + argument));
    for (int64_t j = inner - m; j < inner; ++j) {
      uint64_t draw = (static_cast<uint64_t>(rng()) << 32) | rng();
      int64_t t = static_cast<int64_t>(draw % static_cast<uint64_t>(j + 1));
      chosen.insert(chosen.count(1 + t) ? 1 + j : 1 + t);
    }
  } else if (maxSamples == 1) {
    chosen.erase(n - 1);
  }
  return std::vector<int64_t>(chosen.begin(), chosen.end());
}

static std::string shapeText(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

Expected<std::vector<GradientDiscrepancy>> graft::checkGradients(
    ReferenceFunction &forward, const std::vector<Tensor> &inputs,
    const std::vector<Tensor> &results, const GradientCheckOptions &options) {
  const std::string &name = forward.name();
  if (!forward.hasWrt())
    return Error("function '" + name +
                 "' has no graft.wrt, so there are no gradients to check");
  const std::vector<int64_t> &wrt = forward.wrt();
  size_t numArgs = forward.argumentShapes().size();
  size_t numResults = forward.resultShapes().size();
  if (numResults == 0)
    return Error("function '" + name + "' has no result to differentiate");
  const std::vector<int64_t> &resultShape = forward.resultShapes()[0];
  bool scalar = resultShape.empty();
  if (inputs.size() != numArgs + (scalar ? 0 : 1))
    return Error("the gradient check of '" + name + "' expects " +
                 std::to_string(numArgs + (scalar ? 0 : 1)) +
                 " inputs (the arguments" +
                 (scalar ? "" : ", then the incoming gradient of result 0") +
                 "), got " + std::to_string(inputs.size()));
  if (results.size() != numResults + wrt.size())
    return Error("the gradient check of '" + name + "' expects " +
                 std::to_string(numResults + wrt.size()) +
                 " results (the function's, then one gradient per graft.wrt "
                 "argument), got " +
                 std::to_string(results.size()));

  // v, the incoming gradient: L(x) = <v, result0(x)>.
  std::vector<double> v(1, 1.0);
  if (!scalar) {
    const Tensor &cotangent = inputs.back();
    if (!cotangent.valid() || cotangent.shape() != resultShape)
      return Error("the incoming gradient of '" + name + "' must have shape " +
                   shapeText(resultShape));
    v.resize(cotangent.numel());
    for (int64_t j = 0; j < cotangent.numel(); ++j)
      v[j] = elementAsDouble(cotangent, j);
  }

  std::vector<Tensor> args(inputs.begin(), inputs.begin() + numArgs);
  std::vector<GradientDiscrepancy> report;
  for (size_t k = 0; k < wrt.size(); ++k) {
    int64_t a = wrt[k];
    if (a < 0 || static_cast<size_t>(a) >= numArgs)
      return Error("function '" + name + "': graft.wrt index " +
                   std::to_string(a) + " is out of range");
    const Tensor &original = inputs[a];
    const Tensor &gradient = results[numResults + k];
    if (!original.valid() || original.dtype() == DType::I64)
      return Error("argument " + std::to_string(a) + " of '" + name +
                   "' is not a float tensor");
    if (!gradient.valid() || gradient.shape() != original.shape())
      return Error("the gradient of argument " + std::to_string(a) + " of '" +
                   name + "' must have shape " + shapeText(original.shape()));

    // Perturb a double copy in place: steps are below an f32 ulp.
    std::vector<double> data(original.numel());
    for (int64_t i = 0; i < original.numel(); ++i)
      data[i] = elementAsDouble(original, i);
    args[a] = Tensor::fromData(data, original.shape());
    double *x = args[a].data<double>();

    GradientDiscrepancy d;
    d.argument = a;
    d.numel = original.numel();
    d.indices = sampleIndices(d.numel, options.maxSamples, a);
    double maxGradient = 0;
    for (int64_t i : d.indices) {
      double x0 = x[i];
      double h = options.relativeStep * std::max(1.0, std::fabs(x0));
      double plus = x0 + h, minus = x0 - h;
      x[i] = plus;
      Expected<std::vector<Tensor>> up = forward.evaluate(args);
      if (!up)
        return up.error();
      x[i] = minus;
      Expected<std::vector<Tensor>> down = forward.evaluate(args);
      if (!down)
        return down.error();
      x[i] = x0;
      const double *rUp = (*up)[0].data<double>();
      const double *rDown = (*down)[0].data<double>();
      double sum = 0;
      for (size_t j = 0; j < v.size(); ++j)
        sum += v[j] * (rUp[j] - rDown[j]);
      double fd = sum / (plus - minus);
      double g = elementAsDouble(gradient, i);
      d.finiteDifference.push_back(fd);
      d.gradient.push_back(g);
      if (std::isnan(fd) || std::isnan(g)) {
        d.nanMismatch |= std::isnan(fd) != std::isnan(g);
        continue;
      }
      if (std::isfinite(g))
        maxGradient = std::max(maxGradient, std::fabs(g));
      if (fd == g) // also equal infinities
        continue;
      double error = std::fabs(fd - g);
      if (error > d.maxAbsError || d.worstIndex < 0) {
        d.maxAbsError = std::max(d.maxAbsError, error);
        d.worstIndex = i;
      }
    }
    d.maxRelError = d.maxAbsError /
                    std::max(maxGradient, std::numeric_limits<double>::min());
    args[a] = original;
    report.push_back(std::move(d));
  }
  return report;
}
