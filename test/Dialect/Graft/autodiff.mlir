// RUN: tensor-opt %s --split-input-file --graft-autodiff | FileCheck %s
// RUN: tensor-opt %s --split-input-file --graft-autodiff --canonicalize --cse | FileCheck %s --check-prefix=CANON

// The seed's backward example: q = x + y, f = q * z gives (f, z, z, q).

// CHECK-LABEL: func.func @seed_scalar
// CHECK-SAME:    -> (tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) attributes {graft.differentiated}
// CHECK:         %[[Q:.+]] = graft.add %[[X:.+]], %[[Y:.+]] :
// CHECK:         %[[F:.+]] = graft.mul %[[Q]], %[[Z:.+]] :
// CHECK:         %[[ONE:.+]] = graft.constant dense<1.000000e+00> : tensor<f32>
// CHECK:         %[[DQ:.+]] = graft.mul %[[ONE]], %[[Z]]
// CHECK:         %[[DZ:.+]] = graft.mul %[[ONE]], %[[Q]]
// CHECK:         return %[[F]], %[[DQ]], %[[DQ]], %[[DZ]]
// CANON-LABEL: func.func @seed_scalar
// CANON-SAME:    (%[[X:.+]]: tensor<f32>, %[[Y:.+]]: tensor<f32>, %[[Z:.+]]: tensor<f32>)
// CANON:         %[[Q:.+]] = graft.add %[[X]], %[[Y]]
// CANON:         %[[F:.+]] = graft.mul %[[Q]], %[[Z]]
// CANON:         return %[[F]], %[[Z]], %[[Z]], %[[Q]]
func.func @seed_scalar(%x: tensor<f32>, %y: tensor<f32>, %z: tensor<f32>) -> tensor<f32>
    attributes {graft.wrt = array<i64: 0, 1, 2>} {
  %q = graft.add %x, %y : (tensor<f32>, tensor<f32>) -> tensor<f32>
  %f = graft.mul %q, %z : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return %f : tensor<f32>
}

// -----

// The seed forward pass reuses q = x @ y: exactly three matmuls, one forward
// and two backward, and the transposes are only operand views.

// CANON-LABEL: func.func @seed_matmul
// CANON-COUNT-3: graft.matmul
// CANON-NOT:     graft.matmul
// CANON:         return
func.func @seed_matmul(%x: tensor<8x8xf32>, %y: tensor<8x8xf32>, %z: tensor<8x8xf32>) -> tensor<f32>
    attributes {graft.wrt = array<i64: 0, 1, 2>} {
  %q = graft.matmul %x, %y : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  %f = graft.mul %q, %z : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  %m = graft.mean %f : (tensor<8x8xf32>) -> tensor<f32>
  return %m : tensor<f32>
}

// -----

// Fan-out: both uses of x contribute, and the contributions are summed.

// CHECK-LABEL: func.func @fanout
// CHECK-SAME:    (%[[X:.+]]: tensor<3xf32>)
// CHECK:         graft.sum
// CHECK:         %[[A:.+]] = graft.mul %{{.+}}, %[[X]] :
// CHECK:         %[[B:.+]] = graft.mul %{{.+}}, %[[X]] :
// CHECK:         %[[G:.+]] = graft.add %[[A]], %[[B]]
// CHECK:         return %{{.+}}, %[[G]]
func.func @fanout(%x: tensor<3xf32>) -> tensor<f32> attributes {graft.wrt = array<i64: 0>} {
  %a = graft.mul %x, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %s = graft.sum %a : (tensor<3xf32>) -> tensor<f32>
  return %s : tensor<f32>
}

// -----

// A non-scalar result takes the incoming gradient as a trailing argument;
// a broadcast operand's gradient is summed back to its shape.

