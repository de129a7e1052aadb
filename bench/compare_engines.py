#!/usr/bin/python3
"""Lupa against named anchors in one run: indexing from nothing, and query time.

Indexing: RUNS rounds, each running in turn (interleaved, so a busy moment of the machine
hits every engine alike), each into a fresh, empty database:
  lupa         lupa-indexer --quiet --db DB CORPUS            (two stemmers: Spanish, English)
  omindex      omindex --db DB --url / --stemmer=spanish --mime-type=md:text/plain CORPUS
               (Xapian's Omega; one stemmer; .md read as text, as Lupa and Recoll read it)
  recollindex  recollindex -c CONFDIR -z, with recoll.conf `topdirs = CORPUS` and
               `indexstemminglanguages = spanish english` (two stemmers), recoll's defaults
               otherwise
Per engine: wall seconds, MB/s (bytes of the corpus' .txt/.md/.html files / wall seconds),
peak RSS (GNU time -v) and database size; per anchor, Lupa's speed over the anchor's speed
(anchor seconds / Lupa seconds of the same round): median and range over the rounds.

Queries: lupa-searchd over the Lupa database of the last round; QUERIES plain bilingual
queries, each sent REPEAT times over one keep-alive HTTP connection (client-side wall time
from sending the request to having read the whole answer), as
  facets       /api/search?q=...              (every counted facet counted, snippets made)
  no facets    /api/search?q=...&facets=false
  browse       /api/search?q=                 (empty query: every passage, every facet counted)
and the raw engine in this process (python3-xapian) on the same database:
  raw          the query parsed as Lupa's index is built (see parse_raw), get_mset(0, 10)
               with checkatleast = doccount (exact match count), no match spy
  raw + spy    the same with a ValueCountMatchSpy on slot 3 (kSlotLanguage): the exact
               counts of one facet, `lang`. (Slot 2 packs every counted facet of a passage
               in one value, so no other facet has a slot of its own.)
Rounds are interleaved too (every query and mode once per round). Reported: the median over
queries of each query's median, and the 99th percentile of every request of the mode.
The counts are checked: `total` is the same with and without facets, every counted facet
of /api/facets is in each answer, and the counts of the single-valued `type` facet add up to
`total`.

Targets (checked at the end, MET/MISS): Lupa indexes at least 1.5x as fast as omindex and
1.1x as fast as recollindex; the query with facets takes at most 2x the raw engine with
exact counts of one facet; browse at most 5 ms.

Needs (installs nothing; an anchor that is missing is skipped and said so):
  python3-xapian (run with /usr/bin/python3), xapian-omega (omindex), recoll (recollindex),
  time (/usr/bin/time, for peak RSS).

Usage:
  /usr/bin/python3 bench/compare_engines.py [--build DIR] [--corpus DIR | --workdir DIR]
      [--runs 3] [--repeat 30] [--skip omindex,recollindex,raw] [--json OUT]
Without --corpus it generates the corpus (bench/generate_corpus.py --size-mb 37.5 --min-kb 7
--max-kb 21: 2,035 files, 37.5 MB) in WORKDIR/corpus, reused when it is already there.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale_common as common  # noqa: E402

# Plain queries whose words the generated corpus uses (bench/generate_corpus.py's sentence
# templates and names; a subset of bench/queries.txt): Spanish, English, without accents,
# phrases, an acronym.
QUERIES = [
    "transparencia",
    "transparencia presupuestaria",
    "datos abiertos",
    "rendición de cuentas",
    "participación ciudadana",
    "corrupción",
    "contrataciones abiertas",
    "beneficiarios finales",
    "industrias extractivas",
    "acceso a la información",
    "open data",
    "accountability",
    "access to information",
    "budget transparency",
    "beneficial ownership",
    "public procurement",
    "civil society organisations",
    "rendicion de cuentas",
    '"gobierno abierto"',
    "SHCP",
]
SINGLE_VALUED_FACET = "type"
LANG_SLOT = 3  # schema::kSlotLanguage
ANCHORS = ("omindex", "recollindex")


# ------------------------------------------------------------------------------------------
# Indexing

def index_lupa(build: str, workdir: str, corpus: str, timeout: float) -> dict:
    database = os.path.join(workdir, "lupa-db")
    shutil.rmtree(database, ignore_errors=True)
    r = common.run_timed([common.find_binary(build, "lupa-indexer"), "--quiet", "--db", database, corpus],
                         timeout)
    summary = common.lupa_summary(r["stdout"])
    if r["exit"] not in (0, 1) or not summary:
        sys.exit(f"compare_engines: lupa-indexer failed (exit {r['exit']}):\n{r['stdout']}{r['stderr']}")
    r["db_bytes"] = common.folder_bytes(database)
    r["documents"] = summary["passages"]
    r["unit"] = "passages"
    return r


def index_omindex(workdir: str, corpus: str, timeout: float) -> dict:
    database = os.path.join(workdir, "omindex-db")
    shutil.rmtree(database, ignore_errors=True)
    # .md is not among omindex's known extensions (libmagic then skips it): read it as text.
    r = common.run_timed(["omindex", "--db", database, "--url", "/", "--stemmer=spanish",
                          "--mime-type=md:text/plain", corpus], timeout)
    if r["exit"] != 0:
        sys.exit(f"compare_engines: omindex failed (exit {r['exit']}):\n{r['stderr'][-2000:]}")
    r["db_bytes"] = common.folder_bytes(database)
    r["documents"] = xapian_doccount(database)
    r["unit"] = "documents"
    return r


def index_recoll(workdir: str, corpus: str, timeout: float) -> dict:
    confdir = os.path.join(workdir, "recoll-conf")
    shutil.rmtree(confdir, ignore_errors=True)
    os.makedirs(confdir)
    with open(os.path.join(confdir, "recoll.conf"), "w", encoding="utf-8") as conf:
        conf.write(f"topdirs = {os.path.abspath(corpus)}\nindexstemminglanguages = spanish english\n")
    env = dict(os.environ, HOME=workdir, RECOLL_CONFDIR=confdir)
    r = common.run_timed(["recollindex", "-c", confdir, "-z"], timeout, env=env)
    if r["exit"] != 0:
        sys.exit(f"compare_engines: recollindex failed (exit {r['exit']}):\n{r['stderr'][-2000:]}")
    database = os.path.join(confdir, "xapiandb")
    r["db_bytes"] = common.folder_bytes(database)
    r["documents"] = xapian_doccount(database)
    r["unit"] = "documents"
    return r


def xapian_doccount(database: str) -> int | None:
    try:
        import xapian
        return xapian.Database(database).get_doccount()
    except Exception:  # no bindings, or a database this Xapian cannot open
        return None


def bench_indexing(args, engines: list[str], corpus: str, megabytes: float) -> dict:
    runs: dict[str, list[dict]] = {name: [] for name in engines}
    for round_number in range(1, args.runs + 1):
        for name in engines:
            if name == "lupa":
                r = index_lupa(args.build, args.workdir, corpus, args.timeout)
            elif name == "omindex":
                r = index_omindex(args.workdir, corpus, args.timeout)
            else:
                r = index_recoll(args.workdir, corpus, args.timeout)
            runs[name].append(r)
            print(f"  round {round_number} {name:<12} {r['wall']:7.2f} s {megabytes / r['wall']:6.2f} MB/s "
                  f"peak RSS {r['rss_kb'] / 1024:7.1f} MiB  db {r['db_bytes'] / 1e6:7.1f} MB  "
                  f"{r['documents']} {r['unit']}", flush=True)
    result = {}
    for name, rs in runs.items():
        walls = [r["wall"] for r in rs]
        result[name] = {
            "wall_s": common.spread(walls), "mb_per_s": common.spread([megabytes / w for w in walls]),
            "peak_rss_mib": max(r["rss_kb"] for r in rs) / 1024,
            "db_mb": rs[-1]["db_bytes"] / 1e6, "documents": rs[-1]["documents"], "unit": rs[-1]["unit"],
            "walls": walls,
        }
    for name in engines:
        if name == "lupa":
            continue
        # Lupa's speed over the anchor's = anchor seconds / Lupa seconds, round by round.
        ratios = [a / l for a, l in zip(result[name]["walls"], result["lupa"]["walls"])]
        result[name]["lupa_speed_ratio"] = common.spread(ratios)
    return result


# ------------------------------------------------------------------------------------------
# Raw engine

def load_stop_words() -> set[str]:
    words = set()
    for language in ("es", "en"):
        path = os.path.join(common.REPO, "analyzers", "data", f"stopwords-{language}.txt")
        try:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    line = line.strip()
                    if line and not line.startswith("#"):
                        words.add(fold(line.lower()))
        except OSError:
            pass
    return words


def fold(text: str) -> str:
    """Accents removed, ñ kept (as Lupa's folding stemmer does before stemming)."""
    out = []
    for char in text:
        if char in "ñÑ":
            out.append(char)
            continue
        out.append("".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)))
    return "".join(out)


