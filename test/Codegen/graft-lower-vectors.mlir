// RUN: tensor-opt %s --graft-lower-vectors | FileCheck %s

// vector.contract becomes one FMA per row of the tile (outer products), and
// 2-D transfers become 1-D loads/stores of the rows.

#lhs = affine_map<(d0, d1, d2) -> (d0, d2)>
#rhs = affine_map<(d0, d1, d2) -> (d2, d1)>
#acc = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @contract
// CHECK-NOT:     vector.contract
// CHECK-COUNT-4: vector.fma {{.+}} : vector<16xf32>
// CHECK-NOT:     vector.fma
func.func @contract(%a: vector<4x1xf32>, %b: vector<1x16xf32>, %c: vector<4x16xf32>) -> vector<4x16xf32> {
  %r = vector.contract {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %c : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
  return %r : vector<4x16xf32>
}

// f32 exp becomes a polynomial on the vector (no per-lane libm call); f64
// exp is left to LLVM.

// CHECK-LABEL: func.func @exp
// CHECK-NOT:     math.exp %{{.+}} : vector<16xf32>
// CHECK:         math.exp %{{.+}} : vector<8xf64>
func.func @exp(%a: vector<16xf32>, %b: vector<8xf64>) -> (vector<16xf32>, vector<8xf64>) {
  %x = math.exp %a : vector<16xf32>
  %y = math.exp %b : vector<8xf64>
  return %x, %y : vector<16xf32>, vector<8xf64>
}
