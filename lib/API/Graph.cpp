//===- Graph.cpp - Build static tensor graphs in C++ ------------*- C++ -*-===//
//
// This file implements graft::Graph and graft::Value on top of graft IR. A
// graph owns an MLIRContext and a func.func whose body grows as ops are
// added; each op is verified as soon as it is built, so shape errors surface
// at build time with the verifier's message. graft::grad runs the very same
// graft-autodiff pass on a copy and splices the backward ops back in.
//
//===----------------------------------------------------------------------===//

#include "graft/API/Graph.h"

#include "graft/Dialect/Graft/IR/GraftOps.h"
#include "graft/Dialect/Graft/Transforms/Passes.h"
#include "graft/InitAll.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

namespace graft {

namespace {

mlir::Type elementTypeOf(mlir::MLIRContext *ctx, DType dtype) {
  mlir::Builder b(ctx);
  switch (dtype) {
  case DType::F32:
    return b.getF32Type();
  case DType::F64:
    return b.getF64Type();
  case DType::I64:
    return b.getI64Type();
  }
  return {};
}

DType dtypeOf(mlir::Type element) {
  if (element.isF64())
    return DType::F64;
  if (element.isInteger(64))
    return DType::I64;
  return DType::F32;
}

} // namespace

//===----------------------------------------------------------------------===//
// GraphImpl
//===----------------------------------------------------------------------===//

struct GraphImpl : std::enable_shared_from_this<GraphImpl> {
  explicit GraphImpl(const std::string &name)
      : context(mlir::graft::createDialectRegistry(),
                mlir::MLIRContext::Threading::DISABLED),
        builder(&context) {
    context.loadAllAvailableDialects();
    module = mlir::ModuleOp::create(builder.getUnknownLoc());
    builder.setInsertionPointToEnd(module->getBody());
    func = mlir::func::FuncOp::create(builder, builder.getUnknownLoc(), name,
                                      builder.getFunctionType({}, {}));
    builder.setInsertionPointToEnd(func.addEntryBlock());
    // A symbol cannot be empty: the graph would print as IR that no parser
    // accepts.
    if (name.empty())
      fail("a graph's function name must not be empty");
  }

  /// Records `value` and returns its id.
  int64_t record(mlir::Value value) {
    values.push_back(value);
    return static_cast<int64_t>(values.size()) - 1;
  }

  Value wrap(mlir::Value value) {
    return Value(shared_from_this(), record(value));
  }

  /// The Values of the ids in `ids`.
  std::vector<Value> wrapIds(const std::vector<int64_t> &ids) {
    std::vector<Value> result;
    for (int64_t id : ids)
      result.push_back(Value(shared_from_this(), id));
    return result;
  }

  mlir::Value unwrap(const Value &value) const { return values[value.id_]; }

  static GraphImpl *of(const Value &value) { return value.impl_.get(); }

  /// Records the first error; later ones are consequences of it.
  void fail(const std::string &message) {
    if (!error)
      error = Error(message);
  }

  /// Verifies a freshly built op. On failure the op is erased, the
  /// verifier's message becomes the graph's error, and an invalid Value is
  /// returned.
  Value check(mlir::Operation *op) {
    std::string message;
    {
      mlir::ScopedDiagnosticHandler handler(&context,
                                            [&](mlir::Diagnostic &diag) {
                                              if (message.empty())
                                                message = diag.str();
                                              return mlir::success();
                                            });
      if (mlir::succeeded(mlir::verify(op)))
        return wrap(op->getResult(0));
    }
    op->erase();
    fail(message);
    return Value();
  }

  /// Resolves the operands of a new op: all valid and from this graph.
  bool operands(const char *opName, std::initializer_list<Value> values,
                llvm::SmallVectorImpl<mlir::Value> &result) {
    for (const Value &value : values) {
      if (!value.valid())
        return false; // An earlier error is already recorded.
      if (of(value) != this) {
        fail(std::string("'graft.") + opName +
             "': an operand belongs to another graph");
        return false;
      }
      result.push_back(unwrap(value));
    }
    return true;
  }

