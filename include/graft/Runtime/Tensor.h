//===- Tensor.h - Host tensors ----------------------------------*- C++ -*-===//
//
// This file declares graft::Tensor, the dense, row-major host tensor that the
// public API hands to and receives from compiled graphs. A Tensor is a
// handle: copying it shares the underlying buffer (like torch.Tensor), and
// the buffer is released when the last handle that owns it goes away.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_RUNTIME_TENSOR_H
#define GRAFT_RUNTIME_TENSOR_H

#include "graft/Runtime/Error.h"

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <vector>

namespace graft {

/// Element types of host tensors.
enum class DType { F32, F64, I64 };

/// Size of one element in bytes.
size_t dtypeSize(DType dtype);

/// Short name: "f32", "f64" or "i64" (the MLIR element type spelling).
const char *dtypeName(DType dtype);

/// Maps a C++ element type to its DType: DTypeOf<float>::value == DType::F32.
template <typename T> struct DTypeOf;
template <> struct DTypeOf<float> {
  static constexpr DType value = DType::F32;
};
template <> struct DTypeOf<double> {
  static constexpr DType value = DType::F64;
};
template <> struct DTypeOf<int64_t> {
  static constexpr DType value = DType::I64;
};

/// A dense, contiguous, row-major (C order) tensor on the host.
///
/// Owning tensors come from the factories (empty, zeros, rand, ...) and keep
/// a 64-byte aligned buffer alive for as long as any copy of the handle
/// exists. Views (Tensor::view) wrap caller memory and never free it; the
/// caller keeps it alive.
///
/// Factories whose arguments can only be wrong through a programming error
/// (a negative dimension, a data vector of the wrong length) report it with
/// reportFatalError. Use tryEmpty and checkedNumel to validate untrusted
/// shapes first.
class Tensor {
public:
  /// An invalid tensor that holds nothing; valid() is false.
  Tensor();

  /// An owning, zero-filled, 64-byte aligned tensor.
  static Tensor empty(std::vector<int64_t> shape, DType dtype = DType::F32);

  /// Like empty, but returns an Error for an invalid shape or when the
  /// allocation fails instead of aborting.
  static Expected<Tensor> tryEmpty(std::vector<int64_t> shape,
                                   DType dtype = DType::F32);

  /// A non-owning view of `data`, which must hold numel(shape) elements of
  /// `dtype` in row-major order and outlive every copy of the view.
  static Tensor view(void *data, std::vector<int64_t> shape, DType dtype);

  /// torch.rand: uniform [0, 1), bit-identical to
  /// `torch.manual_seed(seed); torch.rand(shape, dtype=...)` on CPU. Only
  /// floating-point dtypes are allowed.
  static Tensor rand(std::vector<int64_t> shape, uint64_t seed,
                     DType dtype = DType::F32);

  /// torch.randn: standard normal (see fillRandn in Random.h). Only
  /// floating-point dtypes are allowed.
  static Tensor randn(std::vector<int64_t> shape, uint64_t seed,
                      DType dtype = DType::F32);

  static Tensor zeros(std::vector<int64_t> shape, DType dtype = DType::F32);
  static Tensor ones(std::vector<int64_t> shape, DType dtype = DType::F32);

  /// torch.full. For I64, `value` is truncated toward zero like
  /// torch.full(..., dtype=torch.int64); it must be finite and in range.
  static Tensor full(std::vector<int64_t> shape, double value,
                     DType dtype = DType::F32);

  /// torch.eye: an n x m matrix (m = n when m < 0) with ones on the
  /// diagonal.
  static Tensor eye(int64_t n, int64_t m = -1, DType dtype = DType::F32);

  /// Copies `values` (row-major, exactly numel(shape) of them) into a new
  /// owning tensor of the matching dtype.
  static Tensor fromData(std::vector<float> values, std::vector<int64_t> shape);
  static Tensor fromData(std::vector<double> values,
                         std::vector<int64_t> shape);
  static Tensor fromData(std::vector<int64_t> values,
                         std::vector<int64_t> shape);

  /// The number of elements of `shape`, or an Error naming the problem when
  /// a dimension is negative or the element count or its size in bytes (at
  /// 8 bytes per element, the widest dtype) overflows int64.
  static Expected<int64_t> checkedNumel(const std::vector<int64_t> &shape);

  /// A deep copy into a new owning tensor.
  Tensor clone() const;

  /// Empty for an invalid tensor.
  const std::vector<int64_t> &shape() const;
  int64_t rank() const;
  int64_t numel() const;
  /// F32 for an invalid tensor.
  DType dtype() const;
  size_t nbytes() const;
  bool isView() const;
  bool valid() const;

  /// The first element; nullptr for an invalid tensor.
  void *data();
  const void *data() const;

  /// The buffer as T; T must match dtype() (checked by assert).
  template <typename T> T *data() {
    assert(valid() && DTypeOf<T>::value == dtype() && "dtype mismatch");
    return static_cast<T *>(data());
  }
  template <typename T> const T *data() const {
    assert(valid() && DTypeOf<T>::value == dtype() && "dtype mismatch");
    return static_cast<const T *>(data());
  }

  /// The row-major element offset of `index`. The index must have rank()
  /// entries, each in [0, dim); a violation is a fatal error.
  int64_t offsetOf(std::initializer_list<int64_t> index) const;

  /// The element at `index`, converted to double, for any dtype.
  double at(std::initializer_list<int64_t> index) const;

  /// A reference to the element at `index`; T must match dtype().
  template <typename T> T &at(std::initializer_list<int64_t> index) {
    return data<T>()[offsetOf(index)];
  }
  template <typename T>
  const T &at(std::initializer_list<int64_t> index) const {
    return data<T>()[offsetOf(index)];
  }

private:
  struct Impl;
  explicit Tensor(std::shared_ptr<Impl> impl);

  std::shared_ptr<Impl> impl_;
};

} // namespace graft

#endif // GRAFT_RUNTIME_TENSOR_H
