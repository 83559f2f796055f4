// RUN: tensor-opt %s --split-input-file --graft-tile --canonicalize | FileCheck %s

// linalg.matmul: a 64x256x256 cache tile, then an 8x32x1 register tile.

// CHECK-LABEL: func.func @matmul
// CHECK-DAG:     %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG:     %[[C8:.+]] = arith.constant 8 : index
// CHECK-DAG:     %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG:     %[[C64:.+]] = arith.constant 64 : index
// CHECK-DAG:     %[[C256:.+]] = arith.constant 256 : index
// CHECK:         scf.for {{.+}} step %[[C64]]
// CHECK:           scf.for {{.+}} step %[[C256]]
// CHECK:             scf.for {{.+}} step %[[C256]]
// CHECK:               scf.for {{.+}} step %[[C8]]
// CHECK:                 scf.for {{.+}} step %[[C32]]
// CHECK:                   scf.for {{.+}} step %[[C1]]
// CHECK:                     linalg.matmul ins({{.+}} : tensor<8x1xf32>, tensor<1x32xf32>) outs({{.+}} : tensor<8x32xf32>)
func.func @matmul(%a: tensor<128x512xf32>, %b: tensor<512x512xf32>, %c: tensor<128x512xf32>) -> tensor<128x512xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<128x512xf32>, tensor<512x512xf32>) outs(%c : tensor<128x512xf32>) -> tensor<128x512xf32>
  return %r : tensor<128x512xf32>
}

// -----

// Sizes that are not multiples of the tile get full tiles and one peeled
// partial tile per loop; with static shapes every partial tile is static
// too: 1000 columns = 31 x 32 + 8, 1000 rows = 15 x 64 + 40 = ... x 8. The
// depth tile is the one close to 256 that divides the depth, so the depth
// loop needs no remainder: 1000 = 4 x 250.

// CHECK-LABEL: func.func @matmul_1000
// CHECK-NOT:     tensor<?
// CHECK:         tensor.extract_slice {{.+}} : tensor<1000x1000xf32> to tensor<64x250xf32>
// CHECK-NOT:     tensor<64x232xf32>
// CHECK:         linalg.matmul ins({{.+}} : tensor<8x1xf32>, tensor<1x32xf32>) outs({{.+}} : tensor<8x32xf32>)
// CHECK:         linalg.matmul ins({{.+}} : tensor<8x1xf32>, tensor<1x8xf32>) outs({{.+}} : tensor<8x8xf32>)
// CHECK-NOT:     linalg.matmul ins({{.+}} : tensor<?
func.func @matmul_1000(%a: tensor<1000x1000xf32>, %b: tensor<1000x1000xf32>, %c: tensor<1000x1000xf32>) -> tensor<1000x1000xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<1000x1000xf32>, tensor<1000x1000xf32>) outs(%c : tensor<1000x1000xf32>) -> tensor<1000x1000xf32>
  return %r : tensor<1000x1000xf32>
}

// -----

// Tile sizes are options.

// RUN: tensor-opt %s --split-input-file --graft-tile="matmul-cache-tile=32,32,32 matmul-register-tile=4,16,1" --canonicalize | FileCheck %s --check-prefix=OPTS
// OPTS-LABEL: func.func @matmul
// OPTS:         linalg.matmul ins({{.+}} : tensor<4x1xf32>, tensor<1x16xf32>) outs({{.+}} : tensor<4x16xf32>)

// -----

// Other linalg ops: every loop tiled to 1 except the innermost strip.

#id = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @elementwise
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             linalg.generic {{.+}} ins({{.+}} : tensor<1x64xf32>) outs({{.+}} : tensor<1x64xf32>)
func.func @elementwise(%x: tensor<4x256xf32>, %o: tensor<4x256xf32>) -> tensor<4x256xf32> {
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x256xf32>) outs(%o : tensor<4x256xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = arith.mulf %in, %in : f32
    linalg.yield %e : f32
  } -> tensor<4x256xf32>
  return %r : tensor<4x256xf32>
}

// -----

