// RUN: tensor-opt %s --split-input-file --graft-jit-pipeline="vector-bits=512 l1-cache-bytes=32768 l2-cache-bytes=524288 l3-cache-bytes=33554432 threads=1" | FileCheck %s

// The whole JIT pipeline ends in the LLVM dialect with bare pointers at the
// boundary. The matmul's inner loop is 8 FMAs on 32-wide vectors (one per
// row of the register tile).

// CHECK-LABEL: llvm.func @matmul(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
// CHECK-COUNT-8: llvm.intr.fmuladd({{.+}}) : (vector<32xf32>, vector<32xf32>, vector<32xf32>) -> vector<32xf32>
// CHECK-NOT:     llvm.intr.fmuladd
// CHECK:         llvm.return
func.func @matmul(%x: tensor<128x512xf32>, %y: tensor<512x512xf32>) -> tensor<128x512xf32> {
  %q = graft.matmul %x, %y : (tensor<128x512xf32>, tensor<512x512xf32>) -> tensor<128x512xf32>
  return %q : tensor<128x512xf32>
}

// -----

// The fused elementwise + reduction of the seed forward pass is vectorized
// with an f64 accumulator; rand calls the runtime generator.

// CHECK:       llvm.func @graft_rt_rand_f32(i64, i64, i64)
// CHECK-LABEL: llvm.func @seed(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
// CHECK:         llvm.call @graft_rt_rand_f32
// CHECK:         llvm.fpext {{.+}} : vector<{{[0-9]+}}xf32> to vector<{{[0-9]+}}xf64>
// CHECK:         llvm.return
func.func @seed(%z: tensor<64x64xf32>) -> tensor<f32> {
  %r = graft.rand {seed = 0 : i64} : tensor<64x64xf32>
  %f = graft.mul %r, %z : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  %m = graft.mean %f : (tensor<64x64xf32>) -> tensor<f32>
  return %m : tensor<f32>
}

// -----

// With threads=2 the distributed matmul (one share of row tiles per
// thread) runs in an OpenMP parallel region with an explicit thread count,
// as a worksharing loop.

// RUN: tensor-opt %s --split-input-file --graft-jit-pipeline="vector-bits=256 l1-cache-bytes=32768 l2-cache-bytes=524288 l3-cache-bytes=33554432 threads=2" | FileCheck %s --check-prefix=THREADS
// THREADS-LABEL: llvm.func @matmul_threads
// THREADS:         %[[N:.+]] = llvm.mlir.constant(2 : i32) : i32
// THREADS:         omp.parallel num_threads(%[[N]] : i32)
// THREADS:           omp.wsloop
// THREADS:             omp.loop_nest ({{[^,]+}}) : i64 = ({{[^,]+}}) to ({{[^,]+}}) step ({{[^,]+}}) {
// THREADS:               llvm.intr.fmuladd
func.func @matmul_threads(%x: tensor<256x512xf32>, %y: tensor<512x512xf32>) -> tensor<256x512xf32> {
  %q = graft.matmul %x, %y : (tensor<256x512xf32>, tensor<512x512xf32>) -> tensor<256x512xf32>
  return %q : tensor<256x512xf32>
}

// -----

// An output larger than the last-level cache (here 64 KiB) is written with
// non-temporal stores, also from the threads of a parallel region, and a
// fence orders them before the return. Each thread allocates its blocks'
// temporaries once, before the worksharing loop, and frees them after it.

// RUN: tensor-opt %s --split-input-file --graft-jit-pipeline="vector-bits=256 l1-cache-bytes=32768 l2-cache-bytes=524288 l3-cache-bytes=65536 threads=2" | FileCheck %s --check-prefix=STREAM
// STREAM-LABEL: llvm.func @softmax_streamed
// STREAM:         omp.parallel
// STREAM:           llvm.call @_mlir_memref_to_llvm_alloc
// STREAM:           omp.wsloop
// STREAM-NOT:         @_mlir_memref_to_llvm_alloc
// STREAM-NOT:         @_mlir_memref_to_llvm_free
// STREAM:             llvm.store %{{.+}}, %{{.+}} {alignment = 64 : i64, nontemporal} : vector<32xf32>, !llvm.ptr
// STREAM-NOT:         @_mlir_memref_to_llvm_free
// STREAM:             omp.yield
// STREAM:           llvm.call @_mlir_memref_to_llvm_free
// STREAM:         llvm.fence seq_cst
// STREAM-NEXT:    llvm.return
func.func @softmax_streamed(%x: tensor<128x256xf32>) -> tensor<128x256xf32> {
  %y = graft.softmax %x {dim = 1 : i64} : tensor<128x256xf32>
  return %y : tensor<128x256xf32>
}
