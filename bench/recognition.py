#!/usr/bin/python3
"""How well lupa-indexer recognises OGP documents from countries other than Mexico.

Indexes the fixtures of tests/data/ogp-world (no manifest: every piece of metadata must come
from the content) into a temporary database, reads every passage back with python3-xapian and
compares what was recognised with tests/data/ogp-world/truth.json:

  - commitments: recall and precision of the commitment passages (a passage matches a truth
    commitment when the numbers are equal, or else when the folded title of one starts with
    the first 25 folded characters of the other, or else when the OGP ids are equal; a
    commitment found several times, or in a passage and its translation, counts once);
  - institutions: each truth lead institution resolved in the matched passages' `responsible`
    values, each supporting one in `supporting` (or `agencies` when a passage has none), by an
    agencies.tsv id of the right country that names it, or by a discovered id
    (`<country>-...`, not a row of agencies.tsv) whose label names it;
  - wrong-country agencies: ids in `agencies`/`responsible`/`supporting` of a country other
    than the document's (and not one the truth says the document names legitimately);
  - document type, IRM report stage, country, plan and title;
  - IRM ratings: each rating of the truth found on a matched passage (at the top level of the
    record, in `irm`, or in `commitment.ratings`).

With --corpus DIR and no --truth, it indexes DIR instead and prints what was recognised per
document (commitments, type, country, plans, title), for a side-by-side look at the bundled
corpus. A benchmark, not a test: the exit status is 0 whatever the scores.

Usage:
  bench/recognition.py [--indexer build/bin/lupa-indexer] [--fixtures tests/data/ogp-world]
                       [--truth FILE] [--data-dir DIR] [--json] [--keep] [--details]
  bench/recognition.py --corpus corpus [--include-scans] [--json]
  bench/recognition.py --db EXISTING_INDEX [--truth FILE]      # score an index as it is
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TITLE_PREFIX = 25  # folded characters of a title compared with the other's start
MIN_TITLE = 6  # a folded title shorter than this never matches by title
RATING_KEYS = ("specificity", "ogp_values", "potential_impact", "potential_results", "completion",
               "opened_government", "starred")
TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json")

try:
    import xapian
except ImportError:  # pragma: no cover - reported to the user
    sys.exit("recognition.py needs python3-xapian (apt-get install python3-xapian); "
             "run it with /usr/bin/python3")


# ----------------------------------------------------------------------------------------------
# Text folding


def fold(text):
    """Lower case, accents removed, every run of non-alphanumerics one space."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def name_forms(name):
    """The folded ways a truth or label name may be written: as given, without a leading
    article, without a trailing "(ACRONYM)", and the acronym itself."""
    forms = set()
    raw = (name or "").strip()
    m = re.match(r"^(.*?)\s*\(([^()]+)\)\s*$", raw)
    candidates = [raw]
    if m:
        candidates += [m.group(1), m.group(2)]
    for c in candidates:
        f = fold(c)
        if not f:
            continue
        forms.add(f)
        for article in ("the ", "la ", "el ", "los ", "las "):
            if f.startswith(article):
                forms.add(f[len(article):])
    return forms


def slug(text):
    return fold(text).replace(" ", "-")


def canonical_rating(key, value):
    if value is None:
        return None
    if key == "starred":
        if isinstance(value, bool):
            return value
        f = fold(value)
        if f in ("yes", "true", "si", "1", "starred"):
            return True
        if f in ("no", "false", "0", "not starred"):
            return False
        return f
    if key == "ogp_values":
        values = value if isinstance(value, list) else re.split(r"[,;|]", str(value))
        return frozenset(fold(v).replace(" ", "-") for v in values if fold(v))
    return fold(value).replace(" ", "-")


def show_rating(value):
    if isinstance(value, frozenset):
        return "+".join(sorted(value))
    return json.dumps(value) if isinstance(value, bool) else str(value)


# ----------------------------------------------------------------------------------------------
# Reference data


