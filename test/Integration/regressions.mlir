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

// Zero-size dims once crashed graft-tile. Inside a function they compute
// (the sum of nothing is 0, its max -inf); at the boundary they are an error.
// RUN: tensor-run %S/Inputs/zero_size_inside.mlir --input=%S/Inputs/ones3_f32.npy | FileCheck %s --check-prefix=ZERO
// ZERO: tensor([-inf, -inf, -inf])
// A softmax of a zero-size value once divided by zero in graft-tile's row
// fusion (SIGFPE), on one thread and on two.
// RUN: tensor-run %S/Inputs/zero_size_softmax.mlir --threads=1 | FileCheck %s --check-prefix=ZEROSOFTMAX
// RUN: tensor-run %S/Inputs/zero_size_softmax.mlir --threads=2 | FileCheck %s --check-prefix=ZEROSOFTMAX
// ZEROSOFTMAX:      tensor(0.)
// ZEROSOFTMAX-NEXT: tensor(0.)
// RUN: not tensor-run %S/Inputs/zero_size_argument.mlir 2>&1 | FileCheck %s --check-prefix=ZEROARG
// ZEROARG: tensor-run: function 'f' argument 0 has type tensor<4x0xf32>: tensors with a zero-size dim cannot cross the boundary of a compiled function
// A reshape of a zero-size value between shapes without a reassociation
// once recursed in convert-graft-to-linalg until the stack overflowed.
// RUN: tensor-run %S/Inputs/zero_size_reshape.mlir --input=%S/Inputs/ones3_f32.npy --check | FileCheck %s --check-prefix=ZERORESHAPE
// ZERORESHAPE:      tensor([1., 1., 1.])
// ZERORESHAPE-NEXT: check result0: max abs error 0, max rel error 0

// The engine once erased every non-entry function, including a private
// helper the entry calls.
// RUN: tensor-run %S/Inputs/private_helper.mlir --input=%S/Inputs/ones3_f32.npy | FileCheck %s --check-prefix=HELPER
// HELPER: tensor([2., 2., 2.])

// A cycle of calls once compiled, and the call overflowed the stack in the
// JIT-compiled code; the reference evaluator recursed the same way.
// RUN: not tensor-run %S/Inputs/call_cycle.mlir 2>&1 | FileCheck %s --check-prefix=CYCLE
// RUN: not tensor-run %S/Inputs/call_cycle.mlir --check 2>&1 | FileCheck %s --check-prefix=CYCLE
// CYCLE: tensor-run: function 'f' reaches a cycle of calls (g -> h -> g); a graft function is a static graph and cannot recurse