// A dot product (the seed's mean of a product, which is also a contraction)
// keeps one partial sum per lane of the strip, like any other reduction:
// the strips are added elementwise in the loop and reduced once after it.
// A horizontal reduction per strip would be a chain of dependent scalar
// additions (five times slower at 1000^2). It reads 8 rows at a time (one
// stream each for the hardware prefetchers), a vector of the result type
// per row: 64 f64 partial sums with 512-bit vectors, in 8 registers.

// CHECK-LABEL: func.func @dot_product
// CHECK:         %[[PARTIAL:.+]] = linalg.fill {{.+}} -> tensor<8x8xf64>
// CHECK:         scf.for {{.+}} step %c8 iter_args(%{{.+}} = %[[PARTIAL]])
// CHECK:           scf.for {{.+}} step %c8
// CHECK:             linalg.generic {{.+}} iterator_types = ["parallel", "parallel"]{{.+}} outs({{.+}} : tensor<8x8xf64>)
// CHECK:         linalg.reduce ins(%{{.+}} : tensor<8x8xf64>) outs(%{{.+}} : tensor<f64>) dimensions = [0, 1]
#dot_in = affine_map<(d0, d1) -> (d0, d1)>
#dot_out = affine_map<(d0, d1) -> ()>
func.func @dot_product(%x: tensor<1000x1000xf32>, %y: tensor<1000x1000xf32>, %init: tensor<f64>) -> tensor<f64> {
  %r = linalg.generic {indexing_maps = [#dot_in, #dot_in, #dot_out], iterator_types = ["reduction", "reduction"]}
      ins(%x, %y : tensor<1000x1000xf32>, tensor<1000x1000xf32>) outs(%init : tensor<f64>) {
  ^bb0(%a: f32, %b: f32, %acc: f64):
    %p = arith.mulf %a, %b : f32
    %e = arith.extf %p : f32 to f64
    %s = arith.addf %e, %acc : f64
    linalg.yield %s : f64
  } -> tensor<f64>
  return %r : tensor<f64>
}

// -----

// A row reduction reads as many rows at a time as divide its rows, up to
// 8: 12 rows go 4 at a time. A column sum (its innermost loop is parallel)
// keeps one row at a time.

// CHECK-LABEL: func.func @row_sum
// CHECK:         scf.for {{.+}} to %c12 step %c4
// CHECK:           linalg.fill {{.+}} -> tensor<4x16xf32>
// CHECK:           scf.for {{.+}} to %c256 step %c16
// CHECK:           linalg.reduce ins(%{{.+}} : tensor<4x16xf32>) outs(%{{.+}} : tensor<4xf32>) dimensions = [1]
// CHECK-LABEL: func.func @column_sum
// CHECK:         scf.for {{.+}} to %c256 step %c1
// CHECK:           linalg.reduce ins(%{{.+}} : tensor<1x16xf32>)
func.func @row_sum(%x: tensor<12x256xf32>, %init: tensor<12xf32>) -> tensor<12xf32> {
  %r = linalg.reduce ins(%x : tensor<12x256xf32>) outs(%init : tensor<12xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return %r : tensor<12xf32>
}
func.func @column_sum(%x: tensor<256x16xf32>, %init: tensor<16xf32>) -> tensor<16xf32> {
  %r = linalg.reduce ins(%x : tensor<256x16xf32>) outs(%init : tensor<16xf32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return %r : tensor<16xf32>
}

// -----

// Small ops are left alone, and fills are never tiled (LLVM turns a whole
// fill into memset-like code).

// CHECK-LABEL: func.func @small
// CHECK-NOT:     scf.for
// CHECK:         linalg.generic
// CHECK:         linalg.fill ins({{.+}}) outs({{.+}} : tensor<512x512xf32>)
#id1 = affine_map<(d0, d1) -> (d0, d1)>
func.func @small(%x: tensor<1x8xf32>, %o: tensor<1x8xf32>, %big: tensor<512x512xf32>) -> (tensor<1x8xf32>, tensor<512x512xf32>) {
  %r = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<1x8xf32>) outs(%o : tensor<1x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = arith.mulf %in, %in : f32
    linalg.yield %e : f32
  } -> tensor<1x8xf32>
  %zero = arith.constant 0.0 : f32
  %f = linalg.fill ins(%zero : f32) outs(%big : tensor<512x512xf32>) -> tensor<512x512xf32>
  return %r, %f : tensor<1x8xf32>, tensor<512x512xf32>
}

// -----

// On 256-bit vectors (AVX2) the register tile is 6 rows of two 8-lane
// vectors (12 of the 16 ymm registers); f64 halves the lanes. 64 rows are
// 10 full tiles of 6 and a peeled tile of 4.

// RUN: tensor-opt %s --split-input-file --graft-pack-matmul="vector-bits=256 min-work=100000000" --canonicalize --graft-tile="vector-bits=256 l1-cache-bytes=32768 l2-cache-bytes=524288" --canonicalize | FileCheck %s --check-prefix=AVX2
// AVX2-LABEL: func.func @matmul_f64
// AVX2:         linalg.matmul ins({{.+}} : tensor<6x1xf64>, tensor<1x8xf64>) outs({{.+}} : tensor<6x8xf64>)
// AVX2:         linalg.matmul ins({{.+}} : tensor<4x1xf64>, tensor<1x8xf64>) outs({{.+}} : tensor<4x8xf64>)
func.func @matmul_f64(%a: tensor<64x64xf64>, %b: tensor<64x64xf64>, %c: tensor<64x64xf64>) -> tensor<64x64xf64> {
  %r = linalg.matmul ins(%a, %b : tensor<64x64xf64>, tensor<64x64xf64>) outs(%c : tensor<64x64xf64>) -> tensor<64x64xf64>
  return %r : tensor<64x64xf64>
}

// -----

// threads=2: a matmul is distributed over threads by its M x N cache tiles
// (60x256 on AVX2). 1000 = 16 x 60 + 40 rows and 3 x 256 + 232 columns: the
// remainders are split off first, so each of the four parts is a forall
// (or a plain loop nest) over static tiles. Inside a thread's tile only K
// is cache-tiled.

// RUN: tensor-opt %s --split-input-file --graft-tile="vector-bits=256 l1-cache-bytes=32768 l2-cache-bytes=524288 threads=2" --canonicalize | FileCheck %s --check-prefix=THREADS
// THREADS-LABEL: func.func @matmul_threads
// THREADS-NOT:     tensor<?
// THREADS:         scf.forall ({{.+}}) = (0, 0) to (960, 768) step (60, 256)
// THREADS:           scf.for {{.+}} to %c1000 step %c250
// THREADS:             linalg.matmul ins({{.+}} : tensor<6x1xf32>, tensor<1x16xf32>) outs({{.+}} : tensor<6x16xf32>)
// THREADS:         scf.forall ({{.+}}) = (0) to (960) step (60)
// THREADS:           linalg.matmul ins({{.+}} : tensor<6x1xf32>, tensor<1x8xf32>) outs({{.+}} : tensor<6x8xf32>)
// THREADS:         scf.forall ({{.+}}) = (0) to (768) step (256)
// THREADS:           linalg.matmul ins({{.+}} : tensor<4x1xf32>, tensor<1x16xf32>) outs({{.+}} : tensor<4x16xf32>)
// THREADS-NOT:     scf.forall (
// THREADS:         linalg.matmul ins({{.+}} : tensor<4x1xf32>, tensor<1x8xf32>) outs({{.+}} : tensor<4x8xf32>)
// THREADS:         return
func.func @matmul_threads(%a: tensor<1000x1000xf32>, %b: tensor<1000x1000xf32>, %c: tensor<1000x1000xf32>) -> tensor<1000x1000xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<1000x1000xf32>, tensor<1000x1000xf32>) outs(%c : tensor<1000x1000xf32>) -> tensor<1000x1000xf32>
  return %r : tensor<1000x1000xf32>
}

// -----

// Other ops are distributed by chunks of their outermost parallel loop,
// four per thread: 1000 rows = 8 chunks of 125. A 1-D op keeps whole
// strips (four AVX2 vectors, 32 f32) per chunk: 100000 = 8 x 12480 + 160
// (the remainder is split off and runs on one thread). Ops with less work
// than 32K elements stay on one thread.

// THREADS-LABEL: func.func @rows
// THREADS:         scf.forall ({{.+}}) = (0) to (1000) step (125)
// THREADS:           linalg.generic {{.+}} ins({{.+}} : tensor<1x32xf32>) outs({{.+}} : tensor<1x32xf32>)
// THREADS:         scf.forall ({{.+}}) = (0) to (99840) step (12480)
// THREADS:           linalg.generic {{.+}} ins({{.+}} : tensor<32xf32>) outs({{.+}} : tensor<32xf32>)
// THREADS-NOT:     scf.forall (
// THREADS:         linalg.generic {{.+}} ins({{.+}} : tensor<32xf32>) outs({{.+}} : tensor<32xf32>)
// THREADS:         return
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#id3 = affine_map<(d0) -> (d0)>
func.func @rows(%x: tensor<1000x1000xf32>, %o: tensor<1000x1000xf32>, %v: tensor<100000xf32>, %w: tensor<100000xf32>, %s: tensor<64x64xf32>, %t: tensor<64x64xf32>) -> (tensor<1000x1000xf32>, tensor<100000xf32>, tensor<64x64xf32>) {
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<1000x1000xf32>) outs(%o : tensor<1000x1000xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = arith.mulf %in, %in : f32
    linalg.yield %e : f32
  } -> tensor<1000x1000xf32>
  %q = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel"]}
      ins(%v : tensor<100000xf32>) outs(%w : tensor<100000xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = arith.mulf %in, %in : f32
    linalg.yield %e : f32
  } -> tensor<100000xf32>
  %u = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<64x64xf32>) outs(%t : tensor<64x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = arith.mulf %in, %in : f32
    linalg.yield %e : f32
  } -> tensor<64x64xf32>
  return %r, %q, %u : tensor<1000x1000xf32>, tensor<100000xf32>, tensor<64x64xf32>
}

