//===- Tensor.cpp - Host tensors ------------------------------------------===//
//
// This file implements graft::Tensor: shape validation, aligned owning
// buffers, non-owning views and the torch-like factories.
//
//===----------------------------------------------------------------------===//

#include "graft/Runtime/Tensor.h"

#include "graft/Runtime/MemoryLimit.h"
#include "graft/Runtime/Random.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

namespace graft {

namespace {

// Buffers are aligned for the widest vector loads (AVX-512) and so that
// compiled kernels may assume aligned base pointers.
constexpr size_t kAlignment = 64;

// The widest element; checkedNumel guarantees numel * this fits in int64.
constexpr int64_t kMaxElementSize = 8;

std::string shapeString(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

} // namespace

size_t dtypeSize(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return 4;
  case DType::F64:
  case DType::I64:
    return 8;
  }
  return 0;
}

const char *dtypeName(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "f32";
  case DType::F64:
    return "f64";
  case DType::I64:
    return "i64";
  }
  return "<unknown dtype>";
}

struct Tensor::Impl {
  Impl(void *data, std::vector<int64_t> shape, DType dtype, int64_t numel,
       bool owning)
      : data(data), shape(std::move(shape)), dtype(dtype), numel(numel),
        owning(owning) {}
  Impl(const Impl &) = delete;
  Impl &operator=(const Impl &) = delete;
  ~Impl() {
    if (owning)
      std::free(data);
  }

  void *data;
  std::vector<int64_t> shape;
  DType dtype;
  int64_t numel;
  /// An owning tensor's share of the memory limit.
  MemoryReservation reservation;
  bool owning;
};

Tensor::Tensor() = default;

Tensor::Tensor(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

Expected<int64_t> Tensor::checkedNumel(const std::vector<int64_t> &shape) {
  bool hasZero = false;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] < 0)
      return Error("invalid shape " + shapeString(shape) + ": dimension " +
                   std::to_string(i) + " is negative (" +
                   std::to_string(shape[i]) + ")");
    hasZero |= shape[i] == 0;
  }
  // A zero dimension makes the tensor empty however large the others are.
  if (hasZero)
    return int64_t(0);
  // Bound the byte size of the widest dtype, so that numel * dtypeSize never
  // overflows for any dtype.
  const int64_t limit = std::numeric_limits<int64_t>::max() / kMaxElementSize;
  int64_t numel = 1;
  for (int64_t dim : shape) {
    if (numel > limit / dim)
      return Error("invalid shape " + shapeString(shape) +
                   ": the number of elements or its size in bytes overflows "
                   "a 64-bit integer");
    numel *= dim;
  }
  return numel;
}

Expected<Tensor> Tensor::tryEmpty(std::vector<int64_t> shape, DType dtype) {
  Expected<int64_t> numel = checkedNumel(shape);
  if (!numel)
    return numel.error();
  size_t nbytes = static_cast<size_t>(*numel) * dtypeSize(dtype);
  // std::aligned_alloc wants a multiple of the alignment; never ask for 0 so
  // that even empty tensors have a distinct, non-null buffer.
  size_t allocBytes = (nbytes + kAlignment - 1) / kAlignment * kAlignment;
  if (allocBytes == 0)
    allocBytes = kAlignment;
  if (allocBytes < nbytes)
    return Error("cannot allocate " + std::to_string(nbytes) +
                 " bytes for a tensor of shape " + shapeString(shape));
  Expected<MemoryReservation> reservation =
      reserveMemory(allocBytes, "a tensor of shape " + shapeString(shape) +
                                    " (" + dtypeName(dtype) + ")");
  if (!reservation)
    return reservation.error();
  void *data = std::aligned_alloc(kAlignment, allocBytes);
  if (!data)
    return Error("out of memory allocating " + std::to_string(nbytes) +
                 " bytes for a tensor of shape " + shapeString(shape));
  std::memset(data, 0, allocBytes);
  auto impl = std::make_shared<Impl>(data, std::move(shape), dtype, *numel,
                                     /*owning=*/true);
  impl->reservation = reservation.take();
  return Tensor(std::move(impl));
}

Tensor Tensor::empty(std::vector<int64_t> shape, DType dtype) {
  Expected<Tensor> tensor = tryEmpty(std::move(shape), dtype);
  if (!tensor)
    reportFatalError("Tensor::empty: " + tensor.error().message());
  return tensor.take();
}

Tensor Tensor::view(void *data, std::vector<int64_t> shape, DType dtype) {
  Expected<int64_t> numel = checkedNumel(shape);
  if (!numel)
    reportFatalError("Tensor::view: " + numel.error().message());
  if (!data && *numel != 0)
    reportFatalError("Tensor::view: null data for a non-empty shape " +
                     shapeString(shape));
  return Tensor(std::make_shared<Impl>(data, std::move(shape), dtype, *numel,
                                       /*owning=*/false));
}

Tensor Tensor::rand(std::vector<int64_t> shape, uint64_t seed, DType dtype) {
  if (dtype == DType::I64)
    reportFatalError("Tensor::rand: dtype i64 is not supported (only f32 and "
                     "f64, as in torch.rand)");
  Tensor t = empty(std::move(shape), dtype);
  fillRand(t.data(), dtype, t.numel(), seed);
  return t;
}

Tensor Tensor::randn(std::vector<int64_t> shape, uint64_t seed, DType dtype) {
  if (dtype == DType::I64)
    reportFatalError("Tensor::randn: dtype i64 is not supported (only f32 "
                     "and f64, as in torch.randn)");
  Tensor t = empty(std::move(shape), dtype);
  fillRandn(t.data(), dtype, t.numel(), seed);
  return t;
}

