#!/usr/bin/env python3
"""OCR benchmark: lupa-ocr beside the tesseract command-line tool on the same pages.

For every sample in corpus/scans with ground truth in tests/data/scans, and every page of the
hard set in tests/data/scans/hard (each image beside its ground truth), it reports seconds per
page and character error rate (CER) of:
  - lupa-ocr (Leptonica preprocessing, per-page segmentation choice, Tesseract API);
  - `tesseract FILE - -l spa+eng` with its default settings (Debian's build uses OpenMP
    threads inside each page);
  - the same command with OMP_THREAD_LIMIT=1, the fair single-thread baseline.
Then the CER of each page and the median per class of sample (clean, rotated, noisy, 150dpi,
jpeg, table, pdf, tiff, hard, hard-table), lupa-ocr beside the command-line tool, and the pages
on which lupa-ocr does worse than the tool. Then it times a 10-page image-only PDF end to end: lupa-ocr (renders and recognises the pages
on all cores) against the command-line tool run page after page with one thread on the same
pages pre-rendered at 300 dpi by pdftoppm (rendering not counted, in the tool's favour).

CER: edit distance over code points after whitespace runs are collapsed to one space, divided
by the ground truth's length (the same measure as tests/support/character_error_rate.cpp).

Usage: bench/ocr_bench.py [--build DIR] [--runs 3] [--workdir DIR] [--only CLASS,...]
                          [--no-ten-pages]
Needs: a build with bin/lupa-ocr; Debian packages tesseract-ocr, tesseract-ocr-spa,
tesseract-ocr-eng, poppler-utils; python3-pil for scripts/make-scan-samples.py.
Writes nothing inside the repository.
"""
import argparse
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
SCANS = REPO / "corpus" / "scans"
TRUTH = REPO / "tests" / "data" / "scans"
HARD = TRUTH / "hard"
# The class of each sample of corpus/scans; every page of the hard set is "hard", its table
# "hard-table".
CLASSES = {
    "clean-300dpi.png": "clean", "degraded-rotated.png": "rotated",
    "degraded-noisy.jpg": "noisy", "degraded-150dpi.png": "150dpi",
    "degraded-jpeg.jpg": "jpeg", "hard-scan.jpg": "hard", "table-monospaced.png": "table",
    "image-only-report.pdf": "pdf", "multipage.tif": "tiff",
}


def sample_class(name):
    if name in CLASSES:
        return CLASSES[name]
    return "hard-table" if "table" in name else "hard"


def samples():
    """(name, image file, truth file) of every recognised sample, the hard set last."""
    found = [(t.name[: -len(".txt")], SCANS / t.name[: -len(".txt")], t)
             for t in sorted(TRUTH.glob("*.txt"))]
    found += [(t.name[: -len(".txt")], HARD / t.name[: -len(".txt")], t)
              for t in sorted(HARD.glob("*.txt"))]
    return [s for s in found if s[0] != "text-layer-report.pdf"]  # read, not recognised
# The sample generator needs Pillow, which Debian installs for its own python3.
PYTHON_WITH_PIL = os.environ.get("PYTHON_WITH_PIL", "/usr/bin/python3")


def comparable(text):
    return re.sub(r"\s+", " ", text).strip()


def edit_distance(truth, text):
    """Levenshtein distance, Myers' bit-parallel algorithm over Python integers."""
    if not truth:
        return len(text)
    m = len(truth)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    peq = {}
    for i, c in enumerate(truth):
        peq[c] = peq.get(c, 0) | (1 << i)
    pv, mv, score = mask, 0, m
    for c in text:
        eq = peq.get(c, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & mask) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & mask
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = (mh | ~(xv | ph)) & mask
        mv = ph & xv
    return score


def cer(text, truth):
    a, b = comparable(text), comparable(truth)
    return edit_distance(b, a) / max(1, len(b))


def timed(command, env=None):
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"ocr_bench: {' '.join(map(str, command))} failed: {done.stderr.strip()}")
    return elapsed, done.stdout


def render_pages(pdf, folder):
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(pdf), str(folder / "page")],
                   check=True)
    return sorted(folder.glob("page-*.png"))


def tesseract_pages(images, env):
    """Runs the CLI on each image; returns (total seconds, text with form feeds)."""
    total, texts = 0.0, []
    for image in images:
        seconds, text = timed(["tesseract", str(image), "-", "-l", "spa+eng"], env)
        total += seconds
        texts.append(text)
    return total, "\f".join(texts)


def page_count(truth_text):
    return truth_text.count("\f") + 1


def measure(label, runs, command_for_run):
    times, text = [], ""
    for _ in range(runs):
        seconds, text = command_for_run()
        times.append(seconds)
    return {"median": statistics.median(times), "min": min(times), "max": max(times),
            "text": text, "label": label}


def split_pages(text, truth_pages):
    pages = text.split("\f")
    if len(pages) != len(truth_pages):  # the CLI ends each page with a form feed of its own
        pages = [p for p in pages if p.strip()] or [""]
    return pages + [""] * (len(truth_pages) - len(pages))


def per_page_cer(text, truth_text):
    truth_pages = truth_text.split("\f")
    pages = split_pages(text, truth_pages)
    total_errors = sum(edit_distance(comparable(t), comparable(p))
                       for p, t in zip(pages, truth_pages))
    return total_errors / max(1, sum(len(comparable(t)) for t in truth_pages))


def page_cers(text, truth_text):
    """The CER of each page."""
    truth_pages = truth_text.split("\f")
    return [cer(p, t) for p, t in zip(split_pages(text, truth_pages), truth_pages)]


