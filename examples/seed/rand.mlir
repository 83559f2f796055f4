// Seed tutorial, step 1: a random 3x3 tensor and its shape.
//
//   torch.manual_seed(0)
//   first_tensor = torch.rand(3, 3)
//   print(first_tensor); print(first_tensor.shape)
//
// Run: tensor-run examples/seed/rand.mlir --print-shape
func.func @first_tensor() -> tensor<3x3xf32> {
  %r = graft.rand {seed = 0 : i64} : tensor<3x3xf32>
  return %r : tensor<3x3xf32>
}
