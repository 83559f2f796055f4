//===- Format.cpp - PyTorch-style tensor printing -------------------------===//
//
// This file reproduces repr() of torch.Tensor from PyTorch 1.13
// (torch/_tensor_str.py) with the default print options, so that Graft's
// output can be compared with PyTorch's by eye or by diff. The structure
// mirrors the Python: a Formatter picks one width and notation for all
// printed elements, then nested brackets are laid out recursively.
//
// Python formats floats with correctly rounded "{:.4f}" / "{:.4e}"; here
// std::to_chars gives the same digits (also correctly rounded) without
// depending on the C locale. float32 values are widened to double first, as
// PyTorch's .item() / .tolist() do.
//
//===----------------------------------------------------------------------===//

#include "graft/Runtime/Format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ostream>
#include <string>
#include <vector>

namespace graft {
namespace {

// torch._tensor_str.PRINT_OPTS defaults.
constexpr int kPrecision = 4;
constexpr int64_t kThreshold = 1000;
constexpr int64_t kEdgeItems = 3;
constexpr int64_t kLineWidth = 80;

// Python's str(float) spellings of the non-finite values, whatever the sign
// of a NaN.
std::string nonFinite(double v) {
  if (std::isnan(v))
    return "nan";
  return v < 0 ? "-inf" : "inf";
}

std::string formatFixed(double v, int precision) {
  if (!std::isfinite(v))
    return nonFinite(v);
  // Enough for |v| up to DBL_MAX in fixed notation.
  char buf[400];
  auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed,
                           precision);
  return std::string(buf, res.ptr);
}

std::string formatSci(double v, int precision) {
  if (!std::isfinite(v))
    return nonFinite(v);
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v,
                           std::chars_format::scientific, precision);
  return std::string(buf, res.ptr);
}

std::string leftPad(std::string s, size_t width) {
  if (s.size() < width)
    s.insert(0, width - s.size(), ' ');
  return s;
}

// Python's repr of a tuple of ints: (), (3,), (0, 3).
std::string pythonTuple(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1)
    s += ",";
  return s + ")";
}

// Reads element `offset` of a tensor, widened to double (floats) or kept as
// int64 (integers).
struct ElementReader {
  const void *data;
  DType dtype;

  double asDouble(int64_t offset) const {
    switch (dtype) {
    case DType::F32:
      return static_cast<const float *>(data)[offset];
    case DType::F64:
      return static_cast<const double *>(data)[offset];
    case DType::I64:
      return static_cast<double>(static_cast<const int64_t *>(data)[offset]);
    }
    return 0;
  }
  int64_t asInt(int64_t offset) const {
    return static_cast<const int64_t *>(data)[offset];
  }
};

// torch._tensor_str._Formatter: decides between integer ("1."), fixed
// ("0.4963") and scientific ("1.0000e+10") notation and the common width,
// from the elements that will actually be printed.
class Formatter {
public:
  Formatter(const ElementReader &reader, const std::vector<int64_t> &offsets)
      : reader_(reader), floating_(reader.dtype != DType::I64) {
    if (!floating_) {
      for (int64_t off : offsets)
        maxWidth_ =
            std::max(maxWidth_, std::to_string(reader.asInt(off)).size());
      return;
    }
    std::vector<double> values;
    for (int64_t off : offsets) {
      double v = reader.asDouble(off);
      if (std::isfinite(v) && v != 0)
        values.push_back(v);
    }
    if (values.empty())
      return;
    double minAbs = std::fabs(values[0]), maxAbs = minAbs;
    for (double v : values) {
      minAbs = std::min(minAbs, std::fabs(v));
      maxAbs = std::max(maxAbs, std::fabs(v));
      if (v != std::ceil(v))
        intMode_ = false;
    }
    bool wide = maxAbs / minAbs > 1000.0 || maxAbs > 1.0e8;
    if (intMode_) {
      // Integral floats print as "3." and the width counts the dot.
      sciMode_ = wide;
      for (double v : values)
        maxWidth_ =
            std::max(maxWidth_, sciMode_ ? formatSci(v, kPrecision).size()
                                         : formatFixed(v, 0).size() + 1);
    } else {
      sciMode_ = wide || minAbs < 1.0e-4;
      for (double v : values)
        maxWidth_ =
            std::max(maxWidth_, sciMode_ ? formatSci(v, kPrecision).size()
                                         : formatFixed(v, kPrecision).size());
    }
  }

