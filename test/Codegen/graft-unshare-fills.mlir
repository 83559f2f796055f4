// RUN: tensor-opt %s --split-input-file --graft-unshare-fills | FileCheck %s

// Two matmuls accumulating into one zero tensor: each gets a fill of its
// own allocation (bufferization.alloc_tensor, which CSE never merges; two
// fills of one tensor.empty would be merged again).

// CHECK-LABEL: func.func @two_matmuls
// CHECK-DAG:     %[[A1:.+]] = bufferization.alloc_tensor() : tensor<4x4xf32>
// CHECK-DAG:     %[[A2:.+]] = bufferization.alloc_tensor() : tensor<4x4xf32>
// CHECK:         %[[F2:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[A2]] : tensor<4x4xf32>)
// CHECK:         %[[F1:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[A1]] : tensor<4x4xf32>)
// CHECK:         linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<4x4xf32>, tensor<4x4xf32>) outs(%[[F2]] : tensor<4x4xf32>)
// CHECK:         linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<4x4xf32>, tensor<4x4xf32>) outs(%[[F1]] : tensor<4x4xf32>)
func.func @two_matmuls(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
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

// CHECK-LABEL: func.func @single_and_dynamic
// CHECK:         %[[S:.+]] = bufferization.alloc_tensor() : tensor<4xf32>
// CHECK:         %[[F:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[S]] : tensor<4xf32>)
// CHECK:         %[[D:.+]] = tensor.empty(%{{.+}}) : tensor<?xf32>
// CHECK:         %[[DIM:.+]] = tensor.dim %[[D]], %{{.+}} : tensor<?xf32>
// CHECK:         %[[O:.+]] = bufferization.alloc_tensor(%[[DIM]]) : tensor<?xf32>
// CHECK:         %[[DIM2:.+]] = tensor.dim %[[O]], %{{.+}} : tensor<?xf32>
// CHECK:         %[[C:.+]] = bufferization.alloc_tensor(%[[DIM2]]) : tensor<?xf32>
// CHECK:         %[[G2:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[C]] : tensor<?xf32>)
// CHECK:         %[[G:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[O]] : tensor<?xf32>)
// CHECK:         return %[[F]], %[[G2]], %[[G]]
func.func @single_and_dynamic(%n: index) -> (tensor<4xf32>, tensor<?xf32>, tensor<?xf32>) {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %f = linalg.fill ins(%one : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %d = tensor.empty(%n) : tensor<?xf32>
  %g = linalg.fill ins(%one : f32) outs(%d : tensor<?xf32>) -> tensor<?xf32>
  return %f, %g, %g : tensor<4xf32>, tensor<?xf32>, tensor<?xf32>
}
