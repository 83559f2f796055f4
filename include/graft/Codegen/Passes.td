//===- Passes.td - Graft code generation passes ------------*- tablegen -*-===//
//
// The CPU code generation passes between linalg on tensors and LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef GRAFT_CODEGEN_PASSES_TD
#define GRAFT_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def GraftTilePass : Pass<"graft-tile", "::mlir::func::FuncOp"> {
  let summary = "Distribute linalg ops over threads, tile them for cache and "
                "registers.";
  let description = [{
    Tiles each linalg op so that the vectorizer later sees small, static
    shapes. Tile sizes come from the target description
    (`graft/Codegen/Target.h`), built from the pass's `vector-bits`,
    `l1-cache-bytes`, `l2-cache-bytes`, `l3-cache-bytes` and `threads`
    options:

    - row fusion comes first. Two kinds of chain are tiled together in
      blocks of rows (an `scf.forall` with threads, else an `scf.for`), each
      op of the chain computing its part of the block inside the loop
      (`scf::tileConsumerAndFuseProducersUsingSCF`):
      - a softmax-like chain: an elementwise op that reads a row
        reduction's result, and everything it reads from (max, exp, sum,
        scale). Blocks divide the rows and take half of L1 (at least one
        row), so that every pass over the block after the first reads L1;
      - a matmul epilogue: an op that reads a packed matmul's unpacked
        result row by row, and nothing else reads it. The unpack is fused
        into the blocks, which hold whole row tiles of it (the rows after
        the last whole block are split off first), so the unpacked result
        is never materialized whole and the unpack runs on every thread;
    - with `threads` > 1, every other op with enough work is distributed: its
      outermost parallel loops (a matmul's M and N cache tiles; a packed
      matmul's row tiles, one share per thread, or its column panels where
      there are more of those) become an `scf.forall`. The remainder along each distributed loop is split off
      (`linalg::splitOp`) and handled by its own, smaller forall or on one
      thread, so that every tile of a forall has a static shape. A
      reduction over everything is split into per-thread partial results
      merged after the forall; packs go in chunks that divide their outer
      loop (their work counts the elements they move: loop points times
      the inner tile); unpacks not fused with a consumer go in chunks of
      whole row tiles that divide their rows, else stay on one thread;
    - a pack is first split into its part of whole tiles and its padded
      last row of tiles, so that every pack tile is static;
    - `linalg.matmul` gets a cache tile (M x N x K; 60x256x256 in f32 with
      AVX2 and a 512 KiB L2) and inside it a register tile sized for
      `vector-bits`-wide registers: 8 rows of two vectors for 512 bits (8x32x1
      in f32: 16 zmm accumulators), 6 rows of two vectors below (6x16x1 in
      f32 on AVX2: 12 of the 16 ymm registers). A packed matmul's column
      and depth tiles are the ones nearby that divide their loop when there
      are (depth 1000 = 4 x 250; 63 column panels = 7 x 9), so that those
      loops need no remainder copy of their body;
    - `linalg.mmt4d` (from graft-pack-matmul) gets the same cache tile,
      counted in register tiles, and each register tile becomes an
      mr x 1 by 1 x nr `linalg.matmul` on rank-reduced slices. Its cache
      loops are nested M, N, K while the packed rhs fits in a quarter of
      `l3-cache-bytes` (it is read again for every block of rows), and K,
      N, M when it does not (each block of the rhs is read once, from L2,
      by every row tile);
    - packs and unpacks are tiled to one inner tile and lowered to
      pad/reshape/transpose (`linalg::lowerPack`/`lowerUnPack`);
    - every other linalg op gets all loops tiled to 1 except the innermost,
      tiled to a strip of four vectors of its result type (AVX2: 32 f32,
      16 f64; AVX-512: 64 f32, 32 f64; at most 64 elements). A reduction
      along contiguous rows (innermost loop a reduction, walked along the
      minor dim of every input) reads up to 8 rows at a time (the largest
      power of two that divides its rows), with the strip split among
      them (at least one vector per row): one stream per row for the
      hardware prefetchers. Fills are left whole.

    Tiled loops are peeled: each runs full tiles, then one partial tile.
    Shapes are static, so after canonicalization folds the single-iteration
    remainder loops, every tile, partial ones included, has a static shape
    and vectorizes without masks (1000 columns: 31 tiles of 32, one of 8).
    A packed matmul's loops are the exception: they run over register
    tiles that are static whatever the loop's extent, so a partial cache
    tile (or thread tile) only runs fewer of them, and is neither peeled
    nor split off. A reduction along the
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
               "Cache tile of linalg.matmul (M, N, K); default: the "
               "target's">,
    ListOption<"matmulRegisterTile", "matmul-register-tile", "int64_t",
               "Register tile of linalg.matmul (M, N, K); default: the "
               "target's">,
    Option<"innerTile", "inner-tile", "int64_t", /*default=*/"0",
           "Tile of the innermost loop of other linalg ops; 0: the "
           "target's">,
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"512",
           "Width of the target's vector registers (the pipelines pass "
           "the host's)">,
    Option<"l1CacheBytes", "l1-cache-bytes", "int64_t", /*default=*/"32768",
           "Per-core L1 data cache size in bytes (the pipelines pass the "
           "host's)">,
    Option<"l2CacheBytes", "l2-cache-bytes", "int64_t", /*default=*/"524288",
           "Per-core L2 cache size in bytes (the pipelines pass the "
           "host's)">,
    Option<"l3CacheBytes", "l3-cache-bytes", "int64_t",
           /*default=*/"33554432",
           "Last-level cache size in bytes (the pipelines pass the host's)">,
    Option<"threads", "threads", "unsigned", /*default=*/"1",
           "Threads to distribute work over; 1 generates no scf.forall">,
  ];
}

