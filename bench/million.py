#!/usr/bin/env python3
"""Lupa at a million passages: indexing, memory, query latency under load, one incremental add.

Stages (each leaves a marker in WORKDIR, so a second run with the same --workdir resumes
after the last finished stage; --fresh starts over):
  1. ratio    generates a small prefix of the corpus (generate_corpus.py is deterministic
              and a smaller corpus is a prefix of a larger one with the same seed), indexes
              it and measures passages per MB.
  2. corpus   generates WORKDIR/corpus sized for PASSAGES (default 1,000,000) passages plus
              a margin (bench/generate_corpus.py --min-kb 7 --max-kb 21, as
              bench/compare_engines.py's corpus).
  3. index    lupa-indexer --db WORKDIR/db WORKDIR/corpus under GNU time -v: wall seconds,
              MB/s, passages/s, peak RSS, database size. Progress is printed every minute.
  4. queries  lupa-searchd over the database; every query of the list (>= 30, facets counted)
              once to check the counts, then RSS after the warm-up; then wrk with
              bench/rotate.lua at 1, 4 and 16 keep-alive connections (DURATION seconds each):
              p50 and p99 latency and requests/s; the daemon's VmRSS and VmHWM after the runs.
  5. add      with the daemon still running: one new report in the corpus' style carrying a
              word no other file has is written into the corpus folder; the time of the
              lupa-indexer run that adds it (and commits), then the time until a query for the
              word finds that file through the running daemon (polled every 50 ms). The file
              is removed again afterwards (and the index re-run) so the corpus stays as
              generated.
Target checks (MET/MISS) at the end: >= PASSAGES passages, indexer peak RSS under 1.5 GB,
daemon under 500 MB, p50 under 20 ms and p99 under 100 ms at one connection, the add under
2 s and seen without a restart.

Needs wrk (Debian package wrk) and /usr/bin/time (package time); installs nothing.

Usage:
  bench/million.py [--build DIR] [--workdir DIR] [--passages 1000000] [--duration 30]
                   [--fresh] [--json OUT]
  bench/million.py --passages 20000 --workdir /tmp/lupa-million-smoke    # smoke run
The full run writes ~630 MB of text and an index of a few GB; the work folder is kept.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale_common as common  # noqa: E402
from compare_engines import QUERIES as PLAIN_QUERIES, check_answer  # noqa: E402

MIN_KB, MAX_KB = 7, 21
SAMPLE_MB = 4.0
MARGIN = 1.03
# The query string of each request (after /api/search?); every one counts every facet.
QUERY_STRINGS = ["q=" + q for q in PLAIN_QUERIES] + [
    "q=salud",
    "q=agua",
    "q=sociedad civil",
    "q=open government",
    'q="plan de acción"',
    "q=transparencia OR accountability",
    "q=datos NOT abiertos",
    "q=corrup*",
    "q=INAI",
    "q=transparencia&plan=mx-2011-2013&lang=es",
    "q=open data&lang=en&kind=commitment",
    "q=datos abiertos&type=irm-report",
    "q=corrupción&plan=mx-2011-2013&plan=mx-2013-2015",
    "q=datos abiertos&page=2",
]


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


class State:
    """Finished stages and their figures, in WORKDIR/state.json."""

    def __init__(self, workdir: str, fresh: bool):
        self.path = os.path.join(workdir, "state.json")
        self.data = {}
        if not fresh and os.path.exists(self.path):
            with open(self.path, encoding="utf-8") as f:
                self.data = json.load(f)

    def save(self) -> None:
        with open(self.path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(self.data, f, indent=2, ensure_ascii=False)
        os.replace(self.path + ".tmp", self.path)


def child_pid(pid: int) -> int:
    """The first child of `pid` (the indexer GNU time runs), else `pid`."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = f.read().split()
        return int(children[0]) if children else pid
    except OSError:
        return pid


