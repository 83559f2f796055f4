// Hostile inputs and resource limits: every case is a clear message and
// exit code 1, never a crash or an attempt to allocate the impossible.
//
// RUN: rm -rf %t && mkdir -p %t

// A tensor whose byte size overflows 64 bits is rejected by the verifier.
// RUN: not tensor-run %S/Inputs/overflow.mlir 2>&1 | FileCheck %s --check-prefix=OVERFLOW
// OVERFLOW: overflow.mlir:3:8: error: 'graft.neg' op operand #0 must be statically shaped tensor (of at most 2^63 - 1 bytes) of 32-bit float or 64-bit float values, but got 'tensor<100000000000x100000000000xf32>'

// 40 GB arguments fit in 64 bits but not in the memory limit: the compile
// says how much the function would need, before anything is allocated.
// RUN: not tensor-run %s --entry=huge --memory-limit=8GiB 2>&1 | FileCheck %s --check-prefix=HUGE
// HUGE: tensor-run: function 'huge' would need 74.51 GiB (arguments 37.25 GiB, results 37.25 GiB, temporaries 0 B), above the memory limit of 8.00 GiB
func.func @huge(%x: tensor<100000x100000xf32>) -> tensor<100000x100000xf32> {
  %y = graft.neg %x : tensor<100000x100000xf32>
  return %y : tensor<100000x100000xf32>
}

// The temporaries count too: the 512x512 product (1 MiB) is one, and with
// a limit between the arguments and results alone and the whole need the
// compile fails naming all three.
// RUN: not tensor-run %s --entry=temporaries --memory-limit=3M 2>&1 | FileCheck %s --check-prefix=TEMPS
// TEMPS: tensor-run: function 'temporaries' would need {{.*}} MiB (arguments 2.00 MiB, results 4.00 KiB, temporaries {{[1-9].*}}), above the memory limit of 3.00 MiB
// RUN: tensor-run %s --entry=temporaries --memory-limit=64M --seed=3 | FileCheck %s --check-prefix=TEMPS-OK
// TEMPS-OK: tensor(
func.func @temporaries(%a: tensor<512x512xf32>, %b: tensor<512x512xf32>) -> tensor<32x32xf32> {
  %p = graft.matmul %a, %b : (tensor<512x512xf32>, tensor<512x512xf32>) -> tensor<512x512xf32>
  %e = graft.exp %p : tensor<512x512xf32>
  %s = graft.reshape %e : (tensor<512x512xf32>) -> tensor<256x32x32xf32>
  %r = graft.sum %s {dims = array<i64: 0>} : (tensor<256x32x32xf32>) -> tensor<32x32xf32>
  return %r : tensor<32x32xf32>
}

// Bad limits.
// RUN: not tensor-run %s --entry=temporaries --memory-limit=lots 2>&1 | FileCheck %s --check-prefix=BADLIMIT
// BADLIMIT: tensor-run: --memory-limit: invalid size 'lots': expected a number of bytes
// RUN: not tensor-run %s --entry=temporaries --memory-limit=0 2>&1 | FileCheck %s --check-prefix=ZEROLIMIT
// ZEROLIMIT: tensor-run: --memory-limit must be positive

// .npy files whose headers lie. The argument is tensor<2x3xf32>.
func.func @small(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = graft.neg %x : tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
// A shape larger than the data.
// RUN: %python %S/Inputs/write_npy.py %t/short.npy '<f4' False '(2, 3)' 20
// RUN: not tensor-run %s --entry=small --input=%t/short.npy 2>&1 | FileCheck %s --check-prefix=SHORT
// SHORT: short.npy: header declares shape (2, 3) of <f4 (24 bytes) but the file holds 20 bytes of data
// A shape of 10^22 elements.
// RUN: %python %S/Inputs/write_npy.py %t/vast.npy '<f4' False '(100000000000, 100000000000)' 8
// RUN: not tensor-run %s --entry=small --input=%t/vast.npy 2>&1 | FileCheck %s --check-prefix=VAST
// VAST: vast.npy: {{.*}}overflows
// A dtype Graft does not have, and one of the wrong byte order.
// RUN: %python %S/Inputs/write_npy.py %t/int32.npy '<i4' False '(2, 3)' 24
// RUN: not tensor-run %s --entry=small --input=%t/int32.npy 2>&1 | FileCheck %s --check-prefix=INT32
// INT32: int32.npy: unsupported dtype '<i4'
// RUN: %python %S/Inputs/write_npy.py %t/big-endian.npy '>f4' False '(2, 3)' 24
// RUN: not tensor-run %s --entry=small --input=%t/big-endian.npy 2>&1 | FileCheck %s --check-prefix=ENDIAN
// ENDIAN: big-endian.npy: big-endian dtype '>f4'
// The right element count in the wrong dtype: f64 data for an f32 argument.
// RUN: %python %S/Inputs/write_npy.py %t/f64.npy '<f8' False '(2, 3)' 48
// RUN: not tensor-run %s --entry=small --input=%t/f64.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: f64.npy: argument 0 of 'small' must be tensor<2x3xf32>, the file holds tensor<2x3xf64>
// Column-major data.
// RUN: %python %S/Inputs/write_npy.py %t/fortran.npy '<f4' True '(2, 3)' 24
// RUN: not tensor-run %s --entry=small --input=%t/fortran.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN
// FORTRAN: fortran.npy: fortran_order is True
// A negative dimension, and a header length past the end of the file.
// RUN: %python %S/Inputs/write_npy.py %t/negative.npy '<f4' False '(-2, 3)' 24
// RUN: not tensor-run %s --entry=small --input=%t/negative.npy 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// NEGATIVE: negative.npy: {{.*}}negative
// RUN: head -c 40 %t/short.npy > %t/cut.npy
// RUN: not tensor-run %s --entry=small --input=%t/cut.npy 2>&1 | FileCheck %s --check-prefix=CUT
// CUT: cut.npy: truncated header

// A guarded run checks the canaries around every tensor and gives the same
// results as an unguarded one.
// RUN: tensor-run %s --entry=temporaries --seed=3 --guard > %t/guarded.txt
// RUN: tensor-run %s --entry=temporaries --seed=3 > %t/plain.txt
// RUN: diff %t/guarded.txt %t/plain.txt