class Agencies:
    """analyzers/data/agencies.tsv: id -> (country, set of folded names)."""

    def __init__(self, paths):
        self.rows = {}
        self.paths = []
        for path in paths:
            if not os.path.exists(path):
                continue
            self.paths.append(path)
            with open(path, encoding="utf-8") as f:
                for line in f:
                    line = line.rstrip("\n")
                    if not line.strip() or line.startswith("#"):
                        continue
                    cols = line.split("\t")
                    while len(cols) < 6:
                        cols.append("")
                    ident, country, acronyms, name_es, name_en, aliases = cols[:6]
                    names = set()
                    for value in [name_es, name_en] + acronyms.split("|") + aliases.split("|"):
                        value = value.strip().lstrip("^")
                        if value:
                            names |= name_forms(value)
                    self.rows[ident.strip()] = (country.strip(), names)

    def country_of(self, ident):
        row = self.rows.get(ident)
        if row:
            return row[0]
        m = re.match(r"^([a-z]{2})-", ident or "")
        return m.group(1) if m else None


def metadata_labels(db, ident):
    """Every label the index stores for a discovered agency id (tolerant of the format)."""
    labels = []
    for key in ("label:agencies:" + ident, "lupa:label:agencies:" + ident,
                "label:agency:" + ident, "lupa:label:agency:" + ident):
        try:
            raw = db.get_metadata(key)
        except Exception:
            raw = b""
        if not raw:
            continue
        text = raw.decode("utf-8", "replace")
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            labels += [str(v) for v in parsed.values() if isinstance(v, (str, int))]
        elif isinstance(parsed, list):
            labels += [str(v) for v in parsed]
        elif isinstance(parsed, str):
            labels.append(parsed)
        else:
            labels += [p for p in re.split(r"[\t|\n]", text) if p.strip()]
    return labels


def close_forms(a_forms, b_forms):
    """Two sets of folded names share one, or one starts the other and has >= 80 % its length."""
    for a in a_forms:
        for b in b_forms:
            if a == b:
                return True
            short, long_ = (a, b) if len(a) <= len(b) else (b, a)
            if long_.startswith(short) and len(short) >= 0.8 * len(long_):
                return True
    return False


class Resolver:
    def __init__(self, agencies, db):
        self.agencies = agencies
        self.db = db
        self.label_cache = {}

    def labels(self, ident):
        if ident not in self.label_cache:
            self.label_cache[ident] = metadata_labels(self.db, ident)
        return self.label_cache[ident]

    def names(self, ident, inst):
        """Whether the agency id `ident` names the truth institution `inst`."""
        country = inst.get("country")
        forms = set()
        for n in [inst.get("name")] + list(inst.get("also", [])):
            forms |= name_forms(n)
        row = self.agencies.rows.get(ident)
        if row is not None:
            return row[0] == country and bool(row[1] & forms)
        if not country or not ident.startswith(country + "-"):
            return False
        labels = self.labels(ident)
        if labels:
            label_forms = set()
            for label in labels:
                label_forms |= name_forms(label)
            return close_forms(label_forms, forms)
        rest = ident[len(country) + 1:]
        return any(rest == f.replace(" ", "-") for f in forms)


# ----------------------------------------------------------------------------------------------
# Reading the index


def find_indexer(explicit):
    if explicit:
        return explicit
    build = os.environ.get("LUPA_BUILD")
    candidates = []
    if build:
        candidates += [os.path.join(build, "bin", "lupa-indexer"),
                       os.path.join(build, "indexer", "lupa-indexer")]
    for b in ("build", "build-fixtures", "build-indexer"):
        candidates += [os.path.join(REPO, b, "bin", "lupa-indexer"),
                       os.path.join(REPO, b, "indexer", "lupa-indexer")]
    for c in candidates:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    sys.exit("lupa-indexer not found: build it or pass --indexer PATH")


def copy_corpus(src, dest, include_scans):
    """Copies src to dest; without include_scans, only text files (no OCR in a benchmark of
    recognition)."""
    os.makedirs(dest)
    for root, dirs, files in os.walk(src):
        rel = os.path.relpath(root, src)
        if not include_scans and rel != "." and os.path.basename(root) == "scans":
            dirs[:] = []
            continue
        target = os.path.join(dest, rel) if rel != "." else dest
        os.makedirs(target, exist_ok=True)
        for name in files:
            if name == "truth.json":
                continue
            if include_scans or name.lower().endswith(TEXT_SUFFIXES):
                shutil.copy2(os.path.join(root, name), os.path.join(target, name))


