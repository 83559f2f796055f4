#!/usr/bin/env bash
# Runs Graft's libFuzzer targets (test/fuzz) under ASan and UBSan: builds
# them in the sanitizer build dir, replays every saved crash under
# test/fuzz/regressions/<target>/, then fuzzes each target for the given
# seconds from a fresh corpus seeded with the examples and tests.
#
#   scripts/fuzz.sh [seconds-per-target]      default 600; .ci/run uses 20
#   FUZZ_TARGETS="npy mlir" scripts/fuzz.sh   a subset of: mlir npy graph
#
# Exits non-zero on the first crash, leak, timeout or out-of-memory, after
# printing the fuzzer's report and the path of the input that caused it.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds=${1:-600}
read -ra targets <<< "${FUZZ_TARGETS:-mlir npy graph}"

# Per target: input size, time per input (a compile takes up to about a
# second under ASan) and memory bounds.
declare -A options=(
  [mlir]="-max_len=8192 -timeout=60 -rss_limit_mb=4096 -dict=test/fuzz/mlir.dict"
  [npy]="-max_len=4096 -timeout=10 -rss_limit_mb=2048"
  [graph]="-max_len=512 -timeout=60 -rss_limit_mb=4096"
)
for target in "${targets[@]}"; do
  if [ -z "${options[$target]:-}" ]; then
    echo "fuzz: unknown target '$target' (expected mlir, npy or graph)" >&2
    exit 1
  fi
done

export BUILD_DIR=${BUILD_DIR:-build-san}
source scripts/sanitizer-env.sh
GRAFT_CMAKE_ARGS=$sanitizer_cmake_args scripts/setup.sh
if ! grep -q '^GRAFT_BUILD_FUZZERS:BOOL=ON' "$BUILD_DIR/CMakeCache.txt"; then
  cmake -B "$BUILD_DIR" -DGRAFT_BUILD_FUZZERS=ON > /dev/null
fi
ninja -C "$BUILD_DIR" -j2 $(printf 'graft-%s-fuzzer ' "${targets[@]}")

# Seeds: valid inputs that reach deep into each target.
seed_mlir() {
  # Every function of the examples and the tests, one module per
  # `// -----` section.
  local file section
  for file in examples/seed/*.mlir test/Integration/*.mlir \
              test/Integration/Inputs/*.mlir test/Dialect/Graft/*.mlir; do
    section="$1/$(echo "${file%.mlir}" | tr / _)"
    awk -v out="$section" 'BEGIN { n = 0 }
      /^\/\/ -----/ { close(out "-" n ".mlir"); n++; next }
      { print > (out "-" n ".mlir") }' "$file"
  done
}
seed_npy() {
  cp test/fuzz/seeds/npy/*.npy test/Integration/Inputs/*.npy "$1"
}
seed_graph() {
  # A few programs; the bytes drive graft-graph-fuzzer's API calls.
  local i=0 program
  for program in '\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b' \
                 '\x10\x00\x20\x00\x05\x05\x1b\x00\x0d\x00\x1b' \
                 'abcdefghijklmnopqrstuvwxyz0123456789' \
                 '\xff\x00\xff\x00\x05\x0e\x0c\x0b\x0a\x09\x1f\x1f\x1f\x1f'; do
    printf "$program" > "$1/program-$((i++))"
  done
}

# Runs one fuzzer command, logging to $log; on failure shows the report.
run_fuzzer() {
  local log=$1
  shift
  if ! "$@" > "$log" 2>&1; then
    echo "fuzz: FAILED: $*" >&2
    grep -v '^#\|^INFO\|^Done\|^\s*$' "$log" | tail -n 60 >&2
    grep -h 'Test unit written to\|Running: ' "$log" | tail -n 3 >&2
    echo "fuzz: full log in $log" >&2
    exit 1
  fi
}

for target in "${targets[@]}"; do
  fuzzer=$BUILD_DIR/bin/graft-$target-fuzzer
  work=$BUILD_DIR/fuzz/$target
  rm -rf "$work"
  mkdir -p "$work/seeds" "$work/corpus" "$work/artifacts"
  read -ra flags <<< "${options[$target]}"
  flags+=(-artifact_prefix="$work/artifacts/")

  regressions=(test/fuzz/regressions/$target/*)
  if [ -e "${regressions[0]}" ]; then
    echo "fuzz: $target: replaying ${#regressions[@]} saved crashes"
    run_fuzzer "$work/replay.log" "$fuzzer" "${flags[@]}" "${regressions[@]}"
  fi

  "seed_$target" "$work/seeds"
  echo "fuzz: $target: $seconds s from $(ls "$work/seeds" | wc -l) seeds"
  run_fuzzer "$work/fuzz.log" "$fuzzer" "${flags[@]}" \
    -max_total_time="$seconds" -print_final_stats=1 \
    "$work/corpus" "$work/seeds"
  grep -h '^stat::number_of_executed_units\|^stat::peak_rss_mb' \
    "$work/fuzz.log" | sed "s/^/fuzz: $target: /"
done
echo "fuzz: no crashes"