// CHECK-LABEL: func.func @broadcast
// CHECK-SAME:    (%{{.+}}: tensor<4x3xf32>, %{{.+}}: tensor<1x3xf32>, %[[G:.+]]: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<1x3xf32>)
// CHECK:         %[[S:.+]] = graft.sum %[[G]] {dims = array<i64: 0>} : (tensor<4x3xf32>) -> tensor<3xf32>
// CHECK:         %[[R:.+]] = graft.reshape %[[S]] : (tensor<3xf32>) -> tensor<1x3xf32>
// CHECK:         return %{{.+}}, %[[R]]
func.func @broadcast(%x: tensor<4x3xf32>, %b: tensor<1x3xf32>) -> tensor<4x3xf32>
    attributes {graft.wrt = array<i64: 1>} {
  %a = graft.add %x, %b : (tensor<4x3xf32>, tensor<1x3xf32>) -> tensor<4x3xf32>
  return %a : tensor<4x3xf32>
}

// -----

// A wrt argument that does not reach result 0 gets zeros; values that do
// not depend on a wrt argument (y, and the constant) get no backward ops.

// CHECK-LABEL: func.func @unused_and_constant
// CHECK-SAME:    (%[[X:.+]]: tensor<2xf64>, %[[Y:.+]]: tensor<2xf64>, %[[W:.+]]: tensor<2xf64>)
// CHECK:         %[[C:.+]] = graft.constant
// CHECK:         %[[CY:.+]] = graft.mul %[[C]], %[[Y]]
// CHECK:         %[[P:.+]] = graft.mul %[[X]], %[[CY]]
// CHECK:         %[[S:.+]] = graft.sum %[[P]]
// CHECK:         %[[GX:.+]] = graft.mul %{{.+}}, %[[CY]]
// CHECK-NOT:     graft.mul
// CHECK:         %[[ZERO:.+]] = graft.full {value = 0.000000e+00 : f64} : tensor<2xf64>
// CHECK:         return %[[S]], %[[GX]], %[[ZERO]]
func.func @unused_and_constant(%x: tensor<2xf64>, %y: tensor<2xf64>, %w: tensor<2xf64>) -> tensor<f64>
    attributes {graft.wrt = array<i64: 0, 2>} {
  %c = graft.constant dense<[1.0, 2.0]> : tensor<2xf64>
  %cy = graft.mul %c, %y : (tensor<2xf64>, tensor<2xf64>) -> tensor<2xf64>
  %p = graft.mul %x, %cy : (tensor<2xf64>, tensor<2xf64>) -> tensor<2xf64>
  %s = graft.sum %p : (tensor<2xf64>) -> tensor<f64>
  return %s : tensor<f64>
}

// -----

// Returning an argument itself: its gradient is the seed.

