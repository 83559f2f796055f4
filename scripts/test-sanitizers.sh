#!/usr/bin/env bash
# Builds Graft with AddressSanitizer, UndefinedBehaviorSanitizer and
# LeakSanitizer (and the fuzz targets, which share the build) in a separate
# build dir, then runs the whole test suite, lit and GoogleTest, under them.
#
#   scripts/test-sanitizers.sh            build-san/
#   BUILD_DIR=out scripts/test-sanitizers.sh
set -euo pipefail

cd "$(dirname "$0")/.."
export BUILD_DIR=${BUILD_DIR:-build-san}
source scripts/sanitizer-env.sh
GRAFT_CMAKE_ARGS=$sanitizer_cmake_args scripts/setup.sh
ninja -C "$BUILD_DIR" -j2 check-graft