  mlir::Location loc(const char *opName) {
    return mlir::NameLoc::get(builder.getStringAttr(opName));
  }

  /// Builds op `OpT` on `operands` (all Values of one graph), passing
  /// `args` on to its builder after them.
  template <typename OpT, typename... Args>
  static Value build(const char *opName, std::initializer_list<Value> operands,
                     Args &&...args) {
    for (const Value &v : operands)
      if (!v.valid())
        return Value(); // An earlier error is already recorded.
    GraphImpl *graph = of(*operands.begin());
    llvm::SmallVector<mlir::Value, 2> resolved;
    if (!graph->operands(opName, operands, resolved))
      return Value();
    mlir::OperationState state(graph->loc(opName), OpT::getOperationName());
    if constexpr (sizeof...(Args) == 0 && isBinary<OpT>())
      OpT::build(graph->builder, state, resolved[0], resolved[1]);
    else
      OpT::build(graph->builder, state, resolved[0],
                 std::forward<Args>(args)...);
    return graph->check(graph->builder.create(state));
  }

  /// Ops built from two operands and nothing else.
  template <typename OpT> static constexpr bool isBinary() {
    return OpT::template hasTrait<mlir::OpTrait::NOperands<2>::Impl>();
  }

  mlir::RankedTensorType tensorType(const std::vector<int64_t> &shape,
                                    DType dtype) {
    return mlir::RankedTensorType::get(shape, elementTypeOf(&context, dtype));
  }

  /// A result type for a creation op, or null after recording an error.
  mlir::RankedTensorType creationType(const char *opName,
                                      const std::vector<int64_t> &shape,
                                      DType dtype) {
    Expected<int64_t> numel = Tensor::checkedNumel(shape);
    if (!numel) {
      fail(std::string("'graft.") + opName + "': " + numel.error().message());
      return {};
    }
    if (dtype == DType::I64) {
      fail(std::string("'graft.") + opName + "': dtype must be f32 or f64");
      return {};
    }
    return tensorType(shape, dtype);
  }

  /// A module holding a copy of the function that returns `outputs`.
  mlir::OwningOpRef<mlir::ModuleOp> finish(llvm::ArrayRef<mlir::Value> outputs,
                                           mlir::IRMapping &mapping) {
    mlir::OwningOpRef<mlir::ModuleOp> copy(
        mlir::cast<mlir::ModuleOp>(module->getOperation()->clone(mapping)));
    auto copyFunc = *copy->getOps<mlir::func::FuncOp>().begin();
    mlir::OpBuilder b(&context);
    b.setInsertionPointToEnd(&copyFunc.front());
    llvm::SmallVector<mlir::Value> results;
    for (mlir::Value output : outputs)
      results.push_back(mapping.lookupOrDefault(output));
    mlir::func::ReturnOp::create(b, b.getUnknownLoc(), results);
    copyFunc.setFunctionType(
        b.getFunctionType(copyFunc.front().getArgumentTypes(),
                          mlir::ValueRange(results).getTypes()));
    return copy;
  }

  Value input(const std::string &name, const std::vector<int64_t> &shape,
              DType dtype) {
    mlir::RankedTensorType type = creationType("input", shape, dtype);
    if (!type)
      return Value();
    mlir::Block &body = func.front();
    mlir::BlockArgument arg =
        body.addArgument(type, mlir::NameLoc::get(builder.getStringAttr(name)));
    func.setFunctionType(builder.getFunctionType(body.getArgumentTypes(),
                                                 func.getResultTypes()));
    inputs.push_back(record(arg));
    return Value(shared_from_this(), inputs.back());
  }

  Value constant(const Tensor &value) {
    if (!value.valid() || value.dtype() == DType::I64) {
      fail("'graft.constant': the tensor must be a valid f32 or f64 tensor");
      return Value();
    }
    mlir::RankedTensorType type = tensorType(value.shape(), value.dtype());
    llvm::ArrayRef<char> bytes(static_cast<const char *>(value.data()),
                               value.nbytes());
    auto attr = mlir::DenseElementsAttr::getFromRawBuffer(type, bytes);
    return check(
        mlir::graft::ConstantOp::create(builder, loc("constant"), attr));
  }

