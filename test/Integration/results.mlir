// RUN: rm -rf %t && mkdir -p %t
// RUN: tensor-run %S/Inputs/results.mlir --seed=3 --output-dir=%t | FileCheck %s

// x is torch.manual_seed(3); torch.rand(2, 2, dtype=torch.float64), whose
// values PyTorch 1.13 prints as below; the other results are x + x (twice)
// and the constant.
// CHECK:      tensor({{\[}}[0.0341, 0.2867],
// CHECK-NEXT:         [0.7729, 0.1749]], dtype=torch.float64)
// CHECK-NEXT: tensor({{\[}}[0.0682, 0.5735],
// CHECK-NEXT:         [1.5458, 0.3499]], dtype=torch.float64)
// CHECK-NEXT: tensor({{\[}}[0.0682, 0.5735],
// CHECK-NEXT:         [1.5458, 0.3499]], dtype=torch.float64)
// CHECK-NEXT: tensor({{\[}}[ 1.5000, -2.0000],
// CHECK-NEXT:         [ 0.2500,  8.0000]], dtype=torch.float64)

// The written .npy files read back bit for bit: result0 is x itself, so
// feeding it in again reproduces every result file.
// RUN: tensor-run %S/Inputs/results.mlir --input=%t/result0.npy --output-dir=%t/again
// RUN: cmp %t/result0.npy %t/again/result0.npy
// RUN: cmp %t/result1.npy %t/again/result1.npy
// RUN: cmp %t/result1.npy %t/result2.npy
// RUN: cmp %t/result3.npy %t/again/result3.npy
