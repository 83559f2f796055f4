// The seed's forward pass with autograd's backward pass on 1000x1000
// tensors:
//
//   x, y, z = (torch.rand(1000, 1000, requires_grad=True) for _ in range(3))
//   f = torch.mean(torch.matmul(x, y) * z)
//   f.backward()   # x.grad, y.grad, z.grad
//
// Returns (f, df/dx, df/dy, df/dz). The backward graph reuses q = x @ y and
// adds two matmuls: df/dx = (z / N) @ y^T and df/dy = x^T @ (z / N).
//
// Run: tensor-run examples/seed/forward_backward.mlir --seed=0
func.func @forward_backward(%x: tensor<1000x1000xf32>, %y: tensor<1000x1000xf32>,
                            %z: tensor<1000x1000xf32>) -> tensor<f32>
    attributes {graft.wrt = array<i64: 0, 1, 2>} {
  %q = graft.matmul %x, %y : (tensor<1000x1000xf32>, tensor<1000x1000xf32>) -> tensor<1000x1000xf32>
  %f = graft.mul %q, %z : (tensor<1000x1000xf32>, tensor<1000x1000xf32>) -> tensor<1000x1000xf32>
  %m = graft.mean %f : (tensor<1000x1000xf32>) -> tensor<f32>
  return %m : tensor<f32>
}
