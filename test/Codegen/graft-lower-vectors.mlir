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

// f32 exp (vector or scalar) becomes Graft's polynomial: clamp, n from one
// FMA with 1.5 * 2^23 + 126, r = x - n ln 2 in two parts, a degree-6
// polynomial, and the scale 2^(n-1) shifted into the exponent field. No
// per-lane libm call; f64 exp is left to LLVM.

// CHECK-LABEL: func.func @exp
// CHECK-SAME:    %[[A:.+]]: vector<16xf32>, %[[B:.+]]: vector<8xf64>, %[[C:.+]]: f32
// CHECK-DAG:     %[[TWO:.+]] = arith.constant dense<2.000000e+00> : vector<16xf32>
// CHECK-DAG:     %[[SHIFTER:.+]] = arith.constant dense<0x4B40007E> : vector<16xf32>
// CHECK-DAG:     %[[HI:.+]] = arith.constant dense<8.880000e+01> : vector<16xf32>
// CHECK-DAG:     %[[LO:.+]] = arith.constant dense<-87.3365478> : vector<16xf32>
// CHECK:         %[[BELOW:.+]] = arith.cmpf olt, %[[A]], %[[LO]]
// CHECK:         %[[X0:.+]] = arith.select %[[BELOW]], %[[LO]], %[[A]]
// CHECK:         %[[ABOVE:.+]] = arith.cmpf ogt, %[[X0]], %[[HI]]
// CHECK:         %[[X:.+]] = arith.select %[[ABOVE]], %[[HI]], %[[X0]]
// CHECK:         %[[T:.+]] = math.fma %[[X]], %{{.+}}, %[[SHIFTER]]
// CHECK:         %[[N:.+]] = arith.subf %[[T]], %[[SHIFTER]]
// CHECK:         %[[R0:.+]] = math.fma %[[N]], %{{.+}}, %[[X]]
// CHECK:         %[[R:.+]] = math.fma %[[N]], %{{.+}}, %[[R0]]
// CHECK-COUNT-4: math.fma %{{.+}}, %[[R]], %{{.+}} : vector<16xf32>
// CHECK:         %[[P1:.+]] = math.fma %{{.+}}, %[[R]], %[[TWO]]
// CHECK:         %[[P:.+]] = math.fma %[[P1]], %[[R]], %[[TWO]]
// CHECK:         %[[BITS:.+]] = arith.bitcast %[[T]] : vector<16xf32> to vector<16xi32>
// CHECK:         %[[SHIFTED:.+]] = arith.shli %[[BITS]], %{{.+}} : vector<16xi32>
// CHECK:         %[[SCALE:.+]] = arith.bitcast %[[SHIFTED]] : vector<16xi32> to vector<16xf32>
// CHECK:         %[[EXP:.+]] = arith.mulf %[[P]], %[[SCALE]] : vector<16xf32>
// CHECK:         math.exp %[[B]] : vector<8xf64>
// CHECK:         arith.cmpf olt, %[[C]], %{{.+}} : f32
// CHECK:         arith.shli %{{.+}}, %{{.+}} : i32
// CHECK:         arith.mulf %{{.+}}, %{{.+}} : f32
// CHECK-NOT:     math.exp
// CHECK:         return %[[EXP]]
func.func @exp(%a: vector<16xf32>, %b: vector<8xf64>, %c: f32) -> (vector<16xf32>, vector<8xf64>, f32) {
  %x = math.exp %a : vector<16xf32>
  %y = math.exp %b : vector<8xf64>
  %z = math.exp %c : f32
  return %x, %y, %z : vector<16xf32>, vector<8xf64>, f32
}

// A packed matmul's rhs panel, read as 1x16 with a map that skips the
// trailing unit dim of the packed layout, becomes one contiguous load after
// that dim is collapsed (upstream vector-to-scf would make it a loop of 16
// scalar loads).

// CHECK-LABEL: func.func @packed_rhs_panel
// CHECK:         %[[PANELS:.+]] = memref.collapse_shape %{{.+}} {{\[}}[0], [1], [2, 3]] : memref<4x8x16x1xf32> into memref<4x8x16xf32>
// CHECK:         vector.load %[[PANELS]][%{{.+}}, %{{.+}}, %{{.+}}] : memref<4x8x16xf32>, vector<16xf32>
// CHECK-NOT:     vector.transfer_read
func.func @packed_rhs_panel(%panels: memref<4x8x16x1xf32>, %j: index, %k: index) -> vector<1x16xf32> {
  %pad = ub.poison : f32
  %c0 = arith.constant 0 : index
  %v = vector.transfer_read %panels[%j, %k, %c0, %c0], %pad {in_bounds = [true, true], permutation_map = affine_map<(d0, d1, d2, d3) -> (d0, d2)>} : memref<4x8x16x1xf32>, vector<1x16xf32>
  return %v : vector<1x16xf32>
}

