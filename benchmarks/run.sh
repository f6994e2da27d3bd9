#!/usr/bin/env bash
# Builds the benchmark harness and runs it: the full set by default (about 5 minutes on 2 cores),
# the tiny CI size with --smoke. Markdown tables go to stdout, progress to stderr, the chart to
# docs/benchmarks-sync.svg. Run it from anywhere; it works from the repository root.
# Extra arguments go to the harness (see --help), e.g. bash benchmarks/run.sh --only sync,connection
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q ${MVN_OFFLINE:+-o} -pl benchmarks -am package -DskipTests >&2
exec java -jar benchmarks/target/fkguard-benchmarks.jar "$@"
