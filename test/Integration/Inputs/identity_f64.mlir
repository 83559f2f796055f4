func.func @g(%x: tensor<3xf64>) -> tensor<3xf64> {
  return %x : tensor<3xf64>
}
