// RUN: tensor-opt %s --graft-convert-to-llvm --split-input-file \
// RUN:   --verify-diagnostics

// The conversion is full: an op nothing lowers is reported by name and
// location. (expand-strided-metadata turns subviews into ops it lowers.)
func.func @subview(%m: memref<8xf32>) -> memref<4xf32, strided<[1], offset: 2>> {
  // expected-error @+1 {{failed to legalize operation 'memref.subview'}}
  %v = memref.subview %m[2] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1], offset: 2>>
  return %v : memref<4xf32, strided<[1], offset: 2>>
}
