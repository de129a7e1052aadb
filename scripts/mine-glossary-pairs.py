#!/usr/bin/python3
"""Candidate glossary rows mined from the paired paragraphs of a Lupa index.

The indexer links a paragraph and its translation (`translation_id`) when a document gives
both languages (corpus/mx-2011-action-plan-es-en.txt, bilingual OGP pages). This script reads
those pairs from an index with Xapian's Python bindings (python3-xapian), counts in how many
pairs an English phrase of 1-3 words and a Spanish phrase of 1-4 words appear together, and
prints the pairs that appear together far more often than apart (Dice coefficient), leaving
out those whose stems the glossary already has in either language.

The output is a list to read, not rows to paste: a pair seen together in three paragraphs is
often a neighbour rather than a translation ("commitment" / "secretaría"). Check each by hand
and write the row yourself (docs/glossary.md).

Usage:
  build/bin/lupa-indexer --quiet --db /tmp/pairs-index corpus/
  scripts/mine-glossary-pairs.py --db /tmp/pairs-index [--min-pairs 2] [--min-dice 0.5]
Output: TSV on stdout, `dice<TAB>pairs<TAB>english<TAB>spanish`, best first.
"""
import argparse
import collections
import json
import pathlib
import re
import sys
import unicodedata

import xapian

REPO = pathlib.Path(__file__).resolve().parent.parent
GLOSSARY = REPO / "analyzers" / "data" / "glossary.tsv"

# Phrases neither start nor end with these (function words and OGP boilerplate).
STOP = {
    "en": set("""a an the of to in on for and or by with from at as is are be was were this that
        these those it its their his her which who whom whose will shall would can could may
        must not no all any each other such than then there also into about over under more
        most per via including between through within without new""".split()),
    "es": set("""a al ante con contra de del desde durante e el ella ellas ellos en entre era
        es esa esas ese eso esos esta estas este esto estos fue ha han la las le les lo los más
        mediante o para por que se según sin sobre su sus también u un una uno unos unas y ya
        cual cuales como cuando donde dicha dicho dichos dichas así otro otra otros otras""".split()),
}
MAX_WORDS = {"en": 3, "es": 4}


def fold(word):
    kept = word.replace("ñ", "\0")
    plain = "".join(c for c in unicodedata.normalize("NFKD", kept) if not unicodedata.combining(c))
    return plain.replace("\0", "ñ")


class Stems:
    """The stems Lupa compares glossary terms by (analyzers/src/stemming.cpp, approximately)."""

    def __init__(self):
        self.stemmers = {"en": xapian.Stem("english"), "es": xapian.Stem("spanish")}

    def key(self, words, language):
        out = []
        for word in words:
            folded = fold(word)
            if language == "es" and len(folded) > 5 and folded.endswith(("cion", "sion")):
                folded = folded[:-2] + "ón"
            out.append(fold(self.stemmers[language](folded).decode()))
        return tuple(out)


def words_of(text):
    return re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text.lower())


def phrases(words, language):
    found = set()
    stop = STOP[language]
    for n in range(1, MAX_WORDS[language] + 1):
        for i in range(len(words) - n + 1):
            gram = words[i:i + n]
            if gram[0] in stop or gram[-1] in stop or len(gram[0]) < 3:
                continue
            found.add(tuple(gram))
    return found


def known_keys(stems):
    known = {"en": set(), "es": set()}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        for language, side in (("en", fields[1]), ("es", fields[2])):
            for term in side.split("|"):
                known[language].add(stems.key(words_of(term), language))
    return known


def passage_pairs(database):
    records = {}
    for item in database.postlist(""):
        data = database.get_document(item.docid).get_data()
        try:
            record = json.loads(data)
        except ValueError:
            continue
        if record.get("id"):
            records[record["id"]] = record
    pairs = []
    for record in records.values():
        other = records.get(record.get("translation_id", ""))
        if not other or record.get("lang") != "es" or other.get("lang") != "en":
            continue
        pairs.append((other.get("text", ""), record.get("text", "")))
    return pairs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="a Lupa index (lupa-indexer --db)")
    parser.add_argument("--min-pairs", type=int, default=2)
    parser.add_argument("--min-dice", type=float, default=0.5)
    parser.add_argument("--all", action="store_true", help="keep pairs the glossary has")
    args = parser.parse_args()

    pairs = passage_pairs(xapian.Database(args.db))
    if not pairs:
        sys.exit("mine-glossary-pairs: the index has no paired Spanish/English paragraphs")
    stems = Stems()
    known = known_keys(stems)
    # Count by stems, show the commonest surface form of each.
    frequency = {"en": collections.Counter(), "es": collections.Counter()}
    surface = {"en": collections.defaultdict(collections.Counter),
               "es": collections.defaultdict(collections.Counter)}
    together = collections.Counter()
    for english, spanish in pairs:
        keys = {}
        for language, text in (("en", english), ("es", spanish)):
            keys[language] = set()
            for gram in phrases(words_of(text), language):
                key = stems.key(gram, language)
                keys[language].add(key)
                surface[language][key][" ".join(gram)] += 1
            frequency[language].update(keys[language])
        for en_key in keys["en"]:
            for es_key in keys["es"]:
                together[en_key, es_key] += 1

    rows = []
    for (en_key, es_key), count in together.items():
        if count < args.min_pairs:
            continue
        if not args.all and (en_key in known["en"] or es_key in known["es"]):
            continue
        dice = 2 * count / (frequency["en"][en_key] + frequency["es"][es_key])
        if dice >= args.min_dice:
            rows.append((dice, count, surface["en"][en_key].most_common(1)[0][0],
                         surface["es"][es_key].most_common(1)[0][0]))
    rows.sort(key=lambda r: (-r[0], -r[1], r[2]))
    print(f"# {len(pairs)} paired paragraphs; {len(rows)} candidate pairs", file=sys.stderr)
    for dice, count, english, spanish in rows:
        print(f"{dice:.2f}\t{count}\t{english}\t{spanish}")


if __name__ == "__main__":
    main()
