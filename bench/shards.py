#!/usr/bin/env python3
"""Query latency over shards served by lupa-shardd on loopback, beside one local database.

In one run, on one generated corpus (bench/generate_corpus.py, deterministic):
  - one database of the whole corpus, searched by lupa-searchd locally (the anchor);
  - the same database served by one lupa-shardd (the cost of the network hop alone);
  - 2 and 4 shards: the corpus indexed by `lupa-indexer --shards N` (the real layout, DIR/shard-K,
    each file in the shard its path hashes to), each shard served by its own lupa-shardd and
    named to lupa-searchd by a stub file of `remote HOST:PORT` lines.
Every daemon runs at once and answers each request in turn (compare_engines.py's queries, with
facets and without, and browse pages), `--repeat` rounds after a warm-up round, so that the
load of a shared machine falls on all alike; the figures are the client's wall time per
request (keep-alive HTTP on loopback), p50 and p99 over every round, and the range (lowest and
highest) of the rounds' own p50s, which shows how much the machine moved them. Over shard
servers the searcher offers no spelling correction (docs/scale-out.md), so it skips the
spelling checks the local one makes.
Standard library only; installs nothing.

  bench/shards.py [--build DIR] [--size-mb 10] [--repeat 20] [--workdir DIR] [--keep]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale_common as common  # noqa: E402
from compare_engines import QUERIES  # noqa: E402

BROWSE = ["/api/search?q=", "/api/search?q=&page=7", "/api/search?q=&lang=en&page=3"]


class ShardServer:
    """lupa-shardd over one database on a free loopback port."""

    def __init__(self, binary: str, database: str, log_path: str):
        self.log = open(log_path, "w")
        self.process = subprocess.Popen([binary, "--db", database, "--port", "0"],
                                        stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"on 127\.0\.0\.1:(\d+)", line)
        if not match:
            raise SystemExit(f"lupa-shardd did not start on {database}: {line!r}; see {log_path}")
        self.url = f"tcp://127.0.0.1:{match.group(1)}"

    def stop(self) -> None:
        common.stop_process(self.process, self.log)


def index(indexer: str, database: str, corpus: str, shards: int = 1) -> float:
    """lupa-indexer into `database`: one database, or with shards > 1 the layout DIR/shard-K."""
    started = time.monotonic()
    command = [indexer, "--quiet", "--db", database]
    if shards > 1:
        command += ["--shards", str(shards)]
    subprocess.run(command + [corpus], check=True, stdout=subprocess.DEVNULL, timeout=6 * 3600)
    return time.monotonic() - started


def remote_stub(path: str, servers: list[ShardServer]) -> str:
    """A Xapian stub file naming the shard servers, as lupa-searchd --db reads it."""
    with open(path, "w") as out:
        out.write("# the shard servers of one layout, one a line\n")
        for server in servers:
            out.write("remote " + server.url.removeprefix("tcp://") + "\n")
    return path


def measure(ports: dict[str, int], repeat: int) -> dict:
    """Every layout answers each request in turn, round after round, so that the load of a
    shared machine falls on all of them alike."""
    clients = {name: common.Client(port) for name, port in ports.items()}
    targets = ([common.search_path(q) for q in QUERIES] +
               [common.search_path(q, "&facets=false") for q in QUERIES] + BROWSE)
    # samples[name][target][round]
    samples = {name: {target: [] for target in targets} for name in ports}
    for round_number in range(repeat + 1):
        for target in targets:
            for name, client in clients.items():
                elapsed, _ = client.get_json(target)
                if round_number > 0:  # the first round warms caches
                    samples[name][target].append(elapsed * 1000)
    for client in clients.values():
        client.close()

    def figures(name: str, chosen: list[str]) -> dict:
        every = [s for t in chosen for s in samples[name][t]]
        per_round = [common.percentile([samples[name][t][r] for t in chosen], 0.5)
                     for r in range(repeat)]
        return {"p50": common.percentile(every, 0.5), "p99": common.percentile(every, 0.99),
                "p50_low": min(per_round), "p50_high": max(per_round)}

    with_facets = [common.search_path(q) for q in QUERIES]
    without = [common.search_path(q, "&facets=false") for q in QUERIES]
    return {name: {"facets": figures(name, with_facets), "no_facets": figures(name, without),
                   "browse": figures(name, BROWSE)} for name in ports}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.environ.get("LUPA_BUILD", os.path.join(common.REPO, "build")))
    parser.add_argument("--size-mb", type=float, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--workdir")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    indexer = common.find_binary(args.build, "lupa-indexer")
    searchd = common.find_binary(args.build, "lupa-searchd")
    shardd = common.find_binary(args.build, "lupa-shardd")
    workdir = args.workdir or tempfile.mkdtemp(prefix="lupa-shards-")
    os.makedirs(workdir, exist_ok=True)
    try:
        corpus = os.path.join(workdir, "corpus")
        if not os.path.isdir(corpus):
            common.generate_corpus(corpus, args.size_mb, 20, 120, args.seed)
        megabytes = common.folder_bytes(corpus) / 1e6
        one = os.path.join(workdir, "one")
        layouts: dict[int, list[str]] = {1: [one]}
        print(f"corpus: {megabytes:.1f} MB in {corpus}", flush=True)
        if not os.path.isdir(one):
            print(f"indexing one database: {index(indexer, one, corpus):.0f} s", flush=True)
        for shards in (2, 4):
            layout = os.path.join(workdir, f"shards-{shards}")
            if not os.path.isdir(layout):
                seconds = index(indexer, layout, corpus, shards)
                print(f"indexing {shards} shards (lupa-indexer --shards {shards}): {seconds:.0f} s",
                      flush=True)
            layouts[shards] = [os.path.join(layout, f"shard-{k}") for k in range(shards)]

        servers: list[ShardServer] = []
        daemons: dict[str, common.Daemon] = {}
        try:
            runs = [("one database, local", [one], False)] + \
                   [(f"{n} shard{'s' if n > 1 else ''}, lupa-shardd on loopback", layouts[n], True)
                    for n in (1, 2, 4)]
            for name, databases, remote in runs:
                locations = databases
                if remote:
                    started = [ShardServer(shardd, db, os.path.join(workdir, f"shardd-{len(servers) + i}.log"))
                               for i, db in enumerate(databases)]
                    servers += started
                    # One shard as --db tcp://, several as a stub of remote lines: both forms.
                    locations = [started[0].url] if len(started) == 1 else \
                        [remote_stub(os.path.join(workdir, f"remote-{len(started)}.stub"), started)]
                daemons[name] = common.Daemon(searchd, locations,
                                              os.path.join(workdir, f"searchd-{len(daemons)}.log"))
            results = measure({name: daemon.port for name, daemon in daemons.items()}, args.repeat)
        finally:
            for daemon in daemons.values():
                daemon.stop()
            for server in servers:
                server.stop()

        print(f"\nQuery latency, ms (client wall time, keep-alive, loopback; {len(QUERIES)} queries, "
              f"{args.repeat} rounds; corpus {megabytes:.1f} MB, seed {args.seed})")
        print("p50 / p99 over every round [lowest-highest p50 of one round]")
        print("| layout | with facets | without facets | browse |")
        print("|---|---|---|---|")
        for name, figures in results.items():
            cells = [f"{figures[k]['p50']:.1f} / {figures[k]['p99']:.1f} "
                     f"[{figures[k]['p50_low']:.1f}-{figures[k]['p50_high']:.1f}]"
                     for k in ("facets", "no_facets", "browse")]
            print(f"| {name} | " + " | ".join(cells) + " |")
        local = results["one database, local"]["facets"]["p50"]
        hop = results["1 shard, lupa-shardd on loopback"]["facets"]["p50"]
        print(f"\nThe network hop (1 remote shard vs the same database local), p50 with facets: "
              f"+{hop - local:.1f} ms ({hop / local:.2f}x)")
    finally:
        if args.keep or args.workdir:
            print(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
