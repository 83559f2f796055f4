// A sum over the rows of a matrix: one strip of 64 column sums per step.
func.func @column_sum(%x: tensor<256x1024xf32>) -> tensor<1024xf32> {
  %s = graft.sum %x {dims = array<i64: 0>} : (tensor<256x1024xf32>) -> tensor<1024xf32>
  return %s : tensor<1024xf32>
}
