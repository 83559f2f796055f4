//===- Passes.td - Graft dialect passes --------------------*- tablegen -*-===//
//
// Passes on graft IR itself.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_DIALECT_GRAFT_TRANSFORMS_PASSES_TD
#define GRAFT_DIALECT_GRAFT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def GraftAutodiffPass : Pass<"graft-autodiff", "::mlir::ModuleOp"> {
  let summary = "Append the reverse-mode backward graph to graft.wrt functions.";
  let description = [{
    Rewrites every `func.func` that carries `graft.wrt = array<i64: i, j,
    ...>`. The forward ops stay; the backward graph, built from each op's
    `DifferentiableOpInterface::buildVJP` rule, is appended before the
    return; the results become `(original results..., d result0 / d arg_i,
    d result0 / d arg_j, ...)`; `graft.wrt` is removed and
    `graft.differentiated` is set.

    If result 0 is not a scalar (rank 0), a trailing argument of result 0's
    type is appended: the incoming gradient, as in
    `torch.autograd.backward(t, grad_tensors=...)`.

    The pass knows no op by name. It sums the contributions of a value used
    several times, sums a cotangent with a broadcast shape back to its
    operand's shape (`graft.sum` + `graft.reshape`), builds nothing for
    values that do not depend on a `wrt` argument or do not reach result 0,
    and returns zeros for a `wrt` argument that does not affect result 0.
    A gradient that must flow through an op without a rule (a comparison) is
    an error naming the op. Differentiating a function that already went
    through the pass is rejected.

    ```mlir
    func.func @f(%x: tensor<f32>, %y: tensor<f32>, %z: tensor<f32>) -> tensor<f32>
        attributes {graft.wrt = array<i64: 0, 1, 2>} {
      %q = graft.add %x, %y : (tensor<f32>, tensor<f32>) -> tensor<f32>
      %f = graft.mul %q, %z : (tensor<f32>, tensor<f32>) -> tensor<f32>
      return %f : tensor<f32>
    }
    // becomes a function returning (f, df/dx, df/dy, df/dz).
    ```
  }];
}

#endif // GRAFT_DIALECT_GRAFT_TRANSFORMS_PASSES_TD