// A read that broadcasts one element along a row loads the element once.

// CHECK-LABEL: func.func @broadcast_column
// CHECK:         %[[ONE:.+]] = vector.load %{{.+}}[%{{.+}}, %{{.+}}] : memref<256x1xf64>, vector<1xf64>
// CHECK:         %[[ELEMENT:.+]] = vector.extract %[[ONE]][0]
// CHECK:         vector.broadcast %[[ELEMENT]] : f64 to vector<10xf64>
// CHECK-NOT:     vector.transfer_read
func.func @broadcast_column(%m: memref<256x1xf64>, %i: index) -> vector<1x10xf64> {
  %pad = ub.poison : f64
  %c0 = arith.constant 0 : index
  %v = vector.transfer_read %m[%i, %c0], %pad {in_bounds = [true, true], permutation_map = affine_map<(d0, d1) -> (d0, 0)>} : memref<256x1xf64>, vector<1x10xf64>
  return %v : vector<1x10xf64>
}

// A read whose dims are transposed keeps its order: it is a real transpose.

// CHECK-LABEL: func.func @transposed
// CHECK-COUNT-8: vector.transfer_read %{{.+}} {in_bounds = [true]} : memref<8x16xf32>, vector<16xf32>
// CHECK:         vector.insert %{{.+}} [1, 0] : f32 into vector<16x8xf32>
func.func @transposed(%m: memref<8x16xf32>) -> vector<16x8xf32> {
  %pad = ub.poison : f32
  %c0 = arith.constant 0 : index
  %v = vector.transfer_read %m[%c0, %c0], %pad {in_bounds = [true, true], permutation_map = affine_map<(d0, d1) -> (d1, d0)>} : memref<8x16xf32>, vector<16x8xf32>
  return %v : vector<16x8xf32>
}

// A pack tile written as 16 rows of one element into a contiguous block
// becomes one 16-wide store (vector-to-scf would store each row on its own).
// Reads keep their rows: a register tile's lhs column of 6 elements becomes
// six one-element reads, which become broadcasts from memory.

// CHECK-LABEL: func.func @pack_tile_write
// CHECK:         %[[BLOCK:.+]] = memref.collapse_shape %{{.+}} {{\[}}[0], [1], [2, 3]] : memref<4x8x16x1xf32> into memref<4x8x16xf32>
// CHECK:         vector.store %[[ROW:.+]], %[[BLOCK]][%{{.+}}, %{{.+}}, %{{.+}}] : memref<4x8x16xf32>, vector<16xf32>
// CHECK-NOT:     vector.transfer_write
func.func @pack_tile_write(%row: vector<16xf32>, %panels: memref<4x8x16x1xf32>, %j: index, %k: index) {
  %c0 = arith.constant 0 : index
  %tile = vector.shape_cast %row : vector<16xf32> to vector<1x1x16x1xf32>
  vector.transfer_write %tile, %panels[%j, %k, %c0, %c0] {in_bounds = [true, true, true, true]} : vector<1x1x16x1xf32>, memref<4x8x16x1xf32>
  return
}

// CHECK-LABEL: func.func @lhs_column_read
// CHECK-COUNT-6: vector.transfer_read %{{.+}} {in_bounds = [true]} : memref<4x8x6x1xf32>, vector<1xf32>
// CHECK-NOT:     vector.transfer_read
// CHECK:         return
func.func @lhs_column_read(%panels: memref<4x8x6x1xf32>, %i: index, %k: index) -> vector<6x1xf32> {
  %c0 = arith.constant 0 : index
  %pad = ub.poison : f32
  %v = vector.transfer_read %panels[%i, %k, %c0, %c0], %pad {in_bounds = [true, true]} : memref<4x8x6x1xf32>, vector<6x1xf32>
  return %v : vector<6x1xf32>
}

// A 0-d buffer broadcast into a vector is left to the upstream patterns.

// CHECK-LABEL: func.func @scalar_broadcast
// CHECK:         %[[ONE:.+]] = vector.load %{{.+}}[] : memref<f32>, vector<f32>
// CHECK:         vector.broadcast %{{.+}} : f32 to vector<8xf32>
func.func @scalar_broadcast(%m: memref<f32>) -> vector<8xf32> {
  %pad = ub.poison : f32
  %v = vector.transfer_read %m[], %pad {in_bounds = [true], permutation_map = affine_map<() -> (0)>} : memref<f32>, vector<8xf32>
  return %v : vector<8xf32>
}

// A write of one element in unit dims has no rows to merge: it is left to
// the upstream lowering (and kept away from the flattening, whose
// contiguity check reads out of bounds on such vectors).

