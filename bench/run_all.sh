#!/bin/bash
# Runs the whole benchmark: generates the 55 MB corpus, benchmarks the indexer on corpus/
# and on it, then the search daemon on both indexes, and prints one summary table.
#
# Usage: bench/run_all.sh [BUILD_DIR]
#   BUILD_DIR: CMake build folder with bin/lupa-indexer and bin/lupa-searchd
#              (default $LUPA_BUILD, else <repo>/build). Build it first, e.g.
#              cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DLUPA_BUILD_TESTS=OFF
#              cmake --build build-bench -j"$(nproc)"
# Environment: BENCH_WORKDIR (scratch folder, default a new /tmp/lupa-bench.*; removed at
#   the end unless BENCH_KEEP=1), BENCH_SIZE_MB (default 55), BENCH_SEED, BENCH_RUNS
#   (default 3), and those of bench/query_bench.sh (BENCH_DURATION, BENCH_CONCURRENCY, ...).
# Takes about 10-15 minutes on 2 cores. Writes nothing inside the repository.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-${LUPA_BUILD:-$repo/build}}" && pwd)
export LUPA_BUILD=$build
for program in lupa-indexer lupa-searchd; do
  [[ -x $build/bin/$program ]] || {
    echo "run_all: $build/bin/$program not found; build first:" >&2
    echo "  cmake -S $repo -B $build -DCMAKE_BUILD_TYPE=Release -DLUPA_BUILD_TESTS=OFF && cmake --build $build -j" >&2
    exit 2
  }
done

if [[ -n ${BENCH_WORKDIR:-} ]]; then
  work=$BENCH_WORKDIR
  mkdir -p "$work"
else
  work=$(mktemp -d /tmp/lupa-bench.XXXXXX)
fi
cleanup() {
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then
    echo "run_all: kept $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

results=$work/results.tsv
: >"$results"
export BENCH_RESULTS=$results
machine() { printf 'machine\thost\t%s\t%s\n' "$1" "$2" >>"$results"; }
machine nproc "$(nproc)"
machine memory "$(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}')"
machine cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
machine load "$(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at start)"
machine build "$build ($(grep -m1 CMAKE_BUILD_TYPE: "$build/CMakeCache.txt" | cut -d= -f2)), binaries of $(date -u -r "$build/bin/lupa-indexer" '+%F %T UTC')"
machine tree "$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown) (source tree now; the binaries may be older)"

echo "run_all: build $build, scratch $work"
echo
echo "== generating the corpus"
python3 "$repo/bench/generate_corpus.py" --out "$work/corpus-generated" \
  --size-mb "${BENCH_SIZE_MB:-55}" ${BENCH_SEED:+--seed "$BENCH_SEED"} --digest

echo
echo "== indexer"
python3 "$repo/bench/index_bench.py" --build "$build" --runs "${BENCH_RUNS:-3}" --workdir "$work" \
  --results "$results" "bundled=$repo/corpus" "generated=$work/corpus-generated"

echo
echo "== search daemon"
bash "$repo/bench/query_bench.sh" "bundled=$work/bundled-db" "generated=$work/generated-db"

machine load_end "$(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at the end)"
echo
echo "================================ SUMMARY ================================"
python3 "$repo/bench/summarize.py" "$results"
cp "$results" "${BENCH_RESULTS_COPY:-/tmp/lupa-bench-results.tsv}"
echo "(results also in ${BENCH_RESULTS_COPY:-/tmp/lupa-bench-results.tsv})"
