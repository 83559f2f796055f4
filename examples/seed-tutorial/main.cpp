// The PyTorch basics tutorial (shared/seed/000_3223cb75d0de29a3.txt) in
// Graft's C++ API, step by step, printing what PyTorch prints. Random
// tensors follow torch.manual_seed(0) semantics, so they print the same
// digits as PyTorch.
#include "graft/Graft.h"

#include <iostream>

using namespace graft;

/// Compiles and runs a graph without inputs, or exits with its error.
static std::vector<Tensor> run(Engine &engine, const Graph &graph,
                               const std::vector<Tensor> &inputs = {}) {
  Expected<Function> fn = engine.compile(graph);
  if (!fn) {
    std::cerr << fn.error().message() << "\n";
    std::exit(1);
  }
  Expected<std::vector<Tensor>> out = (*fn)(inputs);
  if (!out) {
    std::cerr << out.error().message() << "\n";
    std::exit(1);
  }
  return out.take();
}

int main() {
  Engine engine;

  // first_tensor = torch.rand(3, 3); print it and its shape.
  Graph creation("first_tensor");
  creation.output(creation.rand({3, 3}, /*seed=*/0));
  Tensor firstTensor = run(engine, creation)[0];
  std::cout << firstTensor << "\n" << formatShape(firstTensor.shape()) << "\n";

  // Matrix of ones, identity, matmul versus elementwise multiply.
  Graph matrices("matrices");
  Value ones = matrices.ones({3, 3});
  Value eye = matrices.eye(3);
  matrices.output({ones, eye, matmul(ones, eye), ones * eye});
  std::vector<Tensor> m = run(engine, matrices);
  std::cout << " Matrix of ones : \n  " << m[0] << " \n \n";
  std::cout << "Matrix of eye :\n  " << m[1] << " \n \n";
  std::cout << "Matrix Multiplication : \n  " << m[2] << " \n \n";
  std::cout << "Element wise multiplication of matrix :\n  " << m[3] << "\n";

  // The forward pass on 1000x1000 tensors, multiplied both ways.
  Graph forward("forward");
  Value x = forward.input("x", {1000, 1000});
  Value y = forward.input("y", {1000, 1000});
  Value z = forward.input("z", {1000, 1000});
  Value q = matmul(x, y);
  forward.output({mean(q * z), mean(z * q)});
  std::vector<Tensor> xyz = {Tensor::empty({1000, 1000}),
                             Tensor::empty({1000, 1000}),
                             Tensor::empty({1000, 1000})};
  fillRandSequence(xyz, /*seed=*/0); // x, y, z = torch.rand(...) x 3
  std::vector<Tensor> means = run(engine, forward, xyz);
  std::cout << means[0] << "\n" << means[1] << "\n";

  // The backward pass: x = 4, y = -3, z = 5, q = x + y, f = q * z.
  Graph backward("backward");
  Value bx = backward.input("x", {}), by = backward.input("y", {}),
        bz = backward.input("z", {});
  Value f = (bx + by) * bz;
  Expected<std::vector<Value>> grads = grad(f, {bx, by, bz});
  if (!grads) {
    std::cerr << grads.error().message() << "\n";
    return 1;
  }
  backward.output(*grads);
  std::vector<Tensor> g = run(
      engine, backward,
      {Tensor::full({}, 4.0), Tensor::full({}, -3.0), Tensor::full({}, 5.0)});
  std::cout << "Gradient of x is: " << g[0] << "\n";
  std::cout << "Gradient of y is: " << g[1] << "\n";
  std::cout << "Gradient of z is: " << g[2] << "\n";
  return 0;
}
