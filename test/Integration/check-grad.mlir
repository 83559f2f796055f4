// --check-grad compares the gradients a graft.wrt function returns with
// central finite differences of L(x) = <v, result0(x)> (v = the incoming
// gradient, or 1 for a scalar result 0), computed by the reference evaluator
// in double on the forward function, and prints one line per graft.wrt
// argument, in graft.wrt order, after the results.
//
// Error bounds. The step is h = 1e-6 max(1, |x|), so a central difference
// of a smooth O(1) function is off by O(h^2) ~ 1e-12 (truncation) plus
// O(2^-53 |L| / h) ~ 1e-10 (rounding): printed relative errors must be
// below 1e-7, i.e. 0 or with an exponent e-08 or smaller. A wrong rule, a
// lost broadcast reduction or a swapped gradient is an O(1) error.

// The tutorial's backward pass, in f32 (x = 4, y = -3, z = 5): the
// gradients 5, 5, 1 are exact in f32, so only the finite differences'
// rounding shows.
// RUN: rm -rf %t && mkdir -p %t
// RUN: tensor-run %examples/seed/backward_inputs.mlir --output-dir=%t/seed
// RUN: tensor-run %examples/seed/backward.mlir --input=%t/seed/result0.npy --input=%t/seed/result1.npy --input=%t/seed/result2.npy --check-grad | FileCheck %s --check-prefix=SEED
// SEED:      tensor(5.)
// SEED-NEXT: tensor(5.)
// SEED-NEXT: tensor(5.)
// SEED-NEXT: tensor(1.)
// SEED-NEXT: check-grad arg0: max abs error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}}, max rel error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}} (1 of 1 elements)
// SEED-NEXT: check-grad arg1: max abs error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}}, max rel error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}} (1 of 1 elements)
// SEED-NEXT: check-grad arg2: max abs error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}}, max rel error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}} (1 of 1 elements)
// SEED-NOT:  check-grad

// A small f64 graph whose result 0 is not a scalar, so the compiled function
// takes the incoming gradient v as a fourth argument, which --seed fills
// like the others. graft.wrt lists the arguments out of order; the lines
// follow it. x (240 elements) and w (200) are sampled: 64 elements each.
// Gradients are O(0.1), so absolute errors are bounded like relative ones.
// RUN: tensor-run %s --entry=small --seed=1 --check-grad | FileCheck %s --check-prefix=SMALL
// SMALL:      dtype=torch.float64)
// SMALL:      check-grad arg2: max abs error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}}, max rel error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}} (5 of 5 elements)
// SMALL-NEXT: check-grad arg0: max abs error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}}, max rel error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}} (64 of 240 elements)
// SMALL-NEXT: check-grad arg1: max abs error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}}, max rel error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}} (64 of 200 elements)
// SMALL-NOT:  check-grad

// The same with --input files, v being the fourth, and every element
// checked; --check also runs and checks the forward results only.
// RUN: tensor-run %S/Inputs/check_grad_inputs.mlir --output-dir=%t/small
// RUN: tensor-run %s --entry=small --input=%t/small/result0.npy --input=%t/small/result1.npy --input=%t/small/result2.npy --input=%t/small/result3.npy --check --check-grad --check-grad-samples=0 | FileCheck %s --check-prefix=INPUT
// INPUT:      check result0: max abs error {{.*}}
// INPUT-NEXT: check result1: max abs error {{.*}}
// INPUT-NEXT: check-grad arg2: max abs error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}}, max rel error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}} (5 of 5 elements)
// INPUT-NEXT: check-grad arg0: max abs error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}}, max rel error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}} (240 of 240 elements)
// INPUT-NEXT: check-grad arg1: max abs error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}}, max rel error {{(0|[0-9.]+e-(0[8-9]|[1-9][0-9]))}} (200 of 200 elements)

// Without the incoming gradient the inputs are one short.
// RUN: not tensor-run %s --entry=small --input=%t/small/result0.npy --input=%t/small/result1.npy --input=%t/small/result2.npy --check-grad 2>&1 | FileCheck %s --check-prefix=NOV
// NOV: tensor-run: function 'small' takes 4 arguments (the last one is the incoming gradient of result 0) but 3 --input files were given

func.func @small(%x: tensor<2x3x40xf64>, %w: tensor<40x5xf64>, %b: tensor<5xf64>)
    -> (tensor<2x3x5xf64>, tensor<f64>) attributes {graft.wrt = array<i64: 2, 0, 1>} {
  %half = graft.full {value = 0.5 : f64} : tensor<f64>
  %xc = graft.sub %x, %half : (tensor<2x3x40xf64>, tensor<f64>) -> tensor<2x3x40xf64>
  %wc = graft.sub %w, %half : (tensor<40x5xf64>, tensor<f64>) -> tensor<40x5xf64>
  %h = graft.matmul %xc, %wc : (tensor<2x3x40xf64>, tensor<40x5xf64>) -> tensor<2x3x5xf64>
  %hb = graft.add %h, %b : (tensor<2x3x5xf64>, tensor<5xf64>) -> tensor<2x3x5xf64>
  %t = graft.tanh %hb : tensor<2x3x5xf64>
  %s = graft.softmax %t {dim = -1 : i64} : tensor<2x3x5xf64>
  %e = graft.exp %b : tensor<5xf64>
  %y = graft.mul %s, %e : (tensor<2x3x5xf64>, tensor<5xf64>) -> tensor<2x3x5xf64>
  %m = graft.mean %y : (tensor<2x3x5xf64>) -> tensor<f64>
  return %y, %m : tensor<2x3x5xf64>, tensor<f64>
}

// A function without graft.wrt returns no gradients: an error before the
// run, exit code 1.
// RUN: not tensor-run %s --entry=plain --seed=0 --check-grad 2>&1 | FileCheck %s --check-prefix=NOWRT
// NOWRT-NOT: tensor(
// NOWRT:     tensor-run: --check-grad: function 'plain' has no graft.wrt attribute, so it returns no gradients; mark the arguments to differentiate with graft.wrt = array<i64: ...>

func.func private @plain(%x: tensor<3xf64>) -> tensor<f64> {
  %s = graft.sum %x : (tensor<3xf64>) -> tensor<f64>
  return %s : tensor<f64>
}

// There is no tolerance, but a NaN on one side only is exit code 1. The
// exponent gradient of pow at a zero base is NaN (0 * log 0, the documented
// difference from PyTorch), where the finite difference of 0^y is 0.
// RUN: not tensor-run %s --entry=pow_zero_base --seed=0 --check-grad 2>&1 | FileCheck %s --check-prefix=NAN
// NAN:      tensor([nan, nan], dtype=torch.float64)
// NAN-NEXT: check-grad arg0: max abs error 0, max rel error 0 (2 of 2 elements)
// NAN-NEXT: tensor-run: --check-grad: NaN in the gradient where the finite difference has none, or the other way round, in arg0

func.func private @pow_zero_base(%y: tensor<2xf64>) -> tensor<f64>
    attributes {graft.wrt = array<i64: 0>} {
  %zero = graft.full {value = 0.0 : f64} : tensor<2xf64>
  %p = graft.pow %zero, %y : (tensor<2xf64>, tensor<2xf64>) -> tensor<2xf64>
  %s = graft.sum %p : (tensor<2xf64>) -> tensor<f64>
  return %s : tensor<f64>
}
