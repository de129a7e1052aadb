#!/usr/bin/python3
"""Share of top-10 hits that repeat a near-duplicate already shown higher on the same page.

Runs every query of bench/queries.txt against a running lupa-searchd and looks up each hit's
near-duplicate group (value slot 6, written by the indexer's duplicate grouper) in an index
that has them, so a daemon that does not collapse duplicates (an older revision, over an
index of the same corpus) is measured with the same groups as one that does.

Usage:
  bench/duplicate_share.py --url http://127.0.0.1:PORT --groups-db DIR [--queries FILE]
Needs python3-xapian (Debian's /usr/bin/python3).
"""
import argparse
import json
import urllib.parse
import urllib.request

import xapian

SLOT_DUPLICATE_GROUP = 6


def groups_by_id(path):
    database = xapian.Database(path)
    groups = {}
    for posting in database.postlist(""):
        document = database.get_document(posting.docid)
        group = document.get_value(SLOT_DUPLICATE_GROUP)
        if group:
            groups[json.loads(document.get_data())["id"]] = group.decode()
    return groups


def queries(path):
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if line and not line.startswith("#"):
                yield line


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--groups-db", required=True)
    parser.add_argument("--queries", default="bench/queries.txt")
    args = parser.parse_args()
    groups = groups_by_id(args.groups_db)
    hits = repeated = pages_with_repeats = in_repeated_groups = 0
    for query in queries(args.queries):
        parameters = urllib.parse.parse_qsl(query, keep_blank_values=True)
        parameters += [("per_page", "10"), ("facets", "false")]
        url = args.url + "/api/search?" + urllib.parse.urlencode(parameters)
        with urllib.request.urlopen(url) as answer:
            result = json.load(answer)
        seen = {}
        page_repeats = 0
        for hit in result["hits"]:
            hits += 1
            group = groups.get(hit["id"])
            if group is None:
                continue
            if group in seen:
                page_repeats += 1
            seen[group] = seen.get(group, 0) + 1
        repeated += page_repeats
        in_repeated_groups += sum(count for count in seen.values() if count > 1)
        pages_with_repeats += page_repeats > 0
    print(f"top-10 hits: {hits}, repeating a near-duplicate shown higher: {repeated} "
          f"({100.0 * repeated / max(hits, 1):.1f} %); hits with a duplicate on their page: "
          f"{in_repeated_groups} ({100.0 * in_repeated_groups / max(hits, 1):.1f} %); "
          f"pages with a repeat: {pages_with_repeats}")


if __name__ == "__main__":
    main()