def index_with_progress(indexer: str, database: str, corpus: str, log_path: str, timeout: float,
                        total_files: int) -> dict:
    """lupa-indexer under GNU time -v, its output in `log_path`; prints progress each minute."""
    time_path = log_path + ".time"
    command = [common.GNU_TIME, "-v", "-o", time_path, indexer, "--db", database, corpus]
    with open(log_path, "w") as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        next_report = started + 60
        while process.poll() is None:
            time.sleep(1)
            now = time.perf_counter()
            if now - started > timeout:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                sys.exit(f"million: lupa-indexer ran over {timeout:.0f} s; killed (log {log_path})")
            if now >= next_report:
                next_report += 60
                last = ""
                try:
                    with open(log_path, "rb") as f:
                        f.seek(max(0, os.path.getsize(log_path) - 4000))
                        lines = [l for l in f.read().decode("utf-8", "replace").splitlines() if l.strip()]
                        last = lines[-1][:160] if lines else ""
                except OSError:
                    pass
                say(f"  indexing, {now - started:.0f} s; RSS {common.rss_kib(child_pid(process.pid)) // 1024} MiB; "
                    f"last line: {last}")
        wall = time.perf_counter() - started
    with open(log_path, encoding="utf-8", errors="replace") as f:
        output = f.read()
    with open(time_path, encoding="utf-8") as f:
        report = f.read()
    summary = common.lupa_summary(output)
    exit_status = int(re.search(r"Exit status: (\d+)", report).group(1)) if "Exit status" in report else -1
    if exit_status not in (0, 1) or not summary:
        sys.exit(f"million: lupa-indexer failed (exit {exit_status}); see {log_path}")
    result = {"wall": wall, "exit": exit_status,
              "rss_kb": int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report).group(1)),
              "user": float(re.search(r"User time \(seconds\): ([\d.]+)", report).group(1)),
              "sys": float(re.search(r"System time \(seconds\): ([\d.]+)", report).group(1))}
    result.update(summary)
    return result


def stage_ratio(args, state: State, indexer: str) -> float:
    if "ratio" in state.data:
        return state.data["ratio"]["passages_per_mb"]
    sample = os.path.join(args.workdir, "sample")
    shutil.rmtree(sample, ignore_errors=True)
    say(f"ratio: generating a {SAMPLE_MB} MB sample and indexing it")
    common.generate_corpus(os.path.join(sample, "corpus"), SAMPLE_MB, MIN_KB, MAX_KB)
    r = common.run_timed([indexer, "--quiet", "--db", os.path.join(sample, "db"), os.path.join(sample, "corpus")],
                         args.timeout)
    summary = common.lupa_summary(r["stdout"])
    if not summary:
        sys.exit(f"million: lupa-indexer failed on the sample:\n{r['stdout']}{r['stderr']}")
    _, size = common.corpus_size(os.path.join(sample, "corpus"))
    ratio = summary["passages"] / (size / 1e6)
    state.data["ratio"] = {"passages": summary["passages"], "megabytes": size / 1e6, "passages_per_mb": ratio}
    state.save()
    shutil.rmtree(sample, ignore_errors=True)
    say(f"ratio: {summary['passages']} passages in {size / 1e6:.2f} MB: {ratio:.0f} passages per MB")
    return ratio


def stage_corpus(args, state: State, ratio: float) -> str:
    corpus = os.path.join(args.workdir, "corpus")
    if "corpus" in state.data and os.path.isdir(corpus):
        return corpus
    size_mb = round(args.passages / ratio * MARGIN, 1)
    say(f"corpus: generating {size_mb} MB for {args.passages} passages ({ratio:.0f} per MB, "
        f"{(MARGIN - 1) * 100:.0f}% margin) in {corpus}")
    shutil.rmtree(corpus, ignore_errors=True)
    started = time.perf_counter()
    common.generate_corpus(corpus, size_mb, MIN_KB, MAX_KB)
    files, size = common.corpus_size(corpus)
    state.data["corpus"] = {"size_mb_asked": size_mb, "files": files, "megabytes": size / 1e6,
                            "seconds": time.perf_counter() - started}
    state.save()
    say(f"corpus: {files} files, {size / 1e6:.1f} MB")
    return corpus


def stage_index(args, state: State, indexer: str, corpus: str) -> str:
    database = os.path.join(args.workdir, "db")
    if "index" in state.data and os.path.isdir(database):
        return database
    shutil.rmtree(database, ignore_errors=True)
    files = state.data["corpus"]["files"]
    say(f"index: lupa-indexer --db {database} {corpus} ({files} files; log in {args.workdir}/index.log)")
    r = index_with_progress(indexer, database, corpus, os.path.join(args.workdir, "index.log"), args.timeout,
                            files)
    megabytes = state.data["corpus"]["megabytes"]
    db_bytes = common.folder_bytes(database)
    state.data["index"] = {
        "wall_s": r["wall"], "mb_per_s": megabytes / r["wall"], "passages": r["passages"],
        "passages_per_s": r["passages"] / r["wall"], "files": r["files"], "errors": r["errors"],
        "peak_rss_mib": r["rss_kb"] / 1024, "cpu_s": r["user"] + r["sys"], "db_mb": db_bytes / 1e6,
    }
    state.save()
    i = state.data["index"]
    say(f"index: {i['wall_s']:.1f} s, {i['mb_per_s']:.2f} MB/s, {i['passages_per_s']:.0f} passages/s, "
        f"{i['passages']} passages, peak RSS {i['peak_rss_mib']:.0f} MiB, database {i['db_mb']:.0f} MB")
    return database


