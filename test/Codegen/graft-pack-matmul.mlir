// RUN: tensor-opt %s --split-input-file --graft-pack-matmul="vector-bits=256" | FileCheck %s

// With 256-bit vectors the register tile is 6x16 (f32): A is packed into
// [ceil(M/6)][K][6][1], B into [ceil(N/16)][K][16][1], the init into
// [M/6][N/16][6][16], all padded with zeros; the product is a linalg.mmt4d
// and the unpack drops the padding into the original init.

// CHECK-LABEL: func.func @matmul
// CHECK-SAME:    (%[[A:.+]]: tensor<1000x300xf32>, %[[B:.+]]: tensor<300x200xf32>, %[[C:.+]]: tensor<1000x200xf32>)
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[PA:.+]] = linalg.pack %[[A]] padding_value(%[[ZERO]] : f32) inner_dims_pos = [0, 1] inner_tiles = [6, 1] into %{{.+}} : tensor<1000x300xf32> -> tensor<167x300x6x1xf32>
// CHECK:         %[[PB:.+]] = linalg.pack %[[B]] padding_value(%[[ZERO]] : f32) outer_dims_perm = [1, 0] inner_dims_pos = [1, 0] inner_tiles = [16, 1] into %{{.+}} : tensor<300x200xf32> -> tensor<13x300x16x1xf32>
// CHECK:         %[[PC:.+]] = linalg.pack %[[C]] padding_value(%[[ZERO]] : f32) inner_dims_pos = [0, 1] inner_tiles = [6, 16] into %{{.+}} : tensor<1000x200xf32> -> tensor<167x13x6x16xf32>
// CHECK:         %[[P:.+]] = linalg.mmt4d ins(%[[PA]], %[[PB]] : tensor<167x300x6x1xf32>, tensor<13x300x16x1xf32>) outs(%[[PC]] : tensor<167x13x6x16xf32>)
// CHECK:         %[[R:.+]] = linalg.unpack %[[P]] inner_dims_pos = [0, 1] inner_tiles = [6, 16] into %[[C]] : tensor<167x13x6x16xf32> -> tensor<1000x200xf32>
// CHECK:         return %[[R]]
func.func @matmul(%a: tensor<1000x300xf32>, %b: tensor<300x200xf32>, %c: tensor<1000x200xf32>) -> tensor<1000x200xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<1000x300xf32>, tensor<300x200xf32>) outs(%c : tensor<1000x200xf32>) -> tensor<1000x200xf32>
  return %r : tensor<1000x200xf32>
}

// -----

// Transposed operands (A^T @ B and A @ B^T through the matmul's indexing
// maps) are transposed once, by their pack, into the same panel layouts.
// (The results are returned and hold whole 6x16 tiles: each product
// accumulates in place, as below.)

