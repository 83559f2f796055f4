// RUN: tensor-opt %s --graft-distinct-result-buffers | FileCheck %s

// The second occurrence of a returned buffer is copied into its own alloc;
// distinct buffers are left alone.

// CHECK-LABEL: func.func @twice
// CHECK:         %[[A:.+]] = memref.alloc() : memref<4xf32>
// CHECK:         %[[B:.+]] = memref.alloc() : memref<4xf32>
// CHECK:         %[[COPY:.+]] = memref.alloc() : memref<4xf32>
// CHECK:         memref.copy %[[A]], %[[COPY]]
// CHECK:         return %[[A]], %[[COPY]], %[[B]]
func.func @twice() -> (memref<4xf32>, memref<4xf32>, memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  %b = memref.alloc() : memref<4xf32>
  return %a, %a, %b : memref<4xf32>, memref<4xf32>, memref<4xf32>
}
