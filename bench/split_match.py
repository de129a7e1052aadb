#!/usr/bin/env python3
"""A query's match on the idle cores (lupa-searchd --split-match-from): one index, two daemons of one
build at once, one splitting matches (the default) and one never (--split-match-from 0),
measured in one run:

  one client    compare_engines.py's 20 queries with every facet counted, each sent to the two
                daemons in turn (interleaved, so a busy moment of the machine falls on both),
                ROUNDS rounds over a keep-alive connection each: per query the median of the
                client's times; reported: the median over queries, the range, and the ratio
                split / whole per query (median and range).
  under load    wrk with bench/rotate.lua at CONNECTIONS keep-alive connections (default 1 4 16),
                DURATION seconds per daemon in turn: p50, p99 and requests/s; at 4 and 16 the
                daemon splits only while a core is idle, so throughput must not drop.
Every answer of the one-client rounds is compared between the two daemons (took_ms aside);
the script fails on a difference. /healthz's matches_split says how many searches were split.

Needs wrk (Debian package wrk); installs nothing.

Usage: bench/split_match.py --db LUPA_DB [--build DIR] [--rounds 15] [--duration 15]
                            [--connections "1 4 16"] [--baseline-build DIR]
--baseline-build adds a third daemon, an earlier build's, to the one-client rounds.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale_common as common  # noqa: E402
from compare_engines import QUERIES  # noqa: E402


def without_time(answer: dict) -> dict:
    return {key: value for key, value in answer.items() if key != "took_ms"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--build", default=os.environ.get("LUPA_BUILD", os.path.join(common.REPO, "build")))
    parser.add_argument("--baseline-build")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", default="1 4 16")
    args = parser.parse_args()
    searchd = common.find_binary(args.build, "lupa-searchd")
    workdir = tempfile.mkdtemp(prefix="lupa-split.")
    variants = [("whole", searchd, ["--split-match-from", "0"]), ("split", searchd, [])]
    if args.baseline_build:
        variants.append(("baseline", common.find_binary(args.baseline_build, "lupa-searchd"), []))
    daemons = {}
    try:
        for name, binary, extra in variants:
            daemons[name] = common.Daemon(binary, [args.db], os.path.join(workdir, name + ".log"), extra)
        clients = {name: common.Client(daemon.port) for name, daemon in daemons.items()}
        paths = [common.search_path(query) for query in QUERIES]
        for path in paths:  # warm: facet codes, labels, the page cache
            for client in clients.values():
                client.get_json(path)
        times = {name: {path: [] for path in paths} for name in daemons}
        differing = 0
        for _ in range(args.rounds):
            for path in paths:
                answers = {}
                for name, client in clients.items():
                    elapsed, answer = client.get_json(path)
                    times[name][path].append(elapsed * 1000)
                    answers[name] = without_time(answer)
                if answers["split"] != answers["whole"]:
                    differing += 1
                    print(f"split_match: answers differ for {path}", file=sys.stderr)
        split_count = {name: common.Client(d.port).get_json("/healthz")[1].get("matches_split")
                       for name, d in daemons.items()}
        print(f"split_match: {args.db}, {len(paths)} queries x {args.rounds} rounds, one keep-alive client "
              f"per daemon, in turn; matches split: {split_count}")
        medians = {name: {path: statistics.median(values) for path, values in per.items()}
                   for name, per in times.items()}
        for name in daemons:
            values = list(medians[name].values())
            print(f"  {name:8s} median of per-query medians {statistics.median(values):7.2f} ms "
                  f"(range {min(values):.2f}-{max(values):.2f})")
        for name in [n for n in daemons if n != "whole"]:
            ratios = [medians[name][p] / medians["whole"][p] for p in paths]
            print(f"  {name} / whole per query: {statistics.median(ratios):.2f} "
                  f"(range {min(ratios):.2f}-{max(ratios):.2f})")
        queries_file = os.path.join(workdir, "queries.txt")
        with open(queries_file, "w") as out:
            out.write("\n".join("q=" + q for q in QUERIES) + "\n")
        def splits(name: str) -> int:
            return common.Client(daemons[name].port).get_json("/healthz")[1]["matches_split"]

        for level, connections in enumerate(int(c) for c in args.connections.split()):
            # Each level in the other order: the machine's drift falls on both.
            for name in ("whole", "split") if level % 2 == 0 else ("split", "whole"):
                before = splits(name)
                r = common.run_wrk(daemons[name].port, connections, args.duration, queries_file, "split_match")
                print(f"  wrk {connections:2d} connections, {name:5s}: p50 {r['p50_us'] / 1000:7.2f} ms, "
                      f"p99 {r['p99_us'] / 1000:7.2f} ms, {r['rps']:7.1f} requests/s, "
                      f"{splits(name) - before} of {r['requests']:.0f} split")
        if differing:
            sys.exit(f"split_match: {differing} answers differed")
    finally:
        for daemon in daemons.values():
            daemon.stop()


if __name__ == "__main__":
    main()
