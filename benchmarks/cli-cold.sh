#!/usr/bin/env bash
# The command line, cold: every command in a JVM of its own, as a deploy script or a shell runs it,
# started both ways: java -jar cli/target/fkguard.jar ..., and the launcher cli/fkguard (skipped for
# FKGUARD_JAR). Prints a markdown table per way of medians: wall time, CPU time
# (user + sys, all threads: less sensitive to other load than wall time) and wall time net of the
# JVM's own start (the median of `--help`).
#
#   bash benchmarks/cli-cold.sh [--runs N] [--tables N] [--db FILE] [--no-build]
#
# --db FILE uses a copy of FILE (which must hold no fkguard triggers) instead of the harness's
# generated schema of --tables tables (default 1000: 3,000 foreign keys, every child column indexed).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5; tables=1000; db=""; build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --tables) tables="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "usage: $0 [--runs N] [--tables N] [--db FILE] [--no-build]" >&2; exit 2 ;;
  esac
done
if [ "$build" = 1 ]; then
  mvn -B -q ${MVN_OFFLINE:+-o} -pl cli,benchmarks -am package -DskipTests >&2
fi
jar=${FKGUARD_JAR:-cli/target/fkguard.jar} # FKGUARD_JAR=other.jar times another build
tool=(java -cp benchmarks/target/fkguard-benchmarks.jar dev.fkguard.bench.CliColdTool)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "$db" ]; then
  cp "$db" "$work/base.db"
else
  "${tool[@]}" schema "$work/base.db" "$tables"
fi
cp "$work/base.db" "$work/synced.db"
java -jar "$jar" sync -q --orphans=warn "$work/synced.db"

# time CMD...: appends "wall cpu" (seconds) to $work/times
time_one() {
  /usr/bin/time -f "%e %U %S" -o "$work/one" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  awk '{ printf "%s %.3f\n", $1, $2 + $3 }' "$work/one" >> "$work/times"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
row() { # name: reads $work/times
  wall=$(cut -d' ' -f1 "$work/times" | median)
  cpu=$(cut -d' ' -f2 "$work/times" | median)
  spread=$(cut -d' ' -f1 "$work/times" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }')
  if [ -z "${jvm:-}" ]; then jvm=$wall; fi
  net=$(awk -v w="$wall" -v j="$jvm" 'BEGIN { printf "%.2f", w - j }')
  printf '| %s | %.2f s | %.2f s | %s s | %s |\n' "$1" "$wall" "$cpu" "$net" "$spread"
  : > "$work/times"
}

tables_n=$(sqlite3 "$work/base.db" "SELECT count(*) FROM sqlite_schema WHERE type = 'table'" 2>/dev/null || echo "?")
triggers_n=$(sqlite3 "$work/synced.db" "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'" 2>/dev/null || echo "?")
echo "fkguard CLI, cold JVM per command: $tables_n tables, $triggers_n fkguard triggers when synced; $runs runs each;"
echo "$(java -version 2>&1 | head -1); sqlite-jdbc $(unzip -p "$jar" META-INF/maven/org.xerial/sqlite-jdbc/pom.properties 2>/dev/null | grep '^version' | cut -d= -f2); $(nproc) cpus; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
# table CMD...: the rows below for the command line started as CMD (a JVM of its own per command)
table() {
  jvm=""
  echo "| command | wall (median) | CPU user+sys (median) | wall net of JVM start | wall min-max |"
  echo "|---|---:|---:|---:|---:|"
  : > "$work/times"
  for i in $(seq "$runs"); do time_one "$@" --help; done
  row "\`--help\` (JVM start)"
  for i in $(seq "$runs"); do cp "$work/base.db" "$work/first.db"; time_one "$@" sync -q --orphans=warn "$work/first.db"; done
  row "first \`sync\` (creates every trigger)"
  "$@" sync -q --orphans=warn "$work/synced.db"
  for i in $(seq "$runs"); do time_one "$@" sync -q --orphans=warn "$work/synced.db"; done
  row "\`sync\`, nothing to change"
  for i in $(seq "$runs"); do time_one "$@" plan -q --orphans=warn "$work/synced.db"; done
  row "\`plan\`, nothing to change"
  for i in $(seq "$runs"); do time_one "$@" check -q "$work/synced.db"; done
  row "\`check\` (full plan, every key's rows counted)"
  for i in $(seq "$runs"); do
    cp "$work/synced.db" "$work/rebuilt.db"
    "${tool[@]}" rebuild "$work/rebuilt.db" t0500 2>/dev/null || "${tool[@]}" rebuild "$work/rebuilt.db" "$(sqlite3 "$work/rebuilt.db" "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY rowid LIMIT 1 OFFSET $((tables_n / 2))")"
    time_one "$@" sync -q --orphans=warn "$work/rebuilt.db"
  done
  row "\`sync\` after one table rebuilt (full plan)"
}

echo "\`java -jar $jar\` (the JVM's defaults):"
echo
table java -jar "$jar"
if [ -z "${FKGUARD_JAR:-}" ]; then
  echo
  echo "\`cli/fkguard\`, the launcher (-XX:TieredStopAtLevel=1 -XX:+UseSerialGC, the same jar):"
  echo
  table sh cli/fkguard
fi
echo
for i in $(seq "$runs"); do cp "$work/base.db" "$work/ddl.db"; "${tool[@]}" ddl "$work/ddl.db"; done > "$work/ddl"
echo "SQLite alone: the first sync's $(head -1 "$work/ddl" | cut -d' ' -f1) statements executed in one transaction, in process, no fkguard code around them: median $(cut -d' ' -f3 "$work/ddl" | median) ms wall, $(cut -d' ' -f6 "$work/ddl" | median) ms CPU"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
