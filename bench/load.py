#!/usr/bin/env python3
"""Load benchmark for lupa-searchd: wrk with a mix of searches, facets, exports and feeds.

Runs wrk (Debian package `wrk`) for --duration seconds at each connection count, with
keep-alive and with `Connection: close`, against this build's daemon and, side by side in the
same run, against the daemon of an earlier revision (--baseline-rev, built in a temporary git
worktree). Reports requests/s, p50 and p99 latency, socket errors, requests over wrk's 2 s
timeout, non-2xx answers, and each daemon's RSS before and after.

wrk cannot tell which connections were answered (a connection that never gets a response just
never sends again, and is counted nowhere), so a second pass opens the same numbers of
keep-alive connections itself for --fairness-seconds, each asking for searches back to back,
and reports how many connections got at least one answer, and the fewest and median answers
per connection.

Usage: bench/load.py [--duration 30] [--connections 16,64,256] [--baseline-rev REV]
                     [--db INDEX] [--build build]
Without --db the bundled corpus is indexed into a temporary folder first.
"""
import argparse
import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rss_kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class Daemon:
    def __init__(self, binary, db, label):
        self.label = label
        self.process = subprocess.Popen(
            [binary, "--db", db, "--port", "0"], stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True)
        for line in self.process.stdout:
            found = re.search(r"on (http://127\.0\.0\.1:\d+)/", line)
            if found:
                self.url = found.group(1)
                break
        else:
            raise SystemExit(f"load: {binary} did not start")
        time.sleep(0.5)
        self.rss_before = rss_kib(self.process.pid)

    def stop(self):
        self.rss_after = rss_kib(self.process.pid)
        self.rss_peak = rss_kib(self.process.pid, "VmHWM")
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def run_wrk(url, connections, duration, close):
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections),
               "-d", f"{duration}s", "--timeout", "2s", "-s",
               os.path.join(REPO, "bench", "load_mix.lua")]
    if close:
        command += ["-H", "Connection: close"]
    command += [url, "--", os.path.join(REPO, "bench", "queries.txt")]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(l for l in output.splitlines() if l.startswith("BENCH "))
    return {k: float(v) for k, v in (pair.split("=") for pair in line.split()[1:])}


async def one_client(host, port, targets, offset, stop_at, counts, index):
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        return
    position = offset
    try:
        while asyncio.get_running_loop().time() < stop_at:
            target = targets[position % len(targets)]
            position += 1
            writer.write(f"GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            await writer.drain()
            remaining = stop_at - asyncio.get_running_loop().time()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), max(remaining, 0.01))
            length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
            await asyncio.wait_for(reader.readexactly(length), max(remaining, 0.01))
            if head.startswith(b"HTTP/1.1 2"):
                counts[index] += 1
            if b"Connection: Close" in head:
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError, AttributeError):
        pass
    finally:
        writer.close()


