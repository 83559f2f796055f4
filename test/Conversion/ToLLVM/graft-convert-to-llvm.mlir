// RUN: tensor-opt %s --graft-convert-to-llvm --reconcile-unrealized-casts \
// RUN:   --split-input-file | FileCheck %s

// Every dialect the codegen leaves converts in the one pass: the function
// takes bare pointers, the vector FMA and the loads and stores become LLVM
// vector ops, and the loop's branches LLVM branches.
// CHECK-LABEL: llvm.func @axpy(
// CHECK-SAME:    %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK:         llvm.br ^bb1
// CHECK:         llvm.cond_br
// CHECK:         llvm.load %{{.*}} : !llvm.ptr -> vector<8xf32>
// CHECK:         llvm.intr.fmuladd(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<8xf32>, vector<8xf32>, vector<8xf32>) -> vector<8xf32>
// CHECK:         llvm.store %{{.*}}, %{{.*}} : vector<8xf32>, !llvm.ptr
// CHECK-NOT:     builtin.unrealized_conversion_cast
func.func @axpy(%x: memref<64xf32>, %y: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %a = arith.constant dense<2.0> : vector<8xf32>
  cf.br ^loop(%c0 : index)
^loop(%i: index):
  %done = arith.cmpi slt, %i, %c64 : index
  cf.cond_br %done, ^body, ^exit
^body:
  %xv = vector.load %x[%i] : memref<64xf32>, vector<8xf32>
  %yv = vector.load %y[%i] : memref<64xf32>, vector<8xf32>
  %r = vector.fma %a, %xv, %yv : vector<8xf32>
  vector.store %r, %y[%i] : memref<64xf32>, vector<8xf32>
  %next = arith.addi %i, %c8 : index
  cf.br ^loop(%next : index)
^exit:
  return
}

// -----

// Allocations call the generic allocation functions, which the engine
// provides (its buffer cache).
// CHECK-DAG:   llvm.func @_mlir_memref_to_llvm_alloc(i64) -> !llvm.ptr
// CHECK-DAG:   llvm.func @_mlir_memref_to_llvm_free(!llvm.ptr)
// CHECK-LABEL: llvm.func @temporary(
// CHECK:         llvm.call @_mlir_memref_to_llvm_alloc
// CHECK:         llvm.call @_mlir_memref_to_llvm_free
func.func @temporary(%out: memref<4096xf32>) {
  %t = memref.alloc() {alignment = 64 : i64} : memref<4096xf32>
  memref.copy %t, %out : memref<4096xf32> to memref<4096xf32>
  memref.dealloc %t : memref<4096xf32>
  return
}

// -----

// Math ops become LLVM intrinsics, tanh included.
// CHECK-LABEL: llvm.func @math(
// CHECK:         llvm.intr.exp(%{{.*}}) : (f64) -> f64
// CHECK:         llvm.intr.sqrt(%{{.*}}) : (f32) -> f32
// CHECK:         llvm.intr.tanh(%{{.*}}) : (vector<4xf64>) -> vector<4xf64>
func.func @math(%a: f64, %b: f32, %c: vector<4xf64>) -> (f64, f32, vector<4xf64>) {
  %e = math.exp %a : f64
  %s = math.sqrt %b : f32
  %t = math.tanh %c : vector<4xf64>
  return %e, %s, %t : f64, f32, vector<4xf64>
}

// -----

// The OpenMP region of a distributed loop converts with its body; index
// arithmetic and poison values become LLVM ops.
// CHECK-LABEL: llvm.func @parallel(
// CHECK:         %[[POISON:.*]] = llvm.mlir.poison : f32
// CHECK:         omp.parallel num_threads(%{{.*}} : i64) {
// CHECK:           %[[J:.*]] = llvm.load
// CHECK:           llvm.mul %[[J]], %[[J]] : i64
// CHECK:           llvm.store %[[POISON]]
// CHECK:           omp.terminator
func.func @parallel(%out: memref<2xf32>, %idx: memref<1xindex>) {
  %n = arith.constant 2 : i64
  %c0 = arith.constant 0 : index
  omp.parallel num_threads(%n : i64) {
    %j = memref.load %idx[%c0] : memref<1xindex>
    %i = index.mul %j, %j
    %p = ub.poison : f32
    memref.store %p, %out[%i] : memref<2xf32>
    omp.terminator
  }
  return
}

// -----

// A view of a buffer is its base pointer moved by the view's offset
// (expand-strided-metadata and lower-affine run inside the pass): row %i of
// a 4x8 buffer starts %i * 8 elements in.
// CHECK-LABEL: llvm.func @row_view(
// CHECK-SAME:    %{{.*}}: !llvm.ptr, %[[I:.*]]: i64)
// CHECK-NOT:     memref.
// CHECK:         llvm.mul %[[I]], %{{.*}} overflow<nsw> : i64
// CHECK:         llvm.getelementptr
// CHECK:         llvm.load %{{.*}} : !llvm.ptr -> vector<8xf32>
// CHECK-NOT:     memref.
// CHECK:         llvm.return
func.func @row_view(%m: memref<4x8xf32>, %i: index) -> vector<8xf32> {
  %c0 = arith.constant 0 : index
  %row = memref.subview %m[%i, 0] [1, 8] [1, 1] : memref<4x8xf32> to memref<8xf32, strided<[1], offset: ?>>
  %v = vector.load %row[%c0] : memref<8xf32, strided<[1], offset: ?>>, vector<8xf32>
  return %v : vector<8xf32>
}