  mlir::MLIRContext context;
  mlir::OpBuilder builder;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  mlir::func::FuncOp func;
  std::vector<mlir::Value> values;
  // Ids into `values`, not Values: a Value owns its graph, so a graph that
  // held Values of itself would never be freed.
  std::vector<int64_t> inputs, outputs;
  Error error = Error::success();
};

//===----------------------------------------------------------------------===//
// Value
//===----------------------------------------------------------------------===//

std::vector<int64_t> Value::shape() const {
  auto type = valid() ? mlir::dyn_cast<mlir::RankedTensorType>(
                            impl_->unwrap(*this).getType())
                      : mlir::RankedTensorType();
  if (!type)
    return {};
  return std::vector<int64_t>(type.getShape().begin(), type.getShape().end());
}

int64_t Value::rank() const { return static_cast<int64_t>(shape().size()); }

DType Value::dtype() const {
  auto type = valid() ? mlir::dyn_cast<mlir::RankedTensorType>(
                            impl_->unwrap(*this).getType())
                      : mlir::RankedTensorType();
  return type ? dtypeOf(type.getElementType()) : DType::F32;
}

//===----------------------------------------------------------------------===//
// Graph
//===----------------------------------------------------------------------===//

Graph::Graph(const std::string &name)
    : impl_(std::make_shared<GraphImpl>(name)) {}
Graph::~Graph() = default;
Graph::Graph(Graph &&) noexcept = default;
Graph &Graph::operator=(Graph &&) noexcept = default;

GraphImpl &Graph::impl() const {
  if (!impl_)
    impl_ = std::make_shared<GraphImpl>("main");
  return *impl_;
}

Expected<Graph> Graph::parse(std::string_view source,
                             const std::string &bufferName) {
  Graph graph;
  GraphImpl &impl = graph.impl();
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(source.data(), source.size()), bufferName),
      llvm::SMLoc());
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &impl.context, os);
  mlir::OwningOpRef<mlir::ModuleOp> parsed =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &impl.context);
  if (!parsed)
    return Error(diagnostics.empty() ? "cannot parse the graph" : diagnostics);
  auto funcs = llvm::to_vector(parsed->getOps<mlir::func::FuncOp>());
  if (funcs.size() != 1 || funcs.front().isExternal() ||
      !funcs.front().getBody().hasOneBlock())
    return Error(bufferName +
                 ": a graph must be a module with exactly one function "
                 "of one block");
  mlir::func::FuncOp func = funcs.front();
  auto isGraftTensor = [](mlir::Type type) {
    auto tensor = mlir::dyn_cast<mlir::RankedTensorType>(type);
    return tensor && tensor.hasStaticShape() &&
           mlir::isa<mlir::Float32Type, mlir::Float64Type>(
               tensor.getElementType());
  };
  if (!llvm::all_of(func.getArgumentTypes(), isGraftTensor) ||
      !llvm::all_of(func.getResultTypes(), isGraftTensor))
    return Error(bufferName + ": every argument and result of a graph must "
                              "be a statically shaped f32 or f64 tensor");
  impl.module = std::move(parsed);
  impl.func = func;
  mlir::Block &body = impl.func.front();
  for (mlir::BlockArgument arg : body.getArguments())
    impl.inputs.push_back(impl.record(arg));
  auto ret = mlir::dyn_cast<mlir::func::ReturnOp>(body.getTerminator());
  if (!ret)
    return Error(bufferName + ": the function must end in func.return");
  for (mlir::Value result : ret.getOperands())
    impl.outputs.push_back(impl.record(result));
  ret.erase();
  impl.builder.setInsertionPointToEnd(&body);
  return graph;
}

Value Graph::input(const std::string &name, std::vector<int64_t> shape,
                   DType dtype) {
  return impl().input(name, shape, dtype);
}

Value Graph::constant(const Tensor &value) { return impl().constant(value); }

