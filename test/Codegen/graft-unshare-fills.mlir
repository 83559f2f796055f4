// RUN: tensor-opt %s --split-input-file --graft-unshare-fills | FileCheck %s

// Two matmuls accumulating into one zero tensor: one keeps the original
// fill, the other gets a fill of its own allocation.

// CHECK-LABEL: func.func @two_matmuls
// CHECK:         %[[EMPTY:.+]] = tensor.empty() : tensor<4x4xf32>
// CHECK:         %[[ALLOC:.+]] = bufferization.alloc_tensor() : tensor<4x4xf32>
// CHECK:         %[[FILL2:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[ALLOC]] : tensor<4x4xf32>)
// CHECK:         %[[FILL:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[EMPTY]] : tensor<4x4xf32>)
// CHECK:         linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<4x4xf32>, tensor<4x4xf32>) outs(%[[FILL2]] : tensor<4x4xf32>)
// CHECK:         linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<4x4xf32>, tensor<4x4xf32>) outs(%[[FILL]] : tensor<4x4xf32>)
func.func @two_matmuls(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %p = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%z : tensor<4x4xf32>) -> tensor<4x4xf32>
  %q = linalg.matmul ins(%b, %a : tensor<4x4xf32>, tensor<4x4xf32>) outs(%z : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %p, %q : tensor<4x4xf32>, tensor<4x4xf32>
}

// -----

// A fill with one use, and a dynamically shaped shared fill (the clone's
// allocation takes the size of the original).

// CHECK-LABEL: func.func @single_and_dynamic
// CHECK:         %[[D:.+]] = tensor.empty(%{{.+}}) : tensor<?xf32>
// CHECK:         %[[DIM:.+]] = tensor.dim %[[D]], %{{.+}} : tensor<?xf32>
// CHECK:         bufferization.alloc_tensor(%[[DIM]]) : tensor<?xf32>
// CHECK-NOT:     bufferization.alloc_tensor
func.func @single_and_dynamic(%n: index) -> (tensor<4xf32>, tensor<?xf32>, tensor<?xf32>) {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %f = linalg.fill ins(%one : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %d = tensor.empty(%n) : tensor<?xf32>
  %g = linalg.fill ins(%one : f32) outs(%d : tensor<?xf32>) -> tensor<?xf32>
  return %f, %g, %g : tensor<4xf32>, tensor<?xf32>, tensor<?xf32>
}
