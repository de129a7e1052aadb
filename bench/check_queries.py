#!/usr/bin/env python3
"""Sends each query of bench/queries.txt to a running lupa-searchd, one at a time, and
prints its HTTP status, total hits, and the server's own `took_ms` (median of --repeat),
so that a slow query in the wrk figures can be traced to its line. Exits 1 when a query
is not answered 200, so the benchmark never measures error pages.

Usage: bench/check_queries.py http://127.0.0.1:PORT [bench/queries.txt] [--repeat 5]
Only loopback URLs are accepted.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

SAFE = "-._~=&"  # the same bytes bench/rotate.lua leaves unencoded (plus letters and digits)


def read_queries(path: str) -> list[str]:
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\r\n") for line in f]
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("queries", nargs="?", default="bench/queries.txt")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    host = urllib.parse.urlsplit(args.url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"check_queries: refusing non-loopback URL {args.url}")

    failures = 0
    took_all = []
    print(f"{'status':>6} {'total':>8} {'took_ms':>8} {'client_ms':>9}  query")
    for query in read_queries(args.queries):
        url = args.url.rstrip("/") + "/api/search?" + urllib.parse.quote(query, safe=SAFE)
        took, client, total, status = [], [], "-", 0
        for _ in range(max(1, args.repeat)):
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    status = response.status
                    body = json.loads(response.read())
            except urllib.error.HTTPError as error:
                status, body = error.code, {}
            client.append((time.perf_counter() - started) * 1000)
            if status != 200:
                break
            took.append(body["took_ms"])
            total = body["total"]
        if status != 200:
            failures += 1
        took_median = statistics.median(took) if took else float("nan")
        took_all += took
        print(f"{status:>6} {total:>8} {took_median:>8.2f} {statistics.median(client):>9.2f}  {query}")
    if took_all:
        print(f"server took_ms over all queries: median {statistics.median(took_all):.2f}, "
              f"max {max(took_all):.2f}")
    if failures:
        sys.exit(f"check_queries: {failures} queries were not answered 200")


if __name__ == "__main__":
    main()
