// RUN: tensor-opt %s --split-input-file --verify-diagnostics

func.func @add_no_broadcast(%x: tensor<4x5xf32>, %y: tensor<3xf32>) -> tensor<4x5xf32> {
  // expected-error @+1 {{'graft.add' op operand shapes [4, 5] and [3] do not broadcast}}
  %z = graft.add %x, %y : (tensor<4x5xf32>, tensor<3xf32>) -> tensor<4x5xf32>
  return %z : tensor<4x5xf32>
}

// -----

func.func @mul_no_broadcast(%x: tensor<2x3xf32>, %y: tensor<3x2xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graft.mul' op operand shapes [2, 3] and [3, 2] do not broadcast}}
  %z = "graft.mul"(%x, %y) : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x3xf32>
  return %z : tensor<2x3xf32>
}

// -----

func.func @add_wrong_result(%x: tensor<4x5xf32>, %y: tensor<5xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{'graft.add' op result shape [5] differs from the broadcast shape [4, 5] of operands [4, 5] and [5]}}
  %z = graft.add %x, %y : (tensor<4x5xf32>, tensor<5xf32>) -> tensor<5xf32>
  return %z : tensor<5xf32>
}

// -----

func.func @add_mixed_types(%x: tensor<4xf32>, %y: tensor<4xf64>) -> tensor<4xf32> {
  // expected-error @+1 {{'graft.add' op requires the same element type for all operands and results}}
  %z = "graft.add"(%x, %y) : (tensor<4xf32>, tensor<4xf64>) -> tensor<4xf32>
  return %z : tensor<4xf32>
}

// -----

func.func @dynamic_shape(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'graft.add' op operand #0 must be statically shaped tensor (of at most 2^63 - 1 bytes) of 32-bit float or 64-bit float values}}
  %z = "graft.add"(%x, %x) : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %z : tensor<?x4xf32>
}

// -----

func.func @integer_operand(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'graft.mul' op operand #0 must be statically shaped tensor (of at most 2^63 - 1 bytes) of 32-bit float or 64-bit float values}}
  %z = "graft.mul"(%x, %x) : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %z : tensor<4xi32>
}

// -----

func.func @matmul_contraction(%x: tensor<4x3xf32>, %y: tensor<4x5xf32>) -> tensor<4x5xf32> {
  // expected-error @+1 {{'graft.matmul' op contraction dims do not match: shapes [4, 3] and [4, 5]}}
  %z = graft.matmul %x, %y : (tensor<4x3xf32>, tensor<4x5xf32>) -> tensor<4x5xf32>
  return %z : tensor<4x5xf32>
}

// -----

func.func @matmul_vector(%x: tensor<3xf32>, %y: tensor<3x5xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{'graft.matmul' op expects operands of rank 2 or more (reshape 1-D operands first), got shapes [3] and [3, 5]}}
  %z = graft.matmul %x, %y : (tensor<3xf32>, tensor<3x5xf32>) -> tensor<5xf32>
  return %z : tensor<5xf32>
}

// -----

func.func @matmul_batch(%x: tensor<2x4x3xf32>, %y: tensor<3x3x5xf32>) -> tensor<3x4x5xf32> {
  // expected-error @+1 {{'graft.matmul' op batch dims do not broadcast: shapes [2, 4, 3] and [3, 3, 5]}}
  %z = graft.matmul %x, %y : (tensor<2x4x3xf32>, tensor<3x3x5xf32>) -> tensor<3x4x5xf32>
  return %z : tensor<3x4x5xf32>
}

// -----

func.func @sum_dim_out_of_range(%x: tensor<4x5xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'graft.sum' op dim 2 is out of range for input shape [4, 5]}}
  %z = graft.sum %x {dims = array<i64: 2>} : (tensor<4x5xf32>) -> tensor<4xf32>
  return %z : tensor<4xf32>
}

// -----

func.func @mean_negative_dim_out_of_range(%x: tensor<4x5xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'graft.mean' op dim -3 is out of range for input shape [4, 5]}}
  %z = graft.mean %x {dims = array<i64: -3>} : (tensor<4x5xf32>) -> tensor<4xf32>
  return %z : tensor<4xf32>
}

// -----

func.func @sum_repeated_dim(%x: tensor<4x5xf32>) -> tensor<f32> {
  // expected-error @+1 {{'graft.sum' op dim -1 appears more than once in dims}}
  %z = graft.sum %x {dims = array<i64: 1, -1>} : (tensor<4x5xf32>) -> tensor<f32>
  return %z : tensor<f32>
}

// -----

func.func @mean_wrong_result(%x: tensor<4x5xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'graft.mean' op result shape [4] differs from [1, 5], the shape of reducing [4, 5] over the dims with keepdim}}
  %z = graft.mean %x {dims = array<i64: 0>, keepdim = true} : (tensor<4x5xf32>) -> tensor<4xf32>
  return %z : tensor<4xf32>
}

// -----

