// RUN: tensor-run %examples/seed/ones_eye.mlir | FileCheck %s

// ones(3, 3)
// CHECK:      tensor({{\[}}[1., 1., 1.],
// CHECK-NEXT:         [1., 1., 1.],
// CHECK-NEXT:         [1., 1., 1.]])
// eye(3)
// CHECK-NEXT: tensor({{\[}}[1., 0., 0.],
// CHECK-NEXT:         [0., 1., 0.],
// CHECK-NEXT:         [0., 0., 1.]])
// matmul(ones, eye) == ones
// CHECK-NEXT: tensor({{\[}}[1., 1., 1.],
// CHECK-NEXT:         [1., 1., 1.],
// CHECK-NEXT:         [1., 1., 1.]])
// ones * eye == eye
// CHECK-NEXT: tensor({{\[}}[1., 0., 0.],
// CHECK-NEXT:         [0., 1., 0.],
// CHECK-NEXT:         [0., 0., 1.]])
