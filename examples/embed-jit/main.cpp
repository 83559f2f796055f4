// The smallest Graft host program: build a graph, compile it, and call it on
// the program's own buffers (no copies: the compiled code reads xs and ys
// and writes out directly).
#include "graft/Graft.h"

#include <iostream>

int main() {
  graft::Graph graph("scale_add");
  graft::Value x = graph.input("x", {4});
  graft::Value y = graph.input("y", {4});
  graph.output(x * 2.0 + y);

  graft::Engine engine;
  graft::Expected<graft::Function> fn = engine.compile(graph);
  if (!fn) {
    std::cerr << fn.error().message() << "\n";
    return 1;
  }

  float xs[4] = {1, 2, 3, 4}, ys[4] = {10, 20, 30, 40}, out[4] = {};
  auto view = [](float *data) {
    return graft::Tensor::view(data, {4}, graft::DType::F32);
  };
  if (graft::Error err = fn->call({view(xs), view(ys)}, {view(out)})) {
    std::cerr << err.message() << "\n";
    return 1;
  }
  std::cout << view(out) << "\n";
  return 0;
}
