// RUN: tensor-opt %s --one-shot-bufferize="test-analysis-only bufferize-function-boundaries" \
// RUN:   | FileCheck %s

// Graft's SubsetOpInterface model of tensor slices (lib/InitAll/
// SliceSubsetModel.cpp): a tile extracted and inserted back at the same
// offsets is updated in place. The same SSA value and two equal constants
// are decided without the constraint solver; other pairs still go to it.

// CHECK-LABEL: func.func @same_value(
// CHECK:         tensor.extract_slice {{.*}} {__inplace_operands_attr__ = ["true", "none"]}
// CHECK:         tensor.insert_slice {{.*}} {__inplace_operands_attr__ = ["true", "true", "none"]}
func.func @same_value(%t: tensor<10xf32> {bufferization.writable = true}, %i: index) -> tensor<10xf32> {
  %cst = arith.constant 0.0 : f32
  %0 = tensor.extract_slice %t[%i] [4] [1] : tensor<10xf32> to tensor<4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<4xf32>) -> tensor<4xf32>
  %2 = tensor.insert_slice %1 into %t[%i] [4] [1] : tensor<4xf32> into tensor<10xf32>
  return %2 : tensor<10xf32>
}

// An SSA constant and a static offset of the same value.
// CHECK-LABEL: func.func @equal_constants(
// CHECK:         tensor.extract_slice {{.*}} {__inplace_operands_attr__ = ["true", "none"]}
func.func @equal_constants(%t: tensor<10xf32> {bufferization.writable = true}) -> tensor<10xf32> {
  %cst = arith.constant 0.0 : f32
  %c2 = arith.constant 2 : index
  %0 = tensor.extract_slice %t[%c2] [4] [1] : tensor<10xf32> to tensor<4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<4xf32>) -> tensor<4xf32>
  %2 = tensor.insert_slice %1 into %t[2] [4] [1] : tensor<4xf32> into tensor<10xf32>
  return %2 : tensor<10xf32>
}

// A different subset: the tile is copied.
// CHECK-LABEL: func.func @different_constants(
// CHECK:         tensor.extract_slice {{.*}} {__inplace_operands_attr__ = ["false"]}
func.func @different_constants(%t: tensor<10xf32> {bufferization.writable = true}) -> tensor<10xf32> {
  %cst = arith.constant 0.0 : f32
  %0 = tensor.extract_slice %t[2] [4] [1] : tensor<10xf32> to tensor<4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<4xf32>) -> tensor<4xf32>
  %2 = tensor.insert_slice %1 into %t[4] [4] [1] : tensor<4xf32> into tensor<10xf32>
  return %2 : tensor<10xf32>
}

// (%i + 1) - 1 is %i: the solver proves it.
// CHECK-LABEL: func.func @provably_equal(
// CHECK:         tensor.extract_slice {{.*}} {__inplace_operands_attr__ = ["true", "none"]}
func.func @provably_equal(%t: tensor<10xf32> {bufferization.writable = true}, %i: index) -> tensor<10xf32> {
  %cst = arith.constant 0.0 : f32
  %c1 = arith.constant 1 : index
  %j = arith.addi %i, %c1 : index
  %k = arith.subi %j, %c1 : index
  %0 = tensor.extract_slice %t[%i] [4] [1] : tensor<10xf32> to tensor<4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<4xf32>) -> tensor<4xf32>
  %2 = tensor.insert_slice %1 into %t[%k] [4] [1] : tensor<4xf32> into tensor<10xf32>
  return %2 : tensor<10xf32>
}

// Two unrelated offsets may differ: the tile is copied.
// CHECK-LABEL: func.func @unknown(
// CHECK:         tensor.extract_slice {{.*}} {__inplace_operands_attr__ = ["false", "none"]}
func.func @unknown(%t: tensor<10xf32> {bufferization.writable = true}, %i: index, %j: index) -> tensor<10xf32> {
  %cst = arith.constant 0.0 : f32
  %0 = tensor.extract_slice %t[%i] [4] [1] : tensor<10xf32> to tensor<4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<4xf32>) -> tensor<4xf32>
  %2 = tensor.insert_slice %1 into %t[%j] [4] [1] : tensor<4xf32> into tensor<10xf32>
  return %2 : tensor<10xf32>
}
