//===- Graph.h - Build static tensor graphs in C++ --------------*- C++ -*-===//
//
// The C++ front end: graft::Graph records a static dataflow graph of graft
// ops, and graft::Value is a node of it. The graph is graft IR (a func.func
// of graft ops) behind a pimpl, so everything built here can be printed,
// reloaded, differentiated with graft::grad and compiled with graft::Engine.
// No MLIR type appears in this header.
//
// Shape errors are reported at build time: an op whose operands do not fit
// (shapes that do not broadcast, a contraction mismatch, a bad dim) records
// an error naming the op and the shapes, and returns an invalid Value. The
// first error sticks to the graph: Graph::error() returns it, every later op
// on an invalid Value is a no-op, and Engine::compile(graph) fails with it.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_API_GRAPH_H
#define GRAFT_API_GRAPH_H

#include "graft/Runtime/Error.h"
#include "graft/Runtime/Tensor.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace graft {

class Graph;
struct GraphImpl;

/// A node of a Graph: a tensor-valued result of an input or an op. Cheap to
/// copy. A default-constructed Value, or the result of an op that failed to
/// build, is invalid.
class Value {
public:
  Value() = default;

  bool valid() const { return impl_ != nullptr; }
  /// Empty for an invalid Value.
  std::vector<int64_t> shape() const;
  int64_t rank() const;
  DType dtype() const;

private:
  friend struct GraphImpl;
  friend class Graph;
  Value(std::shared_ptr<GraphImpl> impl, int64_t id)
      : impl_(std::move(impl)), id_(id) {}
  std::shared_ptr<GraphImpl> impl_;
  int64_t id_ = -1;
};

/// A static graph with named inputs and an ordered list of outputs.
class Graph {
public:
  /// An empty graph whose function is called `name`.
  explicit Graph(const std::string &name = "main");
  ~Graph();
  Graph(Graph &&) noexcept;
  Graph &operator=(Graph &&) noexcept;
  Graph(const Graph &) = delete;
  Graph &operator=(const Graph &) = delete;

  /// Parses graft IR text with exactly one function into a graph whose
  /// inputs and outputs are that function's arguments and results.
  static Expected<Graph> parse(std::string_view source,
                               const std::string &bufferName = "<graph>");

  /// A new input (a function argument) of the given shape and dtype.
  Value input(const std::string &name, std::vector<int64_t> shape,
              DType dtype = DType::F32);

  /// Creation ops.
  Value constant(const Tensor &value);
  Value full(std::vector<int64_t> shape, double value,
             DType dtype = DType::F32);
  Value zeros(std::vector<int64_t> shape, DType dtype = DType::F32);
  Value ones(std::vector<int64_t> shape, DType dtype = DType::F32);
  Value eye(int64_t n, int64_t m = -1, DType dtype = DType::F32);
  /// torch.manual_seed(seed); torch.rand(shape), bit for bit.
  Value rand(std::vector<int64_t> shape, uint64_t seed,
             DType dtype = DType::F32);
  Value randn(std::vector<int64_t> shape, uint64_t seed,
              DType dtype = DType::F32);

  /// Appends outputs; the compiled function returns them in order.
  void output(const Value &value);
  void output(const std::vector<Value> &values);

  /// The inputs and outputs so far.
  std::vector<Value> inputs() const;
  std::vector<Value> outputs() const;

  /// The first build error, or success.
  const Error &error() const;

  /// The graph as graft IR text (a module with one func.func).
  std::string print() const;

  /// The function's name.
  std::string name() const;

private:
  friend struct GraphImpl;
  /// The graph's state; a moved-from Graph gets a fresh, empty one.
  GraphImpl &impl() const;
  mutable std::shared_ptr<GraphImpl> impl_;
};

//===----------------------------------------------------------------------===//
// Ops. Each takes Values of one graph and returns a Value of it.
//===----------------------------------------------------------------------===//

/// Elementwise with NumPy broadcasting.
Value add(const Value &lhs, const Value &rhs);
Value sub(const Value &lhs, const Value &rhs);
Value mul(const Value &lhs, const Value &rhs);
Value div(const Value &lhs, const Value &rhs);
Value pow(const Value &lhs, const Value &rhs);
Value maximum(const Value &lhs, const Value &rhs);
Value minimum(const Value &lhs, const Value &rhs);
/// Comparisons give 1.0 / 0.0 masks in the operands' dtype.
Value eq(const Value &lhs, const Value &rhs);
Value ne(const Value &lhs, const Value &rhs);
Value lt(const Value &lhs, const Value &rhs);
Value le(const Value &lhs, const Value &rhs);
Value gt(const Value &lhs, const Value &rhs);
Value ge(const Value &lhs, const Value &rhs);

Value operator+(const Value &lhs, const Value &rhs);
Value operator-(const Value &lhs, const Value &rhs);
Value operator*(const Value &lhs, const Value &rhs);
Value operator/(const Value &lhs, const Value &rhs);
Value operator-(const Value &x);
/// With a scalar: the scalar becomes a rank-0 constant of x's dtype.
Value operator+(const Value &x, double c);
Value operator-(const Value &x, double c);
Value operator*(const Value &x, double c);
Value operator/(const Value &x, double c);
Value operator+(double c, const Value &x);
Value operator-(double c, const Value &x);
Value operator*(double c, const Value &x);
Value operator/(double c, const Value &x);

Value neg(const Value &x);
Value exp(const Value &x);
Value log(const Value &x);
Value sqrt(const Value &x);
Value tanh(const Value &x);
Value sigmoid(const Value &x);
Value relu(const Value &x);
Value abs(const Value &x);

/// torch.matmul for operands of rank >= 2 (batch dims broadcast).
Value matmul(const Value &lhs, const Value &rhs);
/// torch.permute.
Value transpose(const Value &x, std::vector<int64_t> perm);
/// torch.reshape; the element count must match.
Value reshape(const Value &x, std::vector<int64_t> shape);
/// torch.expand.
Value broadcastTo(const Value &x, std::vector<int64_t> shape);

/// Reductions over `dims` (empty = all, negative from the back).
Value sum(const Value &x, std::vector<int64_t> dims = {}, bool keepdim = false);
Value mean(const Value &x, std::vector<int64_t> dims = {},
           bool keepdim = false);
Value max(const Value &x, std::vector<int64_t> dims = {}, bool keepdim = false);

Value softmax(const Value &x, int64_t dim);
Value logSoftmax(const Value &x, int64_t dim);

/// Appends the backward graph of `loss` through the graft-autodiff pass and
/// returns d loss / d w for each w in `wrt`, which must be inputs of the
/// same graph. A loss that is not rank 0 gets its incoming gradient from a
/// new input named "grad" (one per call), as the autodiff contract says.
/// grad may be applied again to values of a backward graph (higher order).
/// Errors (a non-input in `wrt`, a gradient through a comparison) come back
/// as Error; the graph is unchanged then.
Expected<std::vector<Value>> grad(const Value &loss,
                                  const std::vector<Value> &wrt);

} // namespace graft

#endif // GRAFT_API_GRAPH_H
