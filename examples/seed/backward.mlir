// Seed tutorial, step 4: the backward pass.
//
//   q = x + y
//   f = q * z
//   f.backward()
//   print(x.grad, y.grad, z.grad)   # tensor(5.) tensor(5.) tensor(1.)
//
// graft.wrt asks graft-autodiff for df/dx, df/dy and df/dz; the function
// then returns (f, df/dx, df/dy, df/dz).
//
// Run: tensor-run examples/seed/backward.mlir --input=DIR/result0.npy
//        --input=DIR/result1.npy --input=DIR/result2.npy
// with the files written by backward_inputs.mlir.
func.func @backward(%x: tensor<f32>, %y: tensor<f32>, %z: tensor<f32>) -> tensor<f32>
    attributes {graft.wrt = array<i64: 0, 1, 2>} {
  %q = graft.add %x, %y : (tensor<f32>, tensor<f32>) -> tensor<f32>
  %f = graft.mul %q, %z : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return %f : tensor<f32>
}
