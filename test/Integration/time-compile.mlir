// --time-compile prints one line per compile stage and the total on stderr;
// the results still go to stdout. Timings vary, so only the layout is checked.
//
// RUN: tensor-run %S/Inputs/add.mlir --seed=1 --time-compile 2>%t.err | FileCheck %s --check-prefix=RESULT
// RESULT: tensor(
// RUN: FileCheck %s --check-prefix=TABLE --input-file=%t.err
// TABLE:      stage ms %
// TABLE-NEXT: parse         {{[0-9]+\.[0-9][0-9] +[0-9]+\.[0-9]%}}
// TABLE-NEXT: frontend      {{[0-9]+\.[0-9][0-9] +[0-9]+\.[0-9]%}}
// TABLE-NEXT: to-linalg     {{[0-9]+\.[0-9][0-9] +[0-9]+\.[0-9]%}}
// TABLE-NEXT: codegen       {{[0-9]+\.[0-9][0-9] +[0-9]+\.[0-9]%}}
// TABLE-NEXT: lower-to-llvm {{[0-9]+\.[0-9][0-9] +[0-9]+\.[0-9]%}}
// TABLE-NEXT: translate     {{[0-9]+\.[0-9][0-9] +[0-9]+\.[0-9]%}}
// TABLE-NEXT: llvm-opt      {{[0-9]+\.[0-9][0-9] +[0-9]+\.[0-9]%}}
// TABLE-NEXT: machine-code  {{[0-9]+\.[0-9][0-9] +[0-9]+\.[0-9]%}}
// TABLE-NEXT: total         {{[0-9]+\.[0-9][0-9]}}  cache miss
// TABLE-NOT: {{.}}

// It times a compile, which --emit does not do.
// RUN: not tensor-run %S/Inputs/add.mlir --emit=llvm --time-compile 2>&1 | FileCheck %s --check-prefix=EMIT
// EMIT: tensor-run: --time-compile times a compile; it cannot be combined with --emit