def spanish_accents(text: str) -> str:
    """-cion/-sion written -ción/-sión, as Lupa's Spanish folding stemmer does."""
    words = text.split(" ")
    for i, word in enumerate(words):
        stripped = word.rstrip('")')
        tail = word[len(stripped):]
        if stripped.lower().endswith(("cion", "sion")):
            words[i] = stripped[:-2] + "ón" + tail
    return " ".join(words)


class RawEngine:
    """The query parsed the way Lupa's index is built, straight on its database: lower-cased
    and accent-folded, parsed once with Xapian's Spanish stemmer (after putting back the
    -ción accent) and once with its English one, STEM_ALL_Z (every word a Z-prefixed stem,
    which is all Lupa indexes), the default operator AND, Lupa's Spanish and English stop
    words, phrases, boolean operators and +/-; the two readings OR-ed. No glossary widening,
    spelling, language boost, collapsing of translations and duplicates, nor snippets."""

    def __init__(self, database_path: str):
        import xapian
        self.xapian = xapian
        self.database = xapian.Database(database_path)
        self.doccount = self.database.get_doccount()
        self.stopper = xapian.SimpleStopper()
        for word in sorted(load_stop_words()):
            self.stopper.add(word)
        flags = (xapian.QueryParser.FLAG_PHRASE | xapian.QueryParser.FLAG_BOOLEAN
                 | xapian.QueryParser.FLAG_LOVEHATE | xapian.QueryParser.FLAG_PURE_NOT)
        self.flags = flags
        self.parsers = []
        for language in ("spanish", "english"):
            parser = xapian.QueryParser()
            parser.set_database(self.database)
            parser.set_stemmer(xapian.Stem(language))
            parser.set_stemming_strategy(xapian.QueryParser.STEM_ALL_Z)
            parser.set_stopper(self.stopper)
            parser.set_default_op(xapian.Query.OP_AND)
            self.parsers.append((language, parser))
        self.enquire = xapian.Enquire(self.database)

    def parse(self, text: str):
        folded = fold(text).lower()
        readings = []
        for language, parser in self.parsers:
            source = spanish_accents(folded) if language == "spanish" else folded
            readings.append(parser.parse_query(source, self.flags))
        return self.xapian.Query(self.xapian.Query.OP_OR, readings)

    def run(self, text: str, spy: bool) -> tuple[float, int, dict]:
        """(seconds for parse + match, exact match count, the spy's counts or {})."""
        started = time.perf_counter()
        self.enquire.set_query(self.parse(text))
        self.enquire.clear_matchspies()
        counter = None
        if spy:
            counter = self.xapian.ValueCountMatchSpy(LANG_SLOT)
            self.enquire.add_matchspy(counter)
        mset = self.enquire.get_mset(0, 10, self.doccount)
        counts = {item.term.decode(): item.termfreq for item in counter.values()} if counter else {}
        elapsed = time.perf_counter() - started
        return elapsed, mset.get_matches_estimated(), counts