def run_indexer(indexer, corpus_dir, db_dir):
    cmd = [indexer, "--db", db_dir, corpus_dir]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    lines = (proc.stdout + proc.stderr).splitlines()
    summary = next((l for l in reversed(lines) if l.startswith("summary:")), "")
    return {"command": cmd, "exit_status": proc.returncode, "summary": summary,
            "inferred": [l for l in lines if l.startswith("inferred:")],
            "problems": [l for l in lines if l.startswith(("error", "warning"))],
            "output": lines}


def read_passages(db_dir):
    db = xapian.Database(db_dir)
    by_doc = collections.defaultdict(list)
    bad = 0
    for item in db.postlist(""):
        data = db.get_document(item.docid).get_data()
        try:
            rec = json.loads(data)
        except ValueError:
            bad += 1
            continue
        if isinstance(rec, dict):
            by_doc[os.path.basename(rec.get("doc", ""))].append(rec)
    for recs in by_doc.values():
        recs.sort(key=lambda r: r.get("ordinal") or 0)
    return db, by_doc, bad


def commitment_of(rec):
    c = rec.get("commitment")
    if isinstance(c, dict):
        return c
    if rec.get("kind") == "commitment":
        return {}
    return None


def rating_of(rec, key):
    """The passage's value for an IRM rating, wherever the record keeps it."""
    places = [rec, rec.get("irm"), rec.get("ratings")]
    c = rec.get("commitment")
    if isinstance(c, dict):
        places += [c.get("ratings"), c.get("irm"), c]
    for place in places:
        if isinstance(place, dict) and place.get(key) not in (None, "", []):
            return canonical_rating(key, place.get(key))
    return None


def values(rec, key):
    v = rec.get(key)
    if isinstance(v, list):
        return [str(x) for x in v]
    if isinstance(v, str) and v:
        return [v]
    return []


def doc_field(recs, key):
    """The most common non-empty value of a document-level field over its passages."""
    counter = collections.Counter()
    for r in recs:
        v = r.get(key)
        if v in (None, "", []):
            continue
        counter[json.dumps(v, sort_keys=True)] += 1
    if not counter:
        return None
    return json.loads(counter.most_common(1)[0][0])


def commitment_units(recs):
    """Distinct recognised commitments of a document: passages joined with their translations,
    then by (number, first folded characters of the title)."""
    passages = [(r, commitment_of(r)) for r in recs if commitment_of(r) is not None]
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r, _ in passages:
        find(r.get("id"))
        if r.get("translation_id"):
            parent[find(r.get("translation_id"))] = find(r.get("id"))
    units = {}
    key_to_unit = {}
    for r, c in passages:
        key = (c.get("number"), fold(c.get("title"))[:TITLE_PREFIX])
        group = find(r.get("id"))
        unit = key_to_unit.get(key) or key_to_unit.get(("group", group))
        if unit is None:
            unit = len(units)
            units[unit] = []
        key_to_unit[key] = unit
        key_to_unit[("group", group)] = unit
        units[unit].append((r, c))
    return list(units.values())


# ----------------------------------------------------------------------------------------------
# Scoring


def titles_match(a, b):
    fa, fb = fold(a), fold(b)
    if len(fa) < MIN_TITLE or len(fb) < MIN_TITLE:
        return False
    return fa.startswith(fb[:TITLE_PREFIX]) or fb.startswith(fa[:TITLE_PREFIX])


def title_close(truth, found):
    ft, ff = fold(truth), fold(found)
    if not ft or not ff:
        return False
    if ft == ff:
        return True
    short, long_ = (ft, ff) if len(ft) <= len(ff) else (ff, ft)
    return long_.startswith(short) and len(short) >= 0.8 * len(long_)


def match_commitment(c, truths):
    """Index of the truth commitment a recognised commitment matches, and how."""
    number = c.get("number")
    if number is not None:
        for i, t in enumerate(truths):
            if t.get("number") is not None and t["number"] == number:
                return i, "number"
    for i, t in enumerate(truths):
        if titles_match(c.get("title"), t.get("title")):
            return i, "title"
    ogp_id = (c.get("ogp_id") or "").upper()
    if ogp_id:
        for i, t in enumerate(truths):
            if (t.get("ogp_id") or "").upper() == ogp_id:
                return i, "ogp_id"
    return None, None