func.func @eye_rank() -> tensor<3xf32> {
  // expected-error @+1 {{'graft.eye' op result must be 2-D, got shape [3]}}
  %e = graft.eye : tensor<3xf32>
  return %e : tensor<3xf32>
}

// -----

func.func @rand_missing_seed() -> tensor<3xf32> {
  // expected-error @+1 {{'graft.rand' op requires attribute 'seed'}}
  %r = "graft.rand"() : () -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// -----

func.func @full_integer_value() -> tensor<3xf32> {
  // expected-error @+1 {{'graft.full' op attribute 'value' failed to satisfy constraint: floating-point attribute}}
  %r = "graft.full"() {value = 1 : i64} : () -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// -----

func.func @constant_type_mismatch() -> tensor<3xf32> {
  // expected-error @+1 {{'graft.constant' op failed to verify that all of {value, result} have same type}}
  %c = "graft.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<3xf32>
  return %c : tensor<3xf32>
}

// -----

// A resource without data used to pass the verifier and fail late, in the
// translation to LLVM IR, with no location.
func.func @constant_resource() -> tensor<2xf32> {
  // expected-error @+1 {{'graft.constant' op attribute 'value' failed to satisfy constraint: dense elements attribute}}
  %c = "graft.constant"() {value = dense_resource<blob> : tensor<2xf32>} : () -> tensor<2xf32>
  return %c : tensor<2xf32>
}

// -----

func.func @constant_sparse() -> tensor<2xf32> {
  // expected-error @+1 {{'graft.constant' op attribute 'value' failed to satisfy constraint: dense elements attribute}}
  %c = "graft.constant"() {value = sparse<[[0]], [1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  return %c : tensor<2xf32>
}

// -----

func.func @matmul_wrong_result(%x: tensor<4x3xf32>, %y: tensor<3x5xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'graft.matmul' op result shape [4, 4] differs from [4, 5] for operands [4, 3] and [3, 5]}}
  %z = graft.matmul %x, %y : (tensor<4x3xf32>, tensor<3x5xf32>) -> tensor<4x4xf32>
  return %z : tensor<4x4xf32>
}

// -----

func.func @matmul_mixed_types(%x: tensor<4x3xf32>, %y: tensor<3x5xf64>) -> tensor<4x5xf32> {
  // expected-error @+1 {{'graft.matmul' op requires the same element type for all operands and results}}
  %z = graft.matmul %x, %y : (tensor<4x3xf32>, tensor<3x5xf64>) -> tensor<4x5xf32>
  return %z : tensor<4x5xf32>
}

// -----

func.func @sub_no_broadcast(%x: tensor<2x3xf64>, %y: tensor<2xf64>) -> tensor<2x3xf64> {
  // expected-error @+1 {{'graft.sub' op operand shapes [2, 3] and [2] do not broadcast}}
  %z = graft.sub %x, %y : (tensor<2x3xf64>, tensor<2xf64>) -> tensor<2x3xf64>
  return %z : tensor<2x3xf64>
}

// -----

func.func @pow_mixed_types(%x: tensor<3xf32>, %y: tensor<3xf64>) -> tensor<3xf32> {
  // expected-error @+1 {{'graft.pow' op requires the same element type for all operands and results}}
  %z = "graft.pow"(%x, %y) : (tensor<3xf32>, tensor<3xf64>) -> tensor<3xf32>
  return %z : tensor<3xf32>
}

// -----

func.func @unary_type_mismatch(%x: tensor<3xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'graft.exp' op requires the same type for all operands and results}}
  %z = "graft.exp"(%x) : (tensor<3xf32>) -> tensor<4xf32>
  return %z : tensor<4xf32>
}

// -----

func.func @transpose_not_permutation(%x: tensor<2x3xf32>) -> tensor<3x3xf32> {
  // expected-error @+1 {{'graft.transpose' op perm [1, 1] is not a permutation of the 2 dims of input shape [2, 3]}}
  %t = graft.transpose %x {perm = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<3x3xf32>
  return %t : tensor<3x3xf32>
}

// -----

func.func @transpose_out_of_range(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'graft.transpose' op perm [2, 0] is not a permutation of the 2 dims of input shape [2, 3]}}
  %t = graft.transpose %x {perm = array<i64: 2, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %t : tensor<3x2xf32>
}

// -----

func.func @transpose_wrong_rank(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graft.transpose' op perm [0] is not a permutation of the 2 dims of input shape [2, 3]}}
  %t = graft.transpose %x {perm = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %t : tensor<2x3xf32>
}

// -----

func.func @transpose_wrong_result(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graft.transpose' op result shape [2, 3] differs from [3, 2], input shape [2, 3] permuted by [1, 0]}}
  %t = graft.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %t : tensor<2x3xf32>
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) -> tensor<7xf32> {
  // expected-error @+1 {{'graft.reshape' op cannot reshape [2, 3] (6 elements) to [7] (7 elements)}}
  %r = graft.reshape %x : (tensor<2x3xf32>) -> tensor<7xf32>
  return %r : tensor<7xf32>
}

// -----

func.func @broadcast_to_incompatible(%x: tensor<3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'graft.broadcast_to' op cannot broadcast shape [3] to [2, 4]}}
  %b = graft.broadcast_to %x : (tensor<3xf32>) -> tensor<2x4xf32>
  return %b : tensor<2x4xf32>
}

