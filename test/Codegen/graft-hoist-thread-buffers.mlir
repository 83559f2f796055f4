// RUN: tensor-opt %s --split-input-file --graft-hoist-thread-buffers | FileCheck %s

// A block of rows' scratch buffer (a softmax's exponentials), allocated and
// freed by every iteration of a worksharing loop: each thread allocates it
// once, in the parallel region, and frees it after the loop.

// CHECK-LABEL: func.func @per_iteration
// CHECK:         omp.parallel {
// CHECK-NEXT:      %[[T:.+]] = memref.alloc() {alignment = 64 : i64} : memref<1x256xf32>
// CHECK-NEXT:      omp.wsloop {
// CHECK-NEXT:        omp.loop_nest
// CHECK-NOT:           memref.alloc
// CHECK:               memref.copy %{{.+}}, %[[T]]
// CHECK:               memref.copy %[[T]], %{{.+}}
// CHECK-NOT:           memref.dealloc
// CHECK:               omp.yield
// CHECK-NEXT:        }
// CHECK-NEXT:      }
// CHECK-NEXT:      memref.dealloc %[[T]] : memref<1x256xf32>
// CHECK-NEXT:      omp.terminator
func.func @per_iteration(%x: memref<64x256xf32>, %y: memref<64x256xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c64) step (%c1) {
        %t = memref.alloc() {alignment = 64 : i64} : memref<1x256xf32>
        %row = memref.subview %x[%i, 0] [1, 256] [1, 1] : memref<64x256xf32> to memref<1x256xf32, strided<[256, 1], offset: ?>>
        memref.copy %row, %t : memref<1x256xf32, strided<[256, 1], offset: ?>> to memref<1x256xf32>
        %out = memref.subview %y[%i, 0] [1, 256] [1, 1] : memref<64x256xf32> to memref<1x256xf32, strided<[256, 1], offset: ?>>
        memref.copy %t, %out : memref<1x256xf32> to memref<1x256xf32, strided<[256, 1], offset: ?>>
        memref.dealloc %t : memref<1x256xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// Left in the loop: a buffer of a dynamic size; one freed in a nested
// region, or never freed here (the iteration may hand it on); and a
// loop not directly inside a parallel region.

// CHECK-LABEL: func.func @not_hoisted
// CHECK:         omp.parallel {
// CHECK-NEXT:      omp.wsloop {
// CHECK-NEXT:        omp.loop_nest
// CHECK-NEXT:          memref.alloc(%{{.+}}) : memref<?xf32>
// CHECK-NEXT:          memref.alloc() : memref<16xf32>
// CHECK-NEXT:          memref.alloc() : memref<8xf32>
// CHECK:               scf.if
// CHECK-NEXT:            memref.dealloc
// CHECK:           omp.terminator
// CHECK:         omp.wsloop {
// CHECK-NEXT:      omp.loop_nest
// CHECK-NEXT:        memref.alloc() : memref<4xf32>
func.func @not_hoisted(%n: index, %flag: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c64) step (%c1) {
        %dynamic = memref.alloc(%n) : memref<?xf32>
        %nested = memref.alloc() : memref<16xf32>
        %kept = memref.alloc() : memref<8xf32>
        memref.dealloc %dynamic : memref<?xf32>
        scf.if %flag {
          memref.dealloc %nested : memref<16xf32>
        }
        omp.yield
      }
    }
    omp.terminator
  }
  omp.wsloop {
    omp.loop_nest (%i) : index = (%c0) to (%c64) step (%c1) {
      %t = memref.alloc() : memref<4xf32>
      memref.dealloc %t : memref<4xf32>
      omp.yield
    }
  }
  return
}
