// Softmax of zero-size values built inside the function: row fusion must
// leave the empty chains alone (it once divided by their zero row size).
func.func @main() -> (tensor<f32>, tensor<f32>) {
  %x = graft.full {value = 1.000000e+00 : f32} : tensor<4x0xf32>
  %y = graft.full {value = 1.000000e+00 : f32} : tensor<0x4xf32>
  %a = graft.softmax %x {dim = 1 : i64} : tensor<4x0xf32>
  %b = graft.softmax %y {dim = 1 : i64} : tensor<0x4xf32>
  %sa = graft.sum %a : (tensor<4x0xf32>) -> tensor<f32>
  %sb = graft.sum %b : (tensor<0x4xf32>) -> tensor<f32>
  return %sa, %sb : tensor<f32>, tensor<f32>
}
