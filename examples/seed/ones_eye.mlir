// Seed tutorial, step 2: a matrix of ones, an identity matrix, and their
// matrix product versus their elementwise product.
//
//   tensor_of_ones = torch.ones(3, 3)
//   identity_tensor = torch.eye(3)
//   matrices_multiplied = torch.matmul(tensor_of_ones, identity_tensor)
//   element_multiplication = tensor_of_ones * identity_tensor
//
// Run: tensor-run examples/seed/ones_eye.mlir
func.func @ones_eye() -> (tensor<3x3xf32>, tensor<3x3xf32>, tensor<3x3xf32>, tensor<3x3xf32>) {
  %ones = graft.full {value = 1.0 : f32} : tensor<3x3xf32>
  %eye = graft.eye : tensor<3x3xf32>
  %matmul = graft.matmul %ones, %eye : (tensor<3x3xf32>, tensor<3x3xf32>) -> tensor<3x3xf32>
  %mul = graft.mul %ones, %eye : (tensor<3x3xf32>, tensor<3x3xf32>) -> tensor<3x3xf32>
  return %ones, %eye, %matmul, %mul : tensor<3x3xf32>, tensor<3x3xf32>, tensor<3x3xf32>, tensor<3x3xf32>
}
