#!/usr/bin/env python3
"""Whether two running lupa-searchd answer the same over the same index: every field of
/api/search and /api/facets answers compared, `took_ms` aside. Queries cover words in both
languages, misspellings (corrected and relaxed), phrases, exclusions, field syntax, questions
about bodies, browsing with and without filters, sorts, date ranges, pages and facets=false;
each is asked twice of each daemon, so that an answer kept from the first (per-revision
caches) is compared too.

Usage: bench/compare_answers.py [--ignore KEY ...] http://127.0.0.1:PORT_A http://127.0.0.1:PORT_B
`--ignore indexed_at` compares two daemons over two indexes of one corpus, written at different
times by two builds: that key is then dropped wherever it appears.
`--score-tolerance 1e-12` lets each hit's `score` differ by that much relative to the larger:
for a change that has Xapian add the same term weights in another order (the last bits move,
the order and counts must not).
Exits 1 and prints the first differences when any answer differs. Only loopback URLs.
"""
from __future__ import annotations

import argparse
import json
import sys
import urllib.parse
import urllib.request

QUERIES = ["transparencia", "transparencia presupuestaria", "datos abiertos", "rendición de cuentas",
           "participación ciudadana", "corrupción", "contrataciones abiertas", "beneficiarios finales",
           "open data", "accountability", "access to information", "budget transparency",
           "beneficial ownership", "public procurement", "civil society organisations",
           "Ministry of Finance", "corrupcion", "rendicion de cuentas", "gobierno abierto",
           "commitment", "transparancy", "corupcion presupuesto", "\"datos abiertos\"",
           "transparencia -presupuesto", "country:mx transparencia", "transparen*",
           "qué se comprometió la SFP", "compromisos del INAI", "xyzzy plugh", "the",
           "Secretaría de la Función Pública", "industrias extractivas"]
EXTRAS = ["", "&facets=false", "&lang=es", "&lang=es&type=action-plan", "&sort=newest",
          "&page=2", "&from=2018-01-01&to=2021-12-31"]
BROWSES = ["", "&lang=en", "&lang=es&lang=en", "&type=action-plan", "&country=mx", "&sort=oldest",
           "&page=3&per_page=20", "&facets=false", "&from=2019-01-01", "&lang=es&type=action-plan"]


def without(answer, keys: set[str]):
    if isinstance(answer, dict):
        return {key: without(value, keys) for key, value in answer.items() if key not in keys}
    if isinstance(answer, list):
        return [without(value, keys) for value in answer]
    return answer


def same(a, b, tolerance: float) -> bool:
    """Whether two answers are equal, a `score` within `tolerance` of the other, relatively."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return False
        for key in a:
            x, y = a[key], b[key]
            if key == "score" and isinstance(x, (int, float)) and isinstance(y, (int, float)):
                if abs(x - y) > tolerance * max(abs(x), abs(y)):
                    return False
            elif not same(a[key], b[key], tolerance):
                return False
        return True
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y, tolerance) for x, y in zip(a, b))
    return a == b


def get(base: str, path: str, ignored: set[str]):
    try:
        with urllib.request.urlopen(base + path, timeout=120) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    try:
        answer = json.loads(body)
    except ValueError:
        return status, body.decode("utf-8", "replace")
    return status, without(answer, {"took_ms"} | ignored)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--ignore", action="append", default=[], metavar="KEY",
                        help="a key dropped from every answer, wherever it is (repeatable)")
    parser.add_argument("--score-tolerance", type=float, default=0.0, metavar="RELATIVE",
                        help="how far a hit's score may differ, relative to the larger (default 0)")
    args = parser.parse_args()
    for url in (args.old, args.new):
        if urllib.parse.urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            sys.exit(f"compare_answers: refusing non-loopback URL {url}")
    paths = ["/api/facets"]
    paths += ["/api/search?q=" + urllib.parse.quote(q) + extra for q in QUERIES for extra in EXTRAS]
    paths += ["/api/search?q=" + extra for extra in BROWSES]
    differing = []
    for path in paths:
        answers = [get(base, path, set(args.ignore)) for base in (args.old, args.old, args.new, args.new)]
        if any(not same(answer, answers[0], args.score_tolerance) for answer in answers[1:]):
            differing.append(path)
            if len(differing) <= 5:
                print(f"differs: {path}")
                for name, answer in zip(("old", "old again", "new", "new again"), answers):
                    print(f"  {name}: {json.dumps(answer, ensure_ascii=False)[:400]}")
    print(f"{len(paths) - len(differing)}/{len(paths)} answers equal")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
