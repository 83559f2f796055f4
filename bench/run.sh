#!/usr/bin/env bash
# Builds and runs Graft's benchmarks and prints a markdown table: one row per
# case, thread count T (1T, 2T) and reference, with Graft's time (compiled
# with CompileOptions::threads = T), the reference's time on T threads
# measured in the same run, the ratio reference/Graft (> 1: Graft is faster)
# and Graft's efficiency (% of T cores' FMA peak or of STREAM bandwidth on T
# threads, both measured by the benchmark).
#
#   bench/run.sh            all cases
#   bench/run.sh --quick    a subset, in under 2 minutes
#
# References: OpenBLAS's cblas_sgemm (AVX-512 kernels: OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE are unset for it, and for PyTorch's OpenBLAS), STREAM-style
# loops, and PyTorch eager (Debian's python3-torch, with /usr/bin/python3,
# OPENBLAS_NUM_THREADS = T: see torch_ref.py). They are installed here, never
# as Graft dependencies. Load from other processes skews the 2T rows most;
# the table ends with uptime before and after.
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

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
load_before=$(uptime)
min_time=$([ -n "$quick" ] && echo 0.2 || echo 1)
# OpenBLAS, the reference's and PyTorch's, picks its own kernels and cache sizes.
openblas_env=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
bench() {
  "${openblas_env[@]}" ${quick:+GRAFT_BENCH_QUICK=1} \
    "$BUILD_DIR"/bin/graft-bench "$@"
}
# One process per case, so that a crash loses only that case's rows: the
# table shows its exit status, stderr its crash note with the IR.
mapfile -t cases < <(bench --benchmark_list_tests |
  sed -E 's#/[^/]+/[0-9]+T/real_time$##' | uniq)
SECONDS=0
for i in "${!cases[@]}"; do
  GRAFT_BENCH_CASE="${cases[$i]}" bench --benchmark_min_time="$min_time" \
    --benchmark_format=json > "$out/$i.json" 2>> "$out/stderr" ||
    echo "{\"crashed\": \"${cases[$i]}\", \"status\": $?}" > "$out/$i.json"
done
bench_seconds=$SECONDS
torch1=$("${openblas_env[@]}" /usr/bin/python3 bench/torch_ref.py 1 ${quick:+--quick})
torch2=$("${openblas_env[@]}" /usr/bin/python3 bench/torch_ref.py 2 ${quick:+--quick})

# Benchmarks are named <case>/<side>/<T>T (see GraftBench.cpp); each Graft
# case gets one row per reference on the same T: the C++ references, then
# PyTorch's time for the same case name. A reference with a GB/s counter is
# a STREAM loop: its time is scaled to the bytes the Graft case moves.
/usr/bin/python3 - "$out" "${#cases[@]}" "$torch1" "$torch2" \
  "$load_before" "$(uptime)" "$bench_seconds" <<'PY'
import json, sys
out, case_count = sys.argv[1], int(sys.argv[2])
torch = {1: json.loads(sys.argv[3]), 2: json.loads(sys.argv[4])}
bench, order = {}, []  # order: ("crashed", case, status) or (case, T)
for i in range(case_count):
    result = json.load(open(f"{out}/{i}.json"))
    if "crashed" in result:
        order.append(("crashed", result["crashed"], result["status"]))
        continue
    for r in result["benchmarks"]:
        case, side, t = r["name"].removesuffix("/real_time").rsplit("/", 2)
        bench[case, side, int(t[:-1])] = r
        if side == "graft":
            order.append((case, int(t[:-1])))
giga = lambda r, counter: r[counter] / 1e9
# T cores: T times one core's FMA peak.
peak = {t: t * giga(bench["peak", "FMA loop", 1], "GFLOPs") for t in (1, 2)}

def efficiency(g, t):
    if "GFLOPs" in g:
        return f"{giga(g, 'GFLOPs'):.0f} GFLOP/s, " \
               f"{giga(g, 'GFLOPs') / peak[t]:.0%} of peak"
    return f"{giga(g, 'GB/s'):.1f} GB/s" if "GB/s" in g else ""

def references(case, t, g):
    """(ms, name, efficiency) of each reference of a Graft run."""
    for (c, side, rt), r in bench.items():
        if c != case or rt != t or side == "graft":
            continue
        if "GB/s" in r and "GB/s" in g:
            share = giga(g, "GB/s") / giga(r, "GB/s")
            yield (g["real_time"] * share, f"{side} {t}T, same bytes",
                   f"{share:.0%} of {side.split()[0]} bandwidth")
        else:
            yield r["real_time"], f"{side} {t}T", efficiency(g, t)
    if case in torch[t]:
        yield torch[t][case], f"PyTorch {t}T", efficiency(g, t)

def failure(g):
    message = g["error_message"].splitlines()[0].replace("|", "\\|")
    return f"failed: {message}"

print("| case | Graft | reference | ratio (ref/Graft, >1: Graft faster) "
      "| % of peak / bandwidth |")
print("|---|---|---|---|---|")
for entry in order:
    if entry[0] == "crashed":
        print(f"| {entry[1]} | crashed (exit status {entry[2]}) | | | |")
        continue
    case, t = entry
    g = bench[case, "graft", t]
    failed = g.get("error_occurred")
    for ref_ms, ref_name, eff in references(case, t, g):
        graft, ratio = ((failure(g), "") if failed else
                        (f"{g['real_time']:.2f} ms",
                         f"{ref_ms / g['real_time']:.2f}"))
        print(f"| {case}, {t}T | {graft} | {ref_ms:.2f} ms ({ref_name}) | "
              f"{ratio} | {'' if failed else eff} |")
seed = [bench.get(("seed fwd+bwd 1000^2", "graft", t), {}) for t in (1, 2)]
print(f"\ncold compile of the seed fwd+bwd graph (a fresh Engine, the first "
      f"compile of its process for 1T): "
      + ", ".join(f"{t}T {g['compile ms']:.0f} ms" if "compile ms" in g
                  else f"{t}T n/a" for t, g in zip((1, 2), seed))
      + " (target < 300 ms)")
print(f"peak: {peak[1]:.0f} GFLOP/s a core (FMA loop, best iteration)")
compile_s = sum(r.get("compile ms", 0) for r in bench.values()) / 1e3
print(f"graft-bench took {sys.argv[7]} s, of which {compile_s:.0f} s compiling "
      f"the Graft cases")
print(f"load before: {sys.argv[5].strip()}\nload after:  {sys.argv[6].strip()}")
stderr = open(f"{out}/stderr").read().strip()
if stderr:
    print(f"\ngraft-bench's stderr (compile errors, crashes):\n```\n{stderr}\n```")
PY
