// RUN: tensor-opt %s --split-input-file --canonicalize | FileCheck %s

// Small constants fold, with a splat operand broadcast.

// CHECK-LABEL: func.func @constant_folding
// CHECK-DAG:     %[[SUM:.+]] = graft.constant dense<[4.000000e+00, 6.000000e+00]> : tensor<2xf32>
// CHECK-DAG:     %[[PROD:.+]] = graft.constant dense<[2.000000e+00, 4.000000e+00]> : tensor<2xf32>
// CHECK-DAG:     %[[DIFF:.+]] = graft.constant dense<[-1.000000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK-DAG:     %[[QUOT:.+]] = graft.constant dense<[5.000000e-01, 1.000000e+00]> : tensor<2xf32>
// CHECK-DAG:     %[[NEG:.+]] = graft.constant dense<[-1.000000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK:         return %[[SUM]], %[[PROD]], %[[DIFF]], %[[QUOT]], %[[NEG]]
func.func @constant_folding() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %a = graft.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = graft.constant dense<[3.0, 4.0]> : tensor<2xf32>
  %two = graft.constant dense<2.0> : tensor<2xf32>
  %sum = graft.add %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %prod = graft.mul %a, %two : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %diff = graft.sub %a, %two : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %quot = graft.div %a, %two : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %neg = graft.neg %a : tensor<2xf32>
  return %sum, %prod, %diff, %quot, %neg : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// Constants above the size limit are not folded.

// CHECK-LABEL: func.func @large_constants_stay
// CHECK:         graft.add
func.func @large_constants_stay() -> tensor<5000xf32> {
  %a = graft.constant dense<1.0> : tensor<5000xf32>
  %b = graft.constant dense<[1.0]> : tensor<1xf32>
  %sum = graft.add %a, %b : (tensor<5000xf32>, tensor<1xf32>) -> tensor<5000xf32>
  return %sum : tensor<5000xf32>
}

// -----

// Exact identities: x * 1, 1 * x, x / 1, x - 0 and x + -0.0 are x.

// CHECK-LABEL: func.func @identities
// CHECK-SAME:    (%[[X:.+]]: tensor<4xf32>)
// CHECK-NOT:     graft.
// CHECK:         return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]]
func.func @identities(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %one = graft.constant dense<1.0> : tensor<4xf32>
  %zero = graft.constant dense<0.0> : tensor<f32>
  %negzero = graft.constant dense<-0.0> : tensor<4xf32>
  %a = graft.mul %x, %one : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %b = graft.mul %one, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %c = graft.div %x, %one : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %d = graft.sub %x, %zero : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %e = graft.add %x, %negzero : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %a, %b, %c, %d, %e : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// x + 0.0 is not x: -0.0 + 0.0 is +0.0. A splat identity that broadcasts x
// to a bigger shape is not dropped either.

// CHECK-LABEL: func.func @not_identities
// CHECK:         graft.add
// CHECK:         graft.mul
func.func @not_identities(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<3x4xf32>) {
  %zero = graft.constant dense<0.0> : tensor<4xf32>
  %ones = graft.constant dense<1.0> : tensor<3x4xf32>
  %a = graft.add %x, %zero : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %b = graft.mul %x, %ones : (tensor<4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return %a, %b : tensor<4xf32>, tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func.func @double_negation
// CHECK-SAME:    (%[[X:.+]]: tensor<4xf64>)
// CHECK-NEXT:    return %[[X]]
func.func @double_negation(%x: tensor<4xf64>) -> tensor<4xf64> {
  %a = graft.neg %x : tensor<4xf64>
  %b = graft.neg %a : tensor<4xf64>
  return %b : tensor<4xf64>
}

// -----

// transpose(transpose(x)) collapses into one transpose, or into x.

// CHECK-LABEL: func.func @transposes
// CHECK-SAME:    (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK:         %[[T:.+]] = graft.transpose %[[X]] {perm = array<i64: 2, 1, 0>} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
// CHECK-NOT:     graft.transpose
// CHECK:         return %[[X]], %[[T]], %[[X]]
func.func @transposes(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<4x3x2xf32>, tensor<2x3x4xf32>) {
  %a = graft.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  %b = graft.transpose %a {perm = array<i64: 1, 0, 2>} : (tensor<3x2x4xf32>) -> tensor<2x3x4xf32>
  %c = graft.transpose %a {perm = array<i64: 2, 0, 1>} : (tensor<3x2x4xf32>) -> tensor<4x3x2xf32>
  %d = graft.transpose %x {perm = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %b, %c, %d : tensor<2x3x4xf32>, tensor<4x3x2xf32>, tensor<2x3x4xf32>
}

// -----

// reshape(reshape(x)) is one reshape; a reshape to the same type is x; a
// constant reshapes at compile time.

// CHECK-LABEL: func.func @reshapes
// CHECK-SAME:    (%[[X:.+]]: tensor<2x6xf32>)
// CHECK-DAG:     %[[C:.+]] = graft.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG:     %[[R:.+]] = graft.reshape %[[X]] : (tensor<2x6xf32>) -> tensor<3x4xf32>
// CHECK:         return %[[R]], %[[X]], %[[C]]
func.func @reshapes(%x: tensor<2x6xf32>) -> (tensor<3x4xf32>, tensor<2x6xf32>, tensor<2x2xf32>) {
  %a = graft.reshape %x : (tensor<2x6xf32>) -> tensor<12xf32>
  %b = graft.reshape %a : (tensor<12xf32>) -> tensor<3x4xf32>
  %c = graft.reshape %x : (tensor<2x6xf32>) -> tensor<2x6xf32>
  %k = graft.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %d = graft.reshape %k : (tensor<4xf32>) -> tensor<2x2xf32>
  return %b, %c, %d : tensor<3x4xf32>, tensor<2x6xf32>, tensor<2x2xf32>
}

// -----

// broadcast_to to the same shape is x; a splat broadcasts at compile time.

// CHECK-LABEL: func.func @broadcasts
// CHECK-SAME:    (%[[X:.+]]: tensor<3xf32>)
// CHECK:         %[[C:.+]] = graft.constant dense<2.500000e+00> : tensor<4x3xf32>
// CHECK:         return %[[X]], %[[C]]
func.func @broadcasts(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<4x3xf32>) {
  %a = graft.broadcast_to %x : (tensor<3xf32>) -> tensor<3xf32>
  %s = graft.constant dense<2.5> : tensor<1xf32>
  %b = graft.broadcast_to %s : (tensor<1xf32>) -> tensor<4x3xf32>
  return %a, %b : tensor<3xf32>, tensor<4x3xf32>
}