def new_report(workdir: str, token: str) -> tuple[str, str, str]:
    """(file name, text, unique word) of one report in the corpus' style, generated apart and
    marked with a word no file of the corpus has."""
    folder = tempfile.mkdtemp(prefix="added.", dir=workdir)
    try:
        common.generate_corpus(os.path.join(folder, "one"), 0.012, 12, 12, seed=int(token, 16) % (2 ** 31))
        names = sorted(n for n in os.listdir(os.path.join(folder, "one")) if n.endswith((".txt", ".md")))
        if not names:
            names = sorted(n for n in os.listdir(os.path.join(folder, "one")) if n.endswith(".html"))
        with open(os.path.join(folder, "one", names[0]), encoding="utf-8") as f:
            text = f.read()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    # Letters only, so stemming and segmenting leave it one word; no file of the corpus has it.
    rng = random.Random(token)
    word = "zentinel" + "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(6))
    lines = text.splitlines()
    # Into the first long paragraph line, as a word of a sentence.
    for i, line in enumerate(lines):
        if i >= len(lines) // 3 and len(line) > 60 and not line.startswith(("#", "<", "-", "*")):
            lines[i] = line.rstrip() + f" La auditoría {word} revisó este compromiso."
            break
    else:
        lines.append(f"La auditoría {word} revisó este compromiso.")
    name = re.sub(r"-\d{4}-((?:es|en)(?:-es|-en)*\.\w+)$", rf"-added{token}-\1", names[0])
    return name, "\n".join(lines) + "\n", word


def stage_queries_and_add(args, state: State, searchd: str, indexer: str, database: str, corpus: str) -> None:
    queries_file = os.path.join(args.workdir, "queries.txt")
    with open(queries_file, "w", encoding="utf-8") as f:
        f.write("# written by bench/million.py: the query string of each GET /api/search\n")
        f.write("\n".join(QUERY_STRINGS) + "\n")
    say(f"queries: starting lupa-searchd over {database}")
    started = time.perf_counter()
    daemon = common.Daemon(searchd, [database], os.path.join(args.workdir, "searchd.log"), start_timeout=600)
    result = {"start_s": time.perf_counter() - started}
    try:
        client = common.Client(daemon.port, timeout=120)
        _, facet_list = client.get_json("/api/facets")
        counted = set((facet_list.get("facets") or {}).keys())
        problems: list[str] = []
        first = {}
        for query in QUERY_STRINGS:  # warm-up, and the exact-count checks
            seconds, answer = client.get_json("/api/search?" + urllib.parse.quote(query, safe="=&"))
            first[query] = {"ms": seconds * 1000, "total": answer.get("total")}
            if "&" not in query:
                check_answer(query, answer, counted, problems)
        rss, hwm = daemon.rss()
        result.update({"warm_rss_mib": rss / 1024, "warm_hwm_mib": hwm / 1024, "first_requests": first,
                       "problems": problems})
        say(f"queries: {len(QUERY_STRINGS)} queries checked; daemon RSS after warm-up {rss / 1024:.0f} MiB "
            f"(peak {hwm / 1024:.0f}); {len(problems)} count problems")
        client.close()
        result["wrk"] = {}
        for connections in (1, 4, 16):
            r = common.run_wrk(daemon.port, connections, args.duration, queries_file, "million")
            result["wrk"][str(connections)] = r
            errors = sum(v for k, v in r.items() if k.startswith("errors_"))
            say(f"queries: {connections:2d} connections: p50 {r['p50_us'] / 1000:.1f} ms, p99 "
                f"{r['p99_us'] / 1000:.1f} ms, {r['rps']:.1f} requests/s, {int(r['requests'])} requests, "
                f"{int(errors)} errors")
        rss, hwm = daemon.rss()
        result.update({"after_rss_mib": rss / 1024, "after_hwm_mib": hwm / 1024})
        say(f"queries: daemon RSS after the runs {rss / 1024:.0f} MiB (peak {hwm / 1024:.0f} MiB)")
        state.data["queries"] = result
        state.save()

        # The incremental add, with the daemon running.
        token = f"{int(time.time() * 1000) & 0xFFFFFFF:07x}"
        name, text, word = new_report(args.workdir, token)
        path = os.path.join(corpus, name)
        client = common.Client(daemon.port, timeout=120)
        probe = "/api/search?q=" + word + "&facets=false"
        _, before = client.get_json(probe)
        if any(name in (hit.get("doc") or "") for hit in before.get("hits", [])):
            sys.exit(f"million: '{word}' finds {name} before it exists")
        # For comparison: a run with nothing changed (start-up, stat-ing every file).
        noop = common.run_timed([indexer, "--quiet", "--db", database, corpus], args.timeout)
        say(f"add: a re-run with nothing changed takes {noop['wall']:.2f} s")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        say(f"add: {name} (word '{word}'); lupa-indexer --db {database} {corpus}")
        try:
            r = common.run_timed([indexer, "--quiet", "--db", database, corpus], args.timeout)
            summary = common.lupa_summary(r["stdout"])
            if r["exit"] not in (0, 1) or not summary:
                sys.exit(f"million: the incremental run failed (exit {r['exit']}):\n{r['stdout']}{r['stderr']}")
            indexed_at = time.perf_counter()
            seen = None
            while time.perf_counter() - indexed_at < args.see_timeout:
                _, answer = client.get_json(probe)
                if any(name in (hit.get("doc") or "") for hit in answer.get("hits", [])):
                    seen = time.perf_counter() - indexed_at
                    break
                time.sleep(0.05)
            add = {"file": name, "word": word, "indexer_s": r["wall"], "indexer_rss_mib": r["rss_kb"] / 1024,
                   "indexed": summary["indexed"], "unchanged": summary["unchanged"],
                   "passages": summary["passages"], "seen_after_s": seen, "unchanged_rerun_s": noop["wall"], "see_timeout_s": args.see_timeout}
            # What the end of the run did (links, groups, commit), as lupa-indexer prints it.
            end_of_run = re.search(r"^end of run: (.*)$", r["stdout"], re.MULTILINE)
            add["end_of_run"] = end_of_run.group(1) if end_of_run else None
            if end_of_run:
                say(f"add: end of run: {end_of_run.group(1)}")
            say(f"add: indexer {r['wall']:.2f} s ({summary['indexed']} indexed, {summary['unchanged']} unchanged, "
                f"{summary['passages']} passages); the daemon "
                + (f"found it {seen:.2f} s later" if seen is not None else
                   f"did not find it within {args.see_timeout:.0f} s"))
        finally:
            if os.path.exists(path):
                os.remove(path)
            r = common.run_timed([indexer, "--quiet", "--db", database, corpus], args.timeout)
            summary = common.lupa_summary(r["stdout"])
            if summary:
                say(f"add: file removed again; re-run {r['wall']:.2f} s ({summary['removed']} removed)")
        client.close()
        state.data["add"] = add
        state.save()
    finally:
        daemon.stop()


