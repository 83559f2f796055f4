// RUN: tensor-run %examples/seed/forward.mlir --seed=0 | FileCheck %s

// x, y, z = three torch.rand(1000, 1000) after torch.manual_seed(0).
// The expected value was computed independently in float64 with PyTorch
// 1.13 (x.double() @ y.double() * z.double()).mean() = 125.14059705...;
// float32 PyTorch prints tensor(125.1406) for both orders of the product.
// CHECK:      tensor(125.1406)
// CHECK-NEXT: tensor(125.1406)
