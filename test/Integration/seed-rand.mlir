// RUN: tensor-run %examples/seed/rand.mlir --print-shape | FileCheck %s

// torch.manual_seed(0); torch.rand(3, 3) prints these digits (DESIGN.md).
// CHECK:      tensor({{\[}}[0.4963, 0.7682, 0.0885],
// CHECK-NEXT:         [0.1320, 0.3074, 0.6341],
// CHECK-NEXT:         [0.4901, 0.8964, 0.4556]])
// CHECK-NEXT: torch.Size([3, 3])
