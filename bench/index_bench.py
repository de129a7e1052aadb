#!/usr/bin/env python3
"""Indexer benchmark: throughput of full runs into fresh databases, and of re-runs.

For each NAME=CORPUS_DIR given:
  1. RUNS full runs (default 3), each into a fresh, empty database folder; reports the
     median and range of MB/s (bytes of the .txt/.md/.html/.htm files / wall-clock seconds
     of the whole lupa-indexer process: start-up, reading, analysis and the final commit)
     and of passages/s (passages written / the same seconds);
  2. RUNS re-runs over the last of those databases with nothing changed; reports the
     median and range of their wall-clock seconds (the incremental check: stat every file,
     compare with the state stored in the index, commit nothing);
  3. the peak resident set size (VmHWM) of every run, from GNU time -v (package `time`)
     or, without it, from wait4()'s rusage, which is where GNU time reads it too.

The database of the last full run is left at WORKDIR/NAME-db for the query benchmark.
Files are read from the page cache after the first run (warm cache): the figures measure
the indexer, not the disk.

Usage:
  bench/index_bench.py [--build DIR] [--runs 3] [--workdir DIR] [--results FILE] NAME=CORPUS_DIR...
  e.g. bench/index_bench.py bundled=corpus generated=/tmp/lupa-corpus
Environment: LUPA_BUILD is the default for --build (else <repo>/build).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUPPORTED = (".txt", ".md", ".html", ".htm")
GNU_TIME = "/usr/bin/time"
SUMMARY = re.compile(r"summary: (\d+) files \((\d+) indexed, (\d+) unchanged, (\d+) removed, "
                     r"(\d+) skipped, (\d+) errors\), (\d+) passages written, (\d+) in index")


def corpus_size(folder: str) -> tuple[int, int]:
    """(files, bytes) of the documents the indexer reads (hidden entries are skipped)."""
    files = size = 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if name.startswith(".") or not name.lower().endswith(SUPPORTED):
                continue
            files += 1
            size += os.path.getsize(os.path.join(root, name))
    return files, size


def run_indexer(indexer: str, database: str, corpus: str) -> dict:
    """One lupa-indexer run: wall seconds, peak RSS (kB), CPU seconds and its summary line."""
    command = [indexer, "--quiet", "--db", database, corpus]
    use_gnu_time = os.access(GNU_TIME, os.X_OK)
    with tempfile.NamedTemporaryFile("r", suffix=".time") as time_file, \
            tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        if use_gnu_time:
            command = [GNU_TIME, "-v", "-o", time_file.name] + command
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
        result = {"wall": wall, "exit": process.returncode, "stdout": stdout, "stderr": stderr}
        if use_gnu_time:
            report = time_file.read()
            result["rss_kb"] = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report).group(1))
            result["user"] = float(re.search(r"User time \(seconds\): ([\d.]+)", report).group(1))
            result["sys"] = float(re.search(r"System time \(seconds\): ([\d.]+)", report).group(1))
        else:
            result["rss_kb"] = usage.ru_maxrss
            result["user"], result["sys"] = usage.ru_utime, usage.ru_stime
    match = SUMMARY.search(stdout)
    if process.returncode not in (0, 1) or not match:
        sys.exit(f"index_bench: lupa-indexer failed (exit {process.returncode}):\n{stdout}{stderr}")
    if process.returncode == 1:
        print(f"index_bench: warning: some files failed:\n{stderr}", file=sys.stderr)
    keys = ["files", "indexed", "unchanged", "removed", "skipped", "errors", "passages", "in_index"]
    result.update(dict(zip(keys, map(int, match.groups()))))
    return result


def spread(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def bench_corpus(name: str, corpus: str, indexer: str, workdir: str, runs: int, results) -> None:
    files, size = corpus_size(corpus)
    megabytes = size / 1e6
    print(f"\n== {name}: {corpus} ({files} documents, {megabytes:.2f} MB)", flush=True)
    full = []
    for run in range(1, runs + 1):
        database = os.path.join(workdir, f"{name}-db-run{run}")
        shutil.rmtree(database, ignore_errors=True)
        r = run_indexer(indexer, database, corpus)
        if r["indexed"] != r["files"]:
            sys.exit(f"index_bench: a fresh run indexed {r['indexed']} of {r['files']} files")
        full.append(r)
        print(f"  full run {run}: {r['wall']:.2f} s, {megabytes / r['wall']:.2f} MB/s, "
              f"{r['passages'] / r['wall']:.0f} passages/s, {r['passages']} passages, "
              f"CPU {r['user']:.2f} user + {r['sys']:.2f} sys s, peak RSS {r['rss_kb'] / 1024:.1f} MiB",
              flush=True)
        if run < runs:
            shutil.rmtree(database)
    kept = os.path.join(workdir, f"{name}-db")
    shutil.rmtree(kept, ignore_errors=True)
    os.rename(os.path.join(workdir, f"{name}-db-run{runs}"), kept)
    db_bytes = sum(os.path.getsize(os.path.join(kept, f)) for f in os.listdir(kept))

    rerun = []
    for run in range(1, runs + 1):
        r = run_indexer(indexer, kept, corpus)
        if r["indexed"] != 0 or r["removed"] != 0:
            sys.exit(f"index_bench: a re-run with nothing changed indexed {r['indexed']} files")
        rerun.append(r)
        print(f"  re-run {run} (nothing changed): {r['wall']:.3f} s, peak RSS {r['rss_kb'] / 1024:.1f} MiB",
              flush=True)

    mbps = spread([megabytes / r["wall"] for r in full])
    pps = spread([r["passages"] / r["wall"] for r in full])
    wall = spread([r["wall"] for r in full])
    again = spread([r["wall"] for r in rerun])
    rss = max(r["rss_kb"] for r in full) / 1024
    rss_rerun = max(r["rss_kb"] for r in rerun) / 1024
    print(f"  => {mbps[0]:.2f} MB/s (range {mbps[1]:.2f}-{mbps[2]:.2f}), {pps[0]:.0f} passages/s "
          f"(range {pps[1]:.0f}-{pps[2]:.0f}); re-run {again[0]:.3f} s (range {again[1]:.3f}-{again[2]:.3f}); "
          f"peak RSS {rss:.1f} MiB (re-run {rss_rerun:.1f} MiB); index {db_bytes / 1e6:.1f} MB")
    rows = {
        "files": files, "megabytes": f"{megabytes:.3f}", "passages": full[-1]["passages"],
        "index_mb": f"{db_bytes / 1e6:.1f}",
        "mbps_median": f"{mbps[0]:.3f}", "mbps_min": f"{mbps[1]:.3f}", "mbps_max": f"{mbps[2]:.3f}",
        "pps_median": f"{pps[0]:.1f}", "pps_min": f"{pps[1]:.1f}", "pps_max": f"{pps[2]:.1f}",
        "wall_median": f"{wall[0]:.3f}", "wall_min": f"{wall[1]:.3f}", "wall_max": f"{wall[2]:.3f}",
        "cpu_median": f"{statistics.median(r['user'] + r['sys'] for r in full):.2f}",
        "rerun_median": f"{again[0]:.3f}", "rerun_min": f"{again[1]:.3f}", "rerun_max": f"{again[2]:.3f}",
        "rss_mib": f"{rss:.1f}", "rerun_rss_mib": f"{rss_rerun:.1f}", "runs": runs,
    }
    if results:
        for key, value in rows.items():
            results.write(f"index\t{name}\t{key}\t{value}\n")
        results.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.environ.get("LUPA_BUILD", os.path.join(REPO, "build")),
                        help="CMake build folder with bin/lupa-indexer (default $LUPA_BUILD or <repo>/build)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", help="where the databases go (default: a new temp folder)")
    parser.add_argument("--results", help="append tab-separated results to this file")
    parser.add_argument("corpora", nargs="+", metavar="NAME=CORPUS_DIR")
    args = parser.parse_args()

    indexer = os.path.join(args.build, "bin", "lupa-indexer")
    if not os.access(indexer, os.X_OK):
        sys.exit(f"index_bench: {indexer} not found; build first: cmake -S {REPO} -B {args.build} "
                 f"-DCMAKE_BUILD_TYPE=Release -DLUPA_BUILD_TESTS=OFF && cmake --build {args.build} -j")
    if args.runs < 1:
        sys.exit("index_bench: --runs must be at least 1")
    workdir = args.workdir or tempfile.mkdtemp(prefix="lupa-index-bench.")
    os.makedirs(workdir, exist_ok=True)
    if not os.access(GNU_TIME, os.X_OK):
        print("index_bench: /usr/bin/time missing (apt-get install time); peak RSS from wait4()",
              file=sys.stderr)
    print(f"index_bench: {indexer}, {args.runs} runs per measure, databases in {workdir}")
    results = open(args.results, "a", encoding="utf-8") if args.results else None
    try:
        for spec in args.corpora:
            name, sep, corpus = spec.partition("=")
            if not sep or not name or not os.path.isdir(corpus):
                sys.exit(f"index_bench: expected NAME=CORPUS_DIR, got '{spec}'")
            bench_corpus(name, corpus, indexer, workdir, args.runs, results)
    finally:
        if results:
            results.close()


if __name__ == "__main__":
    main()
