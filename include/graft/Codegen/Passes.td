//===- Passes.td - Graft code generation passes ------------*- tablegen -*-===//
//
// The CPU code generation passes between linalg on tensors and LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_CODEGEN_PASSES_TD
#define GRAFT_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def GraftTilePass : Pass<"graft-tile", "::mlir::func::FuncOp"> {
  let summary = "Tile linalg ops on tensors for cache and registers.";
  let description = [{
    Tiles each linalg op so that the vectorizer later sees small, static
    shapes:

    - `linalg.matmul` gets a cache tile (default 64x256x256, M x N x K)
      and inside it a register tile sized for `vector-bits`-wide registers:
      8 rows of two vectors for 512 bits (8x32x1 in f32: 16 zmm
      accumulators), 6 rows of two vectors below (6x16x1 in f32 on AVX2: 12
      of the 16 ymm registers);
    - every other linalg op gets all loops tiled to 1 except the innermost,
      tiled to `inner-tile` elements.

    Tiled loops are peeled: each runs full tiles, then one partial tile.
    Shapes are static, so after canonicalization folds the single-iteration
    remainder loops, every tile, partial ones included, has a static shape
    and vectorizes without masks (1000 columns: 31 tiles of 32, one of 8).
    A reduction along the
    innermost strip keeps one partial result per lane across the loop
    (partial-reduction tiling) and merges them once after it.

    ```mlir
    %r = linalg.matmul ins(%a, %b : tensor<128x128xf32>, tensor<128x128xf32>)
                       outs(%c : tensor<128x128xf32>) -> tensor<128x128xf32>
    // becomes scf.for nests over tensor.extract_slice / insert_slice with a
    // linalg.matmul on tensor<8x32xf32> tiles in the innermost loop.
    ```
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect"];
  let options = [
    ListOption<"matmulCacheTile", "matmul-cache-tile", "int64_t",
               "Cache tile of linalg.matmul (M, N, K)">,
    ListOption<"matmulRegisterTile", "matmul-register-tile", "int64_t",
               "Register tile of linalg.matmul (M, N, K)">,
    Option<"innerTile", "inner-tile", "int64_t", /*default=*/"64",
           "Tile of the innermost loop of other linalg ops">,
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"512",
           "Width of the target's vector registers (the pipelines pass "
           "the host's)">,
  ];
}

def GraftDistinctResultBuffersPass
    : Pass<"graft-distinct-result-buffers", "::mlir::func::FuncOp"> {
  let summary = "Give every returned buffer its own allocation.";
  let description = [{
    When bufferization returns the same buffer for several results (for
    example `return %a, %a`, or two results that canonicalize to one value),
    this pass copies each repeated result into a fresh allocation, so that
    `buffer-results-to-out-params{hoist-static-allocs}` can map every result
    to its own output argument.

    ```mlir
    return %a, %a : memref<4xf32>, memref<4xf32>
    // becomes
    %b = memref.alloc() : memref<4xf32>
    memref.copy %a, %b : memref<4xf32> to memref<4xf32>
    return %a, %b : memref<4xf32>, memref<4xf32>
    ```
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def GraftVectorizePass : Pass<"graft-vectorize", "::mlir::func::FuncOp"> {
  let summary = "Vectorize statically shaped linalg ops on buffers.";
  let description = [{
    Runs after bufferization, as the matmul recipe requires: vectorizing on
    tensors would also turn the cache-tile insert_slice into a huge vector
    copy. Every linalg op whose iteration space is static and at most
    `max-vector-elements` elements becomes vector transfers and
    `vector.contract`/elementwise vector ops. Then memref alias ops are
    folded into the transfers, so that loop-invariant transfers (the matmul
    accumulator) can be hoisted out of the reduction loop.
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::memref::MemRefDialect"];
  let options = [
    Option<"maxVectorElements", "max-vector-elements", "int64_t",
           /*default=*/"4096",
           "Largest iteration space (in elements) that is vectorized">,
  ];
}

def GraftLowerVectorsPass : Pass<"graft-lower-vectors", "::mlir::func::FuncOp"> {
  let summary = "Lower high-level vector ops towards LLVM-friendly forms.";
  let description = [{
    Lowers `vector.contract` to outer products (FMAs of a broadcast row and
    a vector), multi-reductions to inner reductions, transposes, broadcasts
    and shape casts to 1-D operations, and 1-D transfers to plain loads and
    stores, so that `convert-vector-to-llvm` sees only 1-D vectors. f32
    `exp`, `log` and `tanh` (vector or scalar) become polynomial
    approximations that stay in registers instead of libm calls.
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // GRAFT_CODEGEN_PASSES_TD
