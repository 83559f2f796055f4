// RUN: tensor-opt %s --split-input-file | FileCheck %s
// RUN: tensor-opt %s --split-input-file --mlir-print-op-generic | tensor-opt --split-input-file | FileCheck %s

// Round trip of every op in the custom syntax; the second RUN line also
// goes through the generic syntax.

// CHECK-LABEL: func.func @creation
func.func @creation() -> (tensor<2x2xf32>, tensor<3x3xf32>, tensor<3x3xf64>, tensor<2x4xf32>, tensor<f32>) {
  // CHECK: graft.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
  %c = graft.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  // CHECK: graft.rand {seed = 0 : i64} : tensor<3x3xf32>
  %r = graft.rand {seed = 0 : i64} : tensor<3x3xf32>
  // CHECK: graft.full {value = 1.000000e+00 : f64} : tensor<3x3xf64>
  %o = graft.full {value = 1.0 : f64} : tensor<3x3xf64>
  // CHECK: graft.eye : tensor<2x4xf32>
  %e = graft.eye : tensor<2x4xf32>
  // CHECK: graft.constant dense<4.000000e+00> : tensor<f32>
  %s = graft.constant dense<4.0> : tensor<f32>
  return %c, %r, %o, %e, %s : tensor<2x2xf32>, tensor<3x3xf32>, tensor<3x3xf64>, tensor<2x4xf32>, tensor<f32>
}

// -----

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%x: tensor<4x5xf32>, %v: tensor<5xf32>, %s: tensor<f32>, %c: tensor<4x1xf32>) -> (tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>) {
  // CHECK: graft.add %{{.*}}, %{{.*}} : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  %a = graft.add %x, %v : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  // CHECK: graft.mul %{{.*}}, %{{.*}} : (tensor<f32>, tensor<4x5xf32>) -> tensor<4x5xf32>
  %m = graft.mul %s, %a : (tensor<f32>, tensor<4x5xf32>) -> tensor<4x5xf32>
  // CHECK: graft.add %{{.*}}, %{{.*}} : (tensor<4x1xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  %o = graft.add %c, %v : (tensor<4x1xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  return %a, %m, %o : tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>
}

// -----

// CHECK-LABEL: func.func @matmul
func.func @matmul(%x: tensor<4x3xf64>, %y: tensor<3x5xf64>) -> tensor<4x5xf64> {
  // CHECK: graft.matmul %{{.*}}, %{{.*}} : (tensor<4x3xf64>, tensor<3x5xf64>) -> tensor<4x5xf64>
  %q = graft.matmul %x, %y : (tensor<4x3xf64>, tensor<3x5xf64>) -> tensor<4x5xf64>
  return %q : tensor<4x5xf64>
}

// -----

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<4x5xf32>) -> (tensor<4xf32>, tensor<f32>, tensor<1x5xf32>, tensor<4xf32>) {
  // CHECK: graft.sum %{{.*}} {dims = array<i64: 1>} : (tensor<4x5xf32>) -> tensor<4xf32>
  %s = graft.sum %x {dims = array<i64: 1>, keepdim = false} : (tensor<4x5xf32>) -> tensor<4xf32>
  // CHECK: graft.mean %{{.*}} : (tensor<4x5xf32>) -> tensor<f32>
  %a = graft.mean %x : (tensor<4x5xf32>) -> tensor<f32>
  // CHECK: graft.mean %{{.*}} {dims = array<i64: 0>, keepdim = true} : (tensor<4x5xf32>) -> tensor<1x5xf32>
  %k = graft.mean %x {dims = array<i64: 0>, keepdim = true} : (tensor<4x5xf32>) -> tensor<1x5xf32>
  // CHECK: graft.sum %{{.*}} {dims = array<i64: -1>} : (tensor<4x5xf32>) -> tensor<4xf32>
  %n = graft.sum %x {dims = array<i64: -1>} : (tensor<4x5xf32>) -> tensor<4xf32>
  return %s, %a, %k, %n : tensor<4xf32>, tensor<f32>, tensor<1x5xf32>, tensor<4xf32>
}
