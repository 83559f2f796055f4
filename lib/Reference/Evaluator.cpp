//===- Evaluator.cpp - Reference evaluator for graft IR ---------*- C++ -*-===//
//
// This file implements graft::ReferenceFunction and evaluateReference. They
// parse and verify a module, then interpret the entry function one op at a
// time with naive loops over dense row-major buffers of doubles. The
// evaluator shares nothing with the lowering except the dialect's shape
// helpers, so a bug in the compiler shows up as a difference instead of
// appearing on both sides of a comparison. Speed is not a goal; being
// obviously right is.
//
//===----------------------------------------------------------------------===//

#include "graft/Reference/Reference.h"

#include "graft/Dialect/Graft/IR/EntryPoint.h"
#include "graft/Dialect/Graft/IR/GraftOps.h"
#include "graft/Dialect/Graft/Transforms/Passes.h"
#include "graft/InitAll.h"
#include "graft/Runtime/Random.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cmath>
#include <limits>

using namespace graft;
namespace g = mlir::graft;

namespace {

//===----------------------------------------------------------------------===//
// Buffers and index arithmetic
//===----------------------------------------------------------------------===//

using Shape = std::vector<int64_t>;

int64_t numel(const Shape &shape) {
  int64_t n = 1;
  for (int64_t dim : shape)
    n *= dim;
  return n;
}

Shape rowMajorStrides(const Shape &shape) {
  Shape strides(shape.size());
  int64_t stride = 1;
  for (size_t d = shape.size(); d-- > 0;) {
    strides[d] = stride;
    stride *= shape[d];
  }
  return strides;
}

/// A dense row-major tensor of doubles: element `index` is at
/// sum(index[d] * strides[d]).
struct Buffer {
  Shape shape;
  Shape strides;
  std::vector<double> data;