// -----

func.func @broadcast_to_smaller(%x: tensor<2x4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'graft.broadcast_to' op cannot broadcast shape [2, 4] to [4]}}
  %b = graft.broadcast_to %x : (tensor<2x4xf32>) -> tensor<4xf32>
  return %b : tensor<4xf32>
}

// -----

func.func @max_repeated_dim(%x: tensor<4x5xf32>) -> tensor<f32> {
  // expected-error @+1 {{'graft.max' op dim 0 appears more than once in dims}}
  %m = graft.max %x {dims = array<i64: 0, 0>} : (tensor<4x5xf32>) -> tensor<f32>
  return %m : tensor<f32>
}

// -----

func.func @softmax_dim_out_of_range(%x: tensor<4x5xf32>) -> tensor<4x5xf32> {
  // expected-error @+1 {{'graft.softmax' op dim 2 is out of range for input shape [4, 5]}}
  %s = graft.softmax %x {dim = 2 : i64} : tensor<4x5xf32>
  return %s : tensor<4x5xf32>
}

// -----

func.func @log_softmax_dim_out_of_range(%x: tensor<4x5xf32>) -> tensor<4x5xf32> {
  // expected-error @+1 {{'graft.log_softmax' op dim -3 is out of range for input shape [4, 5]}}
  %s = graft.log_softmax %x {dim = -3 : i64} : tensor<4x5xf32>
  return %s : tensor<4x5xf32>
}

// -----

func.func @softmax_missing_dim(%x: tensor<4x5xf32>) -> tensor<4x5xf32> {
  // expected-error @+1 {{'graft.softmax' op requires attribute 'dim'}}
  %s = "graft.softmax"(%x) : (tensor<4x5xf32>) -> tensor<4x5xf32>
  return %s : tensor<4x5xf32>
}

// -----

func.func @randn_type(%x: tensor<4x5xf32>) -> tensor<4x5xi32> {
  // expected-error @+1 {{'graft.randn' op result #0 must be statically shaped tensor (of at most 2^63 - 1 bytes) of 32-bit float or 64-bit float values}}
  %r = "graft.randn"() {seed = 1 : i64} : () -> tensor<4x5xi32>
  return %r : tensor<4x5xi32>
}

// -----

func.func @compare_no_broadcast(%x: tensor<4x5xf32>, %y: tensor<4xf32>) -> tensor<4x5xf32> {
  // expected-error @+1 {{'graft.lt' op operand shapes [4, 5] and [4] do not broadcast}}
  %z = graft.lt %x, %y : (tensor<4x5xf32>, tensor<4xf32>) -> tensor<4x5xf32>
  return %z : tensor<4x5xf32>
}

// -----

// Sizes in bytes must fit in 64 bits: 10^22 elements overflow, as does the
// byte size of 2^62 f32 elements, while 2^60 f64 elements (2^63 bytes) are
// one byte too many.
func.func @overflowing_numel(%x: tensor<100000000000x100000000000xf32>) -> tensor<100000000000x100000000000xf32> {
  // expected-error @+1 {{'graft.exp' op operand #0 must be statically shaped tensor (of at most 2^63 - 1 bytes) of 32-bit float or 64-bit float values, but got 'tensor<100000000000x100000000000xf32>'}}
  %y = graft.exp %x : tensor<100000000000x100000000000xf32>
  return %y : tensor<100000000000x100000000000xf32>
}

// -----

func.func @overflowing_bytes(%x: tensor<4611686018427387904xf32>) -> tensor<4611686018427387904xf32> {
  // expected-error @+1 {{'graft.neg' op operand #0 must be statically shaped tensor (of at most 2^63 - 1 bytes)}}
  %y = graft.neg %x : tensor<4611686018427387904xf32>
  return %y : tensor<4611686018427387904xf32>
}

// -----

func.func @overflowing_bytes_f64(%x: tensor<1152921504606846976xf64>) -> tensor<1152921504606846976xf64> {
  // expected-error @+1 {{'graft.neg' op operand #0 must be statically shaped tensor (of at most 2^63 - 1 bytes)}}
  %y = graft.neg %x : tensor<1152921504606846976xf64>
  return %y : tensor<1152921504606846976xf64>
}

// -----

// A zero dim makes the tensor empty however large the other dims are.
func.func @empty_with_huge_dim(%x: tensor<0x100000000000000000xf32>) -> tensor<0x100000000000000000xf32> {
  %y = graft.neg %x : tensor<0x100000000000000000xf32>
  return %y : tensor<0x100000000000000000xf32>
}
