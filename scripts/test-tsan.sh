#!/usr/bin/env bash
# Builds the concurrency tests with ThreadSanitizer in a separate build dir
# and runs them: four threads compiling, clearing the compile cache and
# calling shared functions for GRAFT_SOAK_SECONDS (default 10), and the API's
# concurrency tests. Any report fails the run.
#
#   scripts/test-tsan.sh            build-tsan/
#   BUILD_DIR=out scripts/test-tsan.sh
set -euo pipefail

cd "$(dirname "$0")/.."
export BUILD_DIR=${BUILD_DIR:-build-tsan}
GRAFT_CMAKE_ARGS="-DGRAFT_SANITIZERS=thread" scripts/setup.sh
ninja -C "$BUILD_DIR" -j2 GraftReferenceTests GraftAPITests

export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
GRAFT_SOAK_SECONDS=${GRAFT_SOAK_SECONDS:-10} \
  "$BUILD_DIR/unittests/GraftReferenceTests" \
  --gtest_filter='StressTest.ThreadsCompileAndCallTogether'
"$BUILD_DIR/unittests/GraftAPITests" --gtest_filter='ConcurrencyTest.*'