# ------------------------------------------------------------------------------------------
# Queries

def check_answer(query: str, answer: dict, counted: set[str], problems: list[str]) -> None:
    facets = answer.get("facets") or {}
    missing = counted - set(facets)
    if missing:
        problems.append(f"{query!r}: facets not counted: {', '.join(sorted(missing))}")
    if SINGLE_VALUED_FACET in facets:
        added = sum(v.get("count", 0) for v in facets[SINGLE_VALUED_FACET])
        if added != answer.get("total"):
            problems.append(f"{query!r}: {SINGLE_VALUED_FACET} counts add up to {added}, total is "
                            f"{answer.get('total')}")


def bench_queries(args, database: str, use_raw: bool) -> dict:
    daemon = common.Daemon(common.find_binary(args.build, "lupa-searchd"), [database],
                           os.path.join(args.workdir, "searchd.log"))
    try:
        client = common.Client(daemon.port)
        _, facet_list = client.get_json("/api/facets")
        counted = set((facet_list.get("facets") or {}).keys())
        raw = RawEngine(database) if use_raw else None
        modes = ["facets", "no facets"] + (["raw", "raw + spy"] if raw else [])
        samples = {mode: {q: [] for q in QUERIES} for mode in modes}
        browse: list[float] = []
        took = {"facets": [], "no facets": [], "browse": []}
        info = {q: {} for q in QUERIES}
        problems: list[str] = []

        def one(mode: str, query: str, record: bool):
            if mode in ("facets", "no facets"):
                extra = "" if mode == "facets" else "&facets=false"
                seconds, answer = client.get_json(common.search_path(query, extra + "&per_page=10"))
                if record:
                    took[mode].append(answer.get("took_ms", 0.0))
                    entry = info[query]
                    key = "total" if mode == "facets" else "total_no_facets"
                    if key not in entry:
                        entry[key] = answer.get("total")
                        entry["collapsed"] = answer.get("collapsed", 0)
                        if mode == "facets":
                            check_answer(query, answer, counted, problems)
                            entry["lang"] = {v["value"]: v["count"] for v in answer["facets"].get("lang", [])}
                return seconds
            seconds, matches, counts = raw.run(query, spy=(mode == "raw + spy"))
            if record and mode == "raw + spy" and "raw_matches" not in info[query]:
                info[query]["raw_matches"] = matches
                info[query]["raw_lang"] = counts
                if sum(counts.values()) != matches:
                    problems.append(f"{query!r}: the raw engine's lang counts add up to {sum(counts.values())}, "
                                    f"{matches} matches")
            return seconds

        # Warm-up: every query once in every mode, not recorded (page cache, daemon caches).
        for query in QUERIES:
            for mode in modes:
                one(mode, query, record=False)
        client.get_json(common.search_path(""))
        for round_number in range(args.repeat):
            for query in QUERIES:
                for mode in modes:
                    samples[mode][query].append(one(mode, query, record=True))
            seconds, answer = client.get_json(common.search_path("", "&per_page=10"))
            browse.append(seconds)
            took["browse"].append(answer.get("took_ms", 0.0))
            if round_number == 0:
                check_answer("(browse)", answer, counted, problems)
                info["(browse)"] = {"total": answer.get("total"), "collapsed": answer.get("collapsed", 0),
                                    "doccount": raw.doccount if raw else None}
        for query in QUERIES:
            if info[query].get("total") != info[query].get("total_no_facets"):
                problems.append(f"{query!r}: total {info[query].get('total')} with facets, "
                                f"{info[query].get('total_no_facets')} without")
        rss = daemon.rss()
        client.close()
    finally:
        daemon.stop()

    result = {"per_query": {}, "modes": {}, "problems": problems, "facets_counted": sorted(counted),
              "daemon_rss_mib": rss[0] / 1024, "daemon_hwm_mib": rss[1] / 1024}
    for mode in modes:
        medians = [statistics.median(samples[mode][q]) * 1000 for q in QUERIES]
        every = [s * 1000 for q in QUERIES for s in samples[mode][q]]
        result["modes"][mode] = {"median_ms": statistics.median(medians), "p99_ms": common.percentile(every, 0.99),
                                 "requests": len(every)}
        for q, m in zip(QUERIES, medians):
            result["per_query"].setdefault(q, dict(info[q]))[mode + "_ms"] = m
    every = [s * 1000 for s in browse]
    result["modes"]["browse"] = {"median_ms": statistics.median(every), "p99_ms": common.percentile(every, 0.99),
                                 "requests": len(every)}
    result["browse_info"] = info.get("(browse)", {})
    result["server_took_ms"] = {mode: statistics.median(v) for mode, v in took.items() if v}
    return result


