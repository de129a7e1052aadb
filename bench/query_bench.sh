#!/bin/bash
# Query benchmark: serves each index with lupa-searchd on 127.0.0.1 and measures GET
# /api/search with wrk, rotating through bench/queries.txt, at several concurrency levels.
#
# Usage: bench/query_bench.sh [NAME=DB_DIR ...]
#   Without arguments it builds its own indexes in a temp folder: "bundled" from corpus/ and
#   "generated" from bench/generate_corpus.py (55 MB; the indexing takes a few minutes).
# Environment:
#   LUPA_BUILD           build folder with bin/lupa-searchd (default <repo>/build)
#   BENCH_DURATION       seconds per wrk run (default 10)
#   BENCH_CONCURRENCY    connection counts (default "1 4 16"); wrk threads = min(2, connections)
#   BENCH_THREADS        wrk threads at most (default 2)
#   BENCH_SEARCHD_THREADS  --threads for lupa-searchd (default: the daemon's own, 8)
#   BENCH_RESULTS        append tab-separated results to this file
# Every request goes to 127.0.0.1; the daemon is stopped on exit, whatever happens.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${LUPA_BUILD:-$repo/build}
duration=${BENCH_DURATION:-10}
concurrency=${BENCH_CONCURRENCY:-1 4 16}
max_threads=${BENCH_THREADS:-2}
results=${BENCH_RESULTS:-}
queries=$repo/bench/queries.txt
searchd=$build/bin/lupa-searchd

for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "query_bench: $tool is missing (apt-get install $tool)" >&2; exit 2; }
done
[[ -x $searchd ]] || {
  echo "query_bench: $searchd not found; build first:" >&2
  echo "  cmake -S $repo -B $build -DCMAKE_BUILD_TYPE=Release -DLUPA_BUILD_TESTS=OFF && cmake --build $build -j" >&2
  exit 2
}

work=$(mktemp -d /tmp/lupa-query-bench.XXXXXX)
daemon_pid=""
stop_daemon() {
  if [[ -n $daemon_pid ]] && kill -0 "$daemon_pid" 2>/dev/null; then
    kill -TERM "$daemon_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do  # up to 10 s for a clean stop
      kill -0 "$daemon_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$daemon_pid" 2>/dev/null || true
    wait "$daemon_pid" 2>/dev/null || true
  fi
  daemon_pid=""
}
cleanup() {
  stop_daemon
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts the daemon on a free loopback port; sets daemon_pid and url.
start_daemon() {
  local db=$1 log=$work/searchd.log
  local args=(--db "$db" --bind 127.0.0.1 --port 0)
  [[ -n ${BENCH_SEARCHD_THREADS:-} ]] && args+=(--threads "$BENCH_SEARCHD_THREADS")
  "$searchd" "${args[@]}" >"$log" 2>&1 &
  daemon_pid=$!
  url=""
  for _ in $(seq 1 100); do  # up to 10 s to start
    url=$(grep -o -m1 'http://127\.0\.0\.1:[0-9]*' "$log" || true)
    [[ -n $url ]] && break
    kill -0 "$daemon_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z $url ]] || ! curl -sf "$url/healthz" >/dev/null; then
    echo "query_bench: lupa-searchd did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
}

record() {  # record NAME KEY VALUE
  [[ -n $results ]] && printf 'query\t%s\t%s\t%s\n' "$1" "$2" "$3" >>"$results"
  return 0
}

bench_index() {
  local name=$1 db=$2
  echo
  echo "== $name: $db"
  start_daemon "$db"
  echo "lupa-searchd pid $daemon_pid at $url ($(curl -s "$url/healthz"))"
  echo "-- each query once (status, total hits, server took_ms median of 5):"
  python3 "$repo/bench/check_queries.py" "$url" "$queries" --repeat 5
  echo "-- what facet counting costs (server took_ms, median of 7):"
  python3 "$repo/bench/facet_cost.py" "$url" --repeat 7 ${BENCH_RESULTS:+--results "$BENCH_RESULTS"} --name "$name"
  echo "-- warm-up: 2 s, 1 connection"
  wrk -t1 -c1 -d2s -s "$repo/bench/rotate.lua" "$url" -- "$queries" >/dev/null
  local connections threads out line
  for connections in $concurrency; do
    threads=$(( connections < max_threads ? connections : max_threads ))
    out=$work/wrk-$name-c$connections.txt
    echo "-- wrk -t$threads -c$connections -d${duration}s --latency"
    wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$repo/bench/rotate.lua" \
      "$url" -- "$queries" | tee "$out"
    line=$(grep '^BENCH ' "$out")
    local field
    for field in $line; do
      [[ $field == *=* ]] && record "$name" "c$connections.${field%%=*}" "${field#*=}"
    done
  done
  record "$name" passages "$(curl -s "$url/healthz" | python3 -c 'import json,sys; print(json.load(sys.stdin)["passages"])')"
  stop_daemon
}

specs=("$@")
if (( ${#specs[@]} == 0 )); then
  echo "query_bench: no index given; indexing corpus/ and a generated 55 MB corpus into $work"
  "$build/bin/lupa-indexer" --quiet --db "$work/bundled-db" "$repo/corpus" >/dev/null
  python3 "$repo/bench/generate_corpus.py" --out "$work/corpus-generated"
  "$build/bin/lupa-indexer" --quiet --db "$work/generated-db" "$work/corpus-generated" >/dev/null
  specs=("bundled=$work/bundled-db" "generated=$work/generated-db")
fi

echo "query_bench: $searchd; $(grep -vc -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$queries") queries" \
  "from $queries; ${duration} s per run; connections: $concurrency"
for spec in "${specs[@]}"; do
  name=${spec%%=*}
  db=${spec#*=}
  [[ $spec == *=* && -n $name && -d $db ]] || { echo "query_bench: expected NAME=DB_DIR, got '$spec'" >&2; exit 2; }
  bench_index "$name" "$db"
done