// -----

// A packed matmul (linalg.mmt4d) is cache-tiled in register tiles (10 x 6 =
// 60 rows, 16 x 16 = 256 columns, 256 deep on AVX2), where the column and
// depth tiles are the ones nearby that divide their loop (63 column panels:
// 7 tiles of 9; depth 1000: 4 of 250). Its loops are not peeled: the last
// row tile (7 of 167 row panels) just runs fewer register tiles. Each
// register tile
// becomes a 6x1 * 1x16 linalg.matmul on rank-reduced slices of the panels,
// which the vectorizer turns into a register-resident contraction. Packs and
// unpacks are split where they pad, tiled to one inner tile, and lowered to
// static transposes that only move unit dims.

// AVX2-LABEL: func.func @packed
// AVX2:         scf.for {{.+}} to %c166 step %c1
// AVX2:           scf.for {{.+}} to %c1000 step %c1
// AVX2:         linalg.transpose ins({{.+}} : tensor<1x1x1x16xf32>) outs({{.+}} : tensor<1x1x16x1xf32>)
// AVX2:         scf.for {{.+}} to %c167 step %c10
// AVX2:           scf.for {{.+}} to %c63 step %c9
// AVX2:             scf.for {{.+}} to %c1000 step %c250
// AVX2:               linalg.matmul ins({{.+}} : tensor<6x1xf32>, tensor<1x16xf32>) outs({{.+}} : tensor<6x16xf32>)
// AVX2-NOT:     linalg.mmt4d
// AVX2-NOT:     linalg.pack
// AVX2-NOT:     linalg.unpack
// AVX2:         return
// Nested M, N, K, the loops keep a block of the result in cache across the
// depth and read the packed rhs (4 MB) again per block of rows: from L3
// while it fits in a quarter of it (the pass's default L3 is 32 MiB). With a
// 4 MiB L3 it would come from memory each time, so the loops are nested K,
// N, M: each block of the rhs is read once, while every row tile passes.
// RUN: tensor-opt %s --split-input-file --graft-pack-matmul="vector-bits=256 min-work=100000000" --canonicalize --graft-tile="vector-bits=256 l2-cache-bytes=524288 l3-cache-bytes=4194304" --canonicalize | FileCheck %s --check-prefix=SMALLL3
// SMALLL3-LABEL: func.func @packed(
// SMALLL3:         scf.for {{.+}} to %c1000 step %c250
// SMALLL3:           scf.for {{.+}} to %c63 step %c9
// SMALLL3:             scf.for {{.+}} to %c167 step %c10
// SMALLL3:               linalg.matmul ins({{.+}} : tensor<6x1xf32>, tensor<1x16xf32>) outs({{.+}} : tensor<6x16xf32>)
// SMALLL3:         return
// With threads=2 the packed matmul is distributed in one share of row
// tiles per thread (167 row tiles: 84 and 83; the last, partial share needs
// no split), and each pack, once its padded last panel is split off, along
// its outer loop in chunks that divide it (A's 166 whole row panels: 2
// chunks of 83; B's 62 whole column panels: 2 of 31). The unpack stays on
// one thread: no chunk of whole 6-row tiles divides 1000 rows. With 960
// rows it goes in 8 chunks of 120.
// RUN: tensor-opt %s --split-input-file --graft-pack-matmul="vector-bits=256 min-work=100000000" --canonicalize --graft-tile="vector-bits=256 l1-cache-bytes=32768 l2-cache-bytes=524288 threads=2" --canonicalize | FileCheck %s --check-prefix=PACKTHREADS
// PACKTHREADS-LABEL: func.func @packed
// PACKTHREADS:         scf.forall (%{{.+}}) = (0) to (166) step (83)
// PACKTHREADS:         scf.forall (%{{.+}}) = (0) to (62) step (31)
// PACKTHREADS:         scf.forall (%{{.+}}) = (0) to (167) step (84)
// PACKTHREADS:           linalg.matmul ins({{.+}} : tensor<6x1xf32>, tensor<1x16xf32>) outs({{.+}} : tensor<6x16xf32>)
// PACKTHREADS-NOT:     scf.forall ({{.+}}) -> (tensor<1000x1000xf32>)
// PACKTHREADS:         return
// PACKTHREADS-LABEL: func.func @packed_960
// PACKTHREADS:         scf.forall (%{{.+}}) = (0) to (960) step (120) {{.+}} -> (tensor<960x1000xf32>)
// PACKTHREADS:         return
func.func @packed(%a: tensor<1000x1000xf32>, %b: tensor<1000x1000xf32>, %c: tensor<1000x1000xf32>) -> tensor<1000x1000xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<1000x1000xf32>, tensor<1000x1000xf32>) outs(%c : tensor<1000x1000xf32>) -> tensor<1000x1000xf32>
  return %r : tensor<1000x1000xf32>
}

