#!/usr/bin/env bash
# Builds and runs Graft's benchmarks and prints a markdown table: one row per
# case with Graft's time, the reference's time measured in the same run, the
# ratio reference/Graft (> 1: Graft is faster) and Graft's efficiency.
#
#   bench/run.sh            all cases
#   bench/run.sh --quick    a subset, in under 2 minutes
#
# References: OpenBLAS's cblas_sgemm (AVX-512 kernels: OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE are unset for it), a STREAM-style loop, and PyTorch eager
# (Debian's python3-torch, with /usr/bin/python3). They are installed here,
# never as Graft dependencies.
set -euo pipefail

cd "$(dirname "$0")/.."
# A build dir of its own: the benchmarks need OpenBLAS and Google Benchmark,
# which the main build must not depend on.
BUILD_DIR=${BENCH_BUILD_DIR:-build-bench}
quick=""
[ "${1:-}" = "--quick" ] && quick=1

need=()
for p in libopenblas-dev libbenchmark-dev python3-torch; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if ((${#need[@]})); then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"
fi

[ -f build/build.ninja ] || scripts/setup.sh
[ -f "$BUILD_DIR/build.ninja" ] || cmake -G Ninja -S . -B "$BUILD_DIR" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld -DCMAKE_SHARED_LINKER_FLAGS=-fuse-ld=lld \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  -DLLVM_DIR=/usr/lib/llvm-22/lib/cmake/llvm \
  -DGRAFT_BUILD_BENCH=ON > /dev/null
ninja -C "$BUILD_DIR" -j2 graft-bench

json=$(mktemp)
trap 'rm -f "$json"' EXIT
min_time=$([ -n "$quick" ] && echo 0.2 || echo 1)
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE ${quick:+GRAFT_BENCH_QUICK=1} \
  "$BUILD_DIR"/bin/graft-bench --benchmark_min_time="$min_time" \
  --benchmark_format=json > "$json"
torch1=$(/usr/bin/python3 bench/torch_ref.py 1 ${quick:+--quick})
torch2=$(/usr/bin/python3 bench/torch_ref.py 2 ${quick:+--quick})

/usr/bin/python3 - "$json" "$torch1" "$torch2" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
torch1, torch2 = json.loads(sys.argv[2]), json.loads(sys.argv[3])
ms = {r["name"].replace("/real_time", ""): r["real_time"] for r in runs}
counters = {r["name"].replace("/real_time", ""): r for r in runs}
rows = []
def row(case, graft, ref, ref_name, efficiency):
    rows.append(f"| {case} | {graft:.2f} ms | {ref:.2f} ms ({ref_name}) | "
                f"{ref / graft:.2f} | {efficiency} |")
for name, t in ms.items():
    if name.startswith("sgemm/graft/"):
        size = name[len("sgemm/graft/"):]
        ref = ms.get("sgemm/openblas/" + size)
        gflops = counters[name]["GFLOPs"] / 1e9
        row("sgemm " + size.replace("/", "x"), t, ref, "OpenBLAS 1T",
            f"{gflops:.0f} GFLOP/s")
stream = counters["chain/stream"]["GB/s"] / 1e9
copy = counters["copy/stream"]["GB/s"] / 1e9
row("relu(a*b+c) 4096^2", ms["chain/graft"], ms["chain/stream"], "triad loop",
    f"{counters['chain/graft']['GB/s'] / 1e9 / stream:.0%} of triad")
row("relu(a*b+c) 4096^2", ms["chain/graft"], torch1["chain"], "PyTorch 1T", "")
for case in ("sum", "mean_dim1", "softmax"):
    gbs = counters[case + "/graft"]["GB/s"] / 1e9
    row(f"{case} 4096^2", ms[case + "/graft"], torch1[case], "PyTorch 1T",
        f"{gbs / copy:.0%} of copy bandwidth")
row("seed forward 1000^2", ms["seed_fwd/graft"], torch1["seed_fwd"],
    "PyTorch 1T", "")
row("seed forward 1000^2", ms["seed_fwd/graft"], torch2["seed_fwd"],
    "PyTorch 2T", "")
row("seed fwd+bwd 1000^2", ms["seed_fwd_bwd/graft"], torch1["seed_fwd_bwd"],
    "PyTorch 1T", "")
row("seed fwd+bwd 1000^2", ms["seed_fwd_bwd/graft"], torch2["seed_fwd_bwd"],
    "PyTorch 2T", "")
print("| case | Graft | reference | ratio | % of peak / bandwidth |")
print("|---|---|---|---|---|")
print("\n".join(rows))
print(f"\ncold compile of the seed fwd+bwd graph: "
      f"{ms['compile/seed_fwd_bwd']:.0f} ms (target < 300 ms)")
PY
