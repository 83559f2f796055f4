// Multithreaded code computes the same results as single-threaded code, for
// shapes that split into whole thread tiles plus remainders along every
// distributed loop: a matmul (263 rows = 4 x 60 + 23, 389 columns = 256 +
// 133 on AVX2), a row-wise softmax, an elementwise chain over a 1-D tensor
// of 100003 elements and a mean over rows. --check compares each result
// with the double-precision reference evaluator: relative errors must stay
// at f32 rounding level (printed exponent e-05 or smaller).

// RUN: tensor-run %s --entry=threads --seed=3 --threads=1 --check | FileCheck %s
// RUN: tensor-run %s --entry=threads --seed=3 --threads=2 --check | FileCheck %s
// RUN: tensor-run %s --entry=threads --seed=3 --threads=3 --check | FileCheck %s
// CHECK:      check result0: max abs error {{[0-9.e+-]+}}, max rel error {{(0|[0-9.]+e-(0[5-9]|[1-9][0-9]))$}}
// CHECK-NEXT: check result1: max abs error {{[0-9.e+-]+}}, max rel error {{(0|[0-9.]+e-(0[5-9]|[1-9][0-9]))$}}
// CHECK-NEXT: check result2: max abs error {{[0-9.e+-]+}}, max rel error {{(0|[0-9.]+e-(0[5-9]|[1-9][0-9]))$}}
// CHECK-NEXT: check result3: max abs error {{[0-9.e+-]+}}, max rel error {{(0|[0-9.]+e-(0[5-9]|[1-9][0-9]))$}}

func.func @threads(%a: tensor<263x517xf32>, %b: tensor<517x389xf32>,
                   %v: tensor<100003xf32>, %w: tensor<100003xf32>)
    -> (tensor<263x389xf32>, tensor<263x517xf32>, tensor<100003xf32>, tensor<263xf32>) {
  %q = graft.matmul %a, %b : (tensor<263x517xf32>, tensor<517x389xf32>) -> tensor<263x389xf32>
  %s = graft.softmax %a {dim = 1 : i64} : tensor<263x517xf32>
  %p = graft.mul %v, %w : (tensor<100003xf32>, tensor<100003xf32>) -> tensor<100003xf32>
  %e = graft.add %p, %v : (tensor<100003xf32>, tensor<100003xf32>) -> tensor<100003xf32>
  %r = graft.relu %e : tensor<100003xf32>
  %m = graft.mean %q {dims = array<i64: 1>} : (tensor<263x389xf32>) -> tensor<263xf32>
  return %q, %s, %r, %m : tensor<263x389xf32>, tensor<263x517xf32>, tensor<100003xf32>, tensor<263xf32>
}

// One thread really is one: the code has no OpenMP parallel region at all,
// so the OpenMP runtime never starts a thread. With more, each distributed
// op forks once.
// RUN: tensor-run %s --entry=threads --threads=1 --emit=llvm | FileCheck %s --check-prefix=ONE
// ONE-NOT: call {{.*}}@__kmpc_fork_call
// RUN: tensor-run %s --entry=threads --threads=2 --emit=llvm | FileCheck %s --check-prefix=TWO
// TWO: call {{.*}}@__kmpc_fork_call

// A sum over everything is split into per-thread partial sums (1000 rows:
// 8 chunks of 125) merged at the end; the result matches the reference.
// RUN: tensor-run %s --entry=sum_all --seed=5 --threads=1 --check | FileCheck %s --check-prefix=SUM
// RUN: tensor-run %s --entry=sum_all --seed=5 --threads=2 --check | FileCheck %s --check-prefix=SUM
// SUM: check result0: max abs error {{[0-9.e+-]+}}, max rel error {{(0|[0-9.]+e-(0[6-9]|[1-9][0-9]))$}}
func.func @sum_all(%x: tensor<1000x300xf32>) -> tensor<f32> {
  %s = graft.sum %x : (tensor<1000x300xf32>) -> tensor<f32>
  return %s : tensor<f32>
}

// Epilogues: an elementwise op and a reduction that read a packed matmul's
// result are fused with its unpack in blocks of whole row tiles (263 rows:
// the rows after the last whole block are split off and fused on their
// own), on one thread and distributed over threads.
// RUN: tensor-run %s --entry=epilogue --seed=7 --threads=1 --check | FileCheck %s --check-prefix=EPILOGUE
// RUN: tensor-run %s --entry=epilogue --seed=7 --threads=2 --check | FileCheck %s --check-prefix=EPILOGUE
// RUN: tensor-run %s --entry=epilogue --seed=7 --threads=3 --check | FileCheck %s --check-prefix=EPILOGUE
// EPILOGUE:      check result0: max abs error {{[0-9.e+-]+}}, max rel error {{(0|[0-9.]+e-(0[5-9]|[1-9][0-9]))$}}
// EPILOGUE-NEXT: check result1: max abs error {{[0-9.e+-]+}}, max rel error {{(0|[0-9.]+e-(0[5-9]|[1-9][0-9]))$}}
func.func @epilogue(%a: tensor<263x517xf32>, %b: tensor<517x389xf32>,
                    %c: tensor<389xf32>, %d: tensor<517x389xf32>,
                    %z: tensor<263x389xf32>)
    -> (tensor<263x389xf32>, tensor<f32>) {
  %q = graft.matmul %a, %b : (tensor<263x517xf32>, tensor<517x389xf32>) -> tensor<263x389xf32>
  %s = graft.add %q, %c : (tensor<263x389xf32>, tensor<389xf32>) -> tensor<263x389xf32>
  %r = graft.relu %s : tensor<263x389xf32>
  %p = graft.matmul %a, %d : (tensor<263x517xf32>, tensor<517x389xf32>) -> tensor<263x389xf32>
  %pz = graft.mul %p, %z : (tensor<263x389xf32>, tensor<263x389xf32>) -> tensor<263x389xf32>
  %m = graft.mean %pz : (tensor<263x389xf32>) -> tensor<f32>
  return %r, %m : tensor<263x389xf32>, tensor<f32>
}