// CANON-LABEL: func.func @identity
// CANON-SAME:    (%[[X:.+]]: tensor<3xf32>, %[[G:.+]]: tensor<3xf32>)
// CANON:         return %[[X]], %[[G]]
func.func @identity(%x: tensor<3xf32>) -> tensor<3xf32> attributes {graft.wrt = array<i64: 0>} {
  return %x : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @binary_rules
// CHECK:         %[[L:.+]] = graft.sub %[[A:.+]], %[[B:.+]] :
// CHECK:         %[[D:.+]] = graft.div %[[L]], %[[B]] :
// CHECK:         %[[P:.+]] = graft.pow %[[D]], %[[B]] :
// pow: g * r * l^(r-1) and g * l^r * log(l)
// CHECK:         graft.sub %[[B]], %{{.+}}
// CHECK:         graft.pow %[[D]]
// CHECK:         %[[LOG:.+]] = graft.log %[[D]]
// CHECK:         graft.mul %[[P]], %[[LOG]]
// div: g / r and -(g * q / r)
// CHECK:         graft.div %{{.+}}, %[[B]]
// CHECK:         graft.mul %{{.+}}, %[[D]]
// CHECK:         graft.neg
// sub: g and -g
// CHECK:         graft.neg
func.func @binary_rules(%a: tensor<3xf64>, %b: tensor<3xf64>) -> tensor<3xf64>
    attributes {graft.wrt = array<i64: 0, 1>} {
  %l = graft.sub %a, %b : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  %d = graft.div %l, %b : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  %p = graft.pow %d, %b : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  return %p : tensor<3xf64>
}

// -----

// maximum/minimum: the winner takes the gradient, ties split it in half.

// CHECK-LABEL: func.func @min_max_rules
// CHECK:         %[[MX:.+]] = graft.maximum %[[A:.+]], %[[B:.+]] :
// CHECK:         graft.minimum %[[MX]], %[[B]]
// CHECK:         graft.lt %[[MX]], %[[B]]
// CHECK:         graft.eq %[[MX]], %[[B]]
// CHECK:         graft.gt %[[A]], %[[B]]
// CHECK:         graft.eq %[[A]], %[[B]]
// CHECK:         graft.constant dense<5.000000e-01>
func.func @min_max_rules(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32>
    attributes {graft.wrt = array<i64: 0>} {
  %mx = graft.maximum %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %mn = graft.minimum %mx, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %mn : tensor<3xf32>
}

// -----

// Unary rules reuse the forward results where the derivative is one.

// CHECK-LABEL: func.func @unary_rules
// CHECK:         %[[N:.+]] = graft.neg %[[X:.+]] :
// CHECK:         %[[E:.+]] = graft.exp %[[N]]
// CHECK:         %[[L:.+]] = graft.log %[[E]]
// CHECK:         %[[S:.+]] = graft.sqrt %[[L]]
// CHECK:         %[[T:.+]] = graft.tanh %[[S]]
// CHECK:         %[[G:.+]] = graft.sigmoid %[[T]]
// CHECK:         %[[R:.+]] = graft.relu %[[G]]
// CHECK:         %[[A:.+]] = graft.abs %[[R]]
// abs: g * (gt(x, 0) - lt(x, 0))
// CHECK:         graft.gt %[[R]]
// CHECK:         graft.lt %[[R]]
// relu: g * gt(x, 0)
// CHECK:         graft.gt %[[G]]
// sigmoid: g * s * (1 - s)
// CHECK:         graft.sub %{{.+}}, %[[G]]
// CHECK:         graft.mul %[[G]]
// tanh: g * (1 - t * t)
// CHECK:         graft.mul %[[T]], %[[T]]
// sqrt: g / (s + s)
// CHECK:         graft.add %[[S]], %[[S]]
// log: g / x
// CHECK:         graft.div %{{.+}}, %[[E]]
// exp: g * e
// CHECK:         graft.mul %{{.+}}, %[[E]]
// neg: -g
// CHECK:         graft.neg
func.func @unary_rules(%x: tensor<3xf64>) -> tensor<3xf64> attributes {graft.wrt = array<i64: 0>} {
  %n = graft.neg %x : tensor<3xf64>
  %e = graft.exp %n : tensor<3xf64>
  %l = graft.log %e : tensor<3xf64>
  %s = graft.sqrt %l : tensor<3xf64>
  %t = graft.tanh %s : tensor<3xf64>
  %g = graft.sigmoid %t : tensor<3xf64>
  %r = graft.relu %g : tensor<3xf64>
  %a = graft.abs %r : tensor<3xf64>
  return %a : tensor<3xf64>
}

// -----

// matmul: g @ rhs^T and lhs^T @ g; a broadcast batch dim is summed away.

// CHECK-LABEL: func.func @matmul_rule
// CHECK-SAME:    (%[[A:.+]]: tensor<2x4x3xf32>, %[[B:.+]]: tensor<3x5xf32>, %[[G:.+]]: tensor<2x4x5xf32>)
// CHECK:         %[[BT:.+]] = graft.transpose %[[B]] {perm = array<i64: 1, 0>}
// CHECK:         graft.matmul %[[G]], %[[BT]] : (tensor<2x4x5xf32>, tensor<5x3xf32>) -> tensor<2x4x3xf32>
// CHECK:         %[[AT:.+]] = graft.transpose %[[A]] {perm = array<i64: 0, 2, 1>}
// CHECK:         %[[GB:.+]] = graft.matmul %[[AT]], %[[G]] : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
// CHECK:         graft.sum %[[GB]] {dims = array<i64: 0>} : (tensor<2x3x5xf32>) -> tensor<3x5xf32>
func.func @matmul_rule(%a: tensor<2x4x3xf32>, %b: tensor<3x5xf32>) -> tensor<2x4x5xf32>
    attributes {graft.wrt = array<i64: 0, 1>} {
  %q = graft.matmul %a, %b : (tensor<2x4x3xf32>, tensor<3x5xf32>) -> tensor<2x4x5xf32>
  return %q : tensor<2x4x5xf32>
}

// -----

// Shape ops: transpose by the inverse permutation, reshape back, and sum a
// broadcast away.

// CHECK-LABEL: func.func @shape_rules
// CHECK-SAME:    %[[G:[a-z0-9]+]]: tensor<2x4x3xf32>)
// CHECK:         %[[R:.+]] = graft.reshape %[[G]] : (tensor<2x4x3xf32>) -> tensor<4x2x3xf32>
// CHECK:         %[[T:.+]] = graft.transpose %[[R]] {perm = array<i64: 1, 2, 0>} : (tensor<4x2x3xf32>) -> tensor<2x3x4xf32>
// CHECK:         graft.sum %[[T]] {dims = array<i64: 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4xf32>
func.func @shape_rules(%v: tensor<4xf32>) -> tensor<2x4x3xf32> attributes {graft.wrt = array<i64: 0>} {
  %b = graft.broadcast_to %v : (tensor<4xf32>) -> tensor<2x3x4xf32>
  %t = graft.transpose %b {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %r = graft.reshape %t : (tensor<4x2x3xf32>) -> tensor<2x4x3xf32>
  return %r : tensor<2x4x3xf32>
}

// -----

// Reductions: sum broadcasts g back; mean also scales by 1/count; max sends
// g to the (tied) maxima.

// CHECK-LABEL: func.func @reduction_rules
// CHECK:         %[[MAX:.+]] = graft.max %[[X:.+]] {dims = array<i64: 1>} : (tensor<4x5xf32>) -> tensor<4xf32>
// CHECK:         %[[MEAN:.+]] = graft.mean %[[MAX]] :
// CHECK:         %[[SUM:.+]] = graft.sum %[[MEAN]]
// CHECK:         graft.constant dense<2.500000e-01> : tensor<f32>
// CHECK:         %[[KEPT:.+]] = graft.reshape %[[MAX]] : (tensor<4xf32>) -> tensor<4x1xf32>
// CHECK:         %[[MASK:.+]] = graft.eq %[[X]], %[[KEPT]]
// CHECK:         %[[TIES:.+]] = graft.sum %[[MASK]] {dims = array<i64: 1>, keepdim = true}
// CHECK:         graft.div %{{.+}}, %[[TIES]]
func.func @reduction_rules(%x: tensor<4x5xf32>) -> tensor<f32> attributes {graft.wrt = array<i64: 0>} {
  %m = graft.max %x {dims = array<i64: 1>} : (tensor<4x5xf32>) -> tensor<4xf32>
  %a = graft.mean %m : (tensor<4xf32>) -> tensor<f32>
  %s = graft.sum %a : (tensor<f32>) -> tensor<f32>
  return %s : tensor<f32>
}

// -----

// softmax: y * (g - sum(g * y)); log_softmax: g - exp(y) * sum(g).

// CHECK-LABEL: func.func @softmax_rules
// CHECK:         %[[S:.+]] = graft.softmax %{{.+}} {dim = 1 : i64}
// CHECK:         %[[L:.+]] = graft.log_softmax %[[S]] {dim = -2 : i64}
// CHECK:         %[[E:.+]] = graft.exp %[[L]]
// CHECK:         graft.sum %[[G:.+]] {dims = array<i64: 0>, keepdim = true}
// CHECK:         %[[GY:.+]] = graft.mul %{{.+}}, %[[S]]
// CHECK:         graft.sum %[[GY]] {dims = array<i64: 1>, keepdim = true}
func.func @softmax_rules(%x: tensor<4x5xf32>) -> tensor<4x5xf32> attributes {graft.wrt = array<i64: 0>} {
  %s = graft.softmax %x {dim = 1 : i64} : tensor<4x5xf32>
  %l = graft.log_softmax %s {dim = -2 : i64} : tensor<4x5xf32>
  return %l : tensor<4x5xf32>
}
