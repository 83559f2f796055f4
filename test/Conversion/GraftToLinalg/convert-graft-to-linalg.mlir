// RUN: tensor-opt %s --split-input-file --convert-graft-to-linalg | FileCheck %s

// Broadcasting is expressed in the indexing maps: a missing leading dim is
// dropped from the operand's map. A public function's inputs belong to its
// caller: they are marked read-only for bufferization.

// CHECK-DAG:   #[[$ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$ROW:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME:    (%[[X:[^:]+]]: tensor<4x5xf32> {bufferization.writable = false}, %[[V:[^:]+]]: tensor<5xf32> {bufferization.writable = false})
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<4x5xf32>
// CHECK:         %[[R:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]], %[[V]] : tensor<4x5xf32>, tensor<5xf32>) outs(%[[E]] : tensor<4x5xf32>)
// CHECK:           arith.addf
// CHECK:         return %[[R]]
func.func @add_broadcast(%x: tensor<4x5xf32>, %v: tensor<5xf32>) -> tensor<4x5xf32> {
  %a = graft.add %x, %v : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  return %a : tensor<4x5xf32>
}

// -----

// A size-1 dim that broadcasts reads index 0.

// CHECK-DAG:   #[[$COL:.+]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG:   #[[$ROW:.+]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @mul_size1
// CHECK:         linalg.generic {indexing_maps = [#[[$COL]], #[[$ROW]], #{{.+}}]
// CHECK:           arith.mulf %{{.+}}, %{{.+}} : f64
func.func @mul_size1(%c: tensor<4x1xf64>, %r: tensor<1x5xf64>) -> tensor<4x5xf64> {
  %m = graft.mul %c, %r : (tensor<4x1xf64>, tensor<1x5xf64>) -> tensor<4x5xf64>
  return %m : tensor<4x5xf64>
}

// -----

// CHECK-LABEL: func.func @matmul
// CHECK-SAME:    (%[[X:[^:]+]]: tensor<4x3xf32> {{.*}}, %[[Y:[^:]+]]: tensor<3x5xf32> {{.*}})
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.+}} : tensor<4x5xf32>)
// CHECK:         %[[Q:.+]] = linalg.matmul ins(%[[X]], %[[Y]] : tensor<4x3xf32>, tensor<3x5xf32>) outs(%[[INIT]] : tensor<4x5xf32>)
// CHECK:         return %[[Q]]
func.func @matmul(%x: tensor<4x3xf32>, %y: tensor<3x5xf32>) -> tensor<4x5xf32> {
  %q = graft.matmul %x, %y : (tensor<4x3xf32>, tensor<3x5xf32>) -> tensor<4x5xf32>
  return %q : tensor<4x5xf32>
}

// -----

// f32 sums accumulate in f64, round once, and keepdim is a reshape.

// CHECK-LABEL: func.func @sum_keepdim
// CHECK:         %[[ACC:.+]] = linalg.fill ins(%{{.+}} : f64) outs(%{{.+}} : tensor<4xf64>)
// CHECK:         %[[SUM:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%{{.+}} : tensor<4x5xf32>) outs(%[[ACC]] : tensor<4xf64>)
// CHECK:           arith.extf %{{.+}} : f32 to f64
// CHECK:           arith.addf
// CHECK:         %[[ROUND:.+]] = linalg.generic {{.+}} ins(%[[SUM]] : tensor<4xf64>) outs(%{{.+}} : tensor<4xf32>)
// CHECK:           arith.truncf %{{.+}} : f64 to f32
// CHECK:         tensor.expand_shape %[[ROUND]] {{\[}}[0, 1]] output_shape [4, 1] : tensor<4xf32> into tensor<4x1xf32>
func.func @sum_keepdim(%x: tensor<4x5xf32>) -> tensor<4x1xf32> {
  %s = graft.sum %x {dims = array<i64: 1>, keepdim = true} : (tensor<4x5xf32>) -> tensor<4x1xf32>
  return %s : tensor<4x1xf32>
}

// -----

// CHECK-LABEL: func.func @mean_all
// CHECK:         %[[SUM:.+]] = linalg.generic {{.+}} iterator_types = ["reduction", "reduction"]} ins(%{{.+}} : tensor<4x5xf64>) outs(%{{.+}} : tensor<f64>)
// CHECK:         linalg.generic {{.+}} ins(%[[SUM]] : tensor<f64>)
// CHECK:           %[[N:.+]] = arith.constant 2.000000e+01 : f64
// CHECK:           arith.divf %{{.+}}, %[[N]] : f64
func.func @mean_all(%x: tensor<4x5xf64>) -> tensor<f64> {
  %s = graft.mean %x : (tensor<4x5xf64>) -> tensor<f64>
  return %s : tensor<f64>
}

