#!/usr/bin/env bash
# Builds everything the tests need and runs the whole suite (lit IR and
# integration tests plus the GoogleTest programs) with one lit invocation.
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
[ -f "$BUILD_DIR/build.ninja" ] || scripts/setup.sh
ninja -C "$BUILD_DIR" -j2 check-graft
