// Zero-size tensors inside a function: sum of nothing is 0, max is -inf.
func.func @f(%x: tensor<3xf32>) -> tensor<3xf32> {
  %z = graft.full {value = 1.0 : f32} : tensor<0x3xf32>
  %s = graft.sum %z {dims = array<i64: 0>} : (tensor<0x3xf32>) -> tensor<3xf32>
  %m = graft.max %z {dims = array<i64: 0>} : (tensor<0x3xf32>) -> tensor<3xf32>
  %r = graft.add %s, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %t = graft.add %r, %m : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %t : tensor<3xf32>
}