Value Graph::full(std::vector<int64_t> shape, double value, DType dtype) {
  GraphImpl &impl = this->impl();
  mlir::RankedTensorType type = impl.creationType("full", shape, dtype);
  if (!type)
    return Value();
  return impl.check(mlir::graft::FullOp::create(
      impl.builder, impl.loc("full"), type,
      impl.builder.getFloatAttr(type.getElementType(), value)));
}

Value Graph::zeros(std::vector<int64_t> shape, DType dtype) {
  return full(std::move(shape), 0.0, dtype);
}

Value Graph::ones(std::vector<int64_t> shape, DType dtype) {
  return full(std::move(shape), 1.0, dtype);
}

Value Graph::eye(int64_t n, int64_t m, DType dtype) {
  GraphImpl &impl = this->impl();
  mlir::RankedTensorType type =
      impl.creationType("eye", {n, m < 0 ? n : m}, dtype);
  if (!type)
    return Value();
  return impl.check(
      mlir::graft::EyeOp::create(impl.builder, impl.loc("eye"), type));
}

Value Graph::rand(std::vector<int64_t> shape, uint64_t seed, DType dtype) {
  GraphImpl &impl = this->impl();
  mlir::RankedTensorType type = impl.creationType("rand", shape, dtype);
  if (!type)
    return Value();
  return impl.check(mlir::graft::RandOp::create(
      impl.builder, impl.loc("rand"), type,
      impl.builder.getI64IntegerAttr(static_cast<int64_t>(seed))));
}

Value Graph::randn(std::vector<int64_t> shape, uint64_t seed, DType dtype) {
  GraphImpl &impl = this->impl();
  mlir::RankedTensorType type = impl.creationType("randn", shape, dtype);
  if (!type)
    return Value();
  return impl.check(mlir::graft::RandnOp::create(
      impl.builder, impl.loc("randn"), type,
      impl.builder.getI64IntegerAttr(static_cast<int64_t>(seed))));
}

void Graph::output(const Value &value) {
  if (!value.valid()) {
    impl().fail("output: the value is invalid (an earlier op failed?)");
    return;
  }
  if (GraphImpl::of(value) != &impl()) {
    impl().fail("output: the value belongs to another graph");
    return;
  }
  impl().outputs.push_back(value.id_);
}

void Graph::output(const std::vector<Value> &values) {
  for (const Value &value : values)
    output(value);
}

std::vector<Value> Graph::inputs() const {
  return impl().wrapIds(impl().inputs);
}
std::vector<Value> Graph::outputs() const {
  return impl().wrapIds(impl().outputs);
}
const Error &Graph::error() const { return impl().error; }
std::string Graph::name() const { return impl().func.getName().str(); }

std::string Graph::print() const {
  llvm::SmallVector<mlir::Value> outputs;
  for (int64_t output : impl().outputs)
    outputs.push_back(impl().values[output]);
  mlir::IRMapping mapping;
  mlir::OwningOpRef<mlir::ModuleOp> module = impl().finish(outputs, mapping);
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  return text;
}

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

using namespace mlir::graft;

#define GRAFT_BINARY(fn, OpT, name)                                            \
  Value fn(const Value &lhs, const Value &rhs) {                               \
    return GraphImpl::build<OpT>(name, {lhs, rhs});                            \
  }
GRAFT_BINARY(add, AddOp, "add")
GRAFT_BINARY(sub, SubOp, "sub")
GRAFT_BINARY(mul, MulOp, "mul")
GRAFT_BINARY(div, DivOp, "div")
GRAFT_BINARY(pow, PowOp, "pow")
GRAFT_BINARY(maximum, MaximumOp, "maximum")
GRAFT_BINARY(minimum, MinimumOp, "minimum")
GRAFT_BINARY(eq, EqOp, "eq")
GRAFT_BINARY(ne, NeOp, "ne")
GRAFT_BINARY(lt, LtOp, "lt")
GRAFT_BINARY(le, LeOp, "le")
GRAFT_BINARY(gt, GtOp, "gt")
GRAFT_BINARY(ge, GeOp, "ge")
GRAFT_BINARY(matmul, MatMulOp, "matmul")
#undef GRAFT_BINARY

