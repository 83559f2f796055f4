// RUN: tensor-opt %s --split-input-file --graft-to-linalg-pipeline | FileCheck %s

// An elementwise chain, broadcasting included, fuses into one linalg.generic:
// relu(a * b + c) reads each input once and writes the result once.

// CHECK-LABEL: func.func @chain
// CHECK-COUNT-1: linalg.generic
// CHECK-NOT:     linalg.generic
// CHECK:         arith.mulf
// CHECK:         arith.addf
// CHECK:         arith.maximumf
func.func @chain(%a: tensor<64x128xf32>, %b: tensor<64x128xf32>, %c: tensor<128xf32>) -> tensor<64x128xf32> {
  %m = graft.mul %a, %b : (tensor<64x128xf32>, tensor<64x128xf32>) -> tensor<64x128xf32>
  %s = graft.add %m, %c : (tensor<64x128xf32>, tensor<128xf32>) -> tensor<64x128xf32>
  %r = graft.relu %s : tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}

// -----

// The seed's elementwise product fuses into the mean's reduction: no
// 1000x1000 temporary for q * z.

// CHECK-LABEL: func.func @seed
// CHECK:         %[[Q:.+]] = linalg.matmul
// CHECK:         linalg.generic {{.+}} iterator_types = ["reduction", "reduction"]} ins(%[[Q]], %{{.+}} : tensor<1000x1000xf32>, tensor<1000x1000xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.extf
// CHECK:           arith.addf
func.func @seed(%x: tensor<1000x1000xf32>, %y: tensor<1000x1000xf32>, %z: tensor<1000x1000xf32>) -> tensor<f32> {
  %q = graft.matmul %x, %y : (tensor<1000x1000xf32>, tensor<1000x1000xf32>) -> tensor<1000x1000xf32>
  %f = graft.mul %q, %z : (tensor<1000x1000xf32>, tensor<1000x1000xf32>) -> tensor<1000x1000xf32>
  %m = graft.mean %f : (tensor<1000x1000xf32>) -> tensor<f32>
  return %m : tensor<f32>
}
