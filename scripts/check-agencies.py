#!/usr/bin/env python3
"""Checks analyzers/data/agencies.tsv (the gazetteer of government bodies).

Usage: scripts/check-agencies.py [agencies.tsv] [countries.tsv]

Checks, for every row (comment and blank lines skipped):
- six tab-separated columns: id, country, acronyms, name_es, name_en, aliases;
- no space next to a tab, no leading or trailing space in a field or a list item, no empty
  list item ("a||b"), no double space;
- the id is lower-case ASCII "<country>-<name>" (letters, digits, hyphens) and unique;
- the country is a code of countries.tsv;
- name_es and name_en are filled;
- an acronym is not a common word (in stopwords-es.txt / stopwords-en.txt or the list below);
- within one country, no acronym, name or alias belongs to two rows. Names and plain aliases
  are compared folded (lower case, accents removed) as word sequences; acronyms and ^aliases
  as written. A phrase matched as written also clashes with a folded phrase of another row
  that folds like it, since the folded one would match the same text.

Exits 1 and lists the problems if there are any; prints the rows per country either way.
Standard library only.
"""

import collections
import os
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "analyzers", "data")

# Capitalised common words that are not in the stopword lists but must not be acronyms.
COMMON_WORDS = {
    "map", "one", "servir", "dole", "wage", "men", "ed", "doe", "abs", "can", "may", "will",
    "aid", "act", "art", "bar", "bid", "cap", "dad", "end", "fed", "gap", "law", "man", "mid",
    "net", "now", "off", "old", "own", "pay", "put", "red", "run", "sin", "sol", "sur", "tax",
    "ten", "top", "use", "via", "war", "way", "win", "won", "yes", "mar", "mes", "paz", "ley",
    "pan", "sal", "sed", "ser", "son", "sus", "ver", "vez", "voz", "cia", "ogp", "aga",
}

ID_RE = re.compile(r"^[a-z]{2}(-[a-z0-9]+)+$")
WORD_RE = re.compile(r"\w+(?:'\w+)*")


def words(text):
    """The words of `text` as the matcher segments them (roughly: ICU word breaks, keeping
    apostrophes inside words, splitting at hyphens, dots, ampersands and slashes)."""
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("\u02bc", "'")
    return tuple(WORD_RE.findall(text))


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return words(unicodedata.normalize("NFC", stripped))


def read_rows(path):
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            yield number, line


def load_lines(path):
    try:
        with open(path, encoding="utf-8") as f:
            return {line.strip() for line in f if line.strip() and not line.startswith("#")}
    except OSError:
        return set()


def main(argv):
    agencies = argv[1] if len(argv) > 1 else os.path.join(DATA, "agencies.tsv")
    countries_file = argv[2] if len(argv) > 2 else os.path.join(DATA, "countries.tsv")
    countries = {line.split("\t")[0] for _, line in read_rows(countries_file)}
    stopwords = load_lines(os.path.join(DATA, "stopwords-es.txt")) | load_lines(
        os.path.join(DATA, "stopwords-en.txt"))
    common = {fold(w) for w in stopwords | COMMON_WORDS}

    problems = []
    ids = {}
    per_country = collections.Counter()
    folded_keys = collections.defaultdict(dict)  # country -> folded words -> (id, phrase)
    exact_keys = collections.defaultdict(dict)   # country -> words as written -> (id, phrase)

    def problem(number, message):
        problems.append(f"{agencies}:{number}: {message}")

    def claim(number, table, country, key, row_id, phrase):
        if not key:
            problem(number, f"{row_id}: {phrase!r} has no words")
            return
        other = table[country].get(key)
        if other and other[0] != row_id:
            problem(number, f"{row_id}: {phrase!r} is also {other[0]}'s {other[1]!r}")
        elif not other:
            table[country][key] = (row_id, phrase)

    rows = []
    for number, line in read_rows(agencies):
        fields = line.split("\t")
        if len(fields) != 6:
            problem(number, f"{len(fields)} columns, not 6: {line[:60]!r}")
            continue
        if re.search(r" \t|\t ", line) or line != line.strip(" ") or "  " in line:
            problem(number, "space next to a tab, at an end of the line, or doubled")
        row_id, country, acronyms, name_es, name_en, aliases = fields
        for field in fields:
            if field != field.strip():
                problem(number, f"{row_id}: field {field!r} has spaces at an end")
        if not ID_RE.match(row_id):
            problem(number, f"id {row_id!r} is not lower-case ASCII <country>-<name>")
        if not row_id.startswith(country + "-"):
            problem(number, f"id {row_id!r} does not start with its country {country!r}")
        if row_id in ids:
            problem(number, f"id {row_id!r} already on line {ids[row_id]}")
        ids[row_id] = number
        if country not in countries:
            problem(number, f"{row_id}: country {country!r} is not in countries.tsv")
        if not name_es.strip() or not name_en.strip():
            problem(number, f"{row_id}: name_es and name_en must both be filled")
        per_country[country] += 1
        rows.append((number, row_id, country, acronyms, name_es, name_en, aliases))

    for number, row_id, country, acronyms, name_es, name_en, aliases in rows:
        acronym_list = acronyms.split("|") if acronyms else []
        alias_list = aliases.split("|") if aliases else []
        for item in acronym_list + alias_list:
            if not item or item != item.strip():
                problem(number, f"{row_id}: empty list item or spaces around {item!r}")
        for acronym in acronym_list:
            if acronym.startswith("^"):
                problem(number, f"{row_id}: acronym {acronym!r} starts with ^")
            if fold(acronym) in common:
                problem(number, f"{row_id}: acronym {acronym!r} is a common word")
        exact = [a for a in acronym_list if a]
        exact += [a[1:] for a in alias_list if a.startswith("^") and len(a) > 1]
        folded = [name_es, name_en] + [a for a in alias_list if a and not a.startswith("^")]
        for phrase in folded:
            if phrase.strip():
                claim(number, folded_keys, country, fold(phrase), row_id, phrase)
        for phrase in exact:
            claim(number, exact_keys, country, words(phrase), row_id, phrase)

    # A phrase matched as written clashes with another row's folded phrase folding like it.
    for country, table in exact_keys.items():
        for key, (row_id, phrase) in table.items():
            other = folded_keys[country].get(fold(" ".join(key)))
            if other and other[0] != row_id:
                problems.append(f"{agencies}: {row_id}: {phrase!r} is also {other[0]}'s "
                                f"{other[1]!r} (folded)")

    print(f"{len(rows)} rows, {len(per_country)} countries")
    print(" ".join(f"{c}:{n}" for c, n in sorted(per_country.items())))
    for line in problems:
        print(line)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