func.func @packed_960(%a: tensor<960x1000xf32>, %b: tensor<1000x1000xf32>, %c: tensor<960x1000xf32>) -> tensor<960x1000xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<960x1000xf32>, tensor<1000x1000xf32>) outs(%c : tensor<960x1000xf32>) -> tensor<960x1000xf32>
  return %r : tensor<960x1000xf32>
}

// -----

// A small packed matmul's packs are distributed too: a pack's loop point
// moves a whole inner tile, so A's 40 x 256 points are 61,440 elements and
// B's 16 x 256 are 65,536, above the 32,768 worth a second thread.

// RUN: tensor-opt %s --split-input-file --graft-pack-matmul="vector-bits=256 min-work=1000" --canonicalize --graft-tile="vector-bits=256 l1-cache-bytes=32768 l2-cache-bytes=524288 threads=2" --canonicalize | FileCheck %s --check-prefix=PACKSMALL
// PACKSMALL-LABEL: func.func @packed_small
// PACKSMALL:         scf.forall (%{{.+}}) = (0) to (40) step (5) {{.+}} -> (tensor<40x256x6x1xf32>)
// PACKSMALL:         scf.forall (%{{.+}}) = (0) to (16) step (2) {{.+}} -> (tensor<16x256x16x1xf32>)
// PACKSMALL:         return
func.func @packed_small(%a: tensor<240x256xf32>, %b: tensor<256x256xf32>, %c: tensor<240x256xf32>) -> tensor<240x256xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<240x256xf32>, tensor<256x256xf32>) outs(%c : tensor<240x256xf32>) -> tensor<240x256xf32>
  return %r : tensor<240x256xf32>
}

