#!/usr/bin/env bash
# Sets up Graft on a fresh Debian 12 machine (as root) and builds it.
# Idempotent: a second run installs nothing new and rebuilds only what changed.
#
#   scripts/setup.sh            install packages, configure, build
#   BUILD_DIR=out scripts/setup.sh
#   GRAFT_CMAKE_ARGS="-DGRAFT_SANITIZERS=address" BUILD_DIR=out scripts/setup.sh
#                               extra arguments for a build dir's first configure
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}

packages=(
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools clang-22 lld-22
  libomp-22-dev libclang-rt-22-dev
  cmake ninja-build ccache python3 libgtest-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  # LLVM/MLIR 22 come from the machine's configured Debian mirror (stock
  # bookworm has no llvm-22): say so clearly if it does not carry them.
  if ! apt-cache show libmlir-22-dev > /dev/null 2>&1; then
    echo "setup: no apt source offers libmlir-22-dev (LLVM/MLIR 22);" \
         "add one that does (e.g. apt.llvm.org for bookworm)" >&2
    exit 1
  fi
  apt-get install -y --no-install-recommends "${missing[@]}"
fi

read -ra extra_cmake_args <<< "${GRAFT_CMAKE_ARGS:-}"
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -G Ninja -S . -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld \
    -DCMAKE_SHARED_LINKER_FLAGS=-fuse-ld=lld \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_DIR=/usr/lib/llvm-22/lib/cmake/llvm \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    "${extra_cmake_args[@]}"
fi
ninja -C "$BUILD_DIR" -j2 tensor-opt tensor-run
