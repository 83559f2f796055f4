// A zero-size dim at the function boundary: a clear error.
func.func @f(%x: tensor<4x0xf32>) -> (tensor<4x0xf32>, tensor<4xf32>) {
  %e = graft.exp %x : tensor<4x0xf32>
  %m = graft.sum %x {dims = array<i64: 1>} : (tensor<4x0xf32>) -> tensor<4xf32>
  return %e, %m : tensor<4x0xf32>, tensor<4xf32>
}
