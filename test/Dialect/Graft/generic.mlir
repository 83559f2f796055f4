// RUN: tensor-opt %s | FileCheck %s

// The generic spellings from DESIGN.md parse and print in custom syntax.

// CHECK-LABEL: func.func @design_examples
func.func @design_examples(%x: tensor<4x5xf32>, %v: tensor<5xf32>) -> (tensor<4xf32>, tensor<f32>, tensor<3x3xf32>, tensor<3x3xf32>, tensor<3x3xf32>, tensor<4x5xf32>) {
  // CHECK: graft.sum %{{.*}} {dims = array<i64: 1>} : (tensor<4x5xf32>) -> tensor<4xf32>
  %s = "graft.sum"(%x) {dims = array<i64: 1>, keepdim = false} : (tensor<4x5xf32>) -> tensor<4xf32>
  // CHECK: graft.mean %{{.*}} : (tensor<4x5xf32>) -> tensor<f32>
  %a = "graft.mean"(%x) {dims = array<i64>, keepdim = false} : (tensor<4x5xf32>) -> tensor<f32>
  // CHECK: graft.rand {seed = 0 : i64} : tensor<3x3xf32>
  %r = "graft.rand"() {seed = 0 : i64} : () -> tensor<3x3xf32>
  // CHECK: graft.full {value = 1.000000e+00 : f32} : tensor<3x3xf32>
  %o = "graft.full"() {value = 1.000000e+00 : f32} : () -> tensor<3x3xf32>
  // CHECK: graft.eye : tensor<3x3xf32>
  %e = "graft.eye"() : () -> tensor<3x3xf32>
  // CHECK: graft.add %{{.*}}, %{{.*}} : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  %b = "graft.add"(%x, %v) : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  return %s, %a, %r, %o, %e, %b : tensor<4xf32>, tensor<f32>, tensor<3x3xf32>, tensor<3x3xf32>, tensor<3x3xf32>, tensor<4x5xf32>
}

// CHECK-LABEL: func.func @design_examples_2
func.func @design_examples_2(%x: tensor<4x5xf32>) -> (tensor<5x4xf32>, tensor<4x5xf32>) {
  // CHECK: graft.transpose %{{.*}} {perm = array<i64: 1, 0>} : (tensor<4x5xf32>) -> tensor<5x4xf32>
  %t = "graft.transpose"(%x) {perm = array<i64: 1, 0>} : (tensor<4x5xf32>) -> tensor<5x4xf32>
  // CHECK: graft.softmax %{{.*}} {dim = 1 : i64} : tensor<4x5xf32>
  %m = "graft.softmax"(%x) {dim = 1 : i64} : (tensor<4x5xf32>) -> tensor<4x5xf32>
  return %t, %m : tensor<5x4xf32>, tensor<4x5xf32>
}
