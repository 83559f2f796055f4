// --emit prints a stage instead of running.
//
// RUN: tensor-run %examples/seed/ones_eye.mlir --emit=graft | FileCheck %s --check-prefix=GRAFT
// GRAFT: func.func @ones_eye()
// GRAFT: graft.matmul

// RUN: tensor-run %examples/seed/ones_eye.mlir --emit=linalg | FileCheck %s --check-prefix=LINALG --implicit-check-not=graft.
// LINALG: func.func @ones_eye()
// LINALG: linalg.matmul

// RUN: tensor-run %examples/seed/forward.mlir --emit=llvm | FileCheck %s --check-prefix=LLVM
// LLVM: define void @forward(ptr {{.*}}, ptr {{.*}}, ptr {{.*}}, ptr {{.*}}, ptr {{.*}})
// LLVM: fmul

// LLVM does not unroll Graft's loops again: each already steps over a
// register tile or a vector strip, and unrolled copies of such bodies only
// multiplied the instruction selection and scheduling time. The column
// sum's accumulation loop and its final conversion loop each keep one
// strip-wide body.
// RUN: tensor-run %S/Inputs/column_sum.mlir --threads=1 --emit=llvm | FileCheck %s --check-prefix=NOUNROLL
// NOUNROLL:     define void @column_sum(
// NOUNROLL:     fadd <{{[0-9]+}} x double>
// NOUNROLL-NOT: fadd <{{[0-9]+}} x double>
// NOUNROLL:     fptrunc <{{[0-9]+}} x double>
// NOUNROLL-NOT: fptrunc <{{[0-9]+}} x double>

// RUN: tensor-run %examples/seed/forward.mlir --emit=asm | FileCheck %s --check-prefix=ASM
// ASM: forward:
// ASM: vfmadd{{[0-9]+}}ps

// --bench prints the median and the minimum of N timed calls.
// RUN: tensor-run %examples/seed/ones_eye.mlir --bench=3 | FileCheck %s --check-prefix=BENCH
// BENCH: median: {{[0-9]+\.[0-9]+}} {{ns|us|ms|s}} (3 runs, min {{[0-9]+\.[0-9]+}} {{ns|us|ms|s}})
