// Inputs of @small in check-grad.mlir, written with --output-dir: x, w, b,
// then the incoming gradient v of result 0.
func.func @inputs() -> (tensor<2x3x40xf64>, tensor<40x5xf64>, tensor<5xf64>, tensor<2x3x5xf64>) {
  %x = graft.rand {seed = 1 : i64} : tensor<2x3x40xf64>
  %w = graft.rand {seed = 2 : i64} : tensor<40x5xf64>
  %b = graft.randn {seed = 3 : i64} : tensor<5xf64>
  %v = graft.randn {seed = 4 : i64} : tensor<2x3x5xf64>
  return %x, %w, %b, %v : tensor<2x3x40xf64>, tensor<40x5xf64>, tensor<5xf64>, tensor<2x3x5xf64>
}
