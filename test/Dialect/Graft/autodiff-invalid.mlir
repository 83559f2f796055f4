// RUN: tensor-opt %s --split-input-file --graft-autodiff --verify-diagnostics

func.func @through_comparison(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<f32>
    attributes {graft.wrt = array<i64: 0>} {
  // expected-error @+1 {{'graft.gt' op is not differentiable, but the gradient of result 0 of 'through_comparison' must flow through it}}
  %m = graft.gt %x, %y : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %s = graft.sum %m : (tensor<3xf32>) -> tensor<f32>
  return %s : tensor<f32>
}

// -----

// A gradient that flows into a region (here a value an scf.if branch
// captures) used to be dropped silently: the op has no operand that
// depends on %x, so the pass returned a zero gradient.
func.func @through_region_capture(%x: tensor<2xf32>, %c: i1) -> tensor<2xf32>
    attributes {graft.wrt = array<i64: 0>} {
  // expected-error @+1 {{'scf.if' op is not differentiable, but the gradient of result 0 of 'through_region_capture' must flow through it}}
  %r = scf.if %c -> tensor<2xf32> {
    %e = graft.exp %x : tensor<2xf32>
    scf.yield %e : tensor<2xf32>
  } else {
    scf.yield %x : tensor<2xf32>
  }
  return %r : tensor<2xf32>
}

// -----

// A comparison whose operands do not depend on a wrt argument is fine.
func.func @comparison_of_constants(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<f32>
    attributes {graft.wrt = array<i64: 0>} {
  %m = graft.gt %y, %y : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %p = graft.mul %m, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %s = graft.sum %p : (tensor<3xf32>) -> tensor<f32>
  return %s : tensor<f32>
}

// -----

// expected-error @+1 {{'func.func' op graft.wrt index 3 is out of range for 1 arguments}}
func.func @wrt_out_of_range(%x: tensor<3xf32>) -> tensor<3xf32> attributes {graft.wrt = array<i64: 3>} {
  return %x : tensor<3xf32>
}

// -----

// expected-error @+1 {{'func.func' op graft.wrt index 0 appears more than once}}
func.func @wrt_repeated(%x: tensor<3xf32>) -> tensor<3xf32> attributes {graft.wrt = array<i64: 0, 0>} {
  return %x : tensor<3xf32>
}

// -----

// expected-error @+1 {{'func.func' op graft.wrt must be an array<i64: ...> of argument indices, got [0]}}
func.func @wrt_not_array(%x: tensor<3xf32>) -> tensor<3xf32> attributes {graft.wrt = [0]} {
  return %x : tensor<3xf32>
}

// -----

// expected-error @+1 {{'func.func' op graft.wrt needs a function with a result}}
func.func @no_result(%x: tensor<3xf32>) attributes {graft.wrt = array<i64: 0>} {
  return
}

// -----

// expected-error @+1 {{'func.func' op was already differentiated by graft-autodiff; higher-order gradients are not supported}}
func.func @higher_order(%x: tensor<3xf32>) -> tensor<3xf32> attributes {graft.differentiated, graft.wrt = array<i64: 0>} {
  return %x : tensor<3xf32>
}