def print_classes(results):
    """CER per page and median per class, lupa-ocr beside the command-line tool."""
    print()
    print("| class | page | lupa-ocr CER | tesseract CLI CER | lupa-ocr minus CLI |")
    print("|---|---|---|---|---|")
    classes = {}
    for row in results:
        for page, (mine, theirs) in enumerate(zip(row["lupa"]["page_cers"],
                                                  row["cli_default"]["page_cers"]), start=1):
            label = row["sample"] + (f" p{page}" if row["pages"] > 1 else "")
            classes.setdefault(row["class"], []).append((label, mine, theirs))
            print(f"| {row['class']} | {label} | {100 * mine:.2f} % | {100 * theirs:.2f} % "
                  f"| {100 * (mine - theirs):+.2f} |")
    print()
    print("| class | pages | lupa-ocr median CER (range) | tesseract CLI median CER (range) "
          "| pages lupa-ocr worse |")
    print("|---|---|---|---|---|")
    summary = {}
    for name, pages in classes.items():
        mine = [p[1] for p in pages]
        theirs = [p[2] for p in pages]
        worse = [p[0] for p in pages if p[1] > p[2]]
        summary[name] = {"pages": len(pages), "lupa_median": statistics.median(mine),
                         "cli_median": statistics.median(theirs), "lupa_worse": worse}
        print(f"| {name} | {len(pages)} | {100 * statistics.median(mine):.2f} % "
              f"({100 * min(mine):.2f}-{100 * max(mine):.2f}) "
              f"| {100 * statistics.median(theirs):.2f} % "
              f"({100 * min(theirs):.2f}-{100 * max(theirs):.2f}) | {', '.join(worse) or '-'} |")
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.environ.get("LUPA_BUILD", REPO / "build"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir")
    parser.add_argument("--only", help="only these classes, comma-separated (e.g. hard,hard-table)")
    parser.add_argument("--no-ten-pages", action="store_true",
                        help="skip the 10-page PDF timed end to end")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    lupa_ocr = pathlib.Path(args.build) / "bin" / "lupa-ocr"
    if not lupa_ocr.exists():
        sys.exit(f"ocr_bench: {lupa_ocr} not found; build first")
    work = pathlib.Path(args.workdir or tempfile.mkdtemp(prefix="lupa-ocr-bench."))
    one_thread = dict(os.environ, OMP_THREAD_LIMIT="1")

    results = []
    print(f"# OCR benchmark: {os.cpu_count()} cores, {args.runs} runs per tool (median, range)")
    print()
    print("| sample | pages | lupa-ocr s/page | CER | tesseract CLI (default) s/page | CER "
          "| tesseract CLI (1 thread) s/page | CER |")
    print("|---|---|---|---|---|---|---|---|")
    for name, sample, truth_file in samples():
        if only and sample_class(name) not in only:
            continue
        truth_text = truth_file.read_text(encoding="utf-8")
        pages = page_count(truth_text)
        if sample.suffix == ".pdf":
            images = render_pages(sample, work / name)
        else:
            images = [sample]
        lupa = measure("lupa-ocr", args.runs,
                       lambda: timed([str(lupa_ocr), "--threads", "1", str(sample)]))
        cli_default = measure("cli", 1, lambda: tesseract_pages(images, None))
        cli_single = measure("cli-1", args.runs, lambda: tesseract_pages(images, one_thread))
        row = {"sample": name, "class": sample_class(name), "pages": pages}
        for key, run in (("lupa", lupa), ("cli_default", cli_default), ("cli_1", cli_single)):
            row[key] = {"s_per_page": run["median"] / pages,
                        "range": [run["min"] / pages, run["max"] / pages],
                        "cer": per_page_cer(run["text"], truth_text),
                        "page_cers": page_cers(run["text"], truth_text)}
        results.append(row)
        cells = [name, str(pages)]
        for key in ("lupa", "cli_default", "cli_1"):
            r = row[key]
            cells.append(f"{r['s_per_page']:.2f} ({r['range'][0]:.2f}-{r['range'][1]:.2f})")
            cells.append(f"{100 * r['cer']:.2f} %")
        print("| " + " | ".join(cells) + " |", flush=True)
    classes = print_classes(results)
    report = {"samples": results, "classes": classes}
    if args.no_ten_pages:
        (work / "ocr-bench.json").write_text(json.dumps(report, indent=2))
        print(f"results: {work / 'ocr-bench.json'}")
        return

    ten = work / "ten-pages.pdf"
    subprocess.run([PYTHON_WITH_PIL, str(REPO / "scripts" / "make-scan-samples.py"),
                    "--bench-pdf", str(ten)], check=True, capture_output=True)
    ten_truth = pathlib.Path(str(ten) + ".txt").read_text(encoding="utf-8")
    ten_images = render_pages(ten, work / "ten-pages")
    lupa = measure("lupa-ocr", args.runs, lambda: timed([str(lupa_ocr), str(ten)]))
    cli = measure("cli-1", args.runs, lambda: tesseract_pages(ten_images, one_thread))
    speedup = cli["median"] / lupa["median"]
    print()
    print(f"10-page image-only PDF: lupa-ocr {lupa['median']:.1f} s "
          f"({lupa['min']:.1f}-{lupa['max']:.1f}), CER {100 * per_page_cer(lupa['text'], ten_truth):.2f} %; "
          f"tesseract CLI page after page, 1 thread {cli['median']:.1f} s "
          f"({cli['min']:.1f}-{cli['max']:.1f}), CER {100 * per_page_cer(cli['text'], ten_truth):.2f} %; "
          f"speed-up {speedup:.2f}x")
    report["ten_pages"] = {"lupa_s": lupa["median"], "cli_s": cli["median"], "speedup": speedup}
    (work / "ocr-bench.json").write_text(json.dumps(report, indent=2))
    print(f"results: {work / 'ocr-bench.json'}")


if __name__ == "__main__":
    main()
