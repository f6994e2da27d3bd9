#!/usr/bin/env bash
# fkguard's main demo: Chinook migrated by Flyway with the fkguard-flyway jar on an embedded SQLite file, then the
# two classic foreign-key violations tried from a plain connection (one that never ran PRAGMA foreign_keys=ON).
# Needs only a JDK 17+ and Maven. Exits non-zero if either violation is NOT refused.
set -euo pipefail
cd "$(dirname "$0")"

echo "== Building fkguard-core and fkguard-flyway (mvn install, tests skipped) ..."
mkdir -p flyway-ext/target
log=flyway-ext/target/demo-build.log
if ! mvn -B -q -Dstyle.color=never -DskipTests install -pl flyway-ext -am > "$log" 2>&1; then
  cat "$log"
  echo "== build failed" >&2
  exit 1
fi

jar=$(ls flyway-ext/target/fkguard-flyway-*.jar | head -n 1)
work=flyway-ext/target/demo
rm -rf "$work"
java -cp "$jar:flyway-ext/target/demo-lib/*" flyway-ext/src/demo/FlywayChinookDemo.java \
  testdata/Chinook_Sqlite.sql "$work"