# ------------------------------------------------------------------------------------------
# Report

def verdict(ok: bool) -> str:
    return "MET " if ok else "MISS"


def report(index: dict | None, queries: dict | None, megabytes: float, files: int) -> list[str]:
    lines = []
    checks = []
    if index:
        lines.append(f"\nIndexing from nothing ({files} files, {megabytes:.1f} MB; median (range) over the rounds)")
        lines.append(f"  {'engine':<12} {'seconds':>22} {'MB/s':>20} {'peak RSS':>10} {'db':>9}  "
                     f"{'Lupa speed / anchor':>22}")
        for name, r in index.items():
            w, s = r["wall_s"], r["mb_per_s"]
            ratio = r.get("lupa_speed_ratio")
            ratio_text = f"{ratio[0]:.2f}x ({ratio[1]:.2f}-{ratio[2]:.2f})" if ratio else ""
            lines.append(f"  {name:<12} {w[0]:7.2f} ({w[1]:.2f}-{w[2]:.2f}) {s[0]:6.2f} ({s[1]:.2f}-{s[2]:.2f}) "
                         f"{r['peak_rss_mib']:6.0f} MiB {r['db_mb']:6.1f} MB  {ratio_text:>22}")
        if "omindex" in index:
            ratio = index["omindex"]["lupa_speed_ratio"][0]
            checks.append(f"{verdict(ratio >= 1.5)} indexing at least 1.5x omindex's speed: {ratio:.2f}x")
        else:
            checks.append("SKIP indexing against omindex (not measured)")
        if "recollindex" in index:
            ratio = index["recollindex"]["lupa_speed_ratio"][0]
            checks.append(f"{verdict(ratio >= 1.1)} indexing at least 1.1x recollindex's speed: {ratio:.2f}x")
        else:
            checks.append("SKIP indexing against recollindex (not measured)")
    if queries:
        m = queries["modes"]
        lines.append("\nQueries (client wall ms over one keep-alive connection: median of per-query medians, "
                     "p99 of all requests)")
        lines.append(f"  {'':<38} {'median':>8} {'p99':>8} {'requests':>9}")
        names = {"facets": "Lupa, every facet counted, snippets", "no facets": "Lupa, facets=false",
                 "browse": "Lupa browse (empty q, every facet)", "raw": "raw Xapian, exact count",
                 "raw + spy": "raw Xapian, exact count + lang facet"}
        for mode in ("facets", "no facets", "browse", "raw", "raw + spy"):
            if mode in m:
                lines.append(f"  {names[mode]:<38} {m[mode]['median_ms']:8.2f} {m[mode]['p99_ms']:8.2f} "
                             f"{m[mode]['requests']:9d}")
        took = queries["server_took_ms"]
        lines.append("  daemon's own took_ms (median): " + ", ".join(f"{k} {v:.2f}" for k, v in took.items()))
        if "raw + spy" in m:
            ratio = m["facets"]["median_ms"] / m["raw + spy"]["median_ms"]
            lines.append(f"  Lupa with facets / raw with one facet's exact counts: {ratio:.2f}x; "
                         f"facets=false / raw: {m['no facets']['median_ms'] / m['raw']['median_ms']:.2f}x")
            checks.append(f"{verdict(ratio <= 2.0)} query with every facet at most 2x the raw engine with exact "
                          f"counts: {ratio:.2f}x")
        else:
            checks.append("SKIP query against the raw engine (python3-xapian missing or skipped)")
        checks.append(f"{verdict(m['browse']['median_ms'] <= 5.0)} browse at most 5 ms: "
                      f"{m['browse']['median_ms']:.2f} ms")
        lines.append(f"\n  {'query':<30} {'total':>7} {'+coll':>6} {'raw':>7} {'facets':>7} {'nofac':>7} "
                     f"{'raw':>6} {'raw+spy':>7}   (ms)")
        for q, r in queries["per_query"].items():
            def ms(key):
                return f"{r[key]:7.2f}" if key in r else f"{'-':>7}"
            raw_matches = r.get("raw_matches")
            lines.append(f"  {q:<30} {r.get('total', 0):7} {r.get('collapsed', 0):6} "
                         f"{(raw_matches if raw_matches is not None else '-'):>7} {ms('facets_ms')} "
                         f"{ms('no facets_ms')} {ms('raw_ms')[1:]} {ms('raw + spy_ms')}")
        browse = queries.get("browse_info", {})
        lines.append(f"  browse: total {browse.get('total')} + collapsed {browse.get('collapsed')}, "
                     f"{browse.get('doccount')} passages in the index")
        lines.append(f"  counted facets: {len(queries['facets_counted'])}; daemon RSS "
                     f"{queries['daemon_rss_mib']:.0f} MiB (peak {queries['daemon_hwm_mib']:.0f} MiB)")
        if queries["problems"]:
            checks.append("MISS exact counts: " + "; ".join(queries["problems"][:5]))
        else:
            checks.append(f"MET  exact counts: totals agree with and without facets, every counted facet in every "
                          f"answer, `{SINGLE_VALUED_FACET}` counts add up to total")
    lines += summary(index, queries)
    lines.append("\nTargets")
    lines += ["  " + c for c in checks]
    return lines


