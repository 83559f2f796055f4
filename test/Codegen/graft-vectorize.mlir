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

// A packed matmul that accumulates in place reads and writes its register
// tiles through an expand_shape of the result ([M/mr][mr][N/nr][nr]). The
// view folds into 2-D transfers of the result itself, and the fill of the
// view into a fill of the result, so no view of the buffer is left and the
// accumulator is hoisted out of the k loop.

// CHECK-LABEL: func.func @in_place_accumulator
// CHECK-SAME:    (%{{.+}}: memref<8x16xf32>, %{{.+}}: memref<16x32xf32>, %[[OUT:.+]]: memref<16x64xf32>)
// CHECK-NOT:     memref.expand_shape
// CHECK:         linalg.fill ins(%{{.+}} : f32) outs(%[[OUT]] : memref<16x64xf32>)
// CHECK:         %[[ACC:.+]] = vector.transfer_read %[[OUT]][%c8, %c32]{{.+}} : memref<16x64xf32>, vector<8x32xf32>
// CHECK:         %[[R:.+]] = scf.for {{.+}} iter_args(%{{.+}} = %[[ACC]]) -> (vector<8x32xf32>)
// CHECK:         vector.transfer_write %[[R]], %[[OUT]][%c8, %c32]{{.+}} : vector<8x32xf32>, memref<16x64xf32>
func.func @in_place_accumulator(%a: memref<8x16xf32>, %b: memref<16x32xf32>, %out: memref<16x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.000000e+00 : f32
  %e = memref.expand_shape %out [[0, 1], [2, 3]] output_shape [2, 8, 2, 32] : memref<16x64xf32> into memref<2x8x2x32xf32>
  linalg.fill ins(%zero : f32) outs(%e : memref<2x8x2x32xf32>)
  %sc = memref.subview %e[1, 0, 1, 0] [1, 8, 1, 32] [1, 1, 1, 1] : memref<2x8x2x32xf32> to memref<8x32xf32, strided<[64, 1], offset: 544>>
  scf.for %k = %c0 to %c16 step %c1 {
    %sa = memref.subview %a[0, %k] [8, 1] [1, 1] : memref<8x16xf32> to memref<8x1xf32, strided<[16, 1], offset: ?>>
    %sb = memref.subview %b[%k, 0] [1, 32] [1, 1] : memref<16x32xf32> to memref<1x32xf32, strided<[32, 1], offset: ?>>
    linalg.matmul ins(%sa, %sb : memref<8x1xf32, strided<[16, 1], offset: ?>>, memref<1x32xf32, strided<[32, 1], offset: ?>>)
                  outs(%sc : memref<8x32xf32, strided<[64, 1], offset: 544>>)
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

// -----

// A row's partial sums start in a small buffer that is filled, read into
// the strip loop (after hoisting), written back, and read by the final
// reduction. With the reads forwarded from the writes, nothing reads the
// buffer any more: it is deleted with its writes, and the partial sums
// stay in registers from the fill to the reduction, without an
// allocation per row.

// CHECK-LABEL: func.func @row_partial_sums
// CHECK-NOT:     memref.alloc
// CHECK:         %[[SUMS:.+]] = scf.for {{.+}} iter_args(%{{.+}} = %{{.+}}) -> (vector<1x64xf32>)
// CHECK:         vector.multi_reduction <add>, %[[SUMS]], %{{.+}} [1] : vector<1x64xf32> to vector<1xf32>
// CHECK-NOT:     memref.alloc
#row_id = affine_map<(d0, d1) -> (d0, d1)>
func.func @row_partial_sums(%x: memref<4x256xf32>, %out: memref<4xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %c256 = arith.constant 256 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %partial = memref.alloc() : memref<1x64xf32>
    linalg.fill ins(%zero : f32) outs(%partial : memref<1x64xf32>)
    scf.for %j = %c0 to %c256 step %c64 {
      %strip = memref.subview %x[%i, %j] [1, 64] [1, 1] : memref<4x256xf32> to memref<1x64xf32, strided<[256, 1], offset: ?>>
      linalg.generic {indexing_maps = [#row_id, #row_id], iterator_types = ["parallel", "parallel"]}
          ins(%strip : memref<1x64xf32, strided<[256, 1], offset: ?>>) outs(%partial : memref<1x64xf32>) {
      ^bb0(%in: f32, %acc: f32):
        %s = arith.addf %in, %acc : f32
        linalg.yield %s : f32
      }
    }
    %row = memref.subview %out[%i] [1] [1] : memref<4xf32> to memref<1xf32, strided<[1], offset: ?>>
    linalg.reduce ins(%partial : memref<1x64xf32>) outs(%row : memref<1xf32, strided<[1], offset: ?>>) dimensions = [1]
      (%in: f32, %init: f32) {
        %s = arith.addf %in, %init : f32
        linalg.yield %s : f32
      }
  }
  return
}

// -----

// The zero fill of a small matmul's output argument is forwarded into the
// accumulator, and its write, overwritten by the result before anything
// reads it, is gone.

// CHECK-LABEL: func.func @fill_forwarded_into_accumulator
// CHECK-SAME:    (%{{.+}}: memref<4x8xf32>, %{{.+}}: memref<8x16xf32>, %[[C:.+]]: memref<4x16xf32>)
// CHECK:         %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : vector<4x16xf32>
// CHECK-NOT:     vector.transfer_read %[[C]]
// CHECK-NOT:     vector.transfer_write
// CHECK:         %[[R:.+]] = scf.for {{.+}} iter_args(%{{.+}} = %[[ZERO]])
// CHECK:         vector.transfer_write %[[R]], %[[C]]
// CHECK-NOT:     vector.transfer_write
func.func @fill_forwarded_into_accumulator(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  scf.for %k = %c0 to %c8 step %c1 {
    %sa = memref.subview %a[0, %k] [4, 1] [1, 1] : memref<4x8xf32> to memref<4x1xf32, strided<[8, 1], offset: ?>>
    %sb = memref.subview %b[%k, 0] [1, 16] [1, 1] : memref<8x16xf32> to memref<1x16xf32, strided<[16, 1], offset: ?>>
    linalg.matmul ins(%sa, %sb : memref<4x1xf32, strided<[8, 1], offset: ?>>, memref<1x16xf32, strided<[16, 1], offset: ?>>)
                  outs(%c : memref<4x16xf32>)
  }
  return
}

// -----

// Nothing is forwarded across a write that may change the elements in
// between (here a write to a row chosen at run time), or into a loop whose
// body writes the buffer after the read.

// CHECK-LABEL: func.func @not_forwarded
// CHECK-SAME:    (%[[BUF:.+]]: memref<4x8xf32>, %[[V:.+]]: vector<1x8xf32>, %[[W:.+]]: vector<1x8xf32>, %[[I:.+]]: index)
// CHECK:         vector.transfer_write %[[V]], %[[BUF]][%[[C0:.+]], %[[C0]]]
// CHECK:         vector.transfer_write %[[W]], %[[BUF]][%[[I]], %[[C0]]]
// CHECK:         %[[FIRST:.+]] = vector.transfer_read %[[BUF]][%[[C0]], %[[C0]]]
// CHECK:         vector.transfer_write %[[V]], %[[BUF]][%[[C0]], %[[C0]]]
// CHECK:         scf.for %[[J:[a-z0-9]+]] =
// CHECK:           vector.transfer_read %[[BUF]][%[[C0]], %[[C0]]]
// CHECK:           vector.transfer_write %{{.+}}, %[[BUF]][%[[J]], %[[C0]]]
func.func @not_forwarded(%buf: memref<4x8xf32>, %v: vector<1x8xf32>, %w: vector<1x8xf32>, %i: index) -> (vector<1x8xf32>, vector<1x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  vector.transfer_write %v, %buf[%c0, %c0] {in_bounds = [true, true]} : vector<1x8xf32>, memref<4x8xf32>
  vector.transfer_write %w, %buf[%i, %c0] {in_bounds = [true, true]} : vector<1x8xf32>, memref<4x8xf32>
  %first = vector.transfer_read %buf[%c0, %c0], %zero {in_bounds = [true, true]} : memref<4x8xf32>, vector<1x8xf32>
  vector.transfer_write %v, %buf[%c0, %c0] {in_bounds = [true, true]} : vector<1x8xf32>, memref<4x8xf32>
  %last = scf.for %j = %c0 to %c4 step %c1 iter_args(%acc = %first) -> (vector<1x8xf32>) {
    %r = vector.transfer_read %buf[%c0, %c0], %zero {in_bounds = [true, true]} : memref<4x8xf32>, vector<1x8xf32>
    %s = arith.addf %r, %acc : vector<1x8xf32>
    vector.transfer_write %s, %buf[%j, %c0] {in_bounds = [true, true]} : vector<1x8xf32>, memref<4x8xf32>
    scf.yield %s : vector<1x8xf32>
  }
  return %first, %last : vector<1x8xf32>, vector<1x8xf32>
}
