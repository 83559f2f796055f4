//===- RandomGraph.cpp - Random well-typed graft functions ----------------===//
//
// This file implements generateRandomGraph. The generator draws from the
// whole op set and respects every shape rule: broadcasting partners, matmul
// contraction dims and broadcast batch dims, permutations, reduction dims
// (negative, unsorted, empty, on scalars), element-count preserving
// reshapes and broadcast_to targets.
//
// Values are kept where the ops are well defined and smooth enough to
// compare: log, sqrt and pow see `abs(x) + 0.5`, divisors are
// `abs(y) + 0.5` (possibly negated), exp's argument is scaled into [-4, 4],
// and the generator tracks a bound on |x| for every value, rescaling by a
// constant when it passes 64.
//
//===----------------------------------------------------------------------===//

#include "RandomGraph.h"

#include "graft/Engine/Engine.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace graft;
using namespace graft::test;

std::string graft::test::joinWithCommas(const std::vector<std::string> &items) {
  std::string text;
  for (size_t i = 0; i < items.size(); ++i)
    text += (i ? ", " : "") + items[i];
  return text;
}

std::string graft::test::i64Array(const std::vector<int64_t> &values) {
  std::string text = "array<i64";
  for (size_t i = 0; i < values.size(); ++i)
    text += (i ? ", " : ": ") + std::to_string(values[i]);
  return text + ">";
}

void graft::test::forEachOnTwoThreads(
    int count, const std::function<void(int, int)> &work) {
  auto run = [&](int worker) {
    for (int index = worker; index < count; index += 2)
      work(index, worker);
  };
  std::thread other(run, 1);
  run(0);
  other.join();
}

namespace {

using Shape = std::vector<int64_t>;

constexpr size_t kMaxRank = 4;
/// Values whose bound passes this are rescaled to 1.
constexpr double kMaxBound = 64;

const int64_t kDims[] = {1, 2, 3, 5, 7, 16, 33};

int64_t numel(const Shape &shape) {
  int64_t n = 1;
  for (int64_t dim : shape)
    n *= dim;
  return n;
}

std::string join(const std::vector<std::string> &items) {
  return joinWithCommas(items);
}

Shape broadcast(const Shape &lhs, const Shape &rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  Shape result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t l = i + lhs.size() < rank ? 1 : lhs[i + lhs.size() - rank];
    int64_t r = i + rhs.size() < rank ? 1 : rhs[i + rhs.size() - rank];
    result[i] = l == 1 ? r : l;
  }
  return result;
}

