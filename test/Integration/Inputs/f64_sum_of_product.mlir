// An f64 sum of a broadcasting product: the reduction-to-contract vector
// patterns once turned it into an invalid vector.contract.
func.func @f(%a: tensor<2x1xf64>, %b: tensor<1x16xf64>) -> tensor<f64> {
  %m = graft.mul %a, %b : (tensor<2x1xf64>, tensor<1x16xf64>) -> tensor<2x16xf64>
  %s = graft.sum %m : (tensor<2x16xf64>) -> tensor<f64>
  return %s : tensor<f64>
}