// -----

// CHECK-LABEL: func.func @full
// CHECK:         %[[V:.+]] = arith.constant 2.500000e+00 : f32
// CHECK:         linalg.fill ins(%[[V]] : f32) outs(%{{.+}} : tensor<2x3xf32>)
func.func @full() -> tensor<2x3xf32> {
  %f = graft.full {value = 2.5 : f32} : tensor<2x3xf32>
  return %f : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @eye
// CHECK:         linalg.generic {{.+}} outs(%{{.+}} : tensor<2x3xf32>)
// CHECK:           %[[I:.+]] = linalg.index 0 : index
// CHECK:           %[[J:.+]] = linalg.index 1 : index
// CHECK:           %[[DIAG:.+]] = arith.cmpi eq, %[[I]], %[[J]] : index
// CHECK:           arith.select %[[DIAG]]
func.func @eye() -> tensor<2x3xf32> {
  %e = graft.eye : tensor<2x3xf32>
  return %e : tensor<2x3xf32>
}

// -----

// rand fills a fresh buffer through the runtime's torch-compatible generator.

// CHECK:       func.func private @graft_rt_rand_f32(i64, i64, i64)
// CHECK-LABEL: func.func @rand
// CHECK:         %[[BUF:.+]] = memref.alloc() {alignment = 64 : i64} : memref<2x3xf32>
// CHECK:         %[[PTR:.+]] = memref.extract_aligned_pointer_as_index %[[BUF]]
// CHECK:         %[[ADDR:.+]] = arith.index_cast %[[PTR]] : index to i64
// CHECK:         %[[N:.+]] = arith.constant 6 : i64
// CHECK:         %[[SEED:.+]] = arith.constant 7 : i64
// CHECK:         call @graft_rt_rand_f32(%[[ADDR]], %[[N]], %[[SEED]])
// CHECK:         %[[T:.+]] = bufferization.to_tensor %[[BUF]] restrict writable
// CHECK:         return %[[T]]
func.func @rand() -> tensor<2x3xf32> {
  %r = graft.rand {seed = 7 : i64} : tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @constant
// CHECK:         %[[C:.+]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf64>
// CHECK:         return %[[C]]
func.func @constant() -> tensor<2xf64> {
  %c = graft.constant dense<[1.0, 2.0]> : tensor<2xf64>
  return %c : tensor<2xf64>
}

// -----

// Each elementwise op's scalar body.

// CHECK-LABEL: func.func @binary_bodies
// CHECK:         arith.subf
// CHECK:         arith.divf
// CHECK:         math.powf
// CHECK:         arith.maximumf
// CHECK:         arith.minimumf
func.func @binary_bodies(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %s = graft.sub %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %d = graft.div %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %p = graft.pow %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %a = graft.maximum %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %b = graft.minimum %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %s, %d, %p, %a, %b : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @unary_bodies
// CHECK:         arith.negf
// CHECK:         math.exp
// CHECK:         math.log
// CHECK:         math.sqrt
// CHECK:         math.tanh
// CHECK:         math.absf
func.func @unary_bodies(%x: tensor<4xf64>) -> (tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>) {
  %a = graft.neg %x : tensor<4xf64>
  %b = graft.exp %x : tensor<4xf64>
  %c = graft.log %x : tensor<4xf64>
  %d = graft.sqrt %x : tensor<4xf64>
  %e = graft.tanh %x : tensor<4xf64>
  %f = graft.abs %x : tensor<4xf64>
  return %a, %b, %c, %d, %e, %f : tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>
}

// -----

// sigmoid is 1 / (1 + exp(-x)); relu is maximumf(x, 0), which keeps NaN.

// CHECK-LABEL: func.func @sigmoid_relu
// CHECK:         ^bb0(%[[IN:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK:           %[[NEG:.+]] = arith.negf %[[IN]]
// CHECK:           %[[EXP:.+]] = math.exp %[[NEG]]
// CHECK:           %[[DEN:.+]] = arith.addf %[[ONE]], %[[EXP]]
// CHECK:           arith.divf %[[ONE]], %[[DEN]]
// CHECK:         ^bb0(%[[IN2:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:           arith.maximumf %[[IN2]], %[[ZERO]]
func.func @sigmoid_relu(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %s = graft.sigmoid %x : tensor<4xf32>
  %r = graft.relu %x : tensor<4xf32>
  return %s, %r : tensor<4xf32>, tensor<4xf32>
}

// -----

// A batched lhs with a 2-D rhs folds the batch into the rows of one matmul.

// CHECK-LABEL: func.func @matmul_batched_lhs
// CHECK:         %[[ROWS:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2]] : tensor<2x4x3xf32> into tensor<8x3xf32>
// CHECK:         %[[Q:.+]] = linalg.matmul ins(%[[ROWS]], %{{.+}} : tensor<8x3xf32>, tensor<3x5xf32>)
// CHECK:         tensor.expand_shape %[[Q]] {{\[}}[0, 1], [2]] output_shape [2, 4, 5] : tensor<8x5xf32> into tensor<2x4x5xf32>
func.func @matmul_batched_lhs(%x: tensor<2x4x3xf32>, %y: tensor<3x5xf32>) -> tensor<2x4x5xf32> {
  %q = graft.matmul %x, %y : (tensor<2x4x3xf32>, tensor<3x5xf32>) -> tensor<2x4x5xf32>
  return %q : tensor<2x4x5xf32>
}

// -----

// Broadcast batch dims are materialized, then the batch dims collapse into
// one for linalg.batch_matmul.

// CHECK-LABEL: func.func @matmul_broadcast_batch
// CHECK:         %[[L:.+]] = linalg.generic {{.+}} ins(%{{.+}} : tensor<4x3xf32>) outs(%{{.+}} : tensor<2x3x4x3xf32>)
// CHECK:         %[[LC:.+]] = tensor.collapse_shape %[[L]] {{\[}}[0, 1], [2], [3]] : tensor<2x3x4x3xf32> into tensor<6x4x3xf32>
// CHECK:         %[[RC:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2], [3]] : tensor<2x3x3x5xf32> into tensor<6x3x5xf32>
// CHECK:         %[[Q:.+]] = linalg.batch_matmul ins(%[[LC]], %[[RC]] : tensor<6x4x3xf32>, tensor<6x3x5xf32>)
// CHECK:         tensor.expand_shape %[[Q]] {{\[}}[0, 1], [2], [3]] output_shape [2, 3, 4, 5]
func.func @matmul_broadcast_batch(%x: tensor<4x3xf32>, %y: tensor<2x3x3x5xf32>) -> tensor<2x3x4x5xf32> {
  %q = graft.matmul %x, %y : (tensor<4x3xf32>, tensor<2x3x3x5xf32>) -> tensor<2x3x4x5xf32>
  return %q : tensor<2x3x4x5xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK:         linalg.transpose ins(%{{.+}} : tensor<2x3x4xf32>) outs(%[[E]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %t = graft.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return %t : tensor<4x2x3xf32>
}

// -----

// Reshapes are views: one collapse/expand when the dims group, else via 1-D.

// CHECK-LABEL: func.func @reshapes
// CHECK:         tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK:         %[[FLAT:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK:         tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
func.func @reshapes(%x: tensor<2x3x4xf32>, %y: tensor<2x3xf32>) -> (tensor<6x4xf32>, tensor<3x2xf32>) {
  %a = graft.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %b = graft.reshape %y : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %a, %b : tensor<6x4xf32>, tensor<3x2xf32>
}

// -----

// CHECK-DAG:   #[[$IN:.+]] = affine_map<(d0, d1, d2) -> (0, d2)>
// CHECK-DAG:   #[[$OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @broadcast_to
// CHECK:         linalg.generic {indexing_maps = [#[[$IN]], #[[$OUT]]]
// CHECK-NEXT:    ^bb0(%[[V:.+]]: f32, %{{.+}}: f32):
// CHECK-NEXT:      linalg.yield %[[V]]
func.func @broadcast_to(%x: tensor<1x4xf32>) -> tensor<2x3x4xf32> {
  %b = graft.broadcast_to %x : (tensor<1x4xf32>) -> tensor<2x3x4xf32>
  return %b : tensor<2x3x4xf32>
}

// -----

// max starts from -inf and keeps the element type.

// CHECK-LABEL: func.func @max
// CHECK:         %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[INIT:.+]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.+}} : tensor<4xf32>)
// CHECK:         linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%{{.+}} : tensor<4x5xf32>) outs(%[[INIT]] : tensor<4xf32>)
// CHECK:           arith.maximumf
// CHECK:         tensor.expand_shape
func.func @max(%x: tensor<4x5xf32>) -> tensor<4x1xf32> {
  %m = graft.max %x {dims = array<i64: 1>, keepdim = true} : (tensor<4x5xf32>) -> tensor<4x1xf32>
  return %m : tensor<4x1xf32>
}

// -----

// softmax: max, subtract, exp, sum (in f32, as PyTorch's), then each
// element times the reciprocal of its sum (as PyTorch). The max skips NaNs
// (maxnumf): a NaN reaches the whole row through the sum.

// CHECK-LABEL: func.func @softmax
// CHECK:         %[[MAX:.+]] = linalg.generic {{.+}} ins(%{{.+}} : tensor<4x5xf32>) outs(%{{.+}} : tensor<5xf32>)
// CHECK:           arith.maxnumf
// CHECK:         %[[SHIFTED:.+]] = linalg.generic {{.+}} ins(%{{.+}}, %[[MAX]] : tensor<4x5xf32>, tensor<5xf32>)
// CHECK:           arith.subf
// CHECK:         %[[EXP:.+]] = linalg.generic {{.+}} ins(%[[SHIFTED]] : tensor<4x5xf32>)
// CHECK:           math.exp
// CHECK:         %[[SUM:.+]] = linalg.generic {{.+}} ins(%[[EXP]] : tensor<4x5xf32>) outs(%{{.+}} : tensor<5xf32>)
// CHECK-NEXT:      ^bb0(%[[X:.+]]: f32, %[[ACC:.+]]: f32):
// CHECK-NEXT:        %[[ADD:.+]] = arith.addf %[[X]], %[[ACC]] : f32
// CHECK-NEXT:        linalg.yield %[[ADD]] : f32
// CHECK:         linalg.generic {{.+}} ins(%[[EXP]], %[[SUM]] : tensor<4x5xf32>, tensor<5xf32>)
// CHECK-NEXT:      ^bb0(%[[E:.+]]: f32, %[[S:.+]]: f32, %{{.+}}: f32):
// CHECK-NEXT:        %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT:        %[[R:.+]] = arith.divf %[[ONE]], %[[S]] : f32
// CHECK-NEXT:        arith.mulf %[[E]], %[[R]] : f32
func.func @softmax(%x: tensor<4x5xf32>) -> tensor<4x5xf32> {
  %s = graft.softmax %x {dim = 0 : i64} : tensor<4x5xf32>
  return %s : tensor<4x5xf32>
}

// -----

// log_softmax: (x - max) - log(sum(exp(x - max))), dim counted from the
// back; the sum and its log in f32, as PyTorch's.

// CHECK-LABEL: func.func @log_softmax
// CHECK:         %[[SHIFTED:.+]] = linalg.generic {{.+}} ins(%{{.+}}, %{{.+}} : tensor<4x5xf32>, tensor<4xf32>)
// CHECK:           arith.subf
// CHECK:         %[[SUM:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<4xf32>)
// CHECK:         linalg.generic {{.+}} ins(%[[SHIFTED]], %[[SUM]] : tensor<4x5xf32>, tensor<4xf32>)
// CHECK:           %[[LOG:.+]] = math.log %{{.+}} : f32
// CHECK:           arith.subf %{{.+}}, %[[LOG]] : f32
func.func @log_softmax(%x: tensor<4x5xf32>) -> tensor<4x5xf32> {
  %s = graft.log_softmax %x {dim = -1 : i64} : tensor<4x5xf32>
  return %s : tensor<4x5xf32>
}

// -----

// CHECK:       func.func private @graft_rt_randn_f64(i64, i64, i64)
// CHECK-LABEL: func.func @randn
// CHECK:         call @graft_rt_randn_f64
func.func @randn() -> tensor<3xf64> {
  %r = graft.randn {seed = 1 : i64} : tensor<3xf64>
  return %r : tensor<3xf64>
}

// -----

// Comparisons select 1.0 or 0.0; ne is unordered, so NaN != NaN.

// CHECK-LABEL: func.func @comparisons
// CHECK:         %[[EQ:.+]] = arith.cmpf oeq
// CHECK:         arith.select %[[EQ]], %{{.+}}, %{{.+}} : f32
// CHECK:         arith.cmpf une
// CHECK:         arith.cmpf olt
// CHECK:         arith.cmpf ole
// CHECK:         arith.cmpf ogt
// CHECK:         arith.cmpf oge
func.func @comparisons(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %a = graft.eq %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %b = graft.ne %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %c = graft.lt %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %d = graft.le %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %e = graft.gt %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %f = graft.ge %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %a, %b, %c, %d, %e, %f : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// A private function is called only by the module's own functions; its
// inputs keep the default, writable.

// CHECK-LABEL: func.func private @helper
// CHECK-NOT:     bufferization.writable
// CHECK:         linalg.generic
func.func private @helper(%x: tensor<3xf32>) -> tensor<3xf32> {
  %e = graft.exp %x : tensor<3xf32>
  return %e : tensor<3xf32>
}