// -----

// A reduction over everything has no parallel loop: its outermost loop is
// split into chunks that divide it (1000 rows: 8 of 125), each thread
// reduces its chunk into its own partial result, and a linalg.reduce
// merges the 8 partials after the forall.

// THREADS-LABEL: func.func @sum_all
// THREADS:         scf.forall (%{{.+}}) = (0) to (1000) step (125) shared_outs(%{{.+}} = %{{.+}}) -> (tensor<8xf32>)
// THREADS:         linalg.reduce ins(%{{.+}} : tensor<8xf32>) outs(%{{.+}} : tensor<f32>) dimensions = [0]
#all = affine_map<(d0, d1) -> (d0, d1)>
#scalar = affine_map<(d0, d1) -> ()>
func.func @sum_all(%x: tensor<1000x1000xf32>, %init: tensor<f32>) -> tensor<f32> {
  %r = linalg.generic {indexing_maps = [#all, #scalar], iterator_types = ["reduction", "reduction"]}
      ins(%x : tensor<1000x1000xf32>) outs(%init : tensor<f32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// A softmax along rows (graft-to-linalg's max, exp, sum and scale) is tiled
// as one chain: a forall over blocks of 4 rows (4 KiB rows: the block and
// its exponentials fill half of a 32 KiB L1), in which each op computes
// its part of the block, so the exponentials never make a pass over memory.
// The exponential, read by the sum and the scale, is computed once.
// Along columns the chain is not fused: each op is distributed on its own.

// THREADS-LABEL: func.func @softmax_rows
// THREADS:         scf.forall (%{{.+}}) = (0) to (512) step (4)
// THREADS:           arith.maximumf
// THREADS:           math.exp
// THREADS-NOT:       math.exp
// THREADS:           arith.addf
// THREADS:           arith.mulf
// THREADS:           scf.forall.in_parallel
// THREADS-NOT:     scf.forall
// THREADS:         return
#rows = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @softmax_rows(%x: tensor<512x1024xf32>) -> tensor<512x1024xf32> {
  %one = arith.constant 1.000000e+00 : f64
  %zero = arith.constant 0.000000e+00 : f64
  %ninf = arith.constant 0xFF800000 : f32
  %0 = tensor.empty() : tensor<512xf32>
  %1 = linalg.fill ins(%ninf : f32) outs(%0 : tensor<512xf32>) -> tensor<512xf32>
  %max = linalg.generic {indexing_maps = [#rows, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<512x1024xf32>) outs(%1 : tensor<512xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %out : f32
    linalg.yield %m : f32
  } -> tensor<512xf32>
  %3 = tensor.empty() : tensor<512x1024xf32>
  %exp = linalg.generic {indexing_maps = [#rows, #row, #rows], iterator_types = ["parallel", "parallel"]} ins(%x, %max : tensor<512x1024xf32>, tensor<512xf32>) outs(%3 : tensor<512x1024xf32>) {
  ^bb0(%in: f32, %m: f32, %out: f32):
    %d = arith.subf %in, %m : f32
    %e = math.exp %d : f32
    linalg.yield %e : f32
  } -> tensor<512x1024xf32>
  %5 = tensor.empty() : tensor<512xf64>
  %6 = linalg.fill ins(%zero : f64) outs(%5 : tensor<512xf64>) -> tensor<512xf64>
  %sum = linalg.generic {indexing_maps = [#rows, #row], iterator_types = ["parallel", "reduction"]} ins(%exp : tensor<512x1024xf32>) outs(%6 : tensor<512xf64>) {
  ^bb0(%in: f32, %out: f64):
    %w = arith.extf %in : f32 to f64
    %s = arith.addf %w, %out : f64
    linalg.yield %s : f64
  } -> tensor<512xf64>
  %y = linalg.generic {indexing_maps = [#rows, #row, #rows], iterator_types = ["parallel", "parallel"]} ins(%exp, %sum : tensor<512x1024xf32>, tensor<512xf64>) outs(%3 : tensor<512x1024xf32>) {
  ^bb0(%in: f32, %s: f64, %out: f32):
    %r = arith.divf %one, %s : f64
    %n = arith.truncf %r : f64 to f32
    %p = arith.mulf %in, %n : f32
    linalg.yield %p : f32
  } -> tensor<512x1024xf32>
  return %y : tensor<512x1024xf32>
}

// THREADS-LABEL: func.func @softmax_columns
// THREADS-COUNT-4: scf.forall
// THREADS:         return
#cols = affine_map<(d0, d1) -> (d1)>
func.func @softmax_columns(%x: tensor<512x1024xf32>) -> tensor<512x1024xf32> {
  %one = arith.constant 1.000000e+00 : f64
  %zero = arith.constant 0.000000e+00 : f64
  %ninf = arith.constant 0xFF800000 : f32
  %0 = tensor.empty() : tensor<1024xf32>
  %1 = linalg.fill ins(%ninf : f32) outs(%0 : tensor<1024xf32>) -> tensor<1024xf32>
  %max = linalg.generic {indexing_maps = [#rows, #cols], iterator_types = ["reduction", "parallel"]} ins(%x : tensor<512x1024xf32>) outs(%1 : tensor<1024xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %out : f32
    linalg.yield %m : f32
  } -> tensor<1024xf32>
  %3 = tensor.empty() : tensor<512x1024xf32>
  %exp = linalg.generic {indexing_maps = [#rows, #cols, #rows], iterator_types = ["parallel", "parallel"]} ins(%x, %max : tensor<512x1024xf32>, tensor<1024xf32>) outs(%3 : tensor<512x1024xf32>) {
  ^bb0(%in: f32, %m: f32, %out: f32):
    %d = arith.subf %in, %m : f32
    %e = math.exp %d : f32
    linalg.yield %e : f32
  } -> tensor<512x1024xf32>
  %5 = tensor.empty() : tensor<1024xf64>
  %6 = linalg.fill ins(%zero : f64) outs(%5 : tensor<1024xf64>) -> tensor<1024xf64>
  %sum = linalg.generic {indexing_maps = [#rows, #cols], iterator_types = ["reduction", "parallel"]} ins(%exp : tensor<512x1024xf32>) outs(%6 : tensor<1024xf64>) {
  ^bb0(%in: f32, %out: f64):
    %w = arith.extf %in : f32 to f64
    %s = arith.addf %w, %out : f64
    linalg.yield %s : f64
  } -> tensor<1024xf64>
  %y = linalg.generic {indexing_maps = [#rows, #cols, #rows], iterator_types = ["parallel", "parallel"]} ins(%exp, %sum : tensor<512x1024xf32>, tensor<1024xf64>) outs(%3 : tensor<512x1024xf32>) {
  ^bb0(%in: f32, %s: f64, %out: f32):
    %r = arith.divf %one, %s : f64
    %n = arith.truncf %r : f64 to f32
    %p = arith.mulf %in, %n : f32
    linalg.yield %p : f32
  } -> tensor<512x1024xf32>
  return %y : tensor<512x1024xf32>
}

// -----

// A matmul epilogue: the op that reads a packed matmul's result row by row
// (here bias + relu) is tiled in blocks of whole 6-row register tiles (6
// rows: half of a 32 KiB L1 holds 10 rows of 1600 bytes), and the unpack is
// fused into each block, so the unpacked result never exists as a whole.
// The 2 rows after the last whole block are split off, with an unpack of
// their own.

// AVX2-LABEL: func.func @epilogue
// AVX2:         scf.for %{{.+}} = %c0 to %c510 step %c6
// AVX2:           scf.for %{{.+}} = %c0 to %c400 step %c16
// AVX2:           arith.maximumf
// AVX2:         tensor.empty() : tensor<2x400xf32>
// AVX2-NOT:     linalg.unpack
// AVX2:         return
#rows = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>
func.func @epilogue(%a: tensor<512x512xf32>, %b: tensor<512x400xf32>, %c: tensor<400xf32>) -> tensor<512x400xf32> {
  %zero = arith.constant 0.000000e+00 : f32
  %e = tensor.empty() : tensor<512x400xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<512x400xf32>) -> tensor<512x400xf32>
  %q = linalg.matmul ins(%a, %b : tensor<512x512xf32>, tensor<512x400xf32>) outs(%init : tensor<512x400xf32>) -> tensor<512x400xf32>
  %r = linalg.generic {indexing_maps = [#rows, #bias, #rows], iterator_types = ["parallel", "parallel"]} ins(%q, %c : tensor<512x400xf32>, tensor<400xf32>) outs(%e : tensor<512x400xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<512x400xf32>
  return %r : tensor<512x400xf32>
}
