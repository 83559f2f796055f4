// The tutorial's backward pass: x = 4, y = -3, z = 5, q = x + y, f = q * z.
// PyTorch prints f = tensor(5.) and the gradients 5, 5 and 1.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: tensor-run %examples/seed/backward_inputs.mlir --output-dir=%t
// RUN: tensor-run %examples/seed/backward.mlir --input=%t/result0.npy --input=%t/result1.npy --input=%t/result2.npy | FileCheck %s

// CHECK:      tensor(5.)
// CHECK-NEXT: tensor(5.)
// CHECK-NEXT: tensor(5.)
// CHECK-NEXT: tensor(1.)
