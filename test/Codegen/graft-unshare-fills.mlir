// RUN: tensor-opt %s --split-input-file --graft-unshare-fills | FileCheck %s

// Two matmuls accumulating into one zero tensor: each gets a fill of its
// own allocation (bufferization.alloc_tensor, which CSE never merges; two
// fills of one tensor.empty would be merged again).

// CHECK-LABEL: func.func @two_matmuls(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %p = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%z : tensor<4x4xf32>) -> tensor<4x4xf32>
  %q = linalg.matmul ins(%b, %a : tensor<4x4xf32>, tensor<4x4xf32>) outs(%z : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %p, %q : tensor<4x4xf32>, tensor<4x4xf32>
}

// -----

// A fill with one use gets its own allocation too; a dynamically shaped
// shared fill's allocations take the size of the original.

// CHECK-LABEL: func.func @single_and_dynamic(%n: index) -> (tensor<4xf32>, tensor<?xf32>, tensor<?xf32>) {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %f = linalg.fill ins(%one : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %d = tensor.empty(%n) : tensor<?xf32>
  %g = linalg.fill ins(%one : f32) outs(%d : tensor<?xf32>) -> tensor<?xf32>
  return %f, %g, %g : tensor<4xf32>, tensor<?xf32>, tensor<?xf32>
}
