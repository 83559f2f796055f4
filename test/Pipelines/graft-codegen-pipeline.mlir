// RUN: tensor-opt %s --split-input-file --graft-to-linalg-pipeline --graft-codegen-pipeline="vector-bits=512 l1-cache-bytes=32768 l2-cache-bytes=524288 l3-cache-bytes=33554432 threads=1" | FileCheck %s

// The matmul after codegen: A and B are packed into register-tile panels
// (A: [M/8][K][8][1], B: [N/32][K][32][1] with 512-bit vectors), the
// product is tiled for cache (8 register tiles of rows, 8 of columns, 256
// of depth) with the 8x32 accumulator hoisted out of the k loop into
// registers (an iter_arg), so the inner loop only loads one 8-row column of
// A's panel and one 32-wide row of B's. The result is only returned and
// holds whole register tiles, so the accumulators live in the caller's
// output buffer itself: it is zeroed, each tile is read from it before its
// k loop and written back after it, and there is no packed result and no
// unpack; nothing is copied.

// CHECK-LABEL: func.func @matmul
// CHECK-SAME:    (%[[A:.+]]: memref<128x512xf32>, %[[B:.+]]: memref<512x512xf32>, %[[OUT:.+]]: memref<128x512xf32>)
// CHECK:         %[[PA:.+]] = memref.alloc() {{.+}} : memref<16x512x8x1xf32>
// CHECK:         %[[COLUMN:.+]] = vector.transfer_read %[[A]]{{.+}} : memref<128x512xf32>, vector<8x1xf32>
// CHECK:         vector.transfer_write %[[COLUMN]], %[[PA]]
// CHECK:         %[[PB:.+]] = memref.alloc() {{.+}} : memref<16x512x32x1xf32>
// CHECK-NOT:     memref.alloc
// CHECK:         linalg.fill ins(%{{.+}} : f32) outs(%[[OUT]] : memref<128x512xf32>)
// CHECK:         scf.for {{.+}} step %c8
// CHECK:           scf.for {{.+}} step %c8
// CHECK:             scf.for {{.+}} step %c256
// CHECK:               %[[ACC:.+]] = vector.transfer_read %[[OUT]]{{.+}} : memref<128x512xf32>, vector<8x32xf32>
// CHECK:               %[[RES:.+]] = scf.for {{.+}} step %c1 iter_args(%[[ITER:.+]] = %[[ACC]]) -> (vector<8x32xf32>)
// CHECK:                 %[[LHS:.+]] = vector.transfer_read %[[PA]]{{.+}} : memref<16x512x8x1xf32>, vector<8x1xf32>
// CHECK:                 %[[RHS:.+]] = vector.transfer_read %[[PB]]{{.+}} : memref<16x512x32x1xf32>, vector<1x32xf32>
// CHECK:                 %[[NEXT:.+]] = vector.contract {{.+}} %[[LHS]], %[[RHS]], %[[ITER]] : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// CHECK:                 scf.yield %[[NEXT]]
// CHECK:               vector.transfer_write %[[RES]], %[[OUT]]{{.+}} : vector<8x32xf32>, memref<128x512xf32>
// CHECK-NOT:     memref.copy
// CHECK:         return
func.func @matmul(%x: tensor<128x512xf32>, %y: tensor<512x512xf32>) -> tensor<128x512xf32> {
  %q = graft.matmul %x, %y : (tensor<128x512xf32>, tensor<512x512xf32>) -> tensor<128x512xf32>
  return %q : tensor<128x512xf32>
}

// -----

// Rows and columns past the last whole register tile are packed through a
// small zero-padded buffer, one depth step at a time. The buffer is
// allocated once, before the depth loop, not once per step
// (buffer-loop-hoisting): 512 allocations per panel and call otherwise.