def score_document(truth, recs, resolver, agencies):
    truths = truth.get("commitments", [])
    result = {"file": truth["file"], "passages": len(recs), "found": bool(recs)}
    first = recs[0] if recs else {}

    # Document fields
    found_type = doc_field(recs, "type")
    found_stage = doc_field(recs, "report_stage")
    found_country = doc_field(recs, "country")
    found_plans = doc_field(recs, "plans") or []
    found_title = first.get("title")
    result["fields"] = {
        "type": {"truth": truth.get("type"), "found": found_type,
                 "ok": found_type == truth.get("type")},
        "report_stage": {"truth": truth.get("report_stage"), "found": found_stage,
                         "ok": found_stage == truth.get("report_stage")},
        "country": {"truth": truth.get("country"), "found": found_country,
                    "ok": found_country == truth.get("country")},
        "plan": {"truth": truth.get("plans", []), "found": found_plans,
                 "ok": sorted(found_plans) == sorted(truth.get("plans", []))},
        "title": {"truth": truth.get("title"), "found": found_title,
                  "ok": title_close(truth.get("title"), found_title)},
    }

    # Commitments
    matched = collections.defaultdict(list)  # truth index -> [(rec, commitment)]
    units_per_truth = collections.Counter()
    number_only = []
    false_positives = []
    for unit in commitment_units(recs):
        unit_matches = set()
        for r, c in unit:
            i, how = match_commitment(c, truths)
            if i is not None:
                matched[i].append((r, c))
                unit_matches.add(i)
                if how == "number" and c.get("title") and not titles_match(
                        c.get("title"), truths[i].get("title")):
                    number_only.append({"truth": truths[i].get("number"),
                                        "passage": r.get("id"), "title": c.get("title")})
        for i in unit_matches:
            units_per_truth[i] += 1
        if not unit_matches:
            r, c = unit[0]
            false_positives.append({"passage": r.get("id"), "number": c.get("number"),
                                    "title": c.get("title"), "passages": len(unit)})
    found_truths = len(matched)
    with_id = [i for i, t in enumerate(truths) if t.get("ogp_id")]
    ids_found = sum(1 for i in with_id if any(
        truths[i]["ogp_id"].upper() in {(c.get("ogp_id") or "").upper(),
                                        (r.get("linked_ogp_id") or "").upper()}
        for r, c in matched.get(i, [])))
    result["commitments"] = {
        "truth": len(truths), "found": found_truths, "false_positives": len(false_positives),
        "recall": ratio(found_truths, len(truths)),
        "precision": ratio(found_truths, found_truths + len(false_positives)),
        # the same truth commitment recognised again elsewhere in the document (a table of
        # contents entry, a summary table row, an annex): not false positives, shown apart
        "duplicates": sum(n - 1 for n in units_per_truth.values()),
        "ogp_ids_truth": len(with_id), "ogp_ids_found": ids_found,
        "missing": [t.get("title") for i, t in enumerate(truths) if i not in matched],
        "false_positive_list": false_positives,
        "matched_by_number_only": number_only,
    }

    # Institutions and ratings
    inst = {"lead": [0, 0], "supporting": [0, 0]}
    inst_missing = []
    ratings = {"truth": 0, "found": 0, "wrong": 0, "missing": []}
    for i, t in enumerate(truths):
        passages = matched.get(i, [])
        for role, field in (("lead", "responsible"), ("supporting", "supporting")):
            for want in t.get(role, []):
                inst[role][1] += 1
                ok = False
                for r, _ in passages:
                    ids = values(r, field)
                    if role == "supporting" and not ids:
                        ids = values(r, "agencies")
                    if any(resolver.names(v, want) for v in ids):
                        ok = True
                        break
                if ok:
                    inst[role][0] += 1
                else:
                    inst_missing.append({"commitment": t.get("number") or t.get("title"),
                                         "role": role, "name": want.get("name")})
        for key, want in (t.get("ratings") or {}).items():
            ratings["truth"] += 1
            want_c = canonical_rating(key, want)
            got = [rating_of(r, key) for r, _ in passages]
            got = [g for g in got if g is not None]
            if want_c in got:
                ratings["found"] += 1
            else:
                if got:
                    ratings["wrong"] += 1
                ratings["missing"].append({"commitment": t.get("number") or t.get("title"),
                                           "rating": key, "truth": show_rating(want_c),
                                           "found": sorted({show_rating(g) for g in got})})
    result["institutions"] = {"lead_resolved": inst["lead"][0], "lead_truth": inst["lead"][1],
                              "supporting_resolved": inst["supporting"][0],
                              "supporting_truth": inst["supporting"][1],
                              "unresolved": inst_missing}
    result["ratings"] = ratings

    # Agencies of the wrong country, on any passage
    allowed = {truth.get("country")} | set(truth.get("countries_named_legitimately", []))
    wrong = collections.Counter()
    for r in recs:
        for key in ("agencies", "responsible", "supporting"):
            for v in values(r, key):
                country = agencies.country_of(v)
                if country and country not in allowed:
                    wrong[v] += 1
    result["wrong_country"] = {"count": sum(wrong.values()), "ids": dict(sorted(wrong.items()))}
    return result


