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

// -----

// CHECK-LABEL: func.func @more_creation
func.func @more_creation() -> tensor<2x3xf64> {
  // CHECK: graft.randn {seed = 5 : i64} : tensor<2x3xf64>
  %r = graft.randn {seed = 5 : i64} : tensor<2x3xf64>
  return %r : tensor<2x3xf64>
}

// -----

// CHECK-LABEL: func.func @binary
func.func @binary(%x: tensor<4x5xf32>, %v: tensor<5xf32>) -> (tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>) {
  // CHECK: graft.sub %{{.*}}, %{{.*}} : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  %s = graft.sub %x, %v : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  // CHECK: graft.div %{{.*}}, %{{.*}} : (tensor<5xf32>, tensor<4x5xf32>) -> tensor<4x5xf32>
  %d = graft.div %v, %x : (tensor<5xf32>, tensor<4x5xf32>) -> tensor<4x5xf32>
  // CHECK: graft.pow %{{.*}}, %{{.*}} : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  %p = graft.pow %x, %v : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  // CHECK: graft.maximum %{{.*}}, %{{.*}} : (tensor<4x5xf32>, tensor<4x5xf32>) -> tensor<4x5xf32>
  %mx = graft.maximum %s, %d : (tensor<4x5xf32>, tensor<4x5xf32>) -> tensor<4x5xf32>
  // CHECK: graft.minimum %{{.*}}, %{{.*}} : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  %mn = graft.minimum %x, %v : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  return %s, %d, %p, %mx, %mn : tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>
}

// -----

// CHECK-LABEL: func.func @unary
func.func @unary(%x: tensor<3xf64>) -> tensor<3xf64> {
  // CHECK: %[[A:.+]] = graft.neg %{{.*}} : tensor<3xf64>
  // CHECK: %[[B:.+]] = graft.exp %[[A]] : tensor<3xf64>
  // CHECK: %[[C:.+]] = graft.log %[[B]] : tensor<3xf64>
  // CHECK: %[[D:.+]] = graft.sqrt %[[C]] : tensor<3xf64>
  // CHECK: %[[E:.+]] = graft.tanh %[[D]] : tensor<3xf64>
  // CHECK: %[[F:.+]] = graft.sigmoid %[[E]] : tensor<3xf64>
  // CHECK: %[[G:.+]] = graft.relu %[[F]] : tensor<3xf64>
  // CHECK: graft.abs %[[G]] : tensor<3xf64>
  %a = graft.neg %x : tensor<3xf64>
  %b = graft.exp %a : tensor<3xf64>
  %c = graft.log %b : tensor<3xf64>
  %d = graft.sqrt %c : tensor<3xf64>
  %e = graft.tanh %d : tensor<3xf64>
  %f = graft.sigmoid %e : tensor<3xf64>
  %g = graft.relu %f : tensor<3xf64>
  %h = graft.abs %g : tensor<3xf64>
  return %h : tensor<3xf64>
}

// -----

// CHECK-LABEL: func.func @batched_matmul
func.func @batched_matmul(%x: tensor<2x1x4x3xf32>, %y: tensor<5x3x6xf32>) -> tensor<2x5x4x6xf32> {
  // CHECK: graft.matmul %{{.*}}, %{{.*}} : (tensor<2x1x4x3xf32>, tensor<5x3x6xf32>) -> tensor<2x5x4x6xf32>
  %q = graft.matmul %x, %y : (tensor<2x1x4x3xf32>, tensor<5x3x6xf32>) -> tensor<2x5x4x6xf32>
  return %q : tensor<2x5x4x6xf32>
}

// -----

// CHECK-LABEL: func.func @shapes
func.func @shapes(%x: tensor<2x3x4xf32>, %v: tensor<4xf32>) -> (tensor<4x2x3xf32>, tensor<6x4xf32>, tensor<5x2x4xf32>) {
  // CHECK: graft.transpose %{{.*}} {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %t = graft.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  // CHECK: graft.reshape %{{.*}} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %r = graft.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  // CHECK: graft.broadcast_to %{{.*}} : (tensor<4xf32>) -> tensor<5x2x4xf32>
  %b = graft.broadcast_to %v : (tensor<4xf32>) -> tensor<5x2x4xf32>
  return %t, %r, %b : tensor<4x2x3xf32>, tensor<6x4xf32>, tensor<5x2x4xf32>
}

// -----

// CHECK-LABEL: func.func @max_and_softmax
func.func @max_and_softmax(%x: tensor<4x5xf32>) -> (tensor<4x1xf32>, tensor<4x5xf32>, tensor<4x5xf32>) {
  // CHECK: graft.max %{{.*}} {dims = array<i64: 1>, keepdim = true} : (tensor<4x5xf32>) -> tensor<4x1xf32>
  %m = graft.max %x {dims = array<i64: 1>, keepdim = true} : (tensor<4x5xf32>) -> tensor<4x1xf32>
  // CHECK: graft.softmax %{{.*}} {dim = 1 : i64} : tensor<4x5xf32>
  %s = graft.softmax %x {dim = 1 : i64} : tensor<4x5xf32>
  // CHECK: graft.log_softmax %{{.*}} {dim = -2 : i64} : tensor<4x5xf32>
  %l = graft.log_softmax %x {dim = -2 : i64} : tensor<4x5xf32>
  return %m, %s, %l : tensor<4x1xf32>, tensor<4x5xf32>, tensor<4x5xf32>
}

// -----

// CHECK-LABEL: func.func @comparisons
func.func @comparisons(%x: tensor<4x5xf32>, %v: tensor<5xf32>) -> (tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>) {
  // CHECK: graft.eq %{{.*}}, %{{.*}} : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  %a = graft.eq %x, %v : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  // CHECK: graft.ne
  %b = graft.ne %x, %v : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  // CHECK: graft.lt
  %c = graft.lt %x, %v : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  // CHECK: graft.le
  %d = graft.le %x, %v : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  // CHECK: graft.gt
  %e = graft.gt %x, %v : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  // CHECK: graft.ge
  %f = graft.ge %x, %v : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  return %a, %b, %c, %d, %e, %f : tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>
}
