// RUN: tensor-opt %s --split-input-file --graft-prefetch | FileCheck %s

// A loop over blocks of 8 rows that passes over its block of %x twice (a
// softmax's max, then its exponential): the second pass prefetches, for
// each 64-byte line it reads (a 64 x f32 strip: 4 lines), the same line of
// the next block, 8 rows down, clamped to the last row (63).

// CHECK-LABEL: func.func @two_passes
// CHECK-SAME:    (%[[X:.+]]: memref<64x128xf32>, %[[Y:.+]]: memref<64x128xf32>)
// CHECK:         scf.for %[[B:.+]] = %{{.+}} to %{{.+}} step %[[C8:.+]] {
// CHECK:           scf.for %[[R:.+]] =
// CHECK:             scf.for %[[C:.+]] =
// CHECK-NOT:           memref.prefetch
// CHECK:               vector.transfer_read %[[X]]
// CHECK:           scf.for %[[R2:.+]] =
// CHECK:             %[[ROW:.+]] = affine.apply #{{.+}}()[%[[B]], %[[R2]]]
// CHECK:             scf.for %[[C2:.+]] =
// CHECK:               %[[NEXT:.+]] = arith.addi %[[ROW]], %[[C8]] : index
// CHECK:               %[[LAST:.+]] = arith.constant 63 : index
// CHECK:               %[[CLAMPED:.+]] = arith.minui %[[NEXT]], %[[LAST]] : index
// CHECK:               memref.prefetch %[[X]][%[[CLAMPED]], %[[C2]]], read, locality<2>, data
// CHECK:               %[[C16:.+]] = arith.addi %[[C2]], %{{.+}} : index
// CHECK:               memref.prefetch %[[X]][%[[CLAMPED]], %[[C16]]], read, locality<2>, data
// CHECK:               memref.prefetch %[[X]]
// CHECK:               memref.prefetch %[[X]]
// CHECK-NOT:           memref.prefetch
// CHECK:               vector.transfer_read %[[X]][%[[ROW]], %[[C2]]]
#row = affine_map<()[s0, s1] -> (s0 + s1)>
func.func @two_passes(%x: memref<64x128xf32>, %y: memref<64x128xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %pad = arith.constant 0.0 : f32
  %acc = memref.alloca() : memref<vector<1x64xf32>>
  scf.for %b = %c0 to %c64 step %c8 {
    scf.for %r = %c0 to %c8 step %c1 {
      %row = affine.apply #row()[%b, %r]
      scf.for %c = %c0 to %c128 step %c64 {
        %v = vector.transfer_read %x[%row, %c], %pad {in_bounds = [true, true]} : memref<64x128xf32>, vector<1x64xf32>
        memref.store %v, %acc[] : memref<vector<1x64xf32>>
      }
    }
    scf.for %r = %c0 to %c8 step %c1 {
      %row = affine.apply #row()[%b, %r]
      scf.for %c = %c0 to %c128 step %c64 {
        %v = vector.transfer_read %x[%row, %c], %pad {in_bounds = [true, true]} : memref<64x128xf32>, vector<1x64xf32>
        %e = math.exp %v : vector<1x64xf32>
        vector.transfer_write %e, %y[%row, %c] {in_bounds = [true, true]} : vector<1x64xf32>, memref<64x128xf32>
      }
    }
  }
  return
}

// -----

// Distributed over threads (a one-dimensional scf.parallel), each block
// prefetches the one after it in the same way.

// CHECK-LABEL: func.func @parallel_blocks
// CHECK:         scf.parallel
// CHECK-COUNT-2:   memref.prefetch
// CHECK-NOT:       memref.prefetch
#row = affine_map<()[s0, s1] -> (s0 + s1)>
func.func @parallel_blocks(%x: memref<64x32xf32>, %y: memref<64x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %pad = arith.constant 0.0 : f32
  scf.parallel (%b) = (%c0) to (%c64) step (%c8) {
    scf.for %r = %c0 to %c8 step %c1 {
      %row = affine.apply #row()[%b, %r]
      scf.for %c = %c0 to %c32 step %c32 {
        %v = vector.transfer_read %x[%row, %c], %pad {in_bounds = [true, true]} : memref<64x32xf32>, vector<1x32xf32>
        vector.transfer_write %v, %y[%row, %c] {in_bounds = [true, true]} : vector<1x32xf32>, memref<64x32xf32>
      }
    }
    scf.for %r = %c0 to %c8 step %c1 {
      %row = affine.apply #row()[%b, %r]
      scf.for %c = %c0 to %c32 step %c32 {
        %v = vector.transfer_read %x[%row, %c], %pad {in_bounds = [true, true]} : memref<64x32xf32>, vector<1x32xf32>
        vector.transfer_write %v, %y[%row, %c] {in_bounds = [true, true]} : vector<1x32xf32>, memref<64x32xf32>
      }
    }
    scf.reduce
  }
  return
}

// -----

// No prefetch: one pass per block; a second read of the same strip in the
// same loop body (one pass); a second read of the peeled remainder strip
// only (a constant column, not a pass over the row); a row index that does
// not advance with the block loop; a read of a buffer that is not an
// argument.

// CHECK-LABEL: func.func @no_second_pass
// CHECK-NOT:     memref.prefetch
// CHECK:         return
#row = affine_map<()[s0, s1] -> (s0 + s1)>
func.func @no_second_pass(%x: memref<64x136xf32>, %y: memref<64x136xf32>, %i: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  %pad = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<64x136xf32>
  scf.for %b = %c0 to %c64 step %c8 {
    scf.for %r = %c0 to %c8 step %c1 {
      %row = affine.apply #row()[%b, %r]
      scf.for %c = %c0 to %c128 step %c64 {
        %v = vector.transfer_read %x[%row, %c], %pad {in_bounds = [true, true]} : memref<64x136xf32>, vector<1x64xf32>
        %w = vector.transfer_read %x[%row, %c], %pad {in_bounds = [true, true]} : memref<64x136xf32>, vector<1x64xf32>
        %s = arith.addf %v, %w : vector<1x64xf32>
        vector.transfer_write %s, %y[%row, %c] {in_bounds = [true, true]} : vector<1x64xf32>, memref<64x136xf32>
      }
      %tail = vector.transfer_read %x[%row, %c128], %pad {in_bounds = [true, true]} : memref<64x136xf32>, vector<1x8xf32>
      vector.transfer_write %tail, %y[%row, %c128] {in_bounds = [true, true]} : vector<1x8xf32>, memref<64x136xf32>
    }
    scf.for %r = %c0 to %c8 step %c1 {
      scf.for %c = %c0 to %c128 step %c64 {
        %v = vector.transfer_read %x[%i, %c], %pad {in_bounds = [true, true]} : memref<64x136xf32>, vector<1x64xf32>
        vector.transfer_write %v, %y[%r, %c] {in_bounds = [true, true]} : vector<1x64xf32>, memref<64x136xf32>
      }
    }
    scf.for %r = %c0 to %c8 step %c1 {
      %row = affine.apply #row()[%b, %r]
      scf.for %c = %c0 to %c128 step %c64 {
        %v = vector.transfer_read %t[%row, %c], %pad {in_bounds = [true, true]} : memref<64x136xf32>, vector<1x64xf32>
        %w = vector.transfer_read %t[%row, %c], %pad {in_bounds = [true, true]} : memref<64x136xf32>, vector<1x64xf32>
        vector.transfer_write %v, %y[%row, %c] {in_bounds = [true, true]} : vector<1x64xf32>, memref<64x136xf32>
      }
    }
  }
  memref.dealloc %t : memref<64x136xf32>
  return
}