#define GRAFT_UNARY(fn, OpT, name)                                             \
  Value fn(const Value &x) { return GraphImpl::build<OpT>(name, {x}); }
GRAFT_UNARY(neg, NegOp, "neg")
GRAFT_UNARY(exp, ExpOp, "exp")
GRAFT_UNARY(log, LogOp, "log")
GRAFT_UNARY(sqrt, SqrtOp, "sqrt")
GRAFT_UNARY(tanh, TanhOp, "tanh")
GRAFT_UNARY(sigmoid, SigmoidOp, "sigmoid")
GRAFT_UNARY(relu, ReluOp, "relu")
GRAFT_UNARY(abs, AbsOp, "abs")
#undef GRAFT_UNARY

Value operator+(const Value &lhs, const Value &rhs) { return add(lhs, rhs); }
Value operator-(const Value &lhs, const Value &rhs) { return sub(lhs, rhs); }
Value operator*(const Value &lhs, const Value &rhs) { return mul(lhs, rhs); }
Value operator/(const Value &lhs, const Value &rhs) { return div(lhs, rhs); }
Value operator-(const Value &x) { return neg(x); }

namespace {
/// A rank-0 constant of x's dtype in x's graph.
Value scalarLike(const Value &x, double c) {
  if (!x.valid())
    return Value();
  return GraphImpl::of(x)->constant(Tensor::full({}, c, x.dtype()));
}
} // namespace

Value operator+(const Value &x, double c) { return x + scalarLike(x, c); }
Value operator-(const Value &x, double c) { return x - scalarLike(x, c); }
Value operator*(const Value &x, double c) { return x * scalarLike(x, c); }
Value operator/(const Value &x, double c) { return x / scalarLike(x, c); }
Value operator+(double c, const Value &x) { return scalarLike(x, c) + x; }
Value operator-(double c, const Value &x) { return scalarLike(x, c) - x; }
Value operator*(double c, const Value &x) { return scalarLike(x, c) * x; }
Value operator/(double c, const Value &x) { return scalarLike(x, c) / x; }

Value transpose(const Value &x, std::vector<int64_t> perm) {
  return GraphImpl::build<TransposeOp>("transpose", {x},
                                       llvm::ArrayRef<int64_t>(perm));
}

Value reshape(const Value &x, std::vector<int64_t> shape) {
  if (!x.valid())
    return Value();
  GraphImpl &impl = *GraphImpl::of(x);
  if (!impl.creationType("reshape", shape, x.dtype()))
    return Value();
  mlir::RankedTensorType type = impl.tensorType(shape, x.dtype());
  return impl.check(ReshapeOp::create(impl.builder, impl.loc("reshape"), type,
                                      impl.unwrap(x)));
}

Value broadcastTo(const Value &x, std::vector<int64_t> shape) {
  if (!x.valid())
    return Value();
  GraphImpl &impl = *GraphImpl::of(x);
  if (!impl.creationType("broadcast_to", shape, x.dtype()))
    return Value();
  mlir::RankedTensorType type = impl.tensorType(shape, x.dtype());
  return impl.check(BroadcastToOp::create(
      impl.builder, impl.loc("broadcast_to"), type, impl.unwrap(x)));
}

Value sum(const Value &x, std::vector<int64_t> dims, bool keepdim) {
  return GraphImpl::build<SumOp>("sum", {x}, llvm::ArrayRef<int64_t>(dims),
                                 keepdim);
}

Value mean(const Value &x, std::vector<int64_t> dims, bool keepdim) {
  return GraphImpl::build<MeanOp>("mean", {x}, llvm::ArrayRef<int64_t>(dims),
                                  keepdim);
}

Value max(const Value &x, std::vector<int64_t> dims, bool keepdim) {
  return GraphImpl::build<MaxOp>("max", {x}, llvm::ArrayRef<int64_t>(dims),
                                 keepdim);
}

Value softmax(const Value &x, int64_t dim) {
  if (!x.valid())
    return Value();
  GraphImpl &impl = *GraphImpl::of(x);
  mlir::Value input = impl.unwrap(x);
  return impl.check(SoftmaxOp::create(impl.builder, impl.loc("softmax"),
                                      input.getType(), input,
                                      impl.builder.getI64IntegerAttr(dim)));
}

