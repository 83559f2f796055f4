#!/usr/bin/env bash
# Runs the seed tutorial's steps (examples/seed/) with tensor-run, printing
# what the PyTorch tutorial prints.
set -euo pipefail

cd "$(dirname "$0")/.."
run=${BUILD_DIR:-build}/bin/tensor-run
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

echo "== torch.manual_seed(0); torch.rand(3, 3) and its shape"
"$run" examples/seed/rand.mlir --print-shape
echo
echo "== ones(3, 3), eye(3), matmul(ones, eye), ones * eye"
"$run" examples/seed/ones_eye.mlir
echo
echo "== forward pass: mean((x @ y) * z), mean(z * (x @ y)), 1000x1000, seed 0"
"$run" examples/seed/forward.mlir --seed=0
echo
echo "== backward pass: x = 4, y = -3, z = 5; f = (x + y) * z; f, df/dx, df/dy, df/dz"
"$run" examples/seed/backward_inputs.mlir --output-dir="$scratch" > /dev/null
"$run" examples/seed/backward.mlir --input="$scratch"/result0.npy \
  --input="$scratch"/result1.npy --input="$scratch"/result2.npy