def summary(index: dict | None, queries: dict | None) -> list[str]:
    """The three rows side by side: Lupa, the anchors, Lupa over the anchor."""
    rows = []
    if index:
        lupa = index["lupa"]
        anchors = [f"{name} {r['wall_s'][0]:.1f} s, {r['mb_per_s'][0]:.2f} MB/s" for name, r in index.items()
                   if name != "lupa"]
        ratios = [f"{r['lupa_speed_ratio'][0]:.2f}x {name}" for name, r in index.items() if name != "lupa"]
        rows.append(("indexing from nothing", f"{lupa['wall_s'][0]:.1f} s, {lupa['mb_per_s'][0]:.2f} MB/s",
                     "; ".join(anchors) or "-", "speed " + ", ".join(ratios) if ratios else "-",
                     "speed >= 1.5x omindex, >= 1.1x recollindex"))
    if queries:
        m = queries["modes"]
        raw = m.get("raw + spy")
        rows.append((f"query over HTTP, keep-alive, {len(QUERIES)} queries",
                     f"{m['facets']['median_ms']:.2f} ms with facets (p99 {m['facets']['p99_ms']:.1f}); "
                     f"{m['no facets']['median_ms']:.2f} ms facets=false",
                     f"raw engine {raw['median_ms']:.2f} ms with one facet's exact counts, "
                     f"{m['raw']['median_ms']:.2f} ms without" if raw else "-",
                     f"{m['facets']['median_ms'] / raw['median_ms']:.1f}x" if raw else "-", "<= 2x"))
        rows.append(("browse (empty query, every facet)", f"{m['browse']['median_ms']:.2f} ms", "-", "-", "<= 5 ms"))
    if not rows:
        return []
    out = ["\nSummary (medians)"]
    for label, lupa, anchor, ratio, target in rows:
        out.append(f"  {label}\n    Lupa:   {lupa}\n    anchor: {anchor}\n    ratio:  {ratio}   target: {target}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.environ.get("LUPA_BUILD", os.path.join(common.REPO, "build")),
                        help="CMake build folder with bin/lupa-indexer and bin/lupa-searchd")
    parser.add_argument("--corpus", help="corpus folder (default: generate one in WORKDIR/corpus)")
    parser.add_argument("--workdir", help="scratch folder (default: a new temp folder, kept)")
    parser.add_argument("--size-mb", type=float, default=37.5)
    parser.add_argument("--min-kb", type=int, default=7)
    parser.add_argument("--max-kb", type=int, default=21)
    parser.add_argument("--runs", type=int, default=3, help="indexing rounds (default 3)")
    parser.add_argument("--repeat", type=int, default=30, help="times each query is sent (default 30)")
    parser.add_argument("--skip", default="", help="comma-separated: omindex, recollindex, raw, index, queries")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds any one indexing run may take")
    parser.add_argument("--json", help="write every figure to this JSON file")
    args = parser.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - {"omindex", "recollindex", "raw", "index", "queries"}
    if unknown:
        sys.exit(f"compare_engines: unknown --skip value(s): {', '.join(sorted(unknown))}")
    if args.runs < 1 or args.repeat < 1:
        sys.exit("compare_engines: --runs and --repeat must be at least 1")
    args.build = os.path.abspath(args.build)
    common.find_binary(args.build, "lupa-indexer")
    if "queries" not in skip:
        common.find_binary(args.build, "lupa-searchd")
    args.workdir = os.path.abspath(args.workdir or tempfile.mkdtemp(prefix="lupa-compare."))
    os.makedirs(args.workdir, exist_ok=True)

    engines = ["lupa"]
    packages = {"omindex": "xapian-omega", "recollindex": "recoll"}
    for anchor in ANCHORS:
        if anchor in skip:
            print(f"compare_engines: {anchor} skipped (--skip)")
        elif shutil.which(anchor) is None:
            print(f"compare_engines: {anchor} not found: skipped (Debian package {packages[anchor]})")
        else:
            engines.append(anchor)
    use_raw = "raw" not in skip
    if use_raw:
        try:
            import xapian  # noqa: F401
        except ImportError:
            print("compare_engines: Python module xapian not found: raw engine skipped (Debian package "
                  "python3-xapian; run with /usr/bin/python3)")
            use_raw = False
    if not os.access(common.GNU_TIME, os.X_OK):
        print("compare_engines: /usr/bin/time not found (Debian package time): peak RSS not measured")

    corpus = args.corpus
    if corpus is None:
        corpus = os.path.join(args.workdir, "corpus")
        if not (os.path.isdir(corpus) and os.listdir(corpus)):
            print("Generating the corpus", flush=True)
            shutil.rmtree(corpus, ignore_errors=True)
            common.generate_corpus(corpus, args.size_mb, args.min_kb, args.max_kb)
    corpus = os.path.abspath(corpus)
    if not os.path.isdir(corpus):
        sys.exit(f"compare_engines: {corpus} is not a folder")
    files, size = common.corpus_size(corpus)
    megabytes = size / 1e6
    print(f"compare_engines: {args.build}, corpus {corpus} ({files} files, {megabytes:.1f} MB), "
          f"work in {args.workdir}", flush=True)

    index = None
    database = os.path.join(args.workdir, "lupa-db")
    if "index" not in skip:
        print(f"\nIndexing, {args.runs} interleaved rounds: {', '.join(engines)}", flush=True)
        index = bench_indexing(args, engines, corpus, megabytes)
    elif not os.path.isdir(database):
        print("Indexing with Lupa once (--skip index, no database yet)", flush=True)
        index_lupa(args.build, args.workdir, corpus, args.timeout)
    queries = None
    if "queries" not in skip:
        print(f"\nQueries: {len(QUERIES)} queries x {args.repeat} rounds", flush=True)
        queries = bench_queries(args, database, use_raw)

    for line in report(index, queries, megabytes, files):
        print(line)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"build": args.build, "corpus": corpus, "files": files, "megabytes": megabytes,
                       "runs": args.runs, "repeat": args.repeat, "queries": QUERIES,
                       "indexing": index, "query": queries}, out, indent=2, ensure_ascii=False)
            out.write("\n")
        print(f"compare_engines: figures in {args.json}")


if __name__ == "__main__":
    main()
