// Results that are not fresh computations: an argument returned as is, one
// value returned twice, and a constant.
func.func @results(%x: tensor<2x2xf64>) -> (tensor<2x2xf64>, tensor<2x2xf64>, tensor<2x2xf64>, tensor<2x2xf64>) {
  %y = graft.add %x, %x : (tensor<2x2xf64>, tensor<2x2xf64>) -> tensor<2x2xf64>
  %c = graft.constant dense<[[1.5, -2.0], [0.25, 8.0]]> : tensor<2x2xf64>
  return %x, %y, %y, %c : tensor<2x2xf64>, tensor<2x2xf64>, tensor<2x2xf64>, tensor<2x2xf64>
}