def report(args, state: State) -> list[str]:
    d = state.data
    lines, checks = ["", f"Lupa at {args.passages:,} passages ({args.build})"], []
    c, i = d.get("corpus"), d.get("index")
    if c and i:
        lines.append(f"  corpus        {c['files']} files, {c['megabytes']:.1f} MB (generate_corpus.py --min-kb {MIN_KB} "
                     f"--max-kb {MAX_KB}; {d['ratio']['passages_per_mb']:.0f} passages/MB on a sample)")
        lines.append(f"  indexing      {i['wall_s']:.1f} s, {i['mb_per_s']:.2f} MB/s, {i['passages_per_s']:.0f} passages/s, "
                     f"{i['passages']:,} passages, CPU {i['cpu_s']:.0f} s")
        lines.append(f"  indexer RSS   {i['peak_rss_mib']:.0f} MiB peak;  database {i['db_mb']:.0f} MB")
        checks.append(f"{'MET ' if i['passages'] >= args.passages else 'MISS'} at least {args.passages:,} passages: "
                      f"{i['passages']:,}")
        checks.append(f"{'MET ' if i['peak_rss_mib'] * 1048576 < 1.5e9 else 'MISS'} indexer peak RSS under 1.5 GB: "
                      f"{i['peak_rss_mib'] * 1048576 / 1e9:.2f} GB")
    q = d.get("queries")
    if q:
        lines.append(f"  daemon        started in {q['start_s']:.1f} s; RSS after warm-up {q['warm_rss_mib']:.0f} MiB, "
                     f"after the runs {q['after_rss_mib']:.0f} MiB, peak (VmHWM) {q['after_hwm_mib']:.0f} MiB")
        lines.append(f"  queries       {len(QUERY_STRINGS)} queries with facets, wrk {args.duration} s per level:")
        lines.append(f"    {'connections':>11} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'requests':>9} {'errors':>7}")
        for connections, r in q["wrk"].items():
            errors = int(sum(v for k, v in r.items() if k.startswith("errors_")))
            lines.append(f"    {connections:>11} {r['p50_us'] / 1000:8.1f} {r['p99_us'] / 1000:8.1f} {r['rps']:8.1f} "
                         f"{int(r['requests']):9d} {errors:7d}")
        one = q["wrk"]["1"]
        checks.append(f"{'MET ' if q['after_hwm_mib'] * 1048576 < 500e6 else 'MISS'} daemon peak RSS under 500 MB: "
                      f"{q['after_hwm_mib'] * 1048576 / 1e6:.0f} MB")
        checks.append(f"{'MET ' if one['p50_us'] < 20000 else 'MISS'} p50 under 20 ms at one connection: "
                      f"{one['p50_us'] / 1000:.1f} ms")
        checks.append(f"{'MET ' if one['p99_us'] < 100000 else 'MISS'} p99 under 100 ms at one connection: "
                      f"{one['p99_us'] / 1000:.1f} ms")
        checks.append(("MET  exact counts checked on every query" if not q["problems"] else
                       "MISS exact counts: " + "; ".join(q["problems"][:3])))
    a = d.get("add")
    if a:
        seen = a["seen_after_s"]
        lines.append(f"  add one file  indexer run {a['indexer_s']:.2f} s ({a['indexed']} indexed, {a['unchanged']:,} "
                     f"unchanged; a re-run with nothing changed {a.get('unchanged_rerun_s', 0):.2f} s); "
                     f"the running daemon found it "
                     + (f"{seen:.2f} s after the run ended" if seen is not None else
                        f"not within {a['see_timeout_s']:.0f} s"))
        checks.append(f"{'MET ' if a['indexer_s'] < 2 else 'MISS'} adding one report under 2 s: {a['indexer_s']:.2f} s")
        checks.append(f"{'MET ' if seen is not None else 'MISS'} the daemon sees it without a restart"
                      + (f" ({seen:.2f} s later)" if seen is not None else ""))
    lines.append("Targets")
    lines += ["  " + c for c in checks]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.environ.get("LUPA_BUILD", os.path.join(common.REPO, "build")))
    parser.add_argument("--workdir", help="work folder, kept (default /tmp/lupa-million-PASSAGES)")
    parser.add_argument("--passages", type=int, default=1_000_000, help="passages to reach (default 1,000,000)")
    parser.add_argument("--duration", type=int, default=30, help="seconds of wrk per connection count")
    parser.add_argument("--timeout", type=float, default=6 * 3600, help="seconds any one indexer run may take")
    parser.add_argument("--see-timeout", type=float, default=120, help="seconds to wait for the daemon to "
                        "find the added file")
    parser.add_argument("--fresh", action="store_true", help="forget finished stages and start over")
    parser.add_argument("--json", help="also write every figure to this file")
    args = parser.parse_args()
    if args.passages < 1000:
        sys.exit("million: --passages must be at least 1000")
    args.build = os.path.abspath(args.build)
    indexer = common.find_binary(args.build, "lupa-indexer")
    searchd = common.find_binary(args.build, "lupa-searchd")
    for tool, package in (("wrk", "wrk"), (common.GNU_TIME, "time")):
        if shutil.which(tool) is None:
            sys.exit(f"million: {tool} not found (Debian package {package}); nothing is installed for you")
    args.workdir = os.path.abspath(args.workdir or os.path.join(tempfile.gettempdir(), f"lupa-million-{args.passages}"))
    if args.workdir == common.REPO or args.workdir.startswith(common.REPO + os.sep):
        sys.exit("million: give a --workdir outside the repository")
    os.makedirs(args.workdir, exist_ok=True)
    state = State(args.workdir, args.fresh)
    if state.data.get("passages_asked", args.passages) != args.passages:
        say("million: another --passages than the work folder's: starting over")
        state.data = {}
    elif state.data.get("build", args.build) != args.build:
        say("million: another --build than the work folder's: keeping the corpus, indexing again")
        for stage in ("index", "queries", "add"):
            state.data.pop(stage, None)
    state.data.update({"passages_asked": args.passages, "build": args.build})
    state.save()
    say(f"million: {args.passages:,} passages, {args.build}, work in {args.workdir}"
        + (f" (resuming after: {', '.join(k for k in ('ratio', 'corpus', 'index') if k in state.data)})"
           if any(k in state.data for k in ("ratio", "corpus", "index")) else ""))
    ratio = stage_ratio(args, state, indexer)
    corpus = stage_corpus(args, state, ratio)
    database = stage_index(args, state, indexer, corpus)
    stage_queries_and_add(args, state, searchd, indexer, database, corpus)
    for line in report(args, state):
        print(line)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(state.data, f, indent=2, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
