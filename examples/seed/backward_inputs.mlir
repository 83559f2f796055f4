// Seed tutorial, step 4 (inputs): x = 4, y = -3, z = 5 as scalar tensors.
//
//   x = torch.tensor(4., requires_grad=True)
//   y = torch.tensor(-3., requires_grad=True)
//   z = torch.tensor(5., requires_grad=True)
//
// Run: tensor-run examples/seed/backward_inputs.mlir --output-dir=DIR
// writes DIR/result0.npy (x), result1.npy (y), result2.npy (z).
func.func @inputs() -> (tensor<f32>, tensor<f32>, tensor<f32>) {
  %x = graft.constant dense<4.0> : tensor<f32>
  %y = graft.constant dense<-3.0> : tensor<f32>
  %z = graft.constant dense<5.0> : tensor<f32>
  return %x, %y, %z : tensor<f32>, tensor<f32>, tensor<f32>
}