bool broadcasts(const Shape &lhs, const Shape &rhs) {
  for (size_t i = 1; i <= std::min(lhs.size(), rhs.size()); ++i) {
    int64_t l = lhs[lhs.size() - i], r = rhs[rhs.size() - i];
    if (l != r && l != 1 && r != 1)
      return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// The generator
//===----------------------------------------------------------------------===//

/// Builds one random function. Only std::mt19937's output, which the
/// standard fixes, feeds the choices, so a seed gives the same graph on
/// every platform.
class GraphGenerator {
public:
  GraphGenerator(uint64_t seed, const RandomGraphOptions &options)
      : rng(static_cast<uint32_t>(seed)), dtype(options.dtype),
        options(options) {}

  /// A function with 3-10 random ops (plus the guard and rescaling ops
  /// they need).
  RandomGraph generate() {
    int steps = static_cast<int>(between(3, 10));
    for (int i = 0; i < steps; ++i)
      step();
    RandomGraph graph;
    std::vector<std::string> results, types;
    for (const Value &value : values)
      if (!value.used && !value.helper) {
        results.push_back(value.name);
        types.push_back(typeOf(value.shape));
        graph.bounds.push_back(value.bound);
      }
    graph.numArguments = static_cast<int>(args.size());
    std::string attributes;
    if (options.differentiable && !args.empty()) {
      Shape all(args.size());
      for (size_t i = 0; i < all.size(); ++i)
        all[i] = static_cast<int64_t>(i);
      attributes = " attributes {graft.wrt = " + i64Array(all) + "}";
    }
    graph.source = "func.func @graph(" + join(args) + ") -> (" + join(types) +
                   ")" + attributes + " {\n";
    for (const std::string &line : lines)
      graph.source += "  " + line + "\n";
    graph.source += "  return " + join(results) + " : " + join(types) + "\n}\n";
    return graph;
  }

private:
  struct Value {
    Value(std::string name, Shape shape, double bound, std::string op = "")
        : name(std::move(name)), shape(std::move(shape)), bound(bound),
          op(std::move(op)) {}

    std::string name;
    Shape shape;
    double bound; ///< an upper estimate of max |x|
    bool used = false;
    bool helper = false; ///< a constant or raw argument, never a result
    std::string op;      ///< the graft op that defines it; empty for args
  };

  // Random choices ------------------------------------------------------

  int64_t between(int64_t lo, int64_t hi) { // inclusive
    return lo +
           static_cast<int64_t>(rng() % static_cast<uint32_t>(hi - lo + 1));
  }
  bool chance(double p) { return rng() < p * 4294967296.0; }
  int64_t randomDim() { return kDims[between(0, 6)]; }
  Shape randomShape(size_t maxRank = 3) {
    for (;;) {
      Shape shape(between(0, static_cast<int64_t>(maxRank)));
      for (int64_t &dim : shape)
        dim = randomDim();
      if (numel(shape) <= options.maxNumel)
        return shape;
    }
  }
  template <typename T> void shuffle(std::vector<T> &items) {
    for (size_t i = items.size(); i > 1; --i)
      std::swap(items[i - 1], items[between(0, static_cast<int64_t>(i) - 1)]);
  }

  /// A shape that broadcasts with `shape`: aligned on the right, each dim
  /// is `shape`'s, or 1, or anything where `shape` has a 1 or no dim; the
  /// rank may be lower or higher.
  Shape broadcastPartner(const Shape &shape) {
    for (int attempt = 0; attempt < 20; ++attempt) {
      size_t rank = shape.size();
      if (chance(0.3))
        rank = between(0, static_cast<int64_t>(rank));
      else if (rank < kMaxRank && chance(0.3))
        rank = between(static_cast<int64_t>(rank) + 1, kMaxRank);
      Shape partner(rank);
      for (size_t i = 0; i < rank; ++i) { // i counts dims from the right
        int64_t &dim = partner[rank - 1 - i];
        if (i >= shape.size())
          dim = chance(0.5) ? 1 : randomDim();
        else if (shape[shape.size() - 1 - i] == 1)
          dim = chance(0.3) ? randomDim() : 1;
        else
          dim = chance(0.25) ? 1 : shape[shape.size() - 1 - i];
      }
      if (numel(broadcast(shape, partner)) <= options.maxNumel)
        return partner;
    }
    return shape;
  }

  // Emitting ------------------------------------------------------------

  std::string typeOf(const Shape &shape) const {
    return TensorSpec{shape, dtype}.str();
  }
  std::string element() const { return dtypeName(dtype); }

  std::string number(double value) const {
    char text[32];
    std::snprintf(text, sizeof(text), "%.6e", value);
    return text;
  }

  int add(Value value) {
    values.push_back(std::move(value));
    return static_cast<int>(values.size()) - 1;
  }

  /// `%vN = "graft.<op>"(operands) attrs : (types) -> result`.
  int emit(const std::string &op, const std::vector<int> &operands,
           const std::string &attrs, Shape result, double bound) {
    std::vector<std::string> names, types;
    for (int id : operands) {
      values[id].used = true;
      names.push_back(values[id].name);
      types.push_back(typeOf(values[id].shape));
    }
    std::string name = "%v" + std::to_string(values.size());
    lines.push_back(name + " = \"graft." + op + "\"(" + join(names) + ")" +
                    (attrs.empty() ? "" : " " + attrs) + " : (" + join(types) +
                    ") -> " + typeOf(result));
    return add({name, std::move(result), bound, op});
  }

  /// A rank-0 `graft.full` of `value`, shared by every use.
  int scalar(double value) {
    std::string text = number(value);
    for (const auto &[known, id] : scalars)
      if (known == text)
        return id;
    int id = emit("full", {}, "{value = " + text + " : " + element() + "}", {},
                  std::fabs(value));
    values[id].helper = true;
    scalars.push_back({text, id});
    return id;
  }

  /// A new function argument, mapped from torch.rand's [0, 1) to [-1, 1).
  int argument(const Shape &shape) {
    std::string name = "%arg" + std::to_string(args.size());
    args.push_back(name + ": " + typeOf(shape));
    int raw = add({name, shape, 1.0});
    values[raw].helper = true;
    int twice = emit("mul", {raw, scalar(2.0)}, "", shape, 2.0);
    values[twice].helper = true;
    return emit("sub", {twice, scalar(1.0)}, "", shape, 1.0);
  }

  /// A fresh value of `shape`: an argument or a creation op. The first leaf
  /// of a differentiable graph is an argument, so that there is one.
  int leaf(const Shape &shape) {
    int64_t kind = between(0, 9);
    if (kind < 5 || (options.differentiable && args.empty()))
      return argument(shape);
    if (kind == 5)
      return emit("rand", {},
                  "{seed = " + std::to_string(between(0, 999)) + " : i64}",
                  shape, 1.0);
    if (kind == 6)
      // |randn| < 6 except with probability 2e-9 per element.
      return emit("randn", {},
                  "{seed = " + std::to_string(between(0, 999)) + " : i64}",
                  shape, 6.0);
    if (kind == 7 && shape.size() == 2)
      return emit("eye", {}, "", shape, 1.0);
    if (kind <= 8 && numel(shape) <= 16) {
      // A dense literal, nested by dim.
      std::vector<double> data(numel(shape));
      for (double &x : data)
        x = static_cast<double>(between(-1000, 1000)) / 1000;
      return emit("constant", {},
                  "{value = dense<" + literal(data, shape, 0, 0) +
                      "> : " + typeOf(shape) + "}",
                  shape, 1.0);
    }
    double value = static_cast<double>(between(-2000, 2000)) / 1000;
    return emit("full", {},
                "{value = " + number(value) + " : " + element() + "}", shape,
                std::max(std::fabs(value), 1e-3));
  }

  std::string literal(const std::vector<double> &data, const Shape &shape,
                      size_t dim, int64_t offset) const {
    if (dim == shape.size())
      return number(data[offset]);
    int64_t stride = numel(Shape(shape.begin() + dim + 1, shape.end()));
    std::string text = "[";
    for (int64_t i = 0; i < shape[dim]; ++i)
      text +=
          (i ? ", " : "") + literal(data, shape, dim + 1, offset + i * stride);
    return text + "]";
  }

  /// An existing value of exactly `shape` half of the time, else a leaf.
  int valueOfShape(const Shape &shape) {
    std::vector<int> matches;
    for (size_t i = 0; i < values.size(); ++i)
      if (!values[i].helper && values[i].shape == shape)
        matches.push_back(static_cast<int>(i));
    if (!matches.empty() && chance(0.5))
      return matches[between(0, static_cast<int64_t>(matches.size()) - 1)];
    return leaf(shape);
  }

  /// The value the next op works on: usually the newest one, so graphs are
  /// chains with side branches.
  int current() {
    std::vector<int> candidates;
    for (size_t i = 0; i < values.size(); ++i)
      if (!values[i].helper)
        candidates.push_back(static_cast<int>(i));
    if (candidates.empty())
      return leaf(randomShape());
    if (chance(0.6))
      return candidates.back();
    return candidates[between(0, static_cast<int64_t>(candidates.size()) - 1)];
  }

  // Guards: keep values where both sides are well defined -----------------

  /// abs(x) + 0.5, in [0.5, bound + 0.5].
  int positive(int x) {
    Shape shape = values[x].shape;
    double bound = values[x].bound + 0.5;
    int a = emit("abs", {x}, "", shape, values[x].bound);
    return emit("add", {a, scalar(0.5)}, "", shape, bound);
  }

  /// Scales x by a constant so that its bound is at most `limit`.
  int limit(int x, double limit) {
    if (values[x].bound <= limit)
      return x;
    double factor = limit / values[x].bound;
    return emit("mul", {x, scalar(factor)}, "", values[x].shape,
                limit * (1 + 1e-6));
  }

  // One random op -------------------------------------------------------

  void step() {
    // The comparisons come last, so that without them the draws are those
    // of the original 24 ops.
    static const char *const kOps[] = {
        "add",          "sub",  "mul",  "div",    "pow",       "maximum",
        "minimum",      "neg",  "exp",  "log",    "sqrt",      "tanh",
        "sigmoid",      "relu", "abs",  "matmul", "transpose", "reshape",
        "broadcast_to", "sum",  "mean", "max",    "softmax",   "log_softmax",
        "eq",           "ne",   "lt",   "le",     "gt",        "ge"};
    constexpr int64_t kNumOps = sizeof(kOps) / sizeof(kOps[0]);
    int64_t numOps = options.comparisons ? kNumOps : kNumOps - 6;
    std::string op = kOps[between(0, numOps - 1)];
    int x = current();
    const int result = [&] {
      if (op == "add" || op == "sub" || op == "mul" || op == "div" ||
          op == "pow" || op == "maximum" || op == "minimum")
        return binary(op, x);
      if (op == "eq" || op == "ne" || op == "lt" || op == "le" || op == "gt" ||
          op == "ge")
        return compare(op, x);
      if (op == "matmul")
        return matmul(x);
      if (op == "transpose")
        return transpose(x);
      if (op == "reshape")
        return reshape(x, randomReshape(values[x].shape));
      if (op == "broadcast_to")
        return broadcastTo(x);
      if (op == "sum" || op == "mean" || op == "max")
        return reduction(op, x);
      if (op == "softmax" || op == "log_softmax")
        return softmax(op, x);
      return unary(op, x);
    }();
    limit(result, kMaxBound);
  }

  int binary(const std::string &op, int x) {
    Shape partner = broadcastPartner(values[x].shape);
    int y = -1;
    if (chance(0.4)) {
      // An existing value that broadcasts with x.
      std::vector<int> matches;
      for (size_t i = 0; i < values.size(); ++i)
        if (!values[i].helper && broadcasts(values[i].shape, values[x].shape) &&
            numel(broadcast(values[i].shape, values[x].shape)) <=
                options.maxNumel &&
            broadcast(values[i].shape, values[x].shape).size() <= kMaxRank)
          matches.push_back(static_cast<int>(i));
      y = matches[between(0, static_cast<int64_t>(matches.size()) - 1)];
    } else {
      y = leaf(partner);
    }
    if (chance(0.5))
      std::swap(x, y);
    double bx = values[x].bound, by = values[y].bound;
    double bound = 0;
    if (op == "div") {
      y = positive(y);
      if (chance(0.5))
        y = emit("neg", {y}, "", values[y].shape, values[y].bound);
      bound = 2 * bx;
    } else if (op == "pow") {
      x = positive(x);
      if (by > 2)
        y = emit("tanh", {y}, "", values[y].shape, 1.0);
      double base = std::max(values[x].bound, 2.0);
      bound = std::pow(base, values[y].bound);
    } else if (op == "add" || op == "sub") {
      bound = bx + by;
    } else if (op == "mul") {
      bound = bx * by;
    } else {
      bound = std::max(bx, by);
    }
    return emit(op, {x, y}, "", broadcast(values[x].shape, values[y].shape),
                bound);
  }

  /// A comparison mask, 1 or 0 (bound 1). Half of the time the other side
  /// is x itself or a broadcast of it, so that ties (where eq, le and ge
  /// hold and ne, lt and gt do not) are common, not measure-zero events.
  int compare(const std::string &op, int x) {
    int y = -1;
    if (chance(0.5)) {
      y = x;
      Shape rowMax = values[x].shape;
      if (!rowMax.empty() && rowMax.back() > 1 && chance(0.5)) {
        // Each row against its maximum: ties exactly at the maxima.
        rowMax.back() = 1;
        y = emit("max", {x}, "{dims = array<i64: -1>, keepdim = true}", rowMax,
                 values[x].bound);
      }
    } else {
      y = leaf(broadcastPartner(values[x].shape));
    }
    if (chance(0.5))
      std::swap(x, y);
    return emit(op, {x, y}, "", broadcast(values[x].shape, values[y].shape),
                1.0);
  }

  int unary(const std::string &op, int x) {
    double b = values[x].bound;
    if (op == "exp") {
      x = limit(x, 4);
      return emit(op, {x}, "", values[x].shape, std::exp(values[x].bound));
    }
    if (op == "log") {
      x = positive(x);
      return emit(op, {x}, "", values[x].shape,
                  std::max(std::log(2.0), std::log(values[x].bound)));
    }
    if (op == "sqrt") {
      x = positive(x);
      return emit(op, {x}, "", values[x].shape, std::sqrt(values[x].bound));
    }
    double bound = op == "tanh" || op == "sigmoid" ? 1.0 : b;
    return emit(op, {x}, "", values[x].shape, bound);
  }

  int matmul(int x) {
    if (values[x].shape.size() < 2) {
      // Make a matrix of it first: [n] -> [1, n] or [n, 1].
      int64_t n = numel(values[x].shape);
      x = reshape(x, chance(0.5) ? Shape{1, n} : Shape{n, 1});
    }
    const Shape xs = values[x].shape;
    bool xIsLhs = chance(0.7);
    Shape batch(xs.begin(), xs.end() - 2);
    for (int attempt = 0; attempt < 20; ++attempt) {
      Shape otherBatch = broadcastPartner(batch);
      if (otherBatch.size() + 2 > kMaxRank)
        continue;
      int64_t free = randomDim();
      Shape other = otherBatch;
      if (xIsLhs) {
        other.push_back(xs.back()); // K
        other.push_back(free);      // N
      } else {
        other.push_back(free);              // M
        other.push_back(xs[xs.size() - 2]); // K
      }
      if (numel(other) > options.maxNumel)
        continue;
      Shape result = broadcast(batch, otherBatch);
      int64_t m = xIsLhs ? xs[xs.size() - 2] : free;
      int64_t n = xIsLhs ? free : xs.back();
      int64_t k = xIsLhs ? xs.back() : xs[xs.size() - 2];
      result.push_back(m);
      result.push_back(n);
      if (numel(result) > options.maxNumel ||
          numel(result) * k > options.maxMatMulWork)
        continue;
      int y = valueOfShape(other);
      int lhs = xIsLhs ? x : y, rhs = xIsLhs ? y : x;
      return emit("matmul", {lhs, rhs}, "", result,
                  k * values[lhs].bound * values[rhs].bound);
    }
    return unary("neg", x);
  }

  int transpose(int x) {
    Shape perm(values[x].shape.size());
    for (size_t i = 0; i < perm.size(); ++i)
      perm[i] = static_cast<int64_t>(i);
    shuffle(perm);
    Shape result;
    for (int64_t p : perm)
      result.push_back(values[x].shape[p]);
    return emit("transpose", {x}, "{perm = " + i64Array(perm) + "}", result,
                values[x].bound);
  }

  /// The same element count in a random shape of rank <= 4.
  Shape randomReshape(const Shape &shape) {
    std::vector<int64_t> factors;
    int64_t n = numel(shape);
    for (int64_t p = 2; p <= n; ++p)
      while (n % p == 0) {
        factors.push_back(p);
        n /= p;
      }
    Shape result(between(factors.empty() ? 0 : 1, 4), 1);
    for (int64_t factor : factors)
      result[between(0, static_cast<int64_t>(result.size()) - 1)] *= factor;
    return result;
  }

  int reshape(int x, const Shape &shape) {
    return emit("reshape", {x}, "", shape, values[x].bound);
  }

  int broadcastTo(int x) {
    Shape target = values[x].shape;
    for (int attempt = 0; attempt < 20; ++attempt) {
      target = values[x].shape;
      for (int64_t &dim : target)
        if (dim == 1 && chance(0.5))
          dim = randomDim();
      while (target.size() < kMaxRank && chance(0.3))
        target.insert(target.begin(), randomDim());
      if (numel(target) <= options.maxNumel)
        break;
      target = values[x].shape;
    }
    return emit("broadcast_to", {x}, "", target, values[x].bound);
  }

  int reduction(const std::string &op, int x) {
    const Shape shape = values[x].shape;
    int64_t rank = static_cast<int64_t>(shape.size());
    Shape dims;
    if (rank == 0) {
      int64_t choice = between(0, 2);
      if (choice > 0)
        dims.push_back(choice == 1 ? 0 : -1);
    } else if (!chance(0.2)) {
      for (int64_t d = 0; d < rank; ++d)
        if (chance(0.5))
          dims.push_back(chance(0.5) ? d - rank : d);
      if (dims.empty())
        dims.push_back(between(-rank, rank - 1));
      shuffle(dims);
    }
    bool keepdim = chance(0.5);
    Shape result;
    int64_t count = 1;
    for (int64_t d = 0; d < rank; ++d) {
      bool reduced = dims.empty() || std::count(dims.begin(), dims.end(), d) ||
                     std::count(dims.begin(), dims.end(), d - rank);
      if (reduced)
        count *= shape[d];
      if (!reduced)
        result.push_back(shape[d]);
      else if (keepdim)
        result.push_back(1);
    }
    double bound = op == "sum" ? count * values[x].bound : values[x].bound;
    return emit(op, {x},
                "{dims = " + i64Array(dims) +
                    ", keepdim = " + (keepdim ? "true" : "false") + "}",
                result, bound);
  }

  int softmax(const std::string &op, int x) {
    const Shape shape = values[x].shape;
    int64_t rank = static_cast<int64_t>(shape.size());
    int64_t dim = rank == 0 ? -between(0, 1) : between(-rank, rank - 1);
    int64_t n = rank == 0 ? 1 : shape[dim < 0 ? dim + rank : dim];
    double bound = op == "softmax"
                       ? 1.0
                       : 2 * values[x].bound + std::log(static_cast<double>(n));
    return emit(op, {x}, "{dim = " + std::to_string(dim) + " : i64}", shape,
                std::max(bound, 1e-3));
  }

  std::mt19937 rng;
  DType dtype;
  RandomGraphOptions options;
  std::vector<Value> values;
  std::vector<std::pair<std::string, int>> scalars;
  std::vector<std::string> args, lines;
};

} // namespace

RandomGraph
graft::test::generateRandomGraph(uint64_t seed,
                                 const RandomGraphOptions &options) {
  return GraphGenerator(seed, options).generate();
}