// CHECK-LABEL: func.func @unit_write
// CHECK:         %[[ROW:.+]] = vector.extract %{{.+}}[0] : vector<1xf64> from vector<1x1xf64>
// CHECK:         vector.transfer_write %[[ROW]], %{{.+}} {in_bounds = [true]} : vector<1xf64>, memref<2x3xf64>
func.func @unit_write(%v: vector<1x1xf64>, %m: memref<2x3xf64>, %i: index, %j: index) {
  vector.transfer_write %v, %m[%i, %j] {in_bounds = [true, true]} : vector<1x1xf64>, memref<2x3xf64>
  return
}

// The index arithmetic of tiling becomes arith (upstream's lower-affine
// patterns, applied in one walk).

// CHECK-LABEL: func.func @index_arithmetic
// CHECK-SAME:    (%[[I:.+]]: index, %[[N:.+]]: index)
// CHECK-NOT:     affine.
// CHECK:         %[[ROW:.+]] = arith.muli %[[I]], %{{.+}} overflow<nsw> : index
// CHECK:         %[[NEG:.+]] = arith.muli %[[ROW]], %{{.+}} overflow<nsw> : index
// CHECK:         %[[REST:.+]] = arith.addi %[[NEG]], %[[N]] : index
// CHECK:         %[[MIN:.+]] = arith.minsi %[[REST]], %{{.+}} : index
// CHECK-NOT:     affine.
// CHECK:         return %[[ROW]], %[[MIN]] : index, index
func.func @index_arithmetic(%i: index, %n: index) -> (index, index) {
  %row = affine.apply affine_map<(d0) -> (d0 * 6)>(%i)
  %size = affine.min affine_map<(d0)[s0] -> (s0 - d0, 6)>(%row)[%n]
  return %row, %size : index, index
}

// Horizontal float reductions become trees of half-vector steps, not the
// chain of scalar steps LLVM would expand them to: 16 lanes take 4 maxnumf
// steps (16 -> 8 -> 4 -> 2 -> 1), then the accumulator. Integer reductions,
// which LLVM already expands as trees, and narrow vectors stay.

// CHECK-LABEL: func.func @reduction_tree
// CHECK-SAME:    %[[A:.+]]: vector<16xf32>, %[[ACC:.+]]: f32, %[[B:.+]]: vector<8xf64>, %[[I:.+]]: vector<16xi32>, %[[N:.+]]: vector<2xf32>
// CHECK:         %[[LO8:.+]] = vector.extract_strided_slice %[[A]] {offsets = [0], sizes = [8], strides = [1]} : vector<16xf32> to vector<8xf32>
// CHECK:         %[[HI8:.+]] = vector.extract_strided_slice %[[A]] {offsets = [8], sizes = [8], strides = [1]} : vector<16xf32> to vector<8xf32>
// CHECK:         %[[M8:.+]] = arith.maxnumf %[[LO8]], %[[HI8]] : vector<8xf32>
// CHECK:         arith.maxnumf %{{.+}}, %{{.+}} : vector<4xf32>
// CHECK:         arith.maxnumf %{{.+}}, %{{.+}} : vector<2xf32>
// CHECK:         %[[M1:.+]] = arith.maxnumf %{{.+}}, %{{.+}} : vector<1xf32>
// CHECK:         %[[M:.+]] = vector.extract %[[M1]][0] : f32 from vector<1xf32>
// CHECK:         %[[MAX:.+]] = arith.maxnumf %[[M]], %[[ACC]] : f32
// CHECK:         arith.addf %{{.+}}, %{{.+}} : vector<4xf64>
// CHECK:         arith.addf %{{.+}}, %{{.+}} : vector<2xf64>
// CHECK:         arith.addf %{{.+}}, %{{.+}} : vector<1xf64>
// CHECK-NOT:     vector.reduction <maxnumf>
// CHECK:         %[[IMAX:.+]] = vector.reduction <maxsi>, %[[I]] : vector<16xi32> into i32
// CHECK:         %[[NARROW:.+]] = vector.reduction <add>, %[[N]] : vector<2xf32> into f32
// CHECK:         return %[[MAX]], %{{.+}}, %[[IMAX]], %[[NARROW]]
func.func @reduction_tree(%a: vector<16xf32>, %acc: f32, %b: vector<8xf64>, %i: vector<16xi32>, %n: vector<2xf32>) -> (f32, f64, i32, f32) {
  %max = vector.reduction <maxnumf>, %a, %acc : vector<16xf32> into f32
  %sum = vector.reduction <add>, %b : vector<8xf64> into f64
  %imax = vector.reduction <maxsi>, %i : vector<16xi32> into i32
  %narrow = vector.reduction <add>, %n : vector<2xf32> into f32
  return %max, %sum, %imax, %narrow : f32, f64, i32, f32
}
