func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %y = graft.add %x, %x : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}
func.func @g(%x: tensor<3xf64>) -> tensor<3xf64> {
  return %x : tensor<3xf64>
}
