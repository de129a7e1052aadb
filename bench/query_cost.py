#!/usr/bin/python3
"""How much of a Lupa query's time is the Xapian query itself: the raw engine of
compare_engines.py beside Lupa's own query (lupa-query-dump: the analysed query with both
stemmers' readings, the glossary's phrases, the words as typed and the language boost), run
in this process with python3-xapian on Lupa's database, each with exact counts
(check_at_least = document count) and the counts of one facet (ValueCountMatchSpy, slot 3):

  raw + spy                 compare_engines.py's raw engine
  lupa query + collapse     Lupa's query, Lupa's BM25 parameters, collapsed on the shown-once
                            slot as lupa-searchd does by default, with the spy
  ... without the boost     the same without the language boost (which the daemon runs as a
                            posting source of its own, cheaper than the Xapian classes timed
                            in the row above: bench/README.md, "The language boost from its
                            term's postings")
  ... phrases as AND        each phrase's words required, positions not read (other matches)
  ... without phrases       the glossary's and the user's phrases dropped (other matches)

The last two change what matches; they say what the phrases cost. Every query of
compare_engines.QUERIES that Xapian can serialise, in turn (interleaved), REPEAT times;
median over queries of each query's median, and the range.

Usage: /usr/bin/python3 bench/query_cost.py --build BUILD --db LUPA_DB [--repeat 10]
(cmake --build BUILD --target lupa-query-dump first.)
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_engines import LANG_SLOT, QUERIES, RawEngine  # noqa: E402

SHOWN_ONCE_SLOT = 7  # schema::kSlotShownOnce
LEAF_POSTING_SOURCE = 101  # Xapian::Query::LEAF_POSTING_SOURCE, not in the Python bindings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    import xapian
    Q = xapian.Query
    dump = os.path.join(args.build, "bin", "lupa-query-dump")
    if not os.access(dump, os.X_OK):
        sys.exit(f"query_cost: {dump} missing: cmake --build {args.build} --target lupa-query-dump")
    # Lupa's boost is a posting source of its own, which python3-xapian cannot read: the same
    # weights in Xapian's classes instead (they cost more to match than the daemon's form).
    done = subprocess.run([dump, "--xapian-classes", args.db], input="\n".join(QUERIES) + "\n", capture_output=True,
                          text=True, check=True)
    sys.stderr.write(done.stderr)
    lupa = {}
    for line in done.stdout.splitlines():
        text, serialised = line.split("\t")
        try:
            lupa[text] = Q.unserialise(bytes.fromhex(serialised))
        except xapian.SerialisationError as error:  # Lupa's own posting sources (a body's question)
            print(f"query_cost: skipped {text!r}: {error}", file=sys.stderr)
    queries = [q for q in QUERIES if q in lupa]

    def without_boost(query):
        # The boost, last of an AND_MAYBE: a fixed weight filtered by the language's facet term
        # (a posting source over the language slot before that).
        last = query.get_num_subqueries() - 1
        if query.get_type() == Q.OP_AND_MAYBE:
            boost = query.get_subquery(last)
            if boost.get_type() == Q.OP_FILTER:
                boost = boost.get_subquery(0)
            if boost.get_type() == LEAF_POSTING_SOURCE:
                return query.get_subquery(0)
        return query

    def phrases(query, keep):
        kind = query.get_type()
        if kind == Q.OP_PHRASE:
            words = [query.get_subquery(i) for i in range(query.get_num_subqueries())]
            return Q(Q.OP_AND, words) if keep else None
        if kind in (Q.OP_OR, Q.OP_AND, Q.OP_AND_MAYBE):
            subs = [phrases(query.get_subquery(i), keep) for i in range(query.get_num_subqueries())]
            if kind == Q.OP_AND_MAYBE and subs[0] is None:
                return None
            subs = [s for s in subs if s is not None]
            if not subs:
                return None
            return Q(kind, subs) if len(subs) > 1 else subs[0]
        return query

    raw = RawEngine(args.db)
    database = raw.database
    enquire = xapian.Enquire(database)
    enquire.set_weighting_scheme(xapian.BM25Weight(1.2, 0, 1, 0.3, 0.5))
    enquire.set_collapse_key(SHOWN_ONCE_SLOT)

    def run(query):
        started = time.perf_counter()
        enquire.set_query(query)
        enquire.clear_matchspies()
        spy = xapian.ValueCountMatchSpy(LANG_SLOT)
        enquire.add_matchspy(spy)
        enquire.get_mset(0, 10, database.get_doccount())
        return time.perf_counter() - started

    modes = {
        "raw + spy": lambda q: raw.run(q, True)[0],
        "lupa query + collapse": lambda q: run(lupa[q]),
        "... without the boost": lambda q: run(without_boost(lupa[q])),
        "... phrases as AND": lambda q: run(phrases(lupa[q], True) or lupa[q]),
        "... without phrases": lambda q: run(phrases(lupa[q], False) or lupa[q]),
    }
    samples = {mode: {q: [] for q in queries} for mode in modes}
    for _ in range(args.repeat):
        for q in queries:
            for mode, timed in modes.items():
                samples[mode][q].append(timed(q) * 1000)
    print(f"query_cost: {len(queries)} queries x {args.repeat} rounds on {args.db} "
          f"(load average {os.getloadavg()[0]:.1f})")
    raw_median = statistics.median(statistics.median(samples["raw + spy"][q]) for q in queries)
    for mode in modes:
        medians = [statistics.median(samples[mode][q]) for q in queries]
        median = statistics.median(medians)
        print(f"  {mode:24} {median:7.2f} ms  ({min(medians):.2f}-{max(medians):.2f})  "
              f"{median / raw_median:5.2f}x raw")


if __name__ == "__main__":
    main()
