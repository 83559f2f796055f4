// Seed tutorial, step 3: the forward pass on 1000x1000 tensors.
//
//   x = torch.rand(1000, 1000); y = torch.rand(1000, 1000)
//   z = torch.rand(1000, 1000)
//   q = torch.matmul(x, y)
//   f = q * z;  mean_f = torch.mean(f)
//   f1 = z * q; mean_f1 = torch.mean(f1)
//
// Run: tensor-run examples/seed/forward.mlir --seed=0
// With --seed=0 the arguments are the tensors that torch.manual_seed(0)
// followed by the three torch.rand calls produces.
func.func @forward(%x: tensor<1000x1000xf32>, %y: tensor<1000x1000xf32>,
                   %z: tensor<1000x1000xf32>) -> (tensor<f32>, tensor<f32>) {
  %q = graft.matmul %x, %y : (tensor<1000x1000xf32>, tensor<1000x1000xf32>) -> tensor<1000x1000xf32>
  %f = graft.mul %q, %z : (tensor<1000x1000xf32>, tensor<1000x1000xf32>) -> tensor<1000x1000xf32>
  %mean_f = graft.mean %f : (tensor<1000x1000xf32>) -> tensor<f32>
  %f1 = graft.mul %z, %q : (tensor<1000x1000xf32>, tensor<1000x1000xf32>) -> tensor<1000x1000xf32>
  %mean_f1 = graft.mean %f1 : (tensor<1000x1000xf32>) -> tensor<f32>
  return %mean_f, %mean_f1 : tensor<f32>, tensor<f32>
}
