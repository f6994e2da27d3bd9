#!/usr/bin/python3
"""What fkguard's layout around the user's own triggers costs every connection (issue #11, item 3).

The schema of the sync benchmark (SyncBench.schema: table i has three keys to earlier tables, every 50th
table's third key on itself, actions rotating through all five ON DELETE and four ON UPDATE actions, every
child column indexed), with java.util.Random ported so the schema is the same one. Three files, each
measured with and without fkguard's triggers:

  none     no user trigger (fkguard's merged layout)
  before   an AFTER DELETE and an AFTER UPDATE trigger of the user's on every table, created before the
           first sync (checks and actions of a mixed group in two triggers, both newer than the user's)
  later    the same user triggers created after the first sync, then synced again (the merged trigger
           kept as the late one, the actions created again newest)

For each: fkguard triggers per FK, bytes of fkguard trigger SQL per FK, and what one open + first
query + close costs (SQLite of /usr/bin/python3), fkguard's file minus the same file without fkguard's
triggers, per FK: in instructions (callgrind, repeatable under load) and in wall-clock µs (median of 21
opens in one process, load-dependent). Usage:

  python3 benchmarks/user-triggers-connection.py [tables] [path/to/fkguard.jar]
"""
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import statistics
import tempfile
import time

ON_DELETE = ["CASCADE", "SET NULL", "RESTRICT", "NO ACTION", "SET DEFAULT"]
ON_UPDATE = ["NO ACTION", "CASCADE", "SET NULL", "RESTRICT"]


class JavaRandom:
    def __init__(self, seed):
        self.seed = (seed ^ 0x5DEECE66D) & ((1 << 48) - 1)

    def next(self, bits):
        self.seed = (self.seed * 0x5DEECE66D + 0xB) & ((1 << 48) - 1)
        r = self.seed >> (48 - bits)
        return r - (1 << 32) if r >= 1 << 31 else r

    def next_int(self, bound):
        if bound & (bound - 1) == 0:
            return (bound * self.next(31)) >> 31
        while True:
            bits = self.next(31)
            val = bits % bound
            if bits - val + (bound - 1) < (1 << 31):
                return val


def table(i):
    return "t%04d" % i


def schema(n):
    rnd = JavaRandom(20261121 + n)
    sql = []
    for i in range(n):
        cols = ["id INTEGER PRIMARY KEY"]
        for k in (1, 2, 3):
            parent = 0 if i == 0 else rnd.next_int(i)
            if k == 3 and i % 50 == 0:
                parent = i
            cols.append("f%d INTEGER REFERENCES %s (id) ON DELETE %s ON UPDATE %s"
                        % (k, table(parent), ON_DELETE[(i + k) % 5], ON_UPDATE[(i * 3 + k) % 4]))
        sql.append("CREATE TABLE %s (%s, v TEXT)" % (table(i), ", ".join(cols)))
        for k in (1, 2, 3):
            sql.append("CREATE INDEX %s_f%d ON %s (f%d)" % (table(i), k, table(i), k))
    sql.append("CREATE TABLE audit (t TEXT, id INTEGER, what TEXT)")
    return sql


def user_triggers(n):
    out = []
    for i in range(n):
        t = table(i)
        out.append("CREATE TRIGGER %s_audit_del AFTER DELETE ON %s BEGIN INSERT INTO audit VALUES ('%s', old.id, 'delete'); END" % (t, t, t))
        out.append("CREATE TRIGGER %s_audit_upd AFTER UPDATE ON %s BEGIN INSERT INTO audit VALUES ('%s', new.id, 'update'); END" % (t, t, t))
    return out


def run_sql(path, statements):
    c = sqlite3.connect(path)
    with c:
        for s in statements:
            c.execute(s)
    c.close()


def sync(jar, path):
    subprocess.run(["java", "-jar", jar, "sync", "-q", path], check=True)


def drop(jar, path):
    subprocess.run(["java", "-jar", jar, "drop", "-q", path], check=True)


def fkguard_triggers(path):
    c = sqlite3.connect(path)
    rows = c.execute("SELECT count(*), sum(length(sql)) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'fkguard\\_%' ESCAPE '\\'").fetchone()
    c.close()
    return rows[0], rows[1] or 0


def instructions(path, n):
    probe = "import sqlite3; c = sqlite3.connect(%r); c.execute('SELECT v FROM %s WHERE id = 1').fetchall(); c.close()" % (path, table(n // 2))
    out = tempfile.mktemp()
    subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, "/usr/bin/python3", "-c", probe],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out) as f:
        total = int(re.search(r"^summary: (\d+)", f.read(), re.M).group(1))
    os.remove(out)
    return total


def open_micros(path, n, runs=21):
    """Median wall-clock µs of open + first query + close in this process (after 3 warm-up opens)."""
    times = []
    for i in range(runs + 3):
        t0 = time.perf_counter()
        c = sqlite3.connect(path)
        c.execute("SELECT v FROM %s WHERE id = 1" % table(n // 2)).fetchall()
        c.close()
        if i >= 3:
            times.append((time.perf_counter() - t0) * 1e6)
    return statistics.median(times)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    jar = sys.argv[2] if len(sys.argv) > 2 else "cli/target/fkguard.jar"
    fks = 3 * n
    work = tempfile.mkdtemp()
    files = {}
    plain = os.path.join(work, "none.db")
    run_sql(plain, schema(n))
    before = os.path.join(work, "before.db")
    shutil.copy(plain, before)
    run_sql(before, user_triggers(n))
    later = os.path.join(work, "later.db")
    shutil.copy(plain, later)
    sync(jar, later)
    run_sql(later, user_triggers(n))
    sync(jar, later)
    baselines = {"none": plain, "before": before}
    shutil.copy(plain, os.path.join(work, "none-fkguard.db"))
    sync(jar, os.path.join(work, "none-fkguard.db"))
    shutil.copy(before, os.path.join(work, "before-fkguard.db"))
    sync(jar, os.path.join(work, "before-fkguard.db"))
    files = {"none": os.path.join(work, "none-fkguard.db"), "before": os.path.join(work, "before-fkguard.db"), "later": later}
    base = {k: instructions(v, n) for k, v in baselines.items()}
    base_us = {k: open_micros(v, n) for k, v in baselines.items()}
    print("| user triggers | fkguard triggers | per FK | bytes of fkguard SQL per FK | instructions per FK (open + first query) | µs per FK (median of 21 opens) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for k, path in files.items():
        count, size = fkguard_triggers(path)
        b = "none" if k == "none" else "before"
        ins = instructions(path, n)
        us = open_micros(path, n)
        print("| %s | %d | %.3f | %.0f | %.0f | %.1f |" % (k, count, count / fks, size / fks, (ins - base[b]) / fks,
                                                       (us - base_us[b]) / fks))
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
