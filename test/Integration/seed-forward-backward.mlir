// mean((x @ y) * z) and its gradients on the 1000x1000 tensors of
// torch.manual_seed(0) followed by three torch.rand(1000, 1000).
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: tensor-run %examples/seed/forward_backward.mlir --seed=0 --output-dir=%t | FileCheck %s
// RUN: tensor-run %S/Inputs/sum_all.mlir --input=%t/result1.npy | FileCheck %s --check-prefix=GX
// RUN: tensor-run %S/Inputs/sum_all.mlir --input=%t/result2.npy | FileCheck %s --check-prefix=GY
// RUN: tensor-run %S/Inputs/sum_all.mlir --input=%t/result3.npy | FileCheck %s --check-prefix=GZ

// The expected numbers were computed once in float64 with PyTorch 1.13 on
// the same inputs: f = (x @ y * z).mean() = 125.14059705; the gradients
// are dx = (z / N) @ y^T, dy = x^T @ (z / N), dz = (x @ y) / N with
// N = 10^6, whose element sums are 250.14976977, 250.37536683 and
// 250.03772119. PyTorch's float32 autograd prints the same first rows.
// CHECK:      tensor(125.1406)
// CHECK-NEXT: tensor({{\[}}[0.0002, 0.0002, 0.0003,  ..., 0.0003, 0.0002, 0.0003],
// CHECK:      tensor({{\[}}[0.0003, 0.0002, 0.0002,  ..., 0.0002, 0.0003, 0.0003],
// CHECK:      tensor({{\[}}[0.0003, 0.0002, 0.0003,  ..., 0.0003, 0.0002, 0.0002],
// GX: tensor(250.1498)
// GY: tensor(250.3754)
// GZ: tensor(250.0377)
