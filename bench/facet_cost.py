#!/usr/bin/env python3
"""What exact and disjunctive facet counting cost, read from the daemon's own `took_ms`.

For each base query (a word list covering rare and common words, and browsing), four
variants, each sent --repeat times to a running lupa-searchd, median taken:
  none       facets=false: hits and exact total only
  exact      every counted facet counted over all matches (one pass)
  filtered   two facet filters (lang, type), facets=false
  disjunct   the same two filters with counts: one pass for the unfiltered facets plus one
             pass per filtered facet without its own filter
The cost of counting is exact - none; the cost of disjunctive counting is disjunct - filtered.

Usage: bench/facet_cost.py http://127.0.0.1:PORT [--repeat 7] [--results FILE --name NAME]
Only loopback URLs are accepted.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import urllib.parse
import urllib.request

BASE_QUERIES = ["", "transparencia", "public integrity", "gobierno", "datos abiertos",
                "rendicion de cuentas", "commitment", "presupuesto", "participación ciudadana",
                "information"]
FILTERS = "&lang=es&lang=en&type=action-plan&type=other-report&type=self-assessment"
VARIANTS = {
    "none": "&facets=false",
    "exact": "",
    "filtered": FILTERS + "&facets=false",
    "disjunct": FILTERS,
}


def took(url: str, repeat: int) -> tuple[float, int]:
    samples, total = [], 0
    for _ in range(repeat):
        with urllib.request.urlopen(url, timeout=60) as response:
            body = json.loads(response.read())
        samples.append(body["took_ms"])
        total = body["total"]
    return statistics.median(samples), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--results")
    parser.add_argument("--name", default="corpus")
    args = parser.parse_args()
    if urllib.parse.urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"facet_cost: refusing non-loopback URL {args.url}")

    per_variant: dict[str, list[float]] = {name: [] for name in VARIANTS}
    print(f"{'query':<26} {'matches':>8} " + " ".join(f"{name:>9}" for name in VARIANTS) + "   (server ms)")
    for query in BASE_QUERIES:
        row, matches = [], 0
        for name, extra in VARIANTS.items():
            url = f"{args.url.rstrip('/')}/api/search?q={urllib.parse.quote(query)}{extra}"
            median, total = took(url, args.repeat)
            if name == "none":
                matches = total
            per_variant[name].append(median)
            row.append(median)
        print(f"{(query or '(browse)'):<26} {matches:>8} " + " ".join(f"{value:>9.2f}" for value in row))
    medians = {name: statistics.median(values) for name, values in per_variant.items()}
    print("median over queries: " + ", ".join(f"{name} {value:.2f} ms" for name, value in medians.items()))
    print(f"exact counting adds {medians['exact'] - medians['none']:.2f} ms; "
          f"disjunctive counting with two filters adds {medians['disjunct'] - medians['filtered']:.2f} ms")
    if args.results:
        with open(args.results, "a", encoding="utf-8") as out:
            for name, value in medians.items():
                out.write(f"facets\t{args.name}\t{name}_ms\t{value:.3f}\n")


if __name__ == "__main__":
    main()