Tensor Tensor::zeros(std::vector<int64_t> shape, DType dtype) {
  // empty() zero-fills, and all-zero bytes are 0 in every dtype.
  return empty(std::move(shape), dtype);
}

Tensor Tensor::ones(std::vector<int64_t> shape, DType dtype) {
  return full(std::move(shape), 1.0, dtype);
}

Tensor Tensor::full(std::vector<int64_t> shape, double value, DType dtype) {
  Tensor t = empty(std::move(shape), dtype);
  int64_t n = t.numel();
  switch (dtype) {
  case DType::F32: {
    float *p = t.data<float>();
    for (int64_t i = 0; i < n; ++i)
      p[i] = static_cast<float>(value);
    break;
  }
  case DType::F64: {
    double *p = t.data<double>();
    for (int64_t i = 0; i < n; ++i)
      p[i] = value;
    break;
  }
  case DType::I64: {
    // -2^63 is exact in double; 2^63 is the first value out of range.
    if (!(value >= -0x1p63 && value < 0x1p63))
      reportFatalError("Tensor::full: value " + std::to_string(value) +
                       " is not representable as i64");
    int64_t v = static_cast<int64_t>(value);
    int64_t *p = t.data<int64_t>();
    for (int64_t i = 0; i < n; ++i)
      p[i] = v;
    break;
  }
  }
  return t;
}

Tensor Tensor::eye(int64_t n, int64_t m, DType dtype) {
  if (m < 0)
    m = n;
  if (n < 0)
    reportFatalError("Tensor::eye: n must be non-negative, got " +
                     std::to_string(n));
  Tensor t = empty({n, m}, dtype);
  int64_t diag = n < m ? n : m;
  for (int64_t i = 0; i < diag; ++i) {
    int64_t offset = i * m + i;
    switch (dtype) {
    case DType::F32:
      t.data<float>()[offset] = 1.0f;
      break;
    case DType::F64:
      t.data<double>()[offset] = 1.0;
      break;
    case DType::I64:
      t.data<int64_t>()[offset] = 1;
      break;
    }
  }
  return t;
}

namespace {

template <typename T>
Tensor fromVector(const std::vector<T> &values, std::vector<int64_t> shape) {
  Expected<int64_t> numel = Tensor::checkedNumel(shape);
  if (!numel)
    reportFatalError("Tensor::fromData: " + numel.error().message());
  if (static_cast<uint64_t>(*numel) != values.size())
    reportFatalError("Tensor::fromData: shape " + shapeString(shape) + " has " +
                     std::to_string(*numel) + " elements but the data has " +
                     std::to_string(values.size()));
  Tensor t = Tensor::empty(std::move(shape), DTypeOf<T>::value);
  if (!values.empty())
    std::memcpy(t.data(), values.data(), values.size() * sizeof(T));
  return t;
}

} // namespace

Tensor Tensor::fromData(std::vector<float> values, std::vector<int64_t> shape) {
  return fromVector(values, std::move(shape));
}

Tensor Tensor::fromData(std::vector<double> values,
                        std::vector<int64_t> shape) {
  return fromVector(values, std::move(shape));
}

Tensor Tensor::fromData(std::vector<int64_t> values,
                        std::vector<int64_t> shape) {
  return fromVector(values, std::move(shape));
}

Tensor Tensor::clone() const {
  if (!valid())
    return Tensor();
  Tensor t = empty(shape(), dtype());
  if (nbytes())
    std::memcpy(t.data(), data(), nbytes());
  return t;
}

const std::vector<int64_t> &Tensor::shape() const {
  static const std::vector<int64_t> kNoShape;
  return impl_ ? impl_->shape : kNoShape;
}

int64_t Tensor::rank() const { return static_cast<int64_t>(shape().size()); }

int64_t Tensor::numel() const { return impl_ ? impl_->numel : 0; }

DType Tensor::dtype() const { return impl_ ? impl_->dtype : DType::F32; }

size_t Tensor::nbytes() const {
  return static_cast<size_t>(numel()) * dtypeSize(dtype());
}

bool Tensor::isView() const { return impl_ && !impl_->owning; }

bool Tensor::valid() const { return impl_ != nullptr; }

void *Tensor::data() { return impl_ ? impl_->data : nullptr; }

const void *Tensor::data() const { return impl_ ? impl_->data : nullptr; }

int64_t Tensor::offsetOf(std::initializer_list<int64_t> index) const {
  if (!valid())
    reportFatalError("Tensor: element access on an invalid tensor");
  const std::vector<int64_t> &dims = shape();
  if (index.size() != dims.size())
    reportFatalError("Tensor: index has " + std::to_string(index.size()) +
                     " entries but the tensor has rank " +
                     std::to_string(dims.size()));
  int64_t offset = 0;
  size_t d = 0;
  for (int64_t i : index) {
    if (i < 0 || i >= dims[d])
      reportFatalError("Tensor: index " + std::to_string(i) +
                       " is out of range for dimension " + std::to_string(d) +
                       " of size " + std::to_string(dims[d]));
    offset = offset * dims[d] + i;
    ++d;
  }
  return offset;
}

double Tensor::at(std::initializer_list<int64_t> index) const {
  int64_t offset = offsetOf(index);
  switch (dtype()) {
  case DType::F32:
    return static_cast<const float *>(data())[offset];
  case DType::F64:
    return static_cast<const double *>(data())[offset];
  case DType::I64:
    return static_cast<double>(static_cast<const int64_t *>(data())[offset]);
  }
  return 0.0;
}

} // namespace graft
