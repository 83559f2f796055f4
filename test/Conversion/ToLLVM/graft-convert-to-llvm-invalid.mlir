// RUN: tensor-opt %s --graft-convert-to-llvm --split-input-file \
// RUN:   --verify-diagnostics

// The conversion is full: an op nothing lowers is reported by name and
// location. (The pipeline turns linalg ops left on buffers into loops
// first.)
func.func @fill(%m: memref<8xf32>) {
  %zero = arith.constant 0.0 : f32
  // expected-error @+1 {{failed to legalize operation 'linalg.fill'}}
  linalg.fill ins(%zero : f32) outs(%m : memref<8xf32>)
  return
}