  size_t width() const { return maxWidth_; }

  std::string format(int64_t offset) const {
    std::string s;
    if (!floating_) {
      s = std::to_string(reader_.asInt(offset));
    } else {
      double v = reader_.asDouble(offset);
      if (sciMode_) {
        s = formatSci(v, kPrecision);
      } else if (intMode_) {
        s = formatFixed(v, 0);
        if (std::isfinite(v))
          s += ".";
      } else {
        s = formatFixed(v, kPrecision);
      }
    }
    return leftPad(std::move(s), maxWidth_);
  }

private:
  ElementReader reader_;
  bool floating_;
  bool intMode_ = true;
  bool sciMode_ = false;
  size_t maxWidth_ = 1;
};

// Shared state of one formatTensor call.
struct Printer {
  const std::vector<int64_t> &shape;
  std::vector<int64_t> strides;
  bool summarize;

  bool elides(int64_t dim) const {
    return summarize && shape[dim] > 2 * kEdgeItems;
  }

  // The indices of dimension `dim` that are printed: all, or the first and
  // last kEdgeItems when summarizing.
  std::vector<int64_t> shownIndices(int64_t dim) const {
    std::vector<int64_t> indices;
    if (elides(dim)) {
      for (int64_t i = 0; i < kEdgeItems; ++i)
        indices.push_back(i);
      for (int64_t i = shape[dim] - kEdgeItems; i < shape[dim]; ++i)
        indices.push_back(i);
    } else {
      for (int64_t i = 0; i < shape[dim]; ++i)
        indices.push_back(i);
    }
    return indices;
  }

  // Offsets of every printed element (get_summarized_data).
  void collect(int64_t dim, int64_t base, std::vector<int64_t> &out) const {
    if (dim == static_cast<int64_t>(shape.size())) {
      out.push_back(base);
      return;
    }
    for (int64_t i : shownIndices(dim))
      collect(dim + 1, base + i * strides[dim], out);
  }

  // _vector_str.
  std::string vector(const Formatter &fmt, int64_t dim, int64_t base,
                     int64_t indent) const {
    int64_t elementLength = static_cast<int64_t>(fmt.width()) + 2;
    int64_t perLine =
        std::max<int64_t>(1, (kLineWidth - indent) / elementLength);
    std::vector<std::string> items;
    int64_t size = shape[dim];
    if (elides(dim)) {
      for (int64_t i = 0; i < kEdgeItems; ++i)
        items.push_back(fmt.format(base + i));
      items.push_back(" ...");
      for (int64_t i = size - kEdgeItems; i < size; ++i)
        items.push_back(fmt.format(base + i));
    } else {
      for (int64_t i = 0; i < size; ++i)
        items.push_back(fmt.format(base + i));
    }
    std::string out = "[";
    std::string lineSep = ",\n" + std::string(indent + 1, ' ');
    for (size_t i = 0; i < items.size(); ++i) {
      if (i != 0)
        out += (i % perLine == 0) ? lineSep : std::string(", ");
      out += items[i];
    }
    return out + "]";
  }

