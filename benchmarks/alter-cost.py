#!/usr/bin/env python3
"""What fkguard's triggers cost a schema change that SQLite checks against the whole schema.

Since SQLite 3.26, ALTER TABLE ... RENAME (table or column) parses and resolves every trigger and view of
the schema, whichever table it names, and so does ADD COLUMN on recent versions: the more trigger text the
schema holds, the longer each of those statements takes. This script builds the trigger-variants schema
of N tables (three foreign keys on most of them), copies it, syncs the copy with the fkguard jar, and times
each statement on both files through this Python's sqlite3 module (the system SQLite: 3.40.1 on Debian
bookworm), inside a transaction that is rolled back; the best of 7, in ms.

usage: python3 benchmarks/alter-cost.py [--jar cli/target/fkguard.jar] [--tables 200] [--dir DIR]
"""
import argparse
import importlib.util
import os
import sqlite3
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("variants", os.path.join(HERE, "trigger-variants.py"))
variants = importlib.util.module_from_spec(spec)
spec.loader.exec_module(variants)


def statements(tables):
    mid = f"t{tables // 2:04d}"
    return [
        ("ALTER TABLE ... RENAME TO", f"ALTER TABLE {mid} RENAME TO {mid}_renamed"),
        ("ALTER TABLE ... RENAME COLUMN", f"ALTER TABLE {mid} RENAME COLUMN v TO v2"),
        ("ALTER TABLE ... ADD COLUMN", f"ALTER TABLE {mid} ADD COLUMN z INTEGER"),
        ("CREATE TABLE", "CREATE TABLE extra(id INTEGER PRIMARY KEY)"),
    ]


def best_ms(path, sql, repeats=7):
    c = sqlite3.connect(path, isolation_level=None)
    best = float("inf")
    for _ in range(repeats):
        c.execute("BEGIN")
        c.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the schema is loaded before the clock starts
        t0 = time.perf_counter()
        c.execute(sql)
        best = min(best, time.perf_counter() - t0)
        c.execute("ROLLBACK")
    c.close()
    return best * 1000


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--jar", default="cli/target/fkguard.jar")
    p.add_argument("--tables", type=int, default=200)
    p.add_argument("--dir")
    a = p.parse_args()
    d = a.dir or tempfile.mkdtemp(prefix="fkguard-alter-")
    plain = os.path.join(d, "plain.db")
    synced = os.path.join(d, "synced.db")
    for f in (plain, synced):
        if os.path.exists(f):
            os.remove(f)
    fks = variants.build(plain, a.tables)
    variants.build(synced, a.tables)
    subprocess.run(["java", "-jar", a.jar, "sync", "-q", synced], check=True, stdout=subprocess.DEVNULL)
    c = sqlite3.connect(synced)
    triggers = c.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").fetchone()[0]
    c.close()
    print(f"SQLite {sqlite3.sqlite_version} (Python's sqlite3); {a.tables} tables, {fks} foreign keys, "
          f"{triggers} fkguard triggers; best of 7, ms, rolled back")
    print()
    print("| statement | without triggers | with fkguard's triggers | ratio |")
    print("|---|---:|---:|---:|")
    for name, sql in statements(a.tables):
        without = best_ms(plain, sql)
        with_triggers = best_ms(synced, sql)
        print(f"| `{name}` | {without:.2f} | {with_triggers:.2f} | {with_triggers / without:.1f}x |")


if __name__ == "__main__":
    main()
