#!/usr/bin/env python3
"""Where the connection cost of fkguard's triggers goes, in instructions (repeatable under any load).

Every connection parses every trigger at its first statement. This script builds a schema of N tables
(three foreign keys on most of them, as the benchmark harness's connection section does), syncs it with
the fkguard jar, derives variants of the installed trigger text, and counts the instructions that
one open + first query + close costs under callgrind through this Python's sqlite3 module (the system
SQLite: 3.40.1 on Debian bookworm). Each row: (instructions with the variant - without any trigger) / FKs.

Variants (none of them shipped, except "shipped"):
  shipped        the text fkguard installs
  empty bodies   every trigger's body replaced by SELECT 1: the cost of having the triggers at all
  bare message   RAISE messages cut to SQLite's own 'FOREIGN KEY constraint failed'
  child NOT IN   one-column child checks as +NEW.c NOT IN (SELECT "p"."k" FROM "p")
  + parent IN    and the parent-side child lookups as OLD.k IN (SELECT "c"."f" FROM "c")
  unquoted       identifiers without their double quotes

The variants are made by rewriting SQL text with regular expressions: they measure parse cost only,
they are not proven equivalent (the NOT IN form is only right where the parent key cannot be NULL,
and the IN form is only as fast as EXISTS where the child column has an index).

usage: python3 benchmarks/trigger-variants.py [--jar cli/target/fkguard.jar] [--tables 1000] [--dir DIR]
"""
import argparse
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

ACTIONS = ["NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"]


def build(path, tables, seed=7):
    rnd = random.Random(seed)
    c = sqlite3.connect(path)
    c.execute("BEGIN")
    fks = 0
    for i in range(tables):
        cols = ["id INTEGER PRIMARY KEY", "v TEXT"]
        keys = []
        if i >= 3:
            for j in range(3):
                cols.append(f"f{j} INTEGER DEFAULT NULL")
                keys.append(f"FOREIGN KEY(f{j}) REFERENCES t{rnd.randrange(i):04d}(id) ON DELETE {rnd.choice(ACTIONS)}")
                fks += 1
        c.execute(f"CREATE TABLE t{i:04d}({', '.join(cols + keys)})")
        c.execute(f"INSERT INTO t{i:04d}(id, v) VALUES (1, 'x')")
    c.execute("COMMIT")
    c.close()
    return fks


def rewrite(sql, variant):
    s = sql
    if variant == "shipped":
        return s
    if variant == "empty bodies":
        return re.sub(r" BEGIN\n.*END$", " BEGIN SELECT 1; END", s, flags=re.S)
    if variant == "bare message":
        return re.sub(r"'FOREIGN KEY constraint failed: [^']*'", "'FOREIGN KEY constraint failed'", s)
    if variant in ("child NOT IN", "+ parent IN"):
        s = re.sub(r'NOT EXISTS \(SELECT 1 FROM ("[^"]+") AS "fkg_p" WHERE "fkg_p"\.("[^"]+") = \+NEW\.("[^"]+")\)',
                   r'+NEW.\3 NOT IN (SELECT \1.\2 FROM \1)', s)
    if variant == "+ parent IN":
        s = re.sub(r'EXISTS \(SELECT 1 FROM ("[^"]+") AS "fkg_c" WHERE OLD\.("[^"]+") = "fkg_c"\.("[^"]+")\)',
                   r'OLD.\2 IN (SELECT \1.\3 FROM \1)', s)
    if variant == "unquoted":
        s = re.sub(r'"([A-Za-z_][A-Za-z0-9_]*)"', r"\1", s)
    return s


def variant_file(synced, path, variant):
    shutil.copy(synced, path)
    c = sqlite3.connect(path)
    rows = c.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    c.execute("BEGIN")
    for name, _ in rows:
        c.execute(f'DROP TRIGGER "{name}"')
    for _, sql in rows:
        c.execute(rewrite(sql, variant))
    c.execute("COMMIT")
    n, size = c.execute("SELECT count(*), coalesce(sum(length(sql)), 0) FROM sqlite_master WHERE type = 'trigger'").fetchone()
    c.close()
    return n, size


def instructions(path, table):
    out = os.path.join(os.path.dirname(path), "callgrind.out")
    code = (f"import sqlite3\nc = sqlite3.connect({path!r})\n"
            f"c.execute('SELECT v FROM {table} WHERE id = 1').fetchall()\nc.close()\n")
    r = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-c", code],
                       capture_output=True, text=True, check=True)
    os.remove(out)
    return int(re.search(r"Collected : (\d+)", r.stderr).group(1))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--jar", default="cli/target/fkguard.jar")
    p.add_argument("--tables", type=int, default=1000)
    p.add_argument("--dir")
    a = p.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is needed (apt-get install valgrind)")
    d = a.dir or tempfile.mkdtemp(prefix="fkguard-variants-")
    os.makedirs(d, exist_ok=True)
    none = os.path.join(d, "none.db")
    if os.path.exists(none):
        os.remove(none)
    fks = build(none, a.tables)
    synced = os.path.join(d, "synced.db")
    shutil.copy(none, synced)
    subprocess.run(["java", "-jar", a.jar, "sync", synced], check=True, stdout=subprocess.DEVNULL)
    table = f"t{a.tables // 2:04d}"
    base = instructions(none, table)
    print(f"SQLite {sqlite3.sqlite_version} (Python {sys.version.split()[0]}), {a.tables} tables, {fks} foreign keys;"
          f" without triggers {base:,} instructions for open + first query + close\n")
    print("| trigger text | triggers | bytes of trigger SQL per FK | instructions per FK | vs shipped |")
    print("| --- | ---: | ---: | ---: | ---: |")
    shipped = None
    for v in ["shipped", "empty bodies", "bare message", "child NOT IN", "+ parent IN", "unquoted"]:
        path = os.path.join(d, re.sub(r"\W+", "-", v).strip("-") + ".db")
        n, size = variant_file(synced, path, v)
        per_fk = (instructions(path, table) - base) / fks
        shipped = shipped or per_fk
        print(f"| {v} | {n:,} | {size / fks:,.0f} | {per_fk:,.0f} | {100 * (per_fk / shipped - 1):+.1f} % |")
    if not a.dir:
        shutil.rmtree(d)


if __name__ == "__main__":
    main()
