// RUN: tensor-opt %s --split-input-file --graft-streaming-stores="vector-bits=256 l3-cache-bytes=16384 output-alignment=64" | FileCheck %s
// RUN: not tensor-opt %s --split-input-file --graft-streaming-stores="output-alignment=48" 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: error: graft-streaming-stores: output-alignment must be a power of two, got 48

// An output of 16 KiB (the L3 size here) that is only written: each store
// of 32 floats at [i, 32 j] is 64-byte aligned (the buffer's alignment; the
// offset is a multiple of 32 elements), so it becomes non-temporal, and a
// fence orders the stores before the return.

// CHECK-LABEL: func.func @stream
// CHECK-SAME:    (%[[IN:.+]]: memref<64x64xf32>, %[[OUT:.+]]: memref<64x64xf32>)
// CHECK:         %[[V:.+]] = vector.transfer_read %[[IN]]
// CHECK-NEXT:    vector.store %[[V]], %[[OUT]][%{{.+}}, %{{.+}}] {alignment = 64 : i64, nontemporal = true} : memref<64x64xf32>, vector<32xf32>
// CHECK-NOT:     vector.transfer_write
// CHECK:         llvm.fence seq_cst
// CHECK-NEXT:    return
func.func @stream(%in: memref<64x64xf32>, %out: memref<64x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %c64 = arith.constant 64 : index
  %pad = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c64 step %c1 {
    scf.for %j = %c0 to %c64 step %c32 {
      %v = vector.transfer_read %in[%i, %j], %pad {in_bounds = [true]} : memref<64x64xf32>, vector<32xf32>
      vector.transfer_write %v, %out[%i, %j] {in_bounds = [true]} : vector<32xf32>, memref<64x64xf32>
    }
  }
  return
}

// -----

// Rows distributed over threads (scf.parallel), a column offset of 8 + 8 k
// (32-byte aligned: enough for 256-bit registers) and an existing
// vector.store; a 16-byte vector needs only its own alignment.

// CHECK-LABEL: func.func @parallel
// CHECK:         vector.store %{{.+}} {alignment = 32 : i64, nontemporal = true} : memref<64x64xf32>, vector<8xf32>
// CHECK:         vector.store %{{.+}} {alignment = 64 : i64, nontemporal = true} : memref<64x64xf32>, vector<4xf32>
// CHECK:         llvm.fence seq_cst
func.func @parallel(%v: vector<8xf32>, %w: vector<4xf32>, %out: memref<64x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c56 = arith.constant 56 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%i) = (%c0) to (%c64) step (%c4) {
    scf.for %r = %c0 to %c4 step %c1 {
      %row = arith.addi %i, %r : index
      scf.for %k = %c0 to %c56 step %c8 {
        %col = arith.addi %k, %c8 : index
        vector.transfer_write %v, %out[%row, %col] {in_bounds = [true]} : vector<8xf32>, memref<64x64xf32>
      }
      vector.store %w, %out[%row, %c0] : memref<64x64xf32>, vector<4xf32>
    }
    scf.reduce
  }
  return
}

// -----

// Not streamed: an output the function also reads; one below the L3 size;
// stores whose offset is not known to be aligned (column 1 + 32 k, or any
// row of 63-element rows); a function that another one calls (its caller
// decides what buffer it gets). Nothing changed means no fence either.

// CHECK-LABEL: func.func @read_back
// CHECK-NOT:     nontemporal
// CHECK-NOT:     llvm.fence
// CHECK:         return
func.func @read_back(%v: vector<32xf32>, %out: memref<64x64xf32>) -> vector<32xf32> {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  vector.transfer_write %v, %out[%c0, %c0] {in_bounds = [true]} : vector<32xf32>, memref<64x64xf32>
  %r = vector.transfer_read %out[%c0, %c0], %pad {in_bounds = [true]} : memref<64x64xf32>, vector<32xf32>
  return %r : vector<32xf32>
}

// CHECK-LABEL: func.func @small
// CHECK-NOT:     nontemporal
// CHECK:         return
func.func @small(%v: vector<32xf32>, %out: memref<32x64xf32>) {
  %c0 = arith.constant 0 : index
  vector.transfer_write %v, %out[%c0, %c0] {in_bounds = [true]} : vector<32xf32>, memref<32x64xf32>
  return
}

// CHECK-LABEL: func.func @unaligned
// CHECK-NOT:     nontemporal
// CHECK:         return
func.func @unaligned(%v: vector<32xf32>, %i: index, %out: memref<64x64xf32>, %odd: memref<65x63xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  scf.for %j = %c1 to %c32 step %c32 {
    vector.transfer_write %v, %out[%c0, %j] {in_bounds = [true]} : vector<32xf32>, memref<64x64xf32>
  }
  vector.transfer_write %v, %odd[%i, %c0] {in_bounds = [true]} : vector<32xf32>, memref<65x63xf32>
  return
}

// CHECK-LABEL: func.func @callee
// CHECK-NOT:     nontemporal
// CHECK:         return
func.func @callee(%v: vector<32xf32>, %out: memref<64x64xf32>) {
  %c0 = arith.constant 0 : index
  vector.transfer_write %v, %out[%c0, %c0] {in_bounds = [true]} : vector<32xf32>, memref<64x64xf32>
  return
}
func.func @caller(%v: vector<32xf32>, %out: memref<64x64xf32>) {
  call @callee(%v, %out) : (vector<32xf32>, memref<64x64xf32>) -> ()
  return
}