def GraftPackMatmulPass
    : Pass<"graft-pack-matmul", "::mlir::func::FuncOp"> {
  let summary = "Pack matmul operands into register-tile panels (mmt4d).";
  let description = [{
    Rewrites each statically shaped `linalg.matmul` with at least
    `min-work` multiply-adds into `linalg.pack` of its operands, a
    `linalg.mmt4d` on the packed tensors and a `linalg.unpack` of the
    result. With an mr x nr register tile (6x16 f32 on AVX2, 8x32 on
    AVX-512):

    - A (M x K) becomes [M/mr][K][mr][1]: the mr rows a register tile
      broadcasts are contiguous for every k;
    - B (K x N) becomes [N/nr][K][nr][1]: the nr columns it loads are
      contiguous for every k, so the k loop streams through memory instead
      of jumping a row of B per step;
    - C becomes [M/mr][N/nr][mr][nr].

    Padding with zeros makes every tile whole, so the register tile needs
    no remainder variants; the unpack drops the padding. A transposed
    operand (`A^T` or `B^T` through the matmul's indexing maps) is
    transposed once by its pack.

    A result that is only returned and holds whole register tiles (M a
    multiple of mr, N of nr) is not packed: a `linalg.generic` with
    mmt4d's loops (M/mr, N/nr, K, mr, nr, 1) and operands accumulates into
    the result, expanded to [M/mr][mr][N/nr][nr] and collapsed back, so
    there is no packed C to fill and no unpack (1024^2: 3-5% less time).
    A result that another op reads keeps the mmt4d, whose unpack fuses into
    the reader (graft-tile's matmul epilogues).

    ```mlir
    %r = linalg.matmul ins(%a, %b : tensor<1000x1000xf32>, tensor<1000x1000xf32>) outs(%c : tensor<1000x1000xf32>) -> tensor<1000x1000xf32>
    // becomes (vector-bits=256)
    %pa = linalg.pack %a padding_value(%zero : f32) inner_dims_pos = [0, 1] inner_tiles = [6, 1] into %ea : tensor<1000x1000xf32> -> tensor<167x1000x6x1xf32>
    %pb = linalg.pack %b padding_value(%zero : f32) outer_dims_perm = [1, 0] inner_dims_pos = [1, 0] inner_tiles = [16, 1] into %eb : tensor<1000x1000xf32> -> tensor<63x1000x16x1xf32>
    %pc = linalg.pack %c padding_value(%zero : f32) inner_dims_pos = [0, 1] inner_tiles = [6, 16] into %ec : tensor<1000x1000xf32> -> tensor<167x63x6x16xf32>
    %pr = linalg.mmt4d ins(%pa, %pb : ...) outs(%pc : tensor<167x63x6x16xf32>) -> tensor<167x63x6x16xf32>
    %r = linalg.unpack %pr inner_dims_pos = [0, 1] inner_tiles = [6, 16] into %c : tensor<167x63x6x16xf32> -> tensor<1000x1000xf32>
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"512",
           "Width of the target's vector registers (the pipelines pass "
           "the host's)">,
    Option<"minWork", "min-work", "int64_t", /*default=*/"262144",
           "Smallest M*N*K worth packing">,
  ];
}

def GraftUnshareFillsPass
    : Pass<"graft-unshare-fills", "::mlir::func::FuncOp"> {
  let summary = "Give every consumer of a linalg.fill its own fill.";
  let description = [{
    CSE merges identical fills, so several ops that accumulate into a zero
    tensor (the matmuls of a backward pass) end up sharing one. One-shot
    bufferization then lets one of them write the filled buffer in place
    and copies it for every other one. This pass gives every use a fill of
    its own `bufferization.alloc_tensor`: filling a buffer costs half of
    copying it, and unlike two fills of one `tensor.empty`, fills of
    separate allocations are never merged again by CSE.

    ```mlir
    %z = linalg.fill ins(%c0 : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
    %a = linalg.matmul ins(...) outs(%z : tensor<4x4xf32>) -> tensor<4x4xf32>
    %b = linalg.matmul ins(...) outs(%z : tensor<4x4xf32>) -> tensor<4x4xf32>
    // becomes
    %t = bufferization.alloc_tensor() : tensor<4x4xf32>
    %z2 = linalg.fill ins(%c0 : f32) outs(%t : tensor<4x4xf32>) -> tensor<4x4xf32>
    %b = linalg.matmul ins(...) outs(%z2 : tensor<4x4xf32>) -> tensor<4x4xf32>
    ```
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect",
                           "::mlir::tensor::TensorDialect"];
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
    accumulator) can be hoisted out of the reduction loop; that includes
    an `expand_shape` whose transfers each cover the innermost dims of its
    groups (the in-place packed matmul's view of its result), and a fill of
    such a view becomes a fill of its source. Copies too large
    to vectorize become loops of loads and stores first, so that their
    subviews fold too: upstream hoisting hoists no transfer of a buffer
    that has a view anywhere in the function. Last, for the buffers that
    only direct transfers use (allocations and function arguments), reads
    are forwarded from the writes before them and writes overwritten before
    any read are dropped; a buffer that is then only written (a row's
    partial sums) is deleted with its writes, so its values stay in
    registers without an allocation per row. (Upstream's
    `vector::transferOpflowOpt` does this for every buffer with value-bounds
    queries, which cost a tenth of a compile.)
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::memref::MemRefDialect"];
  let options = [
    Option<"maxVectorElements", "max-vector-elements", "int64_t",
           /*default=*/"256",
           "Largest iteration space (in elements) that is vectorized. The "
           "default holds the largest register tile (8 x 32 f32 on "
           "AVX-512); a larger op (an untiled fill) would become one huge "
           "vector that LLVM splits into hundreds of instructions in one "
           "block, at a high cost in compile time">,
  ];
}

def GraftPrefetchPass : Pass<"graft-prefetch", "::mlir::func::FuncOp"> {
  let summary = "Prefetch the next block in loops that pass over a block "
                "of an argument more than once.";
  let description = [{
    A loop over blocks of rows that reads its block of a function argument
    in two passes (a softmax's max, then its exponential) streams the block
    from memory during the first pass only: while the later passes compute
    on the block in cache, nothing brings in the next one, and memory and
    compute take turns. For such a loop (`scf.for`, or a one-dimensional
    `scf.parallel` distributed over threads), the second pass's
    `vector.transfer_read` of the argument gets a `memref.prefetch` (read,
    locality 2: into L2) of each cache line it reads, at the same place in
    the next block: outermost index plus the loop's step, clamped to the
    last row. Only reads of a statically shaped argument in identity
    layout, whose vector is one row (other vector dims 1) and whose
    outermost index is the loop's induction variable plus other terms,
    qualify. A read that nested loops would both prefetch for gets the
    innermost loop's next block.

    ```mlir
    scf.for %b = %c0 to %c4096 step %c8 {        // blocks of 8 rows
      scf.for %r ... { ... transfer_read %x[%row, %c] ... }   // max
      scf.for %r ... {
        // added: memref.prefetch %x[min(%row + 8, 4095), %c + 16 * i]
        ... transfer_read %x[%row, %c] ...                    // exp
      }
    }
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
  let options = [
    Option<"lineBytes", "line-bytes", "int64_t", /*default=*/"64",
           "Cache line size in bytes: one prefetch per line read">,
  ];
}

def GraftStreamingStoresPass
    : Pass<"graft-streaming-stores", "::mlir::ModuleOp"> {
  let summary = "Write outputs larger than the last-level cache with "
                "non-temporal stores.";
  let description = [{
    An output larger than the last-level cache cannot stay in cache for
    the caller, and an ordinary store first reads its cache line from
    memory (write-allocate): a softmax or an elementwise op then moves
    three bytes for every two it needs. This pass makes the stores into
    such an output non-temporal (`vector.store` with `nontemporal`), which
    write whole lines without reading them.

    It applies to the memref arguments of public functions that no
    `func.call` in the module calls (entry points, whose outputs come from
    the caller):
    statically shaped, identity layout, at least `l3-cache-bytes` large,
    and never read in the function (directly or through a view; an op with
    unknown memory effects counts as a read). Their unmasked, in-bounds 1-D
    `vector.transfer_write`s and `vector.store`s of at least 16 bytes
    become non-temporal `vector.store`s with an explicit `alignment`, when
    that alignment is at least a vector register (`vector-bits`) or the
    store's own size. The alignment is that of the buffer
    (`output-alignment`: what the caller guarantees; graft::Engine passes
    64-byte aligned outputs) combined with the largest power of two known
    to divide the element offset: from constants, the lower bounds and
    steps of `scf.for` and `scf.parallel` induction variables, and adds,
    subtracts and multiplies of those, times the dims' strides.

    Non-temporal stores are weakly ordered, so a function with any gets an
    `llvm.fence seq_cst` before each return.

    ```mlir
    // A 4096x4096xf32 output (64 MiB), written 32 floats at a time:
    vector.transfer_write %v, %out[%i, %j] {in_bounds = [true]}
    // becomes
    vector.store %v, %out[%i, %j] {alignment = 64 : i64, nontemporal = true}
    ```
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::vector::VectorDialect"];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"512",
           "Vector register width in bits">,
    Option<"l3CacheBytes", "l3-cache-bytes", "int64_t",
           /*default=*/"33554432",
           "Last-level cache size in bytes: smaller outputs keep ordinary "
           "stores">,
    Option<"outputAlignment", "output-alignment", "int64_t",
           /*default=*/"64",
           "Byte alignment (a power of two) the caller guarantees for the "
           "entry points' output buffers">,
  ];
}

def GraftHoistThreadBuffersPass
    : Pass<"graft-hoist-thread-buffers", "::mlir::func::FuncOp"> {
  let summary = "Allocate a worksharing loop's scratch buffers once per "
                "thread.";
  let description = [{
    A temporary of a distributed loop's body (a block of a softmax's
    exponentials) is allocated and freed on every iteration: upstream
    buffer hoisting never moves an allocation out of a parallel loop, whose
    threads each need their own. Once `convert-scf-to-openmp` has made the
    loop an `omp.wsloop` inside an `omp.parallel`, whose region every thread
    runs, such a buffer can be allocated there instead, once per thread,
    and freed after the loop.

    It applies to a statically shaped `memref.alloc` in the body of an
    `omp.loop_nest` of an `omp.wsloop` directly inside an `omp.parallel`,
    freed by one `memref.dealloc` in that same body block: the buffer is
    then dead at the end of each iteration, and a fresh allocation's
    contents are undefined anyway, so the iterations of a thread may share
    one.

    ```mlir
    omp.parallel {
      omp.wsloop {
        omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) {
          %t = memref.alloc() : memref<1x4096xf32>
          ...
          memref.dealloc %t : memref<1x4096xf32>
          omp.yield
        }
      }
      omp.terminator
    }
    // becomes
    omp.parallel {
      %t = memref.alloc() : memref<1x4096xf32>
      omp.wsloop { omp.loop_nest ... { ... omp.yield } }
      memref.dealloc %t : memref<1x4096xf32>
      omp.terminator
    }
    ```
  }];
}

def GraftLowerVectorsPass : Pass<"graft-lower-vectors", "::mlir::func::FuncOp"> {
  let summary = "Lower high-level vector ops towards LLVM-friendly forms.";
  let description = [{
    Lowers `vector.contract` to outer products (FMAs of a broadcast row and
    a vector), multi-reductions to inner reductions, transposes, broadcasts
    and shape casts to 1-D operations, and 1-D transfers to plain loads and
    stores, so that `graft-convert-to-llvm` sees only 1-D vectors. Two
    transfer rewrites keep vector-to-scf from splitting contiguous data
    into scalars: a write of rows narrower than 128 bits into a contiguous
    block (a pack tile of 16 x 1) becomes one 1-D write, and a read whose
    permutation map skips memref dims but keeps their order (a packed rhs
    panel read as 1 x 16) becomes a minor-identity read, after trailing
    unit memref dims are collapsed. f32
    `exp`, `log` and `tanh` (vector or scalar) become polynomial
    approximations that stay in registers instead of libm calls: `exp` is
    Graft's own (13 vector instructions, within 0.9 ulp; docs/Ops.md),
    `log` and `tanh` are upstream's. A horizontal float add, max or min
    (`vector.reduction`) of 4 or more lanes, a power of two, becomes a
    tree of half-vector steps instead of the chain of dependent scalar
    steps LLVM expands it to.

    Last, n-D transfers are unrolled into 1-D ones (upstream's
    `convert-vector-to-scf` patterns with full unrolling, without that
    pass's region simplification after every round), and the index
    arithmetic of tiling and unrolling (`affine.apply`, `affine.min`,
    `affine.max`) becomes arith, as upstream's `lower-affine` does, in one
    walk.
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::scf::SCFDialect"];
}

#endif // GRAFT_CODEGEN_PASSES_TD