  // _tensor_str_with_formatter.
  std::string nested(const Formatter &fmt, int64_t dim, int64_t base,
                     int64_t indent) const {
    int64_t remaining = static_cast<int64_t>(shape.size()) - dim;
    if (remaining == 0)
      return fmt.format(base);
    if (remaining == 1)
      return vector(fmt, dim, base, indent);
    std::vector<std::string> slices;
    int64_t size = shape[dim];
    auto slice = [&](int64_t i) {
      slices.push_back(
          nested(fmt, dim + 1, base + i * strides[dim], indent + 1));
    };
    if (elides(dim)) {
      for (int64_t i = 0; i < kEdgeItems; ++i)
        slice(i);
      slices.push_back("...");
      for (int64_t i = size - kEdgeItems; i < size; ++i)
        slice(i);
    } else {
      for (int64_t i = 0; i < size; ++i)
        slice(i);
    }
    std::string sep =
        "," + std::string(remaining - 1, '\n') + std::string(indent + 1, ' ');
    std::string out = "[";
    for (size_t i = 0; i < slices.size(); ++i) {
      if (i)
        out += sep;
      out += slices[i];
    }
    return out + "]";
  }
};

// _add_suffixes: appends ", suffix" or, when the line would exceed the line
// width, ",\n<indent>suffix", then the closing parenthesis.
std::string addSuffixes(std::string text,
                        const std::vector<std::string> &suffixes,
                        int64_t indent) {
  size_t newline = text.rfind('\n');
  // Python: len(s) - s.rfind("\n") + 1, where rfind is -1 when absent.
  int64_t lastLineLen =
      static_cast<int64_t>(text.size()) -
      (newline == std::string::npos ? -1 : static_cast<int64_t>(newline)) + 1;
  for (const std::string &suffix : suffixes) {
    int64_t suffixLen = static_cast<int64_t>(suffix.size());
    if (lastLineLen + suffixLen + 2 > kLineWidth) {
      text += ",\n" + std::string(indent, ' ') + suffix;
      lastLineLen = indent + suffixLen;
    } else {
      text += ", " + suffix;
      lastLineLen += suffixLen + 2;
    }
  }
  return text + ")";
}

const char *torchDTypeName(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "torch.float32";
  case DType::F64:
    return "torch.float64";
  case DType::I64:
    return "torch.int64";
  }
  return "";
}

} // namespace

std::string formatTensor(const Tensor &tensor) {
  if (!tensor.valid())
    return "tensor(<invalid>)";
  const std::string prefix = "tensor(";
  const int64_t indent = static_cast<int64_t>(prefix.size());
  const std::vector<int64_t> &shape = tensor.shape();
  std::vector<std::string> suffixes;
  std::string body;

  if (tensor.numel() == 0) {
    // As NumPy does, the shape is spelled out unless it is (0,), and the
    // dtype too, since there are no elements to show it.
    if (shape.size() != 1)
      suffixes.push_back("size=" + pythonTuple(shape));
    if (tensor.dtype() != DType::F32)
      suffixes.push_back(std::string("dtype=") +
                         torchDTypeName(tensor.dtype()));
    body = "[]";
  } else {
    // float32 and int64 are PyTorch's defaults and get no suffix.
    if (tensor.dtype() == DType::F64)
      suffixes.push_back(std::string("dtype=") +
                         torchDTypeName(tensor.dtype()));
    Printer printer{shape, std::vector<int64_t>(shape.size(), 1),
                    tensor.numel() > kThreshold};
    for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
      printer.strides[d] = printer.strides[d + 1] * shape[d + 1];
    std::vector<int64_t> offsets;
    printer.collect(0, 0, offsets);
    ElementReader reader{tensor.data(), tensor.dtype()};
    Formatter formatter(reader, offsets);
    body = printer.nested(formatter, 0, 0, indent);
  }
  return addSuffixes(prefix + body, suffixes, indent);
}

std::string formatShape(const std::vector<int64_t> &shape) {
  std::string s = "torch.Size([";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "])";
}

std::ostream &operator<<(std::ostream &os, const Tensor &tensor) {
  return os << formatTensor(tensor);
}

} // namespace graft
