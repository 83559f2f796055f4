//===- Random.h - PyTorch-compatible random fills ---------------*- C++ -*-===//
//
// This file declares the random number fills behind graft.rand, graft.randn
// and the Tensor::rand / Tensor::randn factories. Each call starts from a
// fresh generator seeded with `seed`, exactly like calling
// `torch.manual_seed(seed)` right before `torch.rand` / `torch.randn`, and
// writes n values in order (row-major for a tensor).
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_RUNTIME_RANDOM_H
#define GRAFT_RUNTIME_RANDOM_H

#include "graft/Runtime/Tensor.h"

#include <cstdint>
#include <vector>

namespace graft {

/// Uniform [0, 1), bit-identical to `torch.manual_seed(seed);
/// torch.rand(n)` on CPU. The generator is std::mt19937 seeded with the low
/// 32 bits of `seed` (as torch's CPU generator does); each value is
/// `(u32 & 0xFFFFFF) * 2^-24` for one 32-bit draw u32.
void fillRand(float *out, int64_t n, uint64_t seed);

/// Uniform [0, 1), bit-identical to `torch.manual_seed(seed);
/// torch.rand(n, dtype=torch.float64)` on CPU. Each value takes two draws,
/// x = (uint64(first) << 32) | second, and is `(x & (2^53 - 1)) * 2^-53`.
void fillRand(double *out, int64_t n, uint64_t seed);

/// Standard normal values by Box-Muller from the same generator, following
/// the structure of torch.randn on CPU. Exact equality with PyTorch is not
/// promised, since it depends on the math library; against PyTorch 1.13 on
/// x86-64 glibc, f64 results and f32 results for n < 16 were bit-identical,
/// and f32 results for n >= 16 (where PyTorch uses approximate AVX2 log,
/// sin and cos) agreed to within 3e-6. The algorithm:
///
/// * n >= 16: first n uniform values u[i] are drawn as fillRand does. Then
///   each block of 16 (i = 0, 16, 32, ... while i + 16 <= n) is transformed
///   in place: for j in 0..7, with r = sqrt(-2 log(1 - u[i+j])) and
///   t = 2 pi u[i+j+8], out[i+j] = r cos t and out[i+j+8] = r sin t. If
///   n % 16 != 0, 16 fresh uniforms are drawn into out[n-16 .. n-1] and that
///   last block is transformed the same way (overwriting the overlap).
///   The arithmetic is done in the element type.
/// * n < 16: values come in pairs from two double uniforms a, b (each as
///   fillRand(double) draws them): r = sqrt(-2 log(1 - b)), t = 2 pi a; the
///   first value of the pair is r cos t and the second r sin t (the second is
///   dropped when n is odd), rounded to the element type.
void fillRandn(float *out, int64_t n, uint64_t seed);
void fillRandn(double *out, int64_t n, uint64_t seed);

/// Type-erased forms for F32 and F64 buffers; any other dtype is a fatal
/// error.
void fillRand(void *out, DType dtype, int64_t n, uint64_t seed);
void fillRandn(void *out, DType dtype, int64_t n, uint64_t seed);

/// Fills `tensors` in order from one generator seeded once, as
/// `torch.manual_seed(seed)` followed by one `torch.rand` per tensor does:
/// the second tensor continues the stream where the first stopped. Only
/// F32 and F64 tensors are allowed.
void fillRandSequence(std::vector<Tensor> &tensors, uint64_t seed);

} // namespace graft

#endif // GRAFT_RUNTIME_RANDOM_H
