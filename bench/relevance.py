#!/usr/bin/env python3
"""Relevance benchmark: Lupa's ranking beside a plain baseline on the judged queries.

Indexes the bundled corpus's text documents (corpus/*.txt and its manifest; the scans in
corpus/scans copy corpus text and are not judged) and the other members' fixtures
(tests/data/ogp-world, without its truth.json) into scratch folders named `corpus` and
`ogp-world`, so passage ids match tests/relevance/judgments.tsv, then runs every judged query
against two daemons: Lupa's ranking, and `--baseline-ranking` (Spanish stemmer alone, no glossary, no
spelling, no language preference, no collapsing of translations). Reports nDCG@10, P@5 and
Recall@20 per kind of query and over all queries (each query weighs the same).

A hit stands for itself and its translation (`translation_id`): judged passages are grouped
with their translations, a group's grade is its best passage's, and a group found twice
counts once. So collapsing the two versions of a paragraph into one hit is neither rewarded
nor punished. Gain 2^grade - 1, discount log2(rank + 1).

Usage: bench/relevance.py [--build DIR] [--workdir DIR] [--bm25 K1,B ...]
  --bm25 K1,B   also run Lupa's ranking with these BM25 parameters (repeatable), for tuning
Writes nothing inside the repository.
"""
import argparse
import collections
import json
import math
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

REPO = pathlib.Path(__file__).resolve().parent.parent
JUDGMENTS = REPO / "tests" / "relevance" / "judgments.tsv"
FIXTURES = REPO / "tests" / "data" / "ogp-world"
KINDS = ["es", "en", "cross", "agency", "agency-question", "question", "world", "id", "accentless",
         "misspelled"]


def read_judgments():
    queries = []
    for line in JUDGMENTS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, query, judged = line.split("\t")
        grades = {}
        for item in judged.split():
            passage, grade = item.rsplit(":", 1)
            grades[passage] = int(grade)
        queries.append((kind, query, grades))
    return queries


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    def __init__(self, binary, database, extra):
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(binary), "--db", str(database), "--port", str(self.port), *extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                self.get("/healthz")
                return
            except OSError:
                time.sleep(0.05)
        sys.exit("relevance: the daemon did not start")

    def get(self, path):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}") as answer:
            return json.load(answer)

    def search(self, query, per_page=20):
        q = urllib.parse.quote(query)
        return self.get(f"/api/search?q={q}&per_page={per_page}&facets=false")

    def stop(self):
        self.process.terminate()
        self.process.wait()


def group_of(passage, translations):
    other = translations.get(passage)
    return tuple(sorted([passage, other])) if other else (passage,)


def metrics(hits, grades, translations):
    group_grade = collections.defaultdict(int)
    for passage, grade in grades.items():
        group = group_of(passage, translations)
        group_grade[group] = max(group_grade[group], grade)
    seen, ranked = set(), []
    for hit in hits:
        group = group_of(hit["id"], translations)
        ranked.append(0 if group in seen else group_grade.get(group, 0))
        seen.add(group)
    dcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ranked[:10]))
    ideal = sorted(group_grade.values(), reverse=True)[:10]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    relevant = [g for g, grade in group_grade.items() if grade > 0]
    found = {group_of(h["id"], translations) for h in hits[:20]}
    return {"ndcg10": dcg / idcg if idcg else 0.0,
            "p5": sum(1 for g in ranked[:5] if g > 0) / 5,
            "r20": sum(1 for g in relevant if g in found) / len(relevant) if relevant else 0.0}


def evaluate(daemon, queries, translations):
    per_kind = collections.defaultdict(list)
    for kind, query, grades in queries:
        per_kind[kind].append(metrics(daemon.search(query)["hits"], grades, translations))
    return summarize(per_kind)


def summarize(per_kind):
    """Mean metrics per kind and over all queries, from each query's metrics by kind."""
    summary = {}
    for kind in KINDS + ["all"]:
        rows = [m for k in KINDS for m in per_kind[k]] if kind == "all" else per_kind[kind]
        if rows:
            summary[kind] = {m: sum(r[m] for r in rows) / len(rows) for m in ("ndcg10", "p5", "r20")}
            summary[kind]["queries"] = len(rows)
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.environ.get("LUPA_BUILD", REPO / "build"))
    parser.add_argument("--workdir")
    parser.add_argument("--bm25", action="append", default=[])
    args = parser.parse_args()
    bin_dir = pathlib.Path(args.build) / "bin"
    work = pathlib.Path(args.workdir or tempfile.mkdtemp(prefix="lupa-relevance."))
    corpus = work / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir(parents=True)
    for source in list(REPO.glob("corpus/*.txt")) + [REPO / "corpus" / "manifest.json"]:
        shutil.copy(source, corpus / source.name)
    # The fixtures are indexed as recognition sees them: documents only, no manifest, no truth.
    world = work / "ogp-world"
    shutil.rmtree(world, ignore_errors=True)
    world.mkdir()
    for source in FIXTURES.iterdir():
        if source.is_file() and source.name != "truth.json":
            shutil.copy(source, world / source.name)
    database = work / "index"
    shutil.rmtree(database, ignore_errors=True)
    subprocess.run([str(bin_dir / "lupa-indexer"), "--quiet", "--db", str(database), str(corpus),
                    str(world)], check=True, stdout=subprocess.DEVNULL)

    queries = read_judgments()
    configurations = [("lupa", []), ("baseline", ["--baseline-ranking"])]
    for pair in args.bm25:
        k1, b = pair.split(",")
        configurations.append((f"lupa k1={k1} b={b}", ["--bm25-k1", k1, "--bm25-b", b]))
    results = {}
    translations = {}
    for name, extra in configurations:
        daemon = Daemon(bin_dir / "lupa-searchd", database, extra)
        try:
            if not translations:
                for _, _, grades in queries:
                    for passage in grades:
                        stored = daemon.get("/api/passages/" + urllib.parse.quote(passage))
                        if stored.get("translation_id"):
                            translations[passage] = stored["translation_id"]
                            translations[stored["translation_id"]] = passage
            results[name] = evaluate(daemon, queries, translations)
        finally:
            daemon.stop()

    print(f"# Relevance: {len(queries)} judged queries, tests/relevance/judgments.tsv")
    print()
    header = "| kind | queries | " + " | ".join(f"{name} nDCG@10 | P@5 | R@20" for name, _ in configurations) + " |"
    print(header)
    print("|" + "---|" * (2 + 3 * len(configurations)))
    for kind in KINDS + ["all"]:
        cells = [kind, str(results["lupa"][kind]["queries"])]
        for name, _ in configurations:
            r = results[name][kind]
            cells += [f"{r['ndcg10']:.3f}", f"{r['p5']:.3f}", f"{r['r20']:.3f}"]
        print("| " + " | ".join(cells) + " |")
    (work / "relevance.json").write_text(json.dumps(results, indent=2))
    print(f"\nresults: {work / 'relevance.json'}")


if __name__ == "__main__":
    main()
