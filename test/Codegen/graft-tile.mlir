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
// too: 1000 columns = 31 x 32 + 8, 1000 rows = 15 x 64 + 40 = ... x 8, and
// depth 1000 = 3 x 256 + 232.

// CHECK-LABEL: func.func @matmul_1000
// CHECK-NOT:     tensor<?
// CHECK:         tensor.extract_slice {{.+}} : tensor<1000x1000xf32> to tensor<64x232xf32>
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

// Small ops are left alone.

// CHECK-LABEL: func.func @small
// CHECK-NOT:     scf.for
// CHECK:         linalg.fill
func.func @small(%o: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %zero = arith.constant 0.0 : f32
  %r = linalg.fill ins(%zero : f32) outs(%o : tensor<1x8xf32>) -> tensor<1x8xf32>
  return %r : tensor<1x8xf32>
}

// -----

// On 256-bit vectors (AVX2) the register tile is 6 rows of two 8-lane
// vectors (12 of the 16 ymm registers); f64 halves the lanes. 64 rows are
// 10 full tiles of 6 and a peeled tile of 4.

// RUN: tensor-opt %s --split-input-file --graft-tile="vector-bits=256" --canonicalize | FileCheck %s --check-prefix=AVX2
// AVX2-LABEL: func.func @matmul_f64
// AVX2:         linalg.matmul ins({{.+}} : tensor<6x1xf64>, tensor<1x8xf64>) outs({{.+}} : tensor<6x8xf64>)
// AVX2:         linalg.matmul ins({{.+}} : tensor<4x1xf64>, tensor<1x8xf64>) outs({{.+}} : tensor<4x8xf64>)
func.func @matmul_f64(%a: tensor<64x64xf64>, %b: tensor<64x64xf64>, %c: tensor<64x64xf64>) -> tensor<64x64xf64> {
  %r = linalg.matmul ins(%a, %b : tensor<64x64xf64>, tensor<64x64xf64>) outs(%c : tensor<64x64xf64>) -> tensor<64x64xf64>
  return %r : tensor<64x64xf64>
}
