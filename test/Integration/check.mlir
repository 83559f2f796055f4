// --check runs the reference evaluator (naive loops in double precision) on
// the same inputs and prints one error line per result after the results.
//
// The seed forward pass in f32: a 1000-term dot product per element, then a
// mean over 10^6 elements of values near 125. The f32 result must be within
// a few f32 ulps of the exact value (ulp(125) = 7.6e-6), so the relative
// error must be below 1e-6, i.e. printed as 0 or with an exponent e-07 or
// smaller.
// RUN: tensor-run %examples/seed/forward.mlir --seed=0 --check | FileCheck %s --check-prefix=SEED
// SEED:      tensor(125.1406)
// SEED-NEXT: tensor(125.1406)
// SEED-NEXT: check result0: max abs error {{[0-9.e+-]+}}, max rel error {{(0|[0-9.]+e-(0[7-9]|[1-9][0-9]))$}}
// SEED-NEXT: check result1: max abs error {{[0-9.e+-]+}}, max rel error {{(0|[0-9.]+e-(0[7-9]|[1-9][0-9]))$}}

// A small f64 graph (batched matmul with a broadcast batch dim, a
// broadcasting add, tanh, softmax, log_softmax, max and mean): f64 results
// of O(1) magnitude must agree to 1e-12 (printed exponent e-13 or smaller).
// RUN: tensor-run %s --seed=1 --check | FileCheck %s --check-prefix=SMALL
// SMALL:      dtype=torch.float64)
// SMALL:      check result0: max abs error {{(0|[0-9.]+e-(1[3-9]|[2-9][0-9]))}}, max rel error {{(0|[0-9.]+e-(1[3-9]|[2-9][0-9]))$}}
// SMALL-NEXT: check result1: max abs error {{(0|[0-9.]+e-(1[3-9]|[2-9][0-9]))}}, max rel error {{(0|[0-9.]+e-(1[3-9]|[2-9][0-9]))$}}
// SMALL-NEXT: check result2: max abs error {{(0|[0-9.]+e-(1[3-9]|[2-9][0-9]))}}, max rel error {{(0|[0-9.]+e-(1[3-9]|[2-9][0-9]))$}}
// SMALL-NOT:  check result

func.func @small(%x: tensor<2x3x4xf64>, %w: tensor<4x5xf64>, %b: tensor<5xf64>)
    -> (tensor<2x3x5xf64>, tensor<2xf64>, tensor<f64>) {
  %h = graft.matmul %x, %w : (tensor<2x3x4xf64>, tensor<4x5xf64>) -> tensor<2x3x5xf64>
  %hb = graft.add %h, %b : (tensor<2x3x5xf64>, tensor<5xf64>) -> tensor<2x3x5xf64>
  %t = graft.tanh %hb : tensor<2x3x5xf64>
  %s = graft.softmax %t {dim = -1 : i64} : tensor<2x3x5xf64>
  %l = graft.log_softmax %hb {dim = 1 : i64} : tensor<2x3x5xf64>
  %m = graft.max %l {dims = array<i64: 1, 2>} : (tensor<2x3x5xf64>) -> tensor<2xf64>
  %a = graft.mean %s : (tensor<2x3x5xf64>) -> tensor<f64>
  return %s, %m, %a : tensor<2x3x5xf64>, tensor<2xf64>, tensor<f64>
}

// An op the reference evaluator does not know is an error naming the op and
// its location, after the compiled results are printed; exit code 1.
// RUN: not tensor-run %s --entry=unsupported --check 2>&1 | FileCheck %s --check-prefix=NOREF
// NOREF: tensor([2., 3.])
// NOREF: tensor-run: --check: {{.*}}check.mlir:[[@LINE+3]]:8: error: the reference evaluator does not support 'arith.constant'

func.func private @unsupported() -> tensor<2xf32> {
  %c = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %o = graft.full {value = 1.0 : f32} : tensor<2xf32>
  %s = graft.add %c, %o : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %s : tensor<2xf32>
}
