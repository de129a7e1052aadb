#!/usr/bin/env python3
"""Would a general machine translation of the query help cross-language search? A prototype.

Debian's Apertium (apertium-en-es) translates each judged query of tests/relevance/judgments.tsv
into the other language; the daemon is then asked `( query ) OR ( translation )`, which keeps
the glossary's widening of the query as typed and adds the translation's words. Two designs:
every query translated, and only queries the glossary widened nowhere (empty `expanded`).
nDCG@10, P@5 and Recall@20 per kind are printed beside the same daemon given the query alone
(metrics and grouping of translations as bench/relevance.py), then the queries that changed.

It also measures the latency Apertium would add to a query in the daemon: the mode's chain of
programs (/usr/share/apertium/modes/*.mode) started once with --null-flush (-z), each query
written as one NUL-terminated chunk and read back; the first round warms the pipeline and is
not counted.

Usage: bench/apertium_crosslang.py [--build DIR] [--workdir DIR] [--rounds N]
Needs Python 3, the built lupa-indexer and lupa-searchd, apertium-en-es.
Writes nothing inside the repository.
"""
import argparse
import collections
import importlib.util
import os
import pathlib
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

REPO = pathlib.Path(__file__).resolve().parent.parent
MODES = pathlib.Path("/usr/share/apertium/modes")

spec = importlib.util.spec_from_file_location("relevance", REPO / "bench" / "relevance.py")
relevance = importlib.util.module_from_spec(spec)
spec.loader.exec_module(relevance)


class ApertiumPipeline:
    """One language pair's chain of Apertium programs, started once, fed NUL-separated chunks."""

    # Apertium's stream format reserves these; plain text escapes them with a backslash.
    RESERVED = re.compile(r"([\\^$@/<>\[\]{}])")

    def __init__(self, mode):
        text = (MODES / f"{mode}.mode").read_text().strip()
        # $1: the generator's option (-n: unknown words without the * mark); $2: the tagger's.
        text = text.replace("$1", "-n").replace("$2", "")
        self.processes = []
        upstream = subprocess.PIPE
        for command in text.split(" | "):
            argv = shlex.split(command)
            argv.insert(1, "-z")
            process = subprocess.Popen(argv, stdin=upstream, stdout=subprocess.PIPE,
                                       stderr=subprocess.DEVNULL)
            if self.processes:
                self.processes[-1].stdout.close()  # owned by the next process now
            upstream = process.stdout
            self.processes.append(process)
        self.stdin = self.processes[0].stdin
        self.stdout = self.processes[-1].stdout

    def translate(self, text):
        # The bilingual lookup flushes a chunk only once a blank follows its last word.
        self.stdin.write(self.RESERVED.sub(r"\\\1", text).encode() + b"\n\0")
        self.stdin.flush()
        out = bytearray()
        while True:
            byte = self.stdout.read(1)
            if not byte or byte == b"\0":
                break
            out += byte
        return re.sub(r"\\(.)", r"\1", out.decode()).strip()

    def close(self):
        self.stdin.close()
        for process in self.processes:
            process.wait()


def query_language(query):
    spanish = set("de la el los las del en y para que por con una un se al sobre".split())
    english = set("the of and to in for on with by from what how which".split())
    words = re.findall(r"\w+", query.lower())
    if re.search(r"[ñáéíóú¿¡]", query.lower()):
        return "es"
    es, en = sum(w in spanish for w in words), sum(w in english for w in words)
    if es != en:
        return "es" if es > en else "en"
    return None


