#!/usr/bin/env python3
"""Prints the summary table of a benchmark run from its results file (tab-separated rows
"section, name, key, value" written by index_bench.py, query_bench.sh and run_all.sh),
and checks the targets of bench/README.md.

Usage: bench/summarize.py RESULTS.tsv
"""
from __future__ import annotations

import sys
from collections import defaultdict

TARGET_INDEX_MBPS = 3.0        # indexing throughput, generated corpus, median
TARGET_RERUN_SECONDS = 2.0     # re-run with nothing changed, generated corpus, median
TARGET_P50_MS = 2.0            # query latency on the bundled corpus, every concurrency level
TARGET_P99_MS = 10.0


def load(path: str):
    data = defaultdict(lambda: defaultdict(dict))
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 4:
                section, name, key, value = parts
                data[section][name][key] = value
    return data


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    data = load(sys.argv[1])
    out = []
    machine = data["machine"].get("host", {})
    if machine:
        out.append("Machine: " + "; ".join(f"{k} {v}" for k, v in machine.items()))
        out.append("")

    index = data["index"]
    if index:
        out.append("Indexing (full runs into fresh databases; re-run = nothing changed; warm page cache)")
        header = (f"{'corpus':<10} {'files':>5} {'MB':>7} {'passages':>8}  {'MB/s median (range)':<22}"
                  f"{'passages/s median (range)':<28}{'re-run s median (range)':<26}{'peak RSS':>8}")
        out += [header, "-" * len(header)]
        for name, r in index.items():
            f = lambda key: float(r[key])
            mbps = f"{f('mbps_median'):.2f} ({f('mbps_min'):.2f}-{f('mbps_max'):.2f})"
            pps = f"{f('pps_median'):.0f} ({f('pps_min'):.0f}-{f('pps_max'):.0f})"
            rerun = f"{f('rerun_median'):.3f} ({f('rerun_min'):.3f}-{f('rerun_max'):.3f})"
            out.append(f"{name:<10} {r['files']:>5} {f('megabytes'):>7.2f} {r['passages']:>8}  {mbps:<22}"
                       f"{pps:<28}{rerun:<26}{f('rss_mib'):>4.0f} MiB")
        out.append("(wall s per full run, median: " + ", ".join(
            f"{n} {float(r['wall_median']):.2f} s, CPU {float(r['cpu_median']):.2f} s" for n, r in index.items()) + ")")
        out.append("")

    query = data["query"]
    if query:
        out.append("Queries (wrk, rotating through bench/queries.txt; latency per request)")
        header = (f"{'corpus':<10} {'conns':>5} {'threads':>7} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} "
                  f"{'p99 ms':>8} {'max ms':>8} {'requests':>9} {'errors':>6}")
        out += [header, "-" * len(header)]
        for name, r in query.items():
            levels = sorted({k.split(".")[0] for k in r if k.startswith("c") and "." in k},
                            key=lambda c: int(c[1:]))
            for level in levels:
                g = lambda key: r[f"{level}.{key}"]
                errors = sum(int(g(k)) for k in ("errors_connect", "errors_read", "errors_write",
                                                   "errors_status", "errors_timeout"))
                out.append(f"{name:<10} {level[1:]:>5} {min(2, int(level[1:])):>7} {float(g('rps')):>8.0f} "
                           f"{float(g('p50_us')) / 1000:>8.2f} {float(g('p90_us')) / 1000:>8.2f} "
                           f"{float(g('p99_us')) / 1000:>8.2f} {float(g('max_us')) / 1000:>8.2f} "
                           f"{g('requests'):>9} {errors:>6}")
        out.append("")

    checks = []
    generated = index.get("generated")
    if generated:
        mbps = float(generated["mbps_median"])
        checks.append((f"indexing >= {TARGET_INDEX_MBPS:g} MB/s (generated corpus, median)",
                       f"{mbps:.2f} MB/s", mbps >= TARGET_INDEX_MBPS))
        rerun = float(generated["rerun_median"])
        checks.append((f"re-run, nothing changed < {TARGET_RERUN_SECONDS:g} s (generated corpus, median)",
                       f"{rerun:.3f} s", rerun < TARGET_RERUN_SECONDS))
    bundled = query.get("bundled")
    if bundled:
        for level in sorted({k.split(".")[0] for k in bundled if "." in k}, key=lambda c: int(c[1:])):
            p50 = float(bundled[f"{level}.p50_us"]) / 1000
            p99 = float(bundled[f"{level}.p99_us"]) / 1000
            checks.append((f"query median < {TARGET_P50_MS:g} ms (bundled, {level[1:]} connections)",
                           f"{p50:.2f} ms", p50 < TARGET_P50_MS))
            checks.append((f"query p99 < {TARGET_P99_MS:g} ms (bundled, {level[1:]} connections)",
                           f"{p99:.2f} ms", p99 < TARGET_P99_MS))
    if checks:
        out.append("Targets")
        width = max(len(c[0]) for c in checks)
        for label, value, ok in checks:
            out.append(f"  {'MET ' if ok else 'MISS'}  {label:<{width}}  {value}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
