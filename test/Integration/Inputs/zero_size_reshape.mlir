// Reshapes of zero-size values between shapes without a reassociation.
func.func @f(%x: tensor<3xf32>) -> tensor<3xf32> {
  %a = graft.full {value = 1.0 : f32} : tensor<4x0x2xf32>
  %r = graft.reshape %a : (tensor<4x0x2xf32>) -> tensor<0x8xf32>
  %s = graft.sum %r {dims = array<i64>, keepdim = false} : (tensor<0x8xf32>) -> tensor<f32>
  %y = graft.add %x, %s : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}
