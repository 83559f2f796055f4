//===- Random.cpp - PyTorch-compatible random fills -----------------------===//
//
// This file implements torch.rand- and torch.randn-compatible fills on top of
// std::mt19937, which produces the same 32-bit stream as PyTorch's CPU
// generator (at::mt19937) for the same seed.
//
//===----------------------------------------------------------------------===//

#include "graft/Runtime/Random.h"

#include <cmath>
#include <random>
#include <string>

namespace graft {
namespace {

// torch's CPU generator keeps only the low 32 bits of the seed.
std::mt19937 makeEngine(uint64_t seed) {
  return std::mt19937(static_cast<uint32_t>(seed));
}

// at::uniform_real_distribution<float>: 24 random bits scaled into [0, 1).
float uniformFloat(std::mt19937 &engine) {
  uint32_t bits = static_cast<uint32_t>(engine());
  return static_cast<float>(bits & 0xFFFFFFu) * 0x1.0p-24f;
}

// at::uniform_real_distribution<double>: random64() takes the high word
// first, and 53 of its bits are scaled into [0, 1).
double uniformDouble(std::mt19937 &engine) {
  uint64_t hi = static_cast<uint32_t>(engine());
  uint64_t lo = static_cast<uint32_t>(engine());
  uint64_t bits = (hi << 32) | lo;
  return static_cast<double>(bits & ((uint64_t(1) << 53) - 1)) * 0x1.0p-53;
}

template <typename T> T uniform(std::mt19937 &engine);
template <> float uniform<float>(std::mt19937 &engine) {
  return uniformFloat(engine);
}
template <> double uniform<double>(std::mt19937 &engine) {
  return uniformDouble(engine);
}

template <typename T>
void fillUniform(T *out, int64_t n, std::mt19937 &engine) {
  for (int64_t i = 0; i < n; ++i)
    out[i] = uniform<T>(engine);
}

template <typename T> void fillUniform(T *out, int64_t n, uint64_t seed) {
  std::mt19937 engine = makeEngine(seed);
  fillUniform(out, n, engine);
}

// Box-Muller on 16 uniforms in place: pairs element j with element j + 8,
// as torch's normal_fill_16 does. 1 - u maps [0, 1) to (0, 1] so the log is
// finite. The angle is formed in double and then rounded to T, as in torch.
template <typename T> void boxMuller16(T *data) {
  constexpr double twoPi = 6.283185307179586476925286766559;
  for (int j = 0; j < 8; ++j) {
    const T u1 = T(1) - data[j];
    const T u2 = data[j + 8];
    const T radius = std::sqrt(T(-2) * std::log(u1));
    const T theta = static_cast<T>(twoPi * u2);
    data[j] = radius * std::cos(theta);
    data[j + 8] = radius * std::sin(theta);
  }
}

template <typename T> void fillNormal(T *out, int64_t n, uint64_t seed) {
  std::mt19937 engine = makeEngine(seed);
  if (n >= 16) {
    // torch's vectorizable path for contiguous tensors of 16+ elements.
    for (int64_t i = 0; i < n; ++i)
      out[i] = uniform<T>(engine);
    for (int64_t i = 0; i + 16 <= n; i += 16)
      boxMuller16(out + i);
    if (n % 16 != 0) {
      T *tail = out + n - 16;
      for (int i = 0; i < 16; ++i)
        tail[i] = uniform<T>(engine);
      boxMuller16(tail);
    }
    return;
  }
  // torch's serial path: at::normal_distribution<double>, which caches the
  // sine half of each pair for the next element.
  constexpr double twoPi = 6.283185307179586476925286766559;
  for (int64_t i = 0; i < n; i += 2) {
    const double a = uniformDouble(engine);
    const double b = uniformDouble(engine);
    const double radius = std::sqrt(-2.0 * std::log(1.0 - b));
    const double theta = twoPi * a;
    out[i] = static_cast<T>(radius * std::cos(theta));
    if (i + 1 < n)
      out[i + 1] = static_cast<T>(radius * std::sin(theta));
  }
}

} // namespace

void fillRand(float *out, int64_t n, uint64_t seed) {
  fillUniform(out, n, seed);
}

void fillRand(double *out, int64_t n, uint64_t seed) {
  fillUniform(out, n, seed);
}

void fillRandn(float *out, int64_t n, uint64_t seed) {
  fillNormal(out, n, seed);
}

void fillRandn(double *out, int64_t n, uint64_t seed) {
  fillNormal(out, n, seed);
}

void fillRand(void *out, DType dtype, int64_t n, uint64_t seed) {
  switch (dtype) {
  case DType::F32:
    return fillRand(static_cast<float *>(out), n, seed);
  case DType::F64:
    return fillRand(static_cast<double *>(out), n, seed);
  case DType::I64:
    break;
  }
  reportFatalError(std::string("rand: unsupported dtype ") + dtypeName(dtype) +
                   " (only f32 and f64)");
}

void fillRandSequence(std::vector<Tensor> &tensors, uint64_t seed) {
  std::mt19937 engine = makeEngine(seed);
  for (Tensor &tensor : tensors) {
    switch (tensor.dtype()) {
    case DType::F32:
      fillUniform(tensor.data<float>(), tensor.numel(), engine);
      continue;
    case DType::F64:
      fillUniform(tensor.data<double>(), tensor.numel(), engine);
      continue;
    case DType::I64:
      break;
    }
    reportFatalError(std::string("rand: unsupported dtype ") +
                     dtypeName(tensor.dtype()) + " (only f32 and f64)");
  }
}

void fillRandn(void *out, DType dtype, int64_t n, uint64_t seed) {
  switch (dtype) {
  case DType::F32:
    return fillRandn(static_cast<float *>(out), n, seed);
  case DType::F64:
    return fillRandn(static_cast<double *>(out), n, seed);
  case DType::I64:
    break;
  }
  reportFatalError(std::string("randn: unsupported dtype ") + dtypeName(dtype) +
                   " (only f32 and f64)");
}

} // namespace graft
