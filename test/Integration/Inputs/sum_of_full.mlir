// The sum and mean of a filled tensor: the fill folds into the reduction
// body, which then reads no input.
func.func @f() -> (tensor<f32>, tensor<3xf32>) {
  %v = graft.full {value = 2.0 : f32} : tensor<16xf32>
  %s = graft.sum %v : (tensor<16xf32>) -> tensor<f32>
  %w = graft.full {value = 0.5 : f32} : tensor<3x1000xf32>
  %m = graft.sum %w {dims = array<i64: 1>} : (tensor<3x1000xf32>) -> tensor<3xf32>
  return %s, %m : tensor<f32>, tensor<3xf32>
}