// CHECK-LABEL: func.func @matmul_edge
// CHECK:         %[[ROWS:.+]] = memref.alloc() {{.+}} : memref<8x1xf32>
// CHECK-NEXT:    scf.for %{{.+}} = %c0 to %c512 step %c1 {
// CHECK-NOT:       memref.alloc
// CHECK:             memref.store %{{.+}}, %[[ROWS]]
// CHECK:         %[[COLUMNS:.+]] = memref.alloc() {{.+}} : memref<1x32xf32>
// CHECK-NEXT:    scf.for %{{.+}} = %c0 to %c512 step %c1 {
// CHECK-NOT:       memref.alloc
// CHECK:               memref.store %{{.+}}, %[[COLUMNS]]
// CHECK:         memref.dealloc %[[ROWS]]
// CHECK:         memref.dealloc %[[COLUMNS]]
func.func @matmul_edge(%x: tensor<100x512xf32>, %y: tensor<512x520xf32>) -> tensor<100x520xf32> {
  %q = graft.matmul %x, %y : (tensor<100x512xf32>, tensor<512x520xf32>) -> tensor<100x520xf32>
  return %q : tensor<100x520xf32>
}

// -----

// Batched matmul gets the same treatment with the batch tiled to 1: a
// hoisted 1x8x32 accumulator around the k loop.

// CHECK-LABEL: func.func @batch_matmul
// CHECK:         scf.for {{.+}} iter_args(%[[ACC:.+]] = %{{.+}}) -> (vector<1x8x32xf32>)
// CHECK:           vector.contract {{.+}} %[[ACC]] : vector<1x8x1xf32>, vector<1x1x32xf32> into vector<1x8x32xf32>
func.func @batch_matmul(%x: tensor<4x64x128xf32>, %y: tensor<4x128x64xf32>) -> tensor<4x64x64xf32> {
  %q = graft.matmul %x, %y : (tensor<4x64x128xf32>, tensor<4x128x64xf32>) -> tensor<4x64x64xf32>
  return %q : tensor<4x64x64xf32>
}

// -----

// Softmax's reductions and elementwise steps vectorize. The row max and the
// row sum (in f32, as PyTorch's) read 8 rows at a time, keep one partial
// result per lane across the rows (a vector of the register width per row,
// 2048 bits or more in all: vector<8x16xf32>) and reduce horizontally once,
// after the loop. The exponential is one strip of one row.

// CHECK-LABEL: func.func @softmax
// CHECK:         scf.for {{.+}} iter_args(%{{.+}}) -> (vector<8x16xf32>)
// CHECK:           arith.maxnumf %{{.+}}, %{{.+}} : vector<8x16xf32>
// CHECK:         vector.multi_reduction <maxnumf>, {{.+}} : vector<8x16xf32> to vector<8xf32>
// CHECK:         math.exp %{{.+}} : vector<1x64xf32>
// CHECK-NOT:     f64
// CHECK:         scf.for {{.+}} iter_args(%{{.+}}) -> (vector<8x16xf32>)
// CHECK:           arith.addf %{{.+}}, %{{.+}} : vector<8x16xf32>
// CHECK:         vector.multi_reduction <add>, {{.+}} : vector<8x16xf32> to vector<8xf32>
func.func @softmax(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %s = graft.softmax %x {dim = 1 : i64} : tensor<64x256xf32>
  return %s : tensor<64x256xf32>
}

// -----

// A softmax large enough to be fused in blocks of rows (4 rows of 4 KiB:
// the block and its exponentials fill half of a 32 KiB L1):
// its exponential pass over a block prefetches the next block's rows, one
// prefetch per 64-byte line (graft-prefetch), while the max pass has none.

// CHECK-LABEL: func.func @softmax_blocks
// CHECK:         scf.for %{{.+}} = %{{.+}} to %{{.+}} step %[[BLOCK:.+]] {
// CHECK-NOT:       memref.prefetch
// CHECK:           vector.multi_reduction <maxnumf>
// CHECK:           arith.addi %{{.+}}, %[[BLOCK]] : index
// CHECK-COUNT-4:   memref.prefetch %{{.+}}, read, locality<2>, data : memref<512x1024xf32>
// CHECK:           math.exp
func.func @softmax_blocks(%x: tensor<512x1024xf32>) -> tensor<512x1024xf32> {
  %s = graft.softmax %x {dim = 1 : i64} : tensor<512x1024xf32>
  return %s : tensor<512x1024xf32>
}