def ratio(a, b):
    return round(a / b, 3) if b else None


def totals_of(results):
    t = collections.Counter()
    for r in results:
        c = r["commitments"]
        t["commitments_truth"] += c["truth"]
        t["commitments_found"] += c["found"]
        t["false_positives"] += c["false_positives"]
        t["number_only"] += len(c["matched_by_number_only"])
        t["duplicates"] += c["duplicates"]
        t["ogp_ids_truth"] += c["ogp_ids_truth"]
        t["ogp_ids_found"] += c["ogp_ids_found"]
        i = r["institutions"]
        for k in ("lead_resolved", "lead_truth", "supporting_resolved", "supporting_truth"):
            t[k] += i[k]
        t["ratings_truth"] += r["ratings"]["truth"]
        t["ratings_found"] += r["ratings"]["found"]
        t["ratings_wrong"] += r["ratings"]["wrong"]
        t["wrong_country"] += r["wrong_country"]["count"]
        for f, v in r["fields"].items():
            t[f + "_ok"] += 1 if v["ok"] else 0
        t["documents"] += 1
        t["documents_indexed"] += 1 if r["found"] else 0
    out = dict(t)
    out["commitment_recall"] = ratio(t["commitments_found"], t["commitments_truth"])
    out["commitment_precision"] = ratio(t["commitments_found"],
                                        t["commitments_found"] + t["false_positives"])
    out["lead_rate"] = ratio(t["lead_resolved"], t["lead_truth"])
    out["supporting_rate"] = ratio(t["supporting_resolved"], t["supporting_truth"])
    out["ratings_rate"] = ratio(t["ratings_found"], t["ratings_truth"])
    out["ogp_id_rate"] = ratio(t["ogp_ids_found"], t["ogp_ids_truth"])
    for f in ("type", "report_stage", "country", "plan", "title"):
        out[f + "_accuracy"] = ratio(t[f + "_ok"], t["documents"])
    return out


# ----------------------------------------------------------------------------------------------
# Output


def mark(ok):
    return "ok" if ok else "--"


def cut(text, width):
    text = "" if text is None else str(text)
    return text if len(text) <= width else text[:width - 1] + "…"