def evaluate(daemon, queries, translations, rewrite, per_query):
    per_kind = collections.defaultdict(list)
    for kind, query, grades in queries:
        hits = daemon.search(rewrite(query))["hits"]
        per_kind[kind].append(relevance.metrics(hits, grades, translations))
        per_query[kind, query] = per_kind[kind][-1]["ndcg10"]
    return relevance.summarize(per_kind)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.environ.get("LUPA_BUILD", REPO / "build"))
    parser.add_argument("--workdir")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not (MODES / "spa-eng.mode").exists():
        sys.exit("apertium_crosslang: apertium-en-es is not installed")
    bin_dir = pathlib.Path(args.build) / "bin"
    work = pathlib.Path(args.workdir or tempfile.mkdtemp(prefix="lupa-apertium."))
    corpus = work / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    corpus.mkdir(parents=True)
    for source in list(REPO.glob("corpus/*.txt")) + [REPO / "corpus" / "manifest.json"]:
        shutil.copy(source, corpus / source.name)
    database = work / "index"
    shutil.rmtree(database, ignore_errors=True)
    subprocess.run([str(bin_dir / "lupa-indexer"), "--quiet", "--db", str(database), str(corpus)],
                   check=True, stdout=subprocess.DEVNULL)

    queries = relevance.read_judgments()
    pipelines = {"es": ApertiumPipeline("spa-eng"), "en": ApertiumPipeline("eng-spa")}
    both = {"es": "en", "en": "es"}

    # Latency on warm pipelines: every query, both directions when its language is unknown.
    latencies = []
    translated = {}
    for round_number in range(args.rounds + 1):
        for _, query, _ in queries:
            languages = [query_language(query)] if query_language(query) else ["es", "en"]
            outputs = []
            for language in languages:
                start = time.perf_counter()
                outputs.append(pipelines[language].translate(query))
                if round_number > 0:
                    latencies.append((time.perf_counter() - start) * 1000)
            translated[query] = outputs
    for pipeline in pipelines.values():
        pipeline.close()

    def with_translation(query):
        extra = [t for t in translated[query] if t.lower() != query.lower()]
        if not extra:
            return query
        return "( " + query + " ) OR ( " + " ".join(extra) + " )"

    daemon = relevance.Daemon(bin_dir / "lupa-searchd", database, [])
    try:
        translations = {}
        for _, _, grades in queries:
            for passage in grades:
                stored = daemon.get("/api/passages/" + urllib.parse.quote(passage))
                if stored.get("translation_id"):
                    translations[passage] = stored["translation_id"]
                    translations[stored["translation_id"]] = passage
        # The design the daemon would have: translate only a query the glossary widened nowhere.
        unwidened = {q for _, q, _ in queries if not daemon.search(q).get("expanded")}
        per_query = collections.defaultdict(dict)
        results = {
            "lupa": evaluate(daemon, queries, translations, lambda q: q, per_query["lupa"]),
            "+ apertium, every query": evaluate(daemon, queries, translations, with_translation,
                                                per_query["every"]),
            "+ apertium, no glossary match": evaluate(
                daemon, queries, translations,
                lambda q: with_translation(q) if q in unwidened else q, per_query["unwidened"]),
        }
    finally:
        daemon.stop()

    print(f"# Apertium prototype: {len(queries)} judged queries")
    print()
    print("| kind | queries | " + " | ".join(f"{n} nDCG@10 | P@5 | R@20" for n in results) + " |")
    print("|" + "---|" * (2 + 3 * len(results)))
    for kind in relevance.KINDS + ["all"]:
        cells = [kind, str(results["lupa"][kind]["queries"])]
        for name in results:
            r = results[name][kind]
            cells += [f"{r['ndcg10']:.3f}", f"{r['p5']:.3f}", f"{r['r20']:.3f}"]
        print("| " + " | ".join(cells) + " |")
    latencies.sort()
    print()
    print(f"apertium latency per translation, warm pipeline, {len(latencies)} translations: "
          f"p50 {statistics.median(latencies):.2f} ms, "
          f"p90 {latencies[int(0.9 * (len(latencies) - 1))]:.2f} ms, "
          f"max {latencies[-1]:.2f} ms")
    print()
    print(f"queries the glossary widened nowhere: {len(unwidened)} of {len(queries)}")
    print()
    print("queries whose nDCG@10 changes (lupa / every query / no glossary match), translation:")
    for kind, query, _ in queries:
        scores = [per_query[name][kind, query] for name in ("lupa", "every", "unwidened")]
        if max(scores) - min(scores) > 1e-9:
            print(f"  {kind}\t{query}\t" + " / ".join(f"{x:.3f}" for x in scores) +
                  f"\t{' / '.join(translated[query])}")


if __name__ == "__main__":
    main()
