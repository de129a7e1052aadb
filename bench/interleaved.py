#!/usr/bin/python3
"""Two daemons' latency, request by request: each query sent to one daemon then the other over
two keep-alive connections (which goes first alternates by round), per-query medians, and the
ratio of the second's to the first's per query (median and range). Unlike runs one after the
other, the machine's drift between runs does not move the ratio. Every answer must be 200.

Usage: python3 bench/interleaved.py [--rounds 30] [--queries FILE] PORT_A PORT_B
FILE holds one query string per line, as bench/queries.txt (default: compare_engines.py's 20
queries with every facet and a page of ten).
"""
import argparse
import http.client
import os
import statistics
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_engines import QUERIES  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--queries", help="a file of query strings (q=...&...), one a line")
    parser.add_argument("port_a", type=int)
    parser.add_argument("port_b", type=int)
    args = parser.parse_args()
    if args.queries:
        with open(args.queries, encoding="utf-8") as lines:
            queries = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    else:
        queries = ["q=" + urllib.parse.quote_plus(q) + "&per_page=10" for q in QUERIES]
    ports = (args.port_a, args.port_b)
    connections = {port: http.client.HTTPConnection("127.0.0.1", port, timeout=60) for port in ports}

    def seconds(port: int, query: str) -> float:
        connection = connections[port]
        started = time.perf_counter()
        connection.request("GET", "/api/search?" + urllib.parse.quote(query, safe="=&%+"))
        response = connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            sys.exit(f"interleaved: {port} answered {response.status} to {query!r}: {body[:200]!r}")
        return elapsed

    for query in queries:  # warm-up: page cache, each daemon's tables
        for port in ports:
            seconds(port, query)
    samples = {port: {query: [] for query in queries} for port in ports}
    for round_number in range(args.rounds):
        for query in queries:
            for port in ports if round_number % 2 == 0 else reversed(ports):
                samples[port][query].append(seconds(port, query) * 1000)
    medians = {port: [statistics.median(samples[port][q]) for q in queries] for port in ports}
    for port in ports:
        print(f"{port}: median of per-query medians {statistics.median(medians[port]):.2f} ms "
              f"(range {min(medians[port]):.2f}-{max(medians[port]):.2f})")
    ratios = [b / a for a, b in zip(medians[args.port_a], medians[args.port_b])]
    print(f"{args.port_b}/{args.port_a} per query: median {statistics.median(ratios):.3f} "
          f"(range {min(ratios):.3f}-{max(ratios):.3f}); {len(queries)} queries x {args.rounds} rounds; "
          f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
