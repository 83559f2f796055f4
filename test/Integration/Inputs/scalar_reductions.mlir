// Reductions of a scalar feeding a broadcasting op: sum/mean/max of a
// scalar are the scalar, softmax is 1 and log_softmax is 0.
func.func @f(%x: tensor<3xf64>) -> tensor<3xf64> {
  %s = graft.constant dense<2.0> : tensor<f64>
  %sum = graft.sum %s : (tensor<f64>) -> tensor<f64>
  %mean = graft.mean %s : (tensor<f64>) -> tensor<f64>
  %soft = graft.softmax %s {dim = 0 : i64} : tensor<f64>
  %logsoft = graft.log_softmax %s {dim = -1 : i64} : tensor<f64>
  %a = graft.add %x, %sum : (tensor<3xf64>, tensor<f64>) -> tensor<3xf64>
  %b = graft.mul %a, %mean : (tensor<3xf64>, tensor<f64>) -> tensor<3xf64>
  %c = graft.mul %b, %soft : (tensor<3xf64>, tensor<f64>) -> tensor<3xf64>
  %d = graft.add %c, %logsoft : (tensor<3xf64>, tensor<f64>) -> tensor<3xf64>
  return %d : tensor<3xf64>
}
