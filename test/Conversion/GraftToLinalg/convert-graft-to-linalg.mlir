// RUN: tensor-opt %s --split-input-file --convert-graft-to-linalg | FileCheck %s

// Broadcasting is expressed in the indexing maps: a missing leading dim is
// dropped from the operand's map.

// CHECK-DAG:   #[[$ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[$ROW:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME:    (%[[X:.+]]: tensor<4x5xf32>, %[[V:.+]]: tensor<5xf32>)
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
// CHECK-SAME:    (%[[X:.+]]: tensor<4x3xf32>, %[[Y:.+]]: tensor<3x5xf32>)
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
