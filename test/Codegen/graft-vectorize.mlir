// RUN: tensor-opt %s --split-input-file --graft-vectorize | FileCheck %s

// A static register-tile matmul on subviews: the subviews fold into the
// transfers and the accumulator is hoisted out of the k loop.

// CHECK-LABEL: func.func @register_tile
// CHECK-SAME:    (%[[A:.+]]: memref<8x16xf32>, %[[B:.+]]: memref<16x32xf32>, %[[C:.+]]: memref<8x32xf32>)
// CHECK:         %[[ACC:.+]] = vector.transfer_read %[[C]]
// CHECK:         %[[R:.+]] = scf.for {{.+}} iter_args(%[[ITER:.+]] = %[[ACC]]) -> (vector<8x32xf32>)
// CHECK-NOT:       memref.subview
// CHECK:           vector.transfer_read %[[A]]
// CHECK:           vector.transfer_read %[[B]]
// CHECK:           vector.contract {{.+}}, %[[ITER]]
// CHECK:         vector.transfer_write %[[R]], %[[C]]
func.func @register_tile(%a: memref<8x16xf32>, %b: memref<16x32xf32>, %c: memref<8x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  scf.for %k = %c0 to %c16 step %c1 {
    %sa = memref.subview %a[0, %k] [8, 1] [1, 1] : memref<8x16xf32> to memref<8x1xf32, strided<[16, 1], offset: ?>>
    %sb = memref.subview %b[%k, 0] [1, 32] [1, 1] : memref<16x32xf32> to memref<1x32xf32, strided<[32, 1], offset: ?>>
    linalg.matmul ins(%sa, %sb : memref<8x1xf32, strided<[16, 1], offset: ?>>, memref<1x32xf32, strided<[32, 1], offset: ?>>)
                  outs(%c : memref<8x32xf32>)
  }
  return
}

// -----

// A copy too large for one vector (7680 elements), of a corner of the buffer the register
// tile accumulates into, becomes loops of loads and stores whose subview
// folds away: a view of the accumulator's buffer anywhere in the function
// would keep the accumulator from being hoisted out of the k loop.

// CHECK-LABEL: func.func @copy_of_accumulator_buffer
// CHECK-SAME:    (%[[A:.+]]: memref<8x16xf32>, %[[B:.+]]: memref<16x32xf32>, %[[C:.+]]: memref<128x64xf32>, %[[O:.+]]: memref<120x64xf32>)
// CHECK-NOT:     memref.subview
// CHECK:         scf.for {{.+}} -> (vector<8x32xf32>)
// CHECK:           vector.contract
// CHECK:         vector.transfer_write {{.+}}, %[[C]]
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             memref.load %[[C]]
// CHECK:             memref.store {{.+}}, %[[O]]
// CHECK-NOT:     linalg.copy
func.func @copy_of_accumulator_buffer(%a: memref<8x16xf32>, %b: memref<16x32xf32>, %c: memref<128x64xf32>, %o: memref<120x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %tile = memref.subview %c[0, 0] [8, 32] [1, 1] : memref<128x64xf32> to memref<8x32xf32, strided<[64, 1]>>
  scf.for %k = %c0 to %c16 step %c1 {
    %sa = memref.subview %a[0, %k] [8, 1] [1, 1] : memref<8x16xf32> to memref<8x1xf32, strided<[16, 1], offset: ?>>
    %sb = memref.subview %b[%k, 0] [1, 32] [1, 1] : memref<16x32xf32> to memref<1x32xf32, strided<[32, 1], offset: ?>>
    linalg.matmul ins(%sa, %sb : memref<8x1xf32, strided<[16, 1], offset: ?>>, memref<1x32xf32, strided<[32, 1], offset: ?>>)
                  outs(%tile : memref<8x32xf32, strided<[64, 1]>>)
  }
  %corner = memref.subview %c[8, 0] [120, 64] [1, 1] : memref<128x64xf32> to memref<120x64xf32, strided<[64, 1], offset: 512>>
  linalg.copy ins(%corner : memref<120x64xf32, strided<[64, 1], offset: 512>>) outs(%o : memref<120x64xf32>)
  return
}

// -----

// An op whose iteration space exceeds max-vector-elements stays a linalg op
// (it becomes loops later).

// CHECK-LABEL: func.func @too_large
// CHECK:         linalg.fill
// CHECK-NOT:     vector.transfer_write
func.func @too_large(%o: memref<128x128xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%o : memref<128x128xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @small_fill
// CHECK:         vector.transfer_write %{{.+}} : vector<4x16xf32>, memref<4x16xf32>
// CHECK-NOT:     linalg.fill
func.func @small_fill(%o: memref<4x16xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%o : memref<4x16xf32>)
  return
}