def print_scores(results, totals, indexing, details):
    if indexing:
        print(f"indexer: {' '.join(indexing['command'])}")
        print(f"  exit status {indexing['exit_status']}; {indexing['summary']}")
    header = (f"{'document':44} {'cc':5} {'type':5} {'stage':5} {'plan':5} {'title':5} "
              f"{'commit':>7} {'FP':>3} {'dup':>3} {'lead':>6} {'supp':>6} {'rating':>7} {'wrong-cc':>8}")
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        f, c, i, g = r["fields"], r["commitments"], r["institutions"], r["ratings"]
        print(f"{cut(r['file'], 44):44} {mark(f['country']['ok']):5} {mark(f['type']['ok']):5} "
              f"{mark(f['report_stage']['ok']):5} {mark(f['plan']['ok']):5} "
              f"{mark(f['title']['ok']):5} {c['found']:>3}/{c['truth']:<3} "
              f"{c['false_positives']:>3} {c['duplicates']:>3} "
              f"{i['lead_resolved']:>2}/{i['lead_truth']:<3} "
              f"{i['supporting_resolved']:>2}/{i['supporting_truth']:<3} "
              f"{g['found']:>3}/{g['truth']:<3} {r['wrong_country']['count']:>8}")
    t = totals
    print("-" * len(header))
    print(f"documents: {t['documents']} ({t['documents_indexed']} found in the index)")
    print(f"commitments: recall {pct(t['commitment_recall'])} ({t['commitments_found']}/"
          f"{t['commitments_truth']}), precision {pct(t['commitment_precision'])} "
          f"({t['false_positives']} false positives; {t['number_only']} matched by number only; "
          f"{t['duplicates']} found again elsewhere in their document)")
    print(f"OGP ids of commitments found: {pct(t['ogp_id_rate'])} ({t['ogp_ids_found']}/"
          f"{t['ogp_ids_truth']})")
    print(f"institutions resolved: lead {pct(t['lead_rate'])} ({t['lead_resolved']}/"
          f"{t['lead_truth']}), supporting {pct(t['supporting_rate'])} "
          f"({t['supporting_resolved']}/{t['supporting_truth']})")
    print(f"IRM ratings found: {pct(t['ratings_rate'])} ({t['ratings_found']}/"
          f"{t['ratings_truth']}; {t['ratings_wrong']} with another value)")
    print(f"wrong-country agencies: {t['wrong_country']}")
    print("document fields: " + ", ".join(
        f"{f} {pct(t[f + '_accuracy'])}" for f in ("type", "report_stage", "country", "plan",
                                                   "title")))
    wrong = collections.Counter()
    for r in results:
        for ident, n in r["wrong_country"]["ids"].items():
            wrong[ident] += n
    if wrong:
        print("wrong-country ids (passages): " + ", ".join(f"{k} ({v})" for k, v in
                                                           wrong.most_common()))
    print()
    print("fields found (where wrong):")
    for r in results:
        bad = [f"{k}={json.dumps(v['found'], ensure_ascii=False)} (truth "
               f"{json.dumps(v['truth'], ensure_ascii=False)})"
               for k, v in r["fields"].items() if not v["ok"]]
        if bad:
            print(f"  {r['file']}: " + "; ".join(bad))
    if details:
        print()
        for r in results:
            c = r["commitments"]
            print(f"{r['file']}:")
            for m in c["missing"]:
                print(f"  missing commitment: {m}")
            for fp in c["false_positive_list"]:
                print(f"  false positive: {fp['passage']} number={fp['number']} "
                      f"title={cut(fp['title'], 70)!r}")
            for n in c["matched_by_number_only"]:
                print(f"  matched by number only: {n['passage']} -> {n['truth']}: "
                      f"{cut(n['title'], 60)!r}")
            for u in r["institutions"]["unresolved"]:
                print(f"  unresolved {u['role']}: commitment {u['commitment']}: {u['name']}")
            for m in r["ratings"]["missing"]:
                print(f"  rating {m['rating']} of {m['commitment']}: truth {m['truth']}, "
                      f"found {m['found'] or 'nothing'}")


def pct(x):
    return "n/a" if x is None else f"{100 * x:.0f}%"


def inventory(by_doc):
    docs = []
    for name in sorted(by_doc):
        recs = by_doc[name]
        units = commitment_units(recs)
        numbers = sorted({c.get("number") for u in units for _, c in u
                          if c.get("number") is not None})
        docs.append({
            "file": name, "passages": len(recs), "commitments": len(units),
            "commitment_numbers": numbers,
            "title": recs[0].get("title") if recs else None,
            "type": doc_field(recs, "type"), "report_stage": doc_field(recs, "report_stage"),
            "country": doc_field(recs, "country"), "plans": doc_field(recs, "plans") or [],
            "languages": doc_field(recs, "doc_languages") or [],
            "responsible": sorted({v for r in recs for v in values(r, "responsible")}),
            "supporting": sorted({v for r in recs for v in values(r, "supporting")}),
            "rated_commitments": sum(1 for u in units if any(
                rating_of(r, k) is not None for r, _ in u for k in RATING_KEYS)),
        })
    return docs


