// Bad input gives a clear message and exit code 1, never a crash.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: tensor-run %S/Inputs/add.mlir --seed=1 --output-dir=%t/out

// Malformed IR: the parser's message with file, line and column.
// RUN: not tensor-run %S/Inputs/malformed.mlir 2>&1 | FileCheck %s --check-prefix=MALFORMED
// MALFORMED: malformed.mlir:2:{{[0-9]+}}: error:

// Shapes that do not broadcast: the verifier names the op and both shapes.
// RUN: not tensor-run %S/Inputs/no_broadcast.mlir 2>&1 | FileCheck %s --check-prefix=BROADCAST
// BROADCAST: no_broadcast.mlir:2:8: error: 'graft.add' op operand shapes [2, 3] and [4] do not broadcast

// Wrong number of --input files.
// RUN: not tensor-run %S/Inputs/add.mlir --input=%t/out/result0.npy --input=%t/out/result0.npy 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: tensor-run: function 'f' takes 1 arguments but 2 --input files were given

// An input of the wrong shape and dtype.
// RUN: not tensor-run %S/Inputs/identity_f64.mlir --input=%t/out/result0.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: result0.npy: argument 0 of 'g' must be tensor<3xf64>, the file holds tensor<2xf32>

// A corrupt .npy file.
// RUN: printf 'not a numpy file' > %t/corrupt.npy
// RUN: not tensor-run %S/Inputs/add.mlir --input=%t/corrupt.npy 2>&1 | FileCheck %s --check-prefix=CORRUPT
// CORRUPT: tensor-run: {{.*}}corrupt.npy: {{.*}}magic

// A truncated .npy file: the header promises 2 floats, the data is short.
// RUN: head -c 130 %t/out/result0.npy > %t/truncated.npy
// RUN: not tensor-run %S/Inputs/add.mlir --input=%t/truncated.npy 2>&1 | FileCheck %s --check-prefix=TRUNC
// TRUNC: tensor-run: {{.*}}truncated.npy: header declares shape (2,) of <f4 (8 bytes) but the file holds 2 bytes of data

// Several functions and no --entry; then an unknown --entry; then a good one.
// RUN: not tensor-run %S/Inputs/two_functions.mlir 2>&1 | FileCheck %s --check-prefix=ENTRY
// ENTRY: tensor-run: the module has several public functions (f, g); choose one with an entry name
// RUN: not tensor-run %S/Inputs/two_functions.mlir --entry=h 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: tensor-run: no function named 'h' in the module
// RUN: tensor-run %S/Inputs/two_functions.mlir --entry=f --seed=0 | FileCheck %s --check-prefix=CHOSEN
// CHOSEN: tensor([0.9925, 1.5364])

// A missing file, an unknown --emit stage, a bad --threads value.
// RUN: not tensor-run %t/missing.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: tensor-run: cannot read '{{.*}}missing.mlir'
// RUN: not tensor-run %S/Inputs/add.mlir --emit=bogus 2>&1 | FileCheck %s --check-prefix=EMIT
// EMIT: tensor-run: unknown --emit stage 'bogus'; expected graft, linalg, llvm or asm
// RUN: not tensor-run %S/Inputs/add.mlir --threads=x 2>&1 | FileCheck %s --check-prefix=THREADS
// THREADS: tensor-run: --threads expects a positive integer, as --threads=N
// RUN: not tensor-run %S/Inputs/add.mlir --threads 2 2>&1 | FileCheck %s --check-prefix=THREADS

// An optimization level outside 0 to 3 is rejected before compiling.
// RUN: not tensor-run %S/Inputs/add.mlir --opt-level=7 2>&1 | FileCheck %s --check-prefix=OPTLEVEL
// OPTLEVEL: optimization level 7 is out of range; expected 0 to 3