Value logSoftmax(const Value &x, int64_t dim) {
  if (!x.valid())
    return Value();
  GraphImpl &impl = *GraphImpl::of(x);
  mlir::Value input = impl.unwrap(x);
  return impl.check(LogSoftmaxOp::create(impl.builder, impl.loc("log_softmax"),
                                         input.getType(), input,
                                         impl.builder.getI64IntegerAttr(dim)));
}

//===----------------------------------------------------------------------===//
// grad
//===----------------------------------------------------------------------===//

Expected<std::vector<Value>> grad(const Value &loss,
                                  const std::vector<Value> &wrt) {
  if (!loss.valid())
    return Error("grad: the loss is invalid (an earlier op failed?)");
  GraphImpl &impl = *GraphImpl::of(loss);
  if (impl.error)
    return impl.error;
  mlir::Block &body = impl.func.front();
  llvm::SmallVector<int64_t> indices;
  for (const Value &w : wrt) {
    if (!w.valid() || GraphImpl::of(w) != &impl)
      return Error("grad: every value in wrt must be a valid input of the "
                   "loss's graph");
    auto arg = mlir::dyn_cast<mlir::BlockArgument>(impl.unwrap(w));
    if (!arg || arg.getOwner() != &body)
      return Error("grad: a value in wrt is not a graph input; gradients "
                   "are taken with respect to inputs");
    indices.push_back(arg.getArgNumber());
  }

  // Differentiate a copy that returns the loss, with the same pass the
  // compiler runs.
  mlir::IRMapping mapping;
  mlir::OwningOpRef<mlir::ModuleOp> copy =
      impl.finish({impl.unwrap(loss)}, mapping);
  auto copyFunc = *copy->getOps<mlir::func::FuncOp>().begin();
  copyFunc->setAttr(kWrtAttrName, impl.builder.getDenseI64ArrayAttr(indices));
  std::string diagnostics;
  {
    mlir::ScopedDiagnosticHandler handler(
        &impl.context, [&](mlir::Diagnostic &diag) {
          if (diagnostics.empty())
            diagnostics = "grad: " + diag.str();
          return mlir::success();
        });
    mlir::PassManager pm(&impl.context);
    pm.addPass(createGraftAutodiffPass());
    if (mlir::failed(pm.run(*copy)))
      return Error(diagnostics.empty() ? "grad: differentiation failed"
                                       : diagnostics);
  }

  // Splice the backward ops back: the copy's forward ops are the graph's
  // own, in the same order, so they map back one to one.
  mlir::IRMapping back;
  mlir::Block &copyBody = copyFunc.front();
  for (auto [original, copied] :
       llvm::zip(body.getArguments(), copyBody.getArguments()))
    back.map(copied, original);
  if (copyBody.getNumArguments() > body.getNumArguments()) {
    // A non-scalar loss: the incoming gradient becomes a new input.
    Value input = impl.input("grad", loss.shape(), loss.dtype());
    back.map(copyBody.getArguments().back(), impl.unwrap(input));
  }
  auto originalOps = llvm::to_vector(llvm::map_range(
      body.getOperations(), [](mlir::Operation &op) { return &op; }));
  auto copiedOps = llvm::to_vector(llvm::map_range(
      copyBody.without_terminator(), [](mlir::Operation &op) { return &op; }));
  for (auto [original, copied] : llvm::zip(originalOps, copiedOps))
    back.map(copied->getResults(), original->getResults());
  for (mlir::Operation *op :
       llvm::ArrayRef<mlir::Operation *>(copiedOps).drop_front(
           originalOps.size()))
    impl.builder.clone(*op, back);

  std::vector<Value> grads;
  auto ret = mlir::cast<mlir::func::ReturnOp>(copyBody.getTerminator());
  for (mlir::Value grad : ret.getOperands().drop_front())
    grads.push_back(impl.wrap(back.lookup(grad)));
  return grads;
}

} // namespace graft