def print_inventory(docs, indexing):
    if indexing:
        print(f"indexer: {' '.join(indexing['command'])}")
        print(f"  exit status {indexing['exit_status']}; {indexing['summary']}")
    print()
    header = (f"{'document':44} {'cc':3} {'type':16} {'stage':10} {'plans':14} "
              f"{'pass':>5} {'commit':>6} {'rated':>5}  title")
    print(header)
    print("-" * len(header))
    for d in docs:
        print(f"{cut(d['file'], 44):44} {d['country'] or '-':3} {d['type'] or '-':16} "
              f"{d['report_stage'] or '-':10} {cut(','.join(d['plans']) or '-', 14):14} "
              f"{d['passages']:>5} {d['commitments']:>6} {d['rated_commitments']:>5}  "
              f"{cut(d['title'], 70)}")


# ----------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--indexer", help="lupa-indexer to run (default: build/bin/lupa-indexer)")
    ap.add_argument("--fixtures", default=os.path.join(REPO, "tests", "data", "ogp-world"),
                    help="folder of fixtures with truth.json (default: tests/data/ogp-world)")
    ap.add_argument("--truth", help="truth file (default: FIXTURES/truth.json; none with --corpus)")
    ap.add_argument("--corpus", help="index this folder instead of the fixtures; without --truth, "
                    "print what was recognised per document")
    ap.add_argument("--include-scans", action="store_true",
                    help="with --corpus, also copy images, PDFs and scans/ (OCR: slow)")
    ap.add_argument("--db", help="score this existing index instead of running the indexer")
    ap.add_argument("--data-dir", help="another folder with an agencies.tsv to read as well")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--details", action="store_true",
                    help="list missing commitments, false positives, unresolved institutions "
                    "and missing ratings per document")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()

    agency_files = [os.path.join(REPO, "analyzers", "data", "agencies.tsv")]
    if args.data_dir:
        agency_files.append(os.path.join(args.data_dir, "agencies.tsv"))
    agencies = Agencies(agency_files)

    source = os.path.abspath(args.corpus or args.fixtures)
    truth_path = args.truth or (None if args.corpus else os.path.join(source, "truth.json"))
    truth = None
    if truth_path:
        with open(truth_path, encoding="utf-8") as f:
            truth = json.load(f)

    workdir = None
    indexing = None
    try:
        if args.db:
            db_dir = args.db
        else:
            indexer = find_indexer(args.indexer)
            workdir = tempfile.mkdtemp(prefix="lupa-recognition-")
            corpus_dir = os.path.join(workdir, os.path.basename(source.rstrip("/")))
            copy_corpus(source, corpus_dir, args.include_scans or not args.corpus)
            db_dir = os.path.join(workdir, "db")
            indexing = run_indexer(indexer, corpus_dir, db_dir)
            if indexing["exit_status"] not in (0, 1) or not os.path.exists(db_dir):
                print(f"lupa-indexer failed (exit status {indexing['exit_status']}):",
                      file=sys.stderr)
                print("\n".join(indexing["output"][-20:]), file=sys.stderr)
                if not os.path.exists(db_dir):
                    return 0
        db, by_doc, unreadable = read_passages(db_dir)
        resolver = Resolver(agencies, db)

        if truth is None:
            docs = inventory(by_doc)
            if args.json:
                print(json.dumps({"indexing": strip_output(indexing), "documents": docs,
                                  "unreadable_records": unreadable},
                                 ensure_ascii=False, indent=1))
            else:
                print_inventory(docs, indexing)
            return 0

        results = [score_document(t, by_doc.get(t["file"], []), resolver, agencies)
                   for t in truth["documents"]]
        totals = totals_of(results)
        unexpected = sorted(set(by_doc) - {t["file"] for t in truth["documents"]})
        if args.json:
            print(json.dumps({"indexing": strip_output(indexing), "agencies_files":
                              agencies.paths, "totals": totals, "documents": results,
                              "documents_not_in_truth": unexpected,
                              "unreadable_records": unreadable},
                             ensure_ascii=False, indent=1))
        else:
            print_scores(results, totals, indexing, args.details)
            if unexpected:
                print(f"documents without truth: {', '.join(unexpected)}")
            if unreadable:
                print(f"unreadable records: {unreadable}")
    finally:
        if workdir:
            if args.keep:
                print(f"kept {workdir}", file=sys.stderr)
            else:
                shutil.rmtree(workdir, ignore_errors=True)
    return 0


def strip_output(indexing):
    if not indexing:
        return None
    return {k: v for k, v in indexing.items() if k != "output"}


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
    sys.exit(0)
