// The entry calls a private helper function; the helper is compiled with it.
func.func private @twice(%x: tensor<3xf32>) -> tensor<3xf32> {
  %y = graft.add %x, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}
func.func @f(%x: tensor<3xf32>) -> tensor<3xf32> {
  %y = func.call @twice(%x) : (tensor<3xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}
