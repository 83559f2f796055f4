// Wrong results found by the differential test, now fixed.
//
// A reduction of a scalar once lowered to a 0-d reduction that elementwise
// fusion re-ran once per element of its consumer: x + sum(2) gave
// x + (i + 1) * 2.
// RUN: tensor-run %S/Inputs/scalar_reductions.mlir --input=%S/Inputs/ones3_f64.npy | FileCheck %s --check-prefix=SCALAR
// (1 + 2) * 2 * 1 + 0 = 6 for every element.
// SCALAR: tensor([6., 6., 6.], dtype=torch.float64)

// The sum of a fill once dropped the reduction in the vectorizer: the sum
// of 16 twos gave 2.
// RUN: tensor-run %S/Inputs/sum_of_full.mlir | FileCheck %s --check-prefix=FULL
// FULL:      tensor(32.)
// FULL-NEXT: tensor([500., 500., 500.])

// An f64 sum of a broadcasting product once failed to compile
// ("'vector.contract' op invalid accumulator/result vector shape").
// RUN: tensor-run %S/Inputs/f64_sum_of_product.mlir --seed=1 --check | FileCheck %s --check-prefix=CONTRACT
// CONTRACT:      tensor({{[0-9.]+}}, dtype=torch.float64)
// CONTRACT-NEXT: check result0: max abs error {{0|[0-9.]+e-1[0-9]}}, max rel error {{0|[0-9.]+e-1[0-9]}}
