#!/usr/bin/env python3
"""Indexer memory and time on hostile text files: is peak RSS proportional to the input?

Writes each file below into a folder of its own in a temp dir, indexes it with lupa-indexer
into a fresh database, and prints the file's size, the run's peak resident set size (from
wait4()'s rusage, the figure GNU time -v reports too), its wall-clock seconds, RSS per byte
of input and the exit status:

  line-2mb      one line of 2 MB of words, no sentence end
  line-5mb      the same, 5 MB
  cr-only-50mb  50 MB of paragraphs with old Mac line ends (CR only)
  text-200mb    200 MB of ordinary text: LF line ends, paragraphs, numbered paragraphs
  latin1-200mb  the same in Windows-1252 (decoded to UTF-8 a piece at a time)
  html-p-10mb   10 MB of "<p>x" in a .html file (libxml2's tree took 100 times that)

Usage:
  bench/indexer_memory.py [--build DIR] [--workdir DIR] [--keep] [--only NAME...]
Environment: LUPA_BUILD is the default for --build (else <repo>/build).
Takes about 5 minutes on 2 cores, mostly the 200 MB file; needs about 1 GB of disk.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MB = 1_000_000

WORDS = (
    "el gobierno publicará información sobre presupuesto transparencia rendición de cuentas "
    "participación ciudadana datos abiertos compromiso plan acción nacional secretaría función "
    "pública instituto acceso protección municipios contrataciones obra seguimiento indicadores "
    "the government will publish information about budget open data commitment national "
    "action plan ministry public access civil society monitoring procurement accountability "
    "año niños educación salud política económica desarrollo sostenible evaluación informe"
).split()


def words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def sentence(rng: random.Random) -> str:
    text = words(rng, rng.randint(8, 25))
    return text[0].upper() + text[1:] + "."


def write_long_line(path: str, size: int, rng: random.Random) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("Informe\n\n")
        written = 0
        while written < size:
            chunk = words(rng, 2000) + " "
            out.write(chunk)
            written += len(chunk.encode("utf-8"))
        out.write("\n")


def write_paragraphs(path: str, size: int, rng: random.Random, line_end: str,
                     encoding: str = "utf-8") -> None:
    # Sentences are generated once and reused: generating 200 MB word by word takes minutes.
    sentences = [sentence(rng) for _ in range(5000)]
    with open(path, "w", encoding=encoding, newline="") as out:
        out.write("Informe de avance" + line_end * 2)
        written, number = 0, 0
        while written < size:
            number += 1
            lines = [" ".join(rng.choice(sentences) for _ in range(rng.randint(1, 3)))
                     for _ in range(rng.randint(2, 8))]
            if number % 3 == 0:
                lines[0] = f"{number % 500}. {lines[0]}"
            block = line_end.join(lines) + line_end * 2
            out.write(block)
            written += len(block.encode(encoding))


def write_html_paragraphs(path: str, size: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("<html><body><p>Informe" + "<p>x" * (size // 4) + "</body></html>")


FILES = {
    "line-2mb": lambda path, rng: write_long_line(path, 2 * MB, rng),
    "line-5mb": lambda path, rng: write_long_line(path, 5 * MB, rng),
    "cr-only-50mb": lambda path, rng: write_paragraphs(path, 50 * MB, rng, "\r"),
    "text-200mb": lambda path, rng: write_paragraphs(path, 200 * MB, rng, "\n"),
    "latin1-200mb": lambda path, rng: write_paragraphs(path, 200 * MB, rng, "\n", "cp1252"),
    "html-p-10mb": lambda path, rng: write_html_paragraphs(path, 10 * MB),
}


def run_indexer(indexer: str, database: str, corpus: str) -> tuple[int, float, int, str]:
    """Exit status, wall-clock seconds, peak RSS in bytes and the summary line of one run."""
    started = time.monotonic()
    process = subprocess.Popen([indexer, "--quiet", "--db", database, corpus],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    summary = next((line for line in output.splitlines() if line.startswith("summary:")),
                   output.strip()[-200:])
    return process.returncode, seconds, usage.ru_maxrss * 1024, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.environ.get("LUPA_BUILD",
                                                           os.path.join(REPO, "build")))
    parser.add_argument("--workdir", help="scratch folder (default: a new temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--only", nargs="+", choices=sorted(FILES), help="run only these")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    indexer = os.path.join(args.build, "bin", "lupa-indexer")
    if not os.access(indexer, os.X_OK):
        print(f"no {indexer}: build first (cmake --build {args.build})", file=sys.stderr)
        return 2
    workdir = args.workdir or tempfile.mkdtemp(prefix="lupa-memory-bench-")
    os.makedirs(workdir, exist_ok=True)
    print(f"indexer {indexer}\nscratch {workdir}\n")
    print(f"{'file':<14}{'size MB':>9}{'peak RSS MB':>13}{'RSS/size':>10}{'seconds':>9}"
          f"{'exit':>6}  summary")
    try:
        for name in args.only or FILES:
            corpus = os.path.join(workdir, name)
            os.makedirs(corpus, exist_ok=True)
            path = os.path.join(corpus, name + (".html" if name.startswith("html") else ".txt"))
            FILES[name](path, random.Random(args.seed))
            size = os.path.getsize(path)
            database = os.path.join(workdir, name + "-db")
            shutil.rmtree(database, ignore_errors=True)
            code, seconds, peak, summary = run_indexer(indexer, database, corpus)
            short = re.sub(r"^summary: ", "", summary)
            print(f"{name:<14}{size / MB:>9.1f}{peak / MB:>13.0f}{peak / size:>10.1f}"
                  f"{seconds:>9.1f}{code:>6}  {short}", flush=True)
            if not args.keep:
                shutil.rmtree(corpus, ignore_errors=True)
                shutil.rmtree(database, ignore_errors=True)
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
