// The sum of every element of a 1000x1000 f32 tensor (accumulated in f64).
func.func @sum_all(%x: tensor<1000x1000xf32>) -> tensor<f32> {
  %s = graft.sum %x : (tensor<1000x1000xf32>) -> tensor<f32>
  return %s : tensor<f32>
}