#mkm = affine_map<(m, n, k) -> (k, m)>
#mkn = affine_map<(m, n, k) -> (k, n)>
#mnk = affine_map<(m, n, k) -> (n, k)>
#mmk = affine_map<(m, n, k) -> (m, k)>
#mmn = affine_map<(m, n, k) -> (m, n)>
// CHECK-LABEL: func.func @transposed
// CHECK:         linalg.pack %{{.+}} outer_dims_perm = [1, 0] inner_dims_pos = [1, 0] inner_tiles = [6, 1] {{.+}} : tensor<300x120xf32> -> tensor<20x300x6x1xf32>
// CHECK:         linalg.pack %{{.+}} inner_dims_pos = [1, 0] inner_tiles = [16, 1] {{.+}} : tensor<300x64xf32> -> tensor<4x300x16x1xf32>
// CHECK:         linalg.generic
// CHECK:         linalg.pack %{{.+}} inner_dims_pos = [0, 1] inner_tiles = [6, 1] {{.+}} : tensor<120x300xf32> -> tensor<20x300x6x1xf32>
// CHECK:         linalg.pack %{{.+}} inner_dims_pos = [0, 1] inner_tiles = [16, 1] {{.+}} : tensor<64x300xf32> -> tensor<4x300x16x1xf32>
// CHECK:         linalg.generic
func.func @transposed(%at: tensor<300x120xf32>, %b: tensor<300x64xf32>, %a: tensor<120x300xf32>, %bt: tensor<64x300xf32>, %c: tensor<120x64xf32>) -> (tensor<120x64xf32>, tensor<120x64xf32>) {
  %r = linalg.matmul indexing_maps = [#mkm, #mkn, #mmn] ins(%at, %b : tensor<300x120xf32>, tensor<300x64xf32>) outs(%c : tensor<120x64xf32>) -> tensor<120x64xf32>
  %s = linalg.matmul indexing_maps = [#mmk, #mnk, #mmn] ins(%a, %bt : tensor<120x300xf32>, tensor<64x300xf32>) outs(%c : tensor<120x64xf32>) -> tensor<120x64xf32>
  return %r, %s : tensor<120x64xf32>, tensor<120x64xf32>
}

// -----

// A result that is only returned and holds whole register tiles is not
// packed: a linalg.generic with mmt4d's loops (m1, n1, k1, m0, n0, k0)
// accumulates into it, viewed as [M/6][6][N/16][16], so there is no packed
// result to fill and no unpack. A result that another op reads keeps the
// mmt4d and its unpack (which fuses into the reader, graft-tile).

// CHECK-DAG:   #[[$MAPA:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d2, d3, d5)>
// CHECK-DAG:   #[[$MAPB:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d2, d4, d5)>
// CHECK-DAG:   #[[$MAPC:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d3, d1, d4)>
// CHECK-LABEL: func.func @in_place
// CHECK-SAME:    (%{{.+}}: tensor<120x300xf32>, %{{.+}}: tensor<300x64xf32>, %[[C:.+]]: tensor<120x64xf32>)
// CHECK:         %[[PA:.+]] = linalg.pack {{.+}} -> tensor<20x300x6x1xf32>
// CHECK:         %[[PB:.+]] = linalg.pack {{.+}} -> tensor<4x300x16x1xf32>
// CHECK:         %[[EC:.+]] = tensor.expand_shape %[[C]] {{\[}}[0, 1], [2, 3]] output_shape [20, 6, 4, 16] : tensor<120x64xf32> into tensor<20x6x4x16xf32>
// CHECK:         %[[P:.+]] = linalg.generic {indexing_maps = [#[[$MAPA]], #[[$MAPB]], #[[$MAPC]]], iterator_types = ["parallel", "parallel", "reduction", "parallel", "parallel", "reduction"]} ins(%[[PA]], %[[PB]] : {{.+}}) outs(%[[EC]] : tensor<20x6x4x16xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK:         %[[R:.+]] = tensor.collapse_shape %[[P]] {{\[}}[0, 1], [2, 3]] : tensor<20x6x4x16xf32> into tensor<120x64xf32>
// CHECK-NOT:     linalg.unpack
// CHECK:         return %[[R]]
func.func @in_place(%a: tensor<120x300xf32>, %b: tensor<300x64xf32>, %c: tensor<120x64xf32>) -> tensor<120x64xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<120x300xf32>, tensor<300x64xf32>) outs(%c : tensor<120x64xf32>) -> tensor<120x64xf32>
  return %r : tensor<120x64xf32>
}

// CHECK-LABEL: func.func @read_result
// CHECK:         linalg.mmt4d
// CHECK:         linalg.unpack
func.func @read_result(%a: tensor<120x300xf32>, %b: tensor<300x64xf32>, %c: tensor<120x64xf32>) -> tensor<120x64xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<120x300xf32>, tensor<300x64xf32>) outs(%c : tensor<120x64xf32>) -> tensor<120x64xf32>
  %s = linalg.add ins(%r, %r : tensor<120x64xf32>, tensor<120x64xf32>) outs(%c : tensor<120x64xf32>) -> tensor<120x64xf32>
  return %s : tensor<120x64xf32>
}

// -----

// Small matmuls (fewer than min-work multiply-adds) and dynamic ones stay.

// CHECK-LABEL: func.func @unpacked
// CHECK-NOT:     linalg.pack
// CHECK:         linalg.matmul
// CHECK:         linalg.matmul
// CHECK-NOT:     linalg.pack
func.func @unpacked(%a: tensor<16x16xf32>, %b: tensor<16x16xf32>, %c: tensor<16x16xf32>, %d: tensor<?x512xf32>, %e: tensor<512x512xf32>, %f: tensor<?x512xf32>) -> (tensor<16x16xf32>, tensor<?x512xf32>) {
  %r = linalg.matmul ins(%a, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%c : tensor<16x16xf32>) -> tensor<16x16xf32>
  %s = linalg.matmul ins(%d, %e : tensor<?x512xf32>, tensor<512x512xf32>) outs(%f : tensor<?x512xf32>) -> tensor<?x512xf32>
  return %r, %s : tensor<16x16xf32>, tensor<?x512xf32>
}
