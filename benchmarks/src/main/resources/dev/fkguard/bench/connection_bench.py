"""Connection open + first query + close through Python's sqlite3 module, i.e. the SQLite library
the system's Python links (Debian: the same libsqlite3 as the sqlite3 shell).

Run by dev.fkguard.bench.ConnectionBench, one process for the whole series so that the interpreter's
start is not timed. Arguments: WITHOUT_DB WITH_DB TABLE OPENS WARMUPS. Opens the two files
alternately (the order flips every round), times each open + first query + close with
time.perf_counter_ns and prints, one per line:
  version <sqlite_version()>
  without <ns>
  with <ns>
"""
import sqlite3
import sys
import time


def open_and_query(path, table):
    t0 = time.perf_counter_ns()
    c = sqlite3.connect(path)
    try:
        row = c.execute("SELECT v FROM " + table + " WHERE id = 1").fetchone()
    finally:
        c.close()
    t1 = time.perf_counter_ns()
    if row is None:
        raise SystemExit("row 1 of " + table + " missing in " + path)
    return t1 - t0


def main():
    without, with_, table, opens, warmups = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    print("version " + sqlite3.sqlite_version)
    for _ in range(warmups):
        open_and_query(without, table)
        open_and_query(with_, table)
    for r in range(opens):
        if r % 2 == 0:
            a = open_and_query(without, table)
            b = open_and_query(with_, table)
        else:
            b = open_and_query(with_, table)
            a = open_and_query(without, table)
        print("without %d" % a)
        print("with %d" % b)
    sys.stdout.flush()


main()
