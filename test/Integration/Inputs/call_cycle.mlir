// The entry reaches a cycle of calls, g -> h -> g: it would recurse without
// end when run.
func.func private @h(%x: tensor<3xf32>) -> tensor<3xf32> {
  %y = func.call @g(%x) : (tensor<3xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}
func.func private @g(%x: tensor<3xf32>) -> tensor<3xf32> {
  %e = graft.exp %x : tensor<3xf32>
  %y = func.call @h(%e) : (tensor<3xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}
func.func @f(%x: tensor<3xf32>) -> tensor<3xf32> {
  %y = func.call @g(%x) : (tensor<3xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}