  Buffer() = default;
  explicit Buffer(Shape shape)
      : shape(std::move(shape)), strides(rowMajorStrides(this->shape)),
        data(numel(this->shape), 0.0) {}
  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
};

/// Calls fn(index, flat) for every multi-index of `shape` in row-major
/// order; `flat` is the row-major position of `index`. A rank-0 shape has
/// one (empty) index.
template <typename Fn> void forEachIndex(const Shape &shape, Fn fn) {
  int64_t n = numel(shape);
  Shape index(shape.size(), 0);
  for (int64_t flat = 0; flat < n; ++flat) {
    fn(static_cast<const Shape &>(index), flat);
    for (size_t d = shape.size(); d-- > 0;) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

/// NumPy broadcasting, the one place it is spelled out: the offset in `in`
/// of the element read for position `index` of a broadcast shape. Only the
/// first `dims` dims of `in` take part; they align with the last `dims`
/// entries of `index`, and a size-1 dim is always read at 0. Elementwise ops
/// pass all of `in`'s dims; matmul passes its batch dims.
int64_t broadcastOffset(const Buffer &in, size_t dims, const Shape &index) {
  size_t shift = index.size() - dims;
  int64_t offset = 0;
  for (size_t d = 0; d < dims; ++d)
    if (in.shape[d] != 1)
      offset += index[d + shift] * in.strides[d];
  return offset;
}

Shape shapeOf(mlir::Value value) {
  auto type = llvm::cast<mlir::RankedTensorType>(value.getType());
  return Shape(type.getShape().begin(), type.getShape().end());
}

/// Rounds every element to the value's element type. Only creation ops use
/// it: the tensor they define holds element-type values by definition.
void roundToElementType(Buffer &buffer, mlir::Value value) {
  auto type = llvm::cast<mlir::RankedTensorType>(value.getType());
  if (type.getElementType().isF32())
    for (double &x : buffer.data)
      x = static_cast<float>(x);
}

double nan() { return std::numeric_limits<double>::quiet_NaN(); }

//===----------------------------------------------------------------------===//
// Op semantics, one function per kind of op
//===----------------------------------------------------------------------===//

template <typename Fn>
Buffer elementwise(const Buffer &lhs, const Buffer &rhs, const Shape &shape,
                   Fn fn) {
  Buffer out(shape);
  forEachIndex(shape, [&](const Shape &index, int64_t flat) {
    out.data[flat] =
        fn(lhs.data[broadcastOffset(lhs, lhs.shape.size(), index)],
           rhs.data[broadcastOffset(rhs, rhs.shape.size(), index)]);
  });
  return out;
}

template <typename Fn> Buffer elementwise(const Buffer &in, Fn fn) {
  Buffer out(in.shape);
  for (size_t i = 0; i < in.data.size(); ++i)
    out.data[i] = fn(in.data[i]);
  return out;
}

Buffer broadcastTo(const Buffer &in, const Shape &shape) {
  Buffer out(shape);
  forEachIndex(shape, [&](const Shape &index, int64_t flat) {
    out.data[flat] = in.data[broadcastOffset(in, in.shape.size(), index)];
  });
  return out;
}

/// torch.matmul for rank >= 2: [..., M, K] x [..., K, N] -> [..., M, N],
/// batch dims broadcast. Each result is a dot product summed in k order.
Buffer matmul(const Buffer &lhs, const Buffer &rhs, const Shape &shape) {
  Buffer out(shape);
  size_t lhsBatch = lhs.shape.size() - 2, rhsBatch = rhs.shape.size() - 2;
  int64_t m = lhs.shape[lhsBatch], k = lhs.shape[lhsBatch + 1];
  int64_t n = rhs.shape[rhsBatch + 1];
  int64_t lhsRow = lhs.strides[lhsBatch], lhsCol = lhs.strides[lhsBatch + 1];
  int64_t rhsRow = rhs.strides[rhsBatch], rhsCol = rhs.strides[rhsBatch + 1];
  Shape batchShape(shape.begin(), shape.end() - 2);
  forEachIndex(batchShape, [&](const Shape &batch, int64_t flat) {
    const double *a = lhs.data.data() + broadcastOffset(lhs, lhsBatch, batch);
    const double *b = rhs.data.data() + broadcastOffset(rhs, rhsBatch, batch);
    double *c = out.data.data() + flat * m * n;
    // i-k-j order only for cache friendliness: each c[i][j] still receives
    // a[i][0] b[0][j], a[i][1] b[1][j], ... in k order.
    for (int64_t i = 0; i < m; ++i)
      for (int64_t p = 0; p < k; ++p) {
        double aip = a[i * lhsRow + p * lhsCol];
        for (int64_t j = 0; j < n; ++j)
          c[i * n + j] += aip * b[p * rhsRow + j * rhsCol];
      }
  });
  return out;
}

/// Result dim d is input dim perm[d].
Buffer transpose(const Buffer &in, llvm::ArrayRef<int64_t> perm,
                 const Shape &shape) {
  Buffer out(shape);
  forEachIndex(shape, [&](const Shape &index, int64_t flat) {
    int64_t offset = 0;
    for (size_t d = 0; d < index.size(); ++d)
      offset += index[d] * in.strides[perm[d]];
    out.data[flat] = in.data[offset];
  });
  return out;
}

enum class Reduction { Sum, Mean, Max };

/// Reduces `in` over `reduced` (non-negative dims). The result is laid out
/// as the keepdim shape, whose row-major order is the same with or without
/// the size-1 dims, so `shape` may be either.
Buffer reduce(const Buffer &in, const Shape &reduced, const Shape &shape,
              Reduction kind) {
  Shape keptShape = in.shape;
  int64_t count = 1;
  for (int64_t d : reduced) {
    count *= in.shape[d];
    keptShape[d] = 1;
  }
  Shape outStrides = rowMajorStrides(keptShape);
  for (int64_t d : reduced)
    outStrides[d] = 0;
  Buffer out(shape);
  if (kind == Reduction::Max)
    out.data.assign(out.data.size(), -std::numeric_limits<double>::infinity());
  forEachIndex(in.shape, [&](const Shape &index, int64_t flat) {
    int64_t offset = 0;
    for (size_t d = 0; d < index.size(); ++d)
      offset += index[d] * outStrides[d];
    double x = in.data[flat];
    double &acc = out.data[offset];
    if (kind != Reduction::Max)
      acc += x;
    else if (std::isnan(x) || x > acc) // torch.amax propagates NaN
      acc = x;
  });
  if (kind == Reduction::Mean)
    for (double &x : out.data)
      x /= static_cast<double>(count);
  return out;
}

/// softmax or log_softmax along `dim` (in [0, rank), or 0 for a scalar),
/// with the slice maximum subtracted first.
Buffer softmax(const Buffer &in, int64_t dim, bool log) {
  Buffer out(in.shape);
  int64_t outer = 1, length = 1, inner = 1;
  for (int64_t d = 0; d < in.rank(); ++d)
    (d < dim ? outer : d == dim ? length : inner) *= in.shape[d];
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      auto at = [&](int64_t k) { return o * length * inner + k * inner + i; };
      double max = -std::numeric_limits<double>::infinity();
      for (int64_t k = 0; k < length; ++k)
        if (std::isnan(in.data[at(k)]) || in.data[at(k)] > max)
          max = in.data[at(k)]; // once NaN, nothing compares greater
      double sum = 0;
      for (int64_t k = 0; k < length; ++k)
        sum += std::exp(in.data[at(k)] - max);
      for (int64_t k = 0; k < length; ++k)
        out.data[at(k)] = log ? in.data[at(k)] - max - std::log(sum)
                              : std::exp(in.data[at(k)] - max) / sum;
    }
  return out;
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
/// Comparisons give a 1/0 mask. C++'s comparisons already have IEEE
/// semantics: false with a NaN operand, except `!=`, which is true.
double mask(bool holds) { return holds ? 1.0 : 0.0; }
double relu(double x) { return std::isnan(x) ? x : x > 0 ? x : 0.0; }
double maximum(double a, double b) {
  return std::isnan(a) || std::isnan(b) ? nan() : std::max(a, b);
}
double minimum(double a, double b) {
  return std::isnan(a) || std::isnan(b) ? nan() : std::min(a, b);
}

//===----------------------------------------------------------------------===//
// The interpreter
//===----------------------------------------------------------------------===//

/// The shape and element type of a function argument or result.
struct Spec {
  Shape shape;
  DType dtype = DType::F32;

  /// `tensor<3x3xf32>`, as the engine spells it.
  std::string str() const {
    std::string text = "tensor<";
    for (int64_t dim : shape)
      text += std::to_string(dim) + "x";
    return text + dtypeName(dtype) + ">";
  }
};

/// Owns the MLIR state of one evaluation and collects every diagnostic as
/// `name:line:col: error: ...` text, the way graft::Engine does.
class Evaluator {
public:
  Evaluator(std::string_view source, const std::string &bufferName,
            const ReferenceOptions &options)
      : options(options), context(mlir::graft::createDialectRegistry(),
                                  mlir::MLIRContext::Threading::DISABLED),
        diagnostics(diagnosticText), handler(sourceMgr, &context, diagnostics) {
    sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(
            llvm::StringRef(source.data(), source.size()), bufferName),
        llvm::SMLoc());
  }

  /// Parses and verifies the module, picks the entry function with the
  /// engine's rules (`entryName`, or else the only public function) and
  /// checks its signature.
  Error parse(const std::string &entryName) {
    if (Error err = pickEntry(entryName))
      return err;
    if (auto wrtAttr = entry->getAttr(mlir::graft::kWrtAttrName)) {
      if (!options.ignoreWrt)
        return Error("function '" + name +
                     "' is marked graft.wrt; the reference evaluator does not "
                     "differentiate, run --graft-autodiff first");
      auto indices = llvm::dyn_cast<mlir::DenseI64ArrayAttr>(wrtAttr);
      if (!indices)
        return Error("function '" + name +
                     "': graft.wrt must be an array<i64> of argument indices");
      hasWrt = true;
      wrt.assign(indices.asArrayRef().begin(), indices.asArrayRef().end());
    }
    mlir::FunctionType type = entry.getFunctionType();
    if (Error err = collectSpecs(type.getInputs(), "argument", argumentSpecs))
      return err;
    if (Error err = collectSpecs(type.getResults(), "result", resultSpecs))
      return err;
    for (const Spec &spec : argumentSpecs)
      argumentShapes.push_back(spec.shape);
    for (const Spec &spec : resultSpecs)
      resultShapes.push_back(spec.shape);
    return Error::success();
  }

  /// Checks `inputs` against the signature, binds the arguments and
  /// evaluates the body.
  Expected<std::vector<Tensor>> evaluate(const std::vector<Tensor> &inputs) {
    values.clear();
    if (Error err = bindInputs(inputs))
      return err;
    Expected<std::vector<Tensor>> results = run();
    values.clear();
    return results;
  }

  std::string name;
  bool hasWrt = false;
  std::vector<int64_t> wrt;
  std::vector<Shape> argumentShapes, resultShapes;

private:
  Error pickEntry(const std::string &entryName) {
    module = mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
    if (!module)
      return failure("cannot parse the module");
    std::string error;
    entry = mlir::graft::findEntryFunction(*module, entryName, error);
    if (!entry)
      return failure(error);
    name = entry.getName().str();
    return Error::success();
  }

  /// Checks `inputs` against the signature and binds the arguments.
  Error bindInputs(const std::vector<Tensor> &inputs) {
    const std::vector<Spec> &specs = argumentSpecs;
    if (inputs.size() != specs.size()) {
      std::string types;
      for (const Spec &spec : specs)
        types += (types.empty() ? "" : ", ") + spec.str();
      return Error("function '" + name + "' expects " +
                   std::to_string(specs.size()) + " inputs (" + types +
                   "), got " + std::to_string(inputs.size()));
    }
    for (size_t i = 0; i < specs.size(); ++i) {
      const Tensor &tensor = inputs[i];
      Spec actual{tensor.shape(), tensor.dtype()};
      bool widened = options.acceptF64Inputs && specs[i].dtype == DType::F32 &&
                     actual.dtype == DType::F64;
      if (!tensor.valid() || actual.shape != specs[i].shape ||
          (actual.dtype != specs[i].dtype && !widened))
        return Error(
            "function '" + name + "' input " + std::to_string(i) + " must be " +
            specs[i].str() + ", got " +
            (tensor.valid() ? actual.str() : std::string("no tensor")));
      Buffer buffer(tensor.shape());
      for (int64_t j = 0; j < tensor.numel(); ++j)
        buffer.data[j] = elementAsDouble(tensor, j);
      values[entry.getArgument(i)] = std::move(buffer);
    }
    return Error::success();
  }

  /// Evaluates the body in order and returns the results as F64 tensors.
  Expected<std::vector<Tensor>> run() {
    if (!entry.getBody().hasOneBlock())
      return Error("function '" + name +
                   "' has control flow, which the reference evaluator does "
                   "not support");
    for (mlir::Operation &op : entry.getBody().front()) {
      if (auto ret = llvm::dyn_cast<mlir::func::ReturnOp>(op)) {
        std::vector<Tensor> results;
        for (mlir::Value value : ret.getOperands()) {
          const Buffer &buffer = values.at(value);
          results.push_back(Tensor::fromData(buffer.data, buffer.shape));
        }
        return results;
      }
      if (mlir::failed(evaluate(&op)))
        return failure("reference evaluation failed");
    }
    return Error("function '" + name + "' has no return"); // unreachable
  }


  /// The engine's rule: statically shaped tensors of f32, f64 or i64.
  Error collectSpecs(mlir::TypeRange types, const char *kind,
                     std::vector<Spec> &specs) {
    for (auto [index, type] : llvm::enumerate(types)) {
      auto tensor = llvm::dyn_cast<mlir::RankedTensorType>(type);
      const char *problem = nullptr;
      Spec spec;
      if (!tensor || !tensor.hasStaticShape()) {
        problem = "expected a statically shaped tensor";
      } else {
        spec.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
        mlir::Type element = tensor.getElementType();
        if (element.isF32())
          spec.dtype = DType::F32;
        else if (element.isF64())
          spec.dtype = DType::F64;
        else if (element.isInteger(64))
          spec.dtype = DType::I64;
        else
          problem = "element type must be f32, f64 or i64";
      }
      if (problem) {
        std::string typeText;
        llvm::raw_string_ostream os(typeText);
        os << type;
        return Error("function '" + name + "' " + kind + " " +
                     std::to_string(index) + " has type " + typeText + ": " +
                     problem);
      }
      specs.push_back(std::move(spec));
    }
    return Error::success();
  }

  /// Evaluates one op into `values`; reports unsupported ops as a
  /// diagnostic at the op's location.
  mlir::LogicalResult evaluate(mlir::Operation *op) {
    auto in = [&](unsigned i) -> const Buffer & {
      return values.at(op->getOperand(i));
    };
    auto unary = [&](double (*fn)(double)) { return elementwise(in(0), fn); };
    auto binary = [&](auto fn) {
      return elementwise(in(0), in(1), shapeOf(op->getResult(0)), fn);
    };
    auto reduction = [&](auto reduceOp, Reduction kind) {
      llvm::SmallVector<int64_t> dims = reduceOp.getReducedDims();
      return reduce(in(0), Shape(dims.begin(), dims.end()),
                    shapeOf(reduceOp.getResult()), kind);
    };
    auto softmaxLike = [&](auto softmaxOp, bool log) {
      // A scalar accepts dim 0 and -1, and normalizes to 0 here.
      int64_t rank = in(0).rank(), dim = softmaxOp.getDim();
      return softmax(in(0), dim < 0 ? dim + std::max<int64_t>(rank, 1) : dim,
                     log);
    };

    std::optional<Buffer> result =
        llvm::TypeSwitch<mlir::Operation *, std::optional<Buffer>>(op)
            // Creation.
            .Case([&](g::ConstantOp c) -> std::optional<Buffer> {
              mlir::DenseElementsAttr dense = c.getValue();
              Buffer out(shapeOf(c.getResult()));
              int64_t i = 0;
              for (const llvm::APFloat &x : dense.getValues<llvm::APFloat>())
                out.data[i++] = x.convertToDouble();
              return out;
            })
            .Case([&](g::RandOp r) {
              return random(r.getResult(), r.getSeed(), false);
            })
            .Case([&](g::RandnOp r) {
              return random(r.getResult(), r.getSeed(), true);
            })
            .Case([&](g::FullOp f) {
              Buffer out(shapeOf(f.getResult()));
              out.data.assign(out.data.size(), f.getValue().getValueAsDouble());
              roundToElementType(out, f.getResult());
              return out;
            })
            .Case([&](g::EyeOp e) {
              Buffer out(shapeOf(e.getResult()));
              forEachIndex(out.shape, [&](const Shape &index, int64_t flat) {
                out.data[flat] = index[0] == index[1] ? 1.0 : 0.0;
              });
              return out;
            })
            // Elementwise binary, broadcasting.
            .Case([&](g::AddOp) {
              return binary([](double a, double b) { return a + b; });
            })
            .Case([&](g::SubOp) {
              return binary([](double a, double b) { return a - b; });
            })
            .Case([&](g::MulOp) {
              return binary([](double a, double b) { return a * b; });
            })
            .Case([&](g::DivOp) {
              return binary([](double a, double b) { return a / b; });
            })
            .Case([&](g::PowOp) {
              return binary([](double a, double b) { return std::pow(a, b); });
            })
            .Case([&](g::MaximumOp) { return binary(maximum); })
            .Case([&](g::MinimumOp) { return binary(minimum); })
            // Comparisons, broadcasting.
            .Case([&](g::EqOp) {
              return binary([](double a, double b) { return mask(a == b); });
            })
            .Case([&](g::NeOp) {
              return binary([](double a, double b) { return mask(a != b); });
            })
            .Case([&](g::LtOp) {
              return binary([](double a, double b) { return mask(a < b); });
            })
            .Case([&](g::LeOp) {
              return binary([](double a, double b) { return mask(a <= b); });
            })
            .Case([&](g::GtOp) {
              return binary([](double a, double b) { return mask(a > b); });
            })
            .Case([&](g::GeOp) {
              return binary([](double a, double b) { return mask(a >= b); });
            })
            // Elementwise unary.
            .Case([&](g::NegOp) { return unary([](double x) { return -x; }); })
            .Case([&](g::ExpOp) {
              return unary([](double x) { return std::exp(x); });
            })
            .Case([&](g::LogOp) {
              return unary([](double x) { return std::log(x); });
            })
            .Case([&](g::SqrtOp) {
              return unary([](double x) { return std::sqrt(x); });
            })
            .Case([&](g::TanhOp) {
              return unary([](double x) { return std::tanh(x); });
            })
            .Case([&](g::SigmoidOp) { return unary(sigmoid); })
            .Case([&](g::ReluOp) { return unary(relu); })
            .Case([&](g::AbsOp) {
              return unary([](double x) { return std::fabs(x); });
            })
            // Linear algebra and shapes.
            .Case([&](g::MatMulOp m) {
              return matmul(in(0), in(1), shapeOf(m.getResult()));
            })
            .Case([&](g::TransposeOp t) {
              return transpose(in(0), t.getPerm(), shapeOf(t.getResult()));
            })
            .Case([&](g::ReshapeOp r) {
              Buffer out(shapeOf(r.getResult()));
              out.data = in(0).data;
              return out;
            })
            .Case([&](g::BroadcastToOp b) {
              return broadcastTo(in(0), shapeOf(b.getResult()));
            })
            // Reductions and softmax.
            .Case([&](g::SumOp s) { return reduction(s, Reduction::Sum); })
            .Case([&](g::MeanOp s) { return reduction(s, Reduction::Mean); })
            .Case([&](g::MaxOp s) { return reduction(s, Reduction::Max); })
            .Case([&](g::SoftmaxOp s) { return softmaxLike(s, false); })
            .Case([&](g::LogSoftmaxOp s) { return softmaxLike(s, true); })
            .Default([&](mlir::Operation *) -> std::optional<Buffer> {
              op->emitError("the reference evaluator does not support '")
                  << op->getName() << "'";
              return std::nullopt;
            });
    if (!result)
      return mlir::failure();
    values[op->getResult(0)] = std::move(*result);
    return mlir::success();
  }

  /// graft.rand / graft.randn: the runtime's generator in the element type
  /// (its values are the op's definition), widened to double.
  static Buffer random(mlir::Value value, uint64_t seed, bool normal) {
    Buffer out(shapeOf(value));
    int64_t n = numel(out.shape);
    auto type = llvm::cast<mlir::RankedTensorType>(value.getType());
    if (type.getElementType().isF32()) {
      std::vector<float> values(n);
      normal ? fillRandn(values.data(), n, seed)
             : fillRand(values.data(), n, seed);
      out.data.assign(values.begin(), values.end());
    } else {
      normal ? fillRandn(out.data.data(), n, seed)
             : fillRand(out.data.data(), n, seed);
    }
    return out;
  }

  /// Builds an Error from `what` and every diagnostic seen so far.
  Error failure(const std::string &what) {
    diagnostics.flush();
    std::string message = diagnosticText.empty() ? what : diagnosticText;
    while (!message.empty() && message.back() == '\n')
      message.pop_back();
    return Error(message);
  }

  ReferenceOptions options;
  mlir::MLIRContext context;
  llvm::SourceMgr sourceMgr;
  std::string diagnosticText;
  llvm::raw_string_ostream diagnostics;
  mlir::SourceMgrDiagnosticHandler handler;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp entry;
  std::vector<Spec> argumentSpecs, resultSpecs;
  llvm::DenseMap<mlir::Value, Buffer> values;
};

} // namespace

//===----------------------------------------------------------------------===//
// The public API
//===----------------------------------------------------------------------===//

struct graft::ReferenceFunction::Impl {
  Impl(std::string_view source, const std::string &bufferName,
       const ReferenceOptions &options)
      : evaluator(source, bufferName, options) {}
  Evaluator evaluator;
};

graft::ReferenceFunction::ReferenceFunction(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
graft::ReferenceFunction::ReferenceFunction(ReferenceFunction &&) noexcept =
    default;
graft::ReferenceFunction &
graft::ReferenceFunction::operator=(ReferenceFunction &&) noexcept = default;
graft::ReferenceFunction::~ReferenceFunction() = default;

Expected<ReferenceFunction> graft::ReferenceFunction::create(
    std::string_view source, const std::string &entry,
    const std::string &bufferName, const ReferenceOptions &options) {
  auto impl = std::make_unique<Impl>(source, bufferName, options);
  if (Error err = impl->evaluator.parse(entry))
    return err;
  return ReferenceFunction(std::move(impl));
}

const std::string &graft::ReferenceFunction::name() const {
  return impl_->evaluator.name;
}
const std::vector<std::vector<int64_t>> &
graft::ReferenceFunction::argumentShapes() const {
  return impl_->evaluator.argumentShapes;
}
const std::vector<std::vector<int64_t>> &
graft::ReferenceFunction::resultShapes() const {
  return impl_->evaluator.resultShapes;
}
bool graft::ReferenceFunction::hasWrt() const {
  return impl_->evaluator.hasWrt;
}
const std::vector<int64_t> &graft::ReferenceFunction::wrt() const {
  return impl_->evaluator.wrt;
}

Expected<std::vector<Tensor>>
graft::ReferenceFunction::evaluate(const std::vector<Tensor> &inputs) {
  return impl_->evaluator.evaluate(inputs);
}

Expected<std::vector<Tensor>> graft::evaluateReference(
    std::string_view source, const std::vector<Tensor> &inputs,
    const std::string &entry, const std::string &bufferName,
    const ReferenceOptions &options) {
  Expected<ReferenceFunction> function =
      ReferenceFunction::create(source, entry, bufferName, options);
  if (!function)
    return function.error();
  return function->evaluate(inputs);
}