def served_connections(url, connections, seconds):
    """Keep-alive clients asking for searches back to back: answers per connection."""
    host, port = url.removeprefix("http://").split(":")
    queries = [line.strip() for line in open(os.path.join(REPO, "bench", "queries.txt"))
               if line.strip() and not line.startswith("#")]
    targets = ["/api/search?" + urllib.parse.quote(q, safe="=&") for q in queries]

    async def run():
        counts = [0] * connections
        stop_at = asyncio.get_running_loop().time() + seconds
        await asyncio.gather(*(one_client(host, int(port), targets, i * 7, stop_at, counts, i)
                               for i in range(connections)))
        return counts

    counts = sorted(asyncio.run(run()))
    return {"served": sum(1 for c in counts if c > 0), "fewest": counts[0],
            "median": counts[len(counts) // 2], "answers": sum(counts)}


def build_baseline(revision, work):
    tree = os.path.join(work, "baseline-src")
    subprocess.run(["git", "-C", REPO, "worktree", "add", "--detach", tree, revision],
                   check=True, capture_output=True)
    build = os.path.join(work, "baseline-build")
    subprocess.run(["cmake", "-S", tree, "-B", build, "-DCMAKE_BUILD_TYPE=Release"],
                   check=True, capture_output=True)
    subprocess.run(["cmake", "--build", build, "-j", str(os.cpu_count()), "--target",
                    "lupa-searchd"], check=True, capture_output=True)
    return tree, os.path.join(build, "bin", "lupa-searchd")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", default="16,64,256")
    parser.add_argument("--baseline-rev", help="git revision to measure side by side")
    parser.add_argument("--db", help="index to serve (default: the bundled corpus, indexed now)")
    parser.add_argument("--build", default=os.path.join(REPO, "build"))
    parser.add_argument("--fairness-seconds", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("load: wrk is missing (apt-get install wrk)")
    work = tempfile.mkdtemp(prefix="lupa-load-")
    baseline_tree = None
    daemons = []
    try:
        db = args.db
        if not db:
            db = os.path.join(work, "index")
            subprocess.run([os.path.join(args.build, "bin", "lupa-indexer"), "--quiet", "--db", db,
                            os.path.join(REPO, "corpus")], check=True,
                           stdout=subprocess.DEVNULL)
        binaries = [("this build", os.path.join(args.build, "bin", "lupa-searchd"))]
        if args.baseline_rev:
            baseline_tree, baseline = build_baseline(args.baseline_rev, work)
            binaries.append((args.baseline_rev, baseline))
        daemons = [Daemon(binary, db, label) for label, binary in binaries]
        rows = []
        for close in (False, True):
            for connections in [int(c) for c in args.connections.split(",")]:
                for daemon in daemons:  # side by side, cell by cell
                    result = run_wrk(daemon.url, connections, args.duration, close)
                    rows.append((daemon.label, "close" if close else "keep-alive", connections,
                                 result))
                    print(f"{daemon.label:>12} {rows[-1][1]:>10} c={connections:<4} "
                          f"{result['rps']:8.1f} req/s  p50 {result['p50_us'] / 1000:7.1f} ms  "
                          f"p99 {result['p99_us'] / 1000:7.1f} ms  timeouts "
                          f"{result['errors_timeout']:.0f}  non-2xx {result['errors_status']:.0f}",
                          file=sys.stderr)
        fairness = []
        for connections in [int(c) for c in args.connections.split(",")]:
            for daemon in daemons:
                result = served_connections(daemon.url, connections, args.fairness_seconds)
                fairness.append((daemon.label, connections, result))
                print(f"{daemon.label:>12} fairness  c={connections:<4} served {result['served']}"
                      f"/{connections}, fewest {result['fewest']}, median {result['median']}",
                      file=sys.stderr)
        for daemon in daemons:
            daemon.stop()
        print("| daemon | connections | mode | req/s | p50 ms | p99 ms | socket errors "
              "| timeouts (>2 s) | non-2xx |")
        print("|---|---|---|---|---|---|---|---|---|")
        for label, mode, connections, r in rows:
            socket_errors = r["errors_connect"] + r["errors_read"] + r["errors_write"]
            print(f"| {label} | {connections} | {mode} | {r['rps']:.0f} | {r['p50_us'] / 1000:.1f} "
                  f"| {r['p99_us'] / 1000:.1f} | {socket_errors:.0f} | {r['errors_timeout']:.0f} "
                  f"| {r['errors_status']:.0f} |")
        print()
        print(f"Keep-alive connections asking back to back for {args.fairness_seconds} s:")
        print()
        print("| daemon | connections | connections answered | fewest answers | median answers |")
        print("|---|---|---|---|---|")
        for label, connections, r in fairness:
            print(f"| {label} | {connections} | {r['served']} | {r['fewest']} | {r['median']} |")
        print()
        for daemon in daemons:
            print(f"RSS of {daemon.label}: {daemon.rss_before / 1024:.1f} MiB before, "
                  f"{daemon.rss_after / 1024:.1f} MiB after, peak {daemon.rss_peak / 1024:.1f} MiB")
    finally:
        for daemon in daemons:
            if daemon.process.poll() is None:
                daemon.process.kill()
        if baseline_tree:
            subprocess.run(["git", "-C", REPO, "worktree", "remove", "--force", baseline_tree],
                           capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
