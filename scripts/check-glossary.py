#!/usr/bin/python3
"""Checks glossary rows: the format, and terms that share their stems.

Usage: scripts/check-glossary.py [FILE ...]   (default analyzers/data/glossary.tsv)
Give an operator's glossary.tsv after the bundled one to check the merged rows.

Reports rows that are not `concept<TAB>en terms<TAB>es terms`, ids that are not lower-case
ASCII with hyphens or appear twice, empty sides and terms, terms not in lower case, and two
terms of one language that reduce to the same Snowball stems: across rows a query would get
either concept (a collision), within a row one of them is redundant. Stems are computed as
Lupa does (analyzers/src/stemming.cpp: accents folded, ñ kept, -cion/-sion re-accented for
Spanish) with python3-xapian; the unit test GlossaryCheck.* (analyzers_test) makes the same
check with Lupa's own code and is what CI runs. Exit status 1 when anything is reported.
"""
import collections
import pathlib
import re
import sys
import unicodedata

import xapian

REPO = pathlib.Path(__file__).resolve().parent.parent
STEMMERS = {"en": xapian.Stem("english"), "es": xapian.Stem("spanish")}


def fold(word):
    kept = word.replace("ñ", "\0")
    plain = "".join(c for c in unicodedata.normalize("NFKD", kept) if not unicodedata.combining(c))
    return plain.replace("\0", "ñ")


def stem_key(term, language):
    stems = []
    for word in re.findall(r"[\w']+", term.lower()):
        folded = fold(word)
        if language == "es" and len(folded) > 5 and folded.endswith(("cion", "sion")):
            folded = folded[:-2] + "ón"
        stems.append(fold(STEMMERS[language](folded).decode()))
    return " ".join(stems)


def main():
    paths = [pathlib.Path(p) for p in sys.argv[1:]] or [REPO / "analyzers/data/glossary.tsv"]
    errors, rows = [], []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() and not line.startswith("#"):
                rows.append((f"{path.name}:{number}", line))
    ids = collections.Counter(line.split("\t")[0] for _, line in rows)
    errors += [f"concept {c} appears {n} times" for c, n in ids.items() if n > 1]
    owners = collections.defaultdict(list)
    for where, line in rows:
        fields = line.split("\t")
        if len(fields) != 3 or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", fields[0]):
            errors.append(f"{where}: not concept<TAB>en<TAB>es: {line!r}")
            continue
        for language, side in (("en", fields[1]), ("es", fields[2])):
            terms = [t.strip() for t in side.split("|")]
            if not any(terms):
                errors.append(f"{where}: {fields[0]} has no {language} term")
            for term in terms:
                if not term or term != term.lower():
                    errors.append(f"{where}: {fields[0]}: term {term!r} empty or not lower case")
                    continue
                owners[language, stem_key(term, language)].append((fields[0], term))
    for (language, key), terms in owners.items():
        if len(terms) > 1:
            kind = "collision" if len({c for c, _ in terms}) > 1 else "redundant"
            errors.append(f"{kind} ({language} stems '{key}'): " +
                          ", ".join(f"{t!r} in {c}" for c, t in terms))
    print(f"{len(rows)} concepts; " + ("no errors" if not errors else f"{len(errors)} errors"))
    for error in errors:
        print(error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
