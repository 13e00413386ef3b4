#!/usr/bin/env bash
# Cross-engine test on Spark SQL, in local mode: PySpark from PyPI and Java 17 from Debian's packages, installed
# when missing (Benchmarks/common.sh). Every Examples/*.evq runs with --engine spark: on the Parquet tables that
# `evq push` wrote and must print its golden output byte for byte (a script skips Spark only with a
# `-- skip on spark: REASON` comment); then hostile text, the catalogue a part at a time and variables across
# fetches (Tests/Engines/common.sh); then each way Spark fails: no PySpark, no Python, no data, no tables, a
# master that does not answer.
#
# Usage: Tests/Engines/spark.sh path/to/evq WORKDIR
set -euo pipefail
EVQ=$(realpath "$1"); WORK=$(realpath -m "$2")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BENCH=.build-bench
. Benchmarks/common.sh
export EVQ_PYTHON; EVQ_PYTHON=$(spark_python)
rm -rf "$WORK"; mkdir -p "$WORK"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

. Tests/Engines/common.sh
cross_engine "spark:$WORK/race" "spark:$WORK/hostile"
[ -d "$WORK/race/facts/metric=deliveries" ] && ls "$WORK/race/facts/metric=deliveries" | grep -q '^year=2025$' \
  && echo "ok: facts partitioned by metric and year" || fail "no facts/metric=deliveries/year=2025 in $WORK/race"
# A push replaces the folder whole: a second leaves one copy of each fact, and nothing beside it.
"$EVQ" push --engine "spark:$WORK/race" >/dev/null
n=$("$EVQ" --engine "spark:$WORK/race" --format csv -c "list metrics" \
  | python3 -c 'import csv, sys; print(sum(int(r["facts"]) for r in csv.DictReader(sys.stdin)))')
[ "$n" = $(( $(wc -l <Sources/EVQ/Data/facts.csv) - 1 )) ] && echo "ok: a second push replaces ($n)" || fail "second push: $n facts"
ls -d "$WORK"/race.evq-* 2>/dev/null && fail "a push left its staging folder" || echo "ok: no staging folder left"

# `--engine spark` alone reads the folder $EVQ_SPARK_DIR names.
EVQ_SPARK_DIR="$WORK/race" same "spark alone: EVQ_SPARK_DIR" spark "" -- -c "compare xiaomi hima in 2025-04"

# Failures: one clear error each, never a hang.
mkdir -p "$WORK/empty"
expect "spark alone without EVQ_SPARK_DIR" 1 "spark names no data folder" -- env -u EVQ_SPARK_DIR "$EVQ" --engine spark -c "describe xiaomi"
expect "no data folder" 1 "there is no Spark data folder" -- "$EVQ" --engine "spark:$WORK/none" -c "describe xiaomi"
expect "no tables" 1 "push the data first" -- "$EVQ" --engine "spark:$WORK/empty" -c "describe xiaomi"
expect "no PySpark" 1 "PySpark cannot be imported" -- env EVQ_PYTHON=/usr/bin/python3 PYTHONNOUSERSITE=1 "$EVQ" --engine "spark:$WORK/race" -c "describe xiaomi"
expect "no Python" 1 "cannot start Python for Spark" -- env EVQ_PYTHON=/nonexistent/python "$EVQ" --engine "spark:$WORK/race" -c "describe xiaomi"
start=$(date +%s)
expect "a master that does not answer" 1 "Spark" -- env EVQ_ENGINE_TIMEOUT=20 "$EVQ" --engine "spark:$WORK/race?master=spark://127.0.0.1:9" -c "describe xiaomi"
[ $(( $(date +%s) - start )) -le 40 ] || fail "the silent master held evq for $(( $(date +%s) - start )) s"

[ "$failures" = 0 ] && echo "engines: Spark passed" || { echo "engines: $failures failed" >&2; exit 1; }
