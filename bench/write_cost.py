#!/usr/bin/python3
"""What each part of a Lupa passage costs Xapian to write.

Reads every passage of a Lupa index into memory (document data, terms with their wdf and
positions, values), then writes them into a fresh database in one transaction (flush threshold
1,000, as lupa-indexer sets it) once per variant, each with one part left out, in rounds of every
variant in turn, and prints the CPU seconds of the writes alone and the database's size:

  all          every part, as the indexer wrote it
  no-positions terms without their positions
  no-data      no document data
  no-values    no value slots
  no-slots=A,B without those value slots (e.g. no-slots=10,11)

With --memory it prints instead how much the process grows a passage while the passages' values
alone are added in one transaction (Xapian 1.4 keeps every value change of a transaction in
memory until its commit), per variant.

Usage: /usr/bin/python3 bench/write_cost.py --db LUPA_DB --workdir DIR [--rounds 4]
           [--memory] [VARIANT ...]
Needs Debian's python3-xapian; writes only under DIR.
"""
import argparse
import os
import shutil
import statistics
import time

import xapian


def read_passages(path):
    database = xapian.Database(path)
    passages = []
    for posting in database.postlist(""):
        docid = posting.docid
        document = database.get_document(docid)
        terms = []
        for item in document.termlist():
            positions = list(database.positionlist(docid, item.term)) if item.term.startswith(b"Z") else []
            terms.append((item.term, item.wdf, positions))
        values = [(value.num, value.value) for value in document.values()]
        passages.append((document.get_data(), terms, values))
    return passages


def left_out_slots(variant):
    if variant == "no-values":
        return None
    if variant.startswith("no-slots="):
        return {int(slot) for slot in variant.split("=", 1)[1].split(",")}
    return set()


def build(passage, variant):
    data, terms, values = passage
    document = xapian.Document()
    for term, wdf, positions in terms:
        if positions and variant != "no-positions":
            for position in positions:
                document.add_posting(term, position, 0)
            document.add_term(term, wdf)
        elif wdf:
            document.add_term(term, wdf)
        else:
            document.add_boolean_term(term)
    slots = left_out_slots(variant)
    if slots is not None:
        for slot, value in values:
            if slot not in slots:
                document.add_value(slot, value)
    if variant != "no-data":
        document.set_data(data)
    return document


def rss_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1])
    return 0


def write_cost(passages, variants, workdir, rounds):
    seconds = {variant: [] for variant in variants}
    for _ in range(rounds):
        for variant in variants:
            path = os.path.join(workdir, "write-cost")
            shutil.rmtree(path, ignore_errors=True)
            documents = [build(passage, variant) for passage in passages]
            started = time.process_time()
            database = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
            database.begin_transaction()
            for document in documents:
                database.add_document(document)
            database.commit_transaction()
            database.close()
            seconds[variant].append(time.process_time() - started)
            size = sum(os.path.getsize(os.path.join(path, name)) for name in os.listdir(path))
            print(f"{variant:20s} {seconds[variant][-1]:6.2f} s CPU  {size / 1e6:6.1f} MB", flush=True)
    print("\nvariant              CPU s: median (min-max)")
    for variant in variants:
        runs = seconds[variant]
        print(f"{variant:20s} {statistics.median(runs):.2f} ({min(runs):.2f}-{max(runs):.2f})")


def value_memory(passages, variants, workdir):
    print("variant              bytes a passage of value changes held until the commit")
    for variant in variants:
        # Each in a child of its own: memory a cancelled transaction freed would be used again.
        child = os.fork()
        if child:
            os.waitpid(child, 0)
            continue
        path = os.path.join(workdir, "value-memory")
        shutil.rmtree(path, ignore_errors=True)
        database = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
        database.begin_transaction()
        slots = left_out_slots(variant)
        before = rss_kib()
        added = 0
        for _ in range(3):  # enough passages for the growth to dwarf the allocator's slack
            for _, _, values in passages:
                document = xapian.Document()
                for slot, value in values:
                    if slots is not None and slot not in slots:
                        document.add_value(slot, value)
                database.add_document(document)
                added += 1
        print(f"{variant:20s} {round((rss_kib() - before) * 1024 / added)}", flush=True)
        os._exit(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="a Lupa index, read only")
    parser.add_argument("--workdir", required=True, help="where the scratch databases go")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("variants", nargs="*",
                        default=["all", "no-positions", "no-data", "no-values", "no-slots=10,11"])
    args = parser.parse_args()
    os.environ["XAPIAN_FLUSH_THRESHOLD"] = "1000"
    os.makedirs(args.workdir, exist_ok=True)
    passages = read_passages(args.db)
    print(f"{len(passages)} passages read from {args.db}")
    if args.memory:
        value_memory(passages, args.variants, args.workdir)
    else:
        write_cost(passages, args.variants, args.workdir, args.rounds)


if __name__ == "__main__":
    main()
