#!/usr/bin/env bash
# Engines: the benchmark questions asked through `evq --engine duckdb:` beside DuckDB's own shell running the
# hand-written SQL on the same database file, and through `evq --engine postgres://` beside psql running it on the
# same database; one process per question, start-up (and for PostgreSQL the connection, over loopback with a
# password) included, side by side in one hyperfine run per question. Each database is filled once by `evq push`
# from the generated files (Benchmarks/generate.py); columns are typed (lo/hi DOUBLE, start_month INTEGER, text
# VARCHAR). The real DuckDB binary inside the duckdb-cli wheel is timed, not the Python wrapper on PATH; the
# PostgreSQL server is a private cluster from Debian's packages (Tests/Engines/cluster.sh), stopped at the end.
#
# psql runs with JIT off, as evq's sessions do (evq-postgres): PostgreSQL compiled the hand-written ranking for
# 8 ms of its 47, and would compile evq's misjudged subqueries too.
#
# A third DuckDB column replays, in one shell, the statements evq sent it for the question (recorded through a
# wrapper around the shell): what DuckDB itself spends on evq's plan, so that the rest is evq's own.
#
# Usage: Benchmarks/engines.sh [path/to/evq]
#   ENGINE_SIZES="1000000 10000000"   fact rows (default)
#   RUNS=10                            hyperfine runs per command (after 2 warm-ups)
# Results: .build-bench/engines.md (and on standard output).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
EVQ=${1:-$ROOT/.build/release/evq}
case $EVQ in /*) ;; *) EVQ=$PWD/$EVQ ;; esac
cd "$ROOT"
BENCH=.build-bench
GENERATOR=Benchmarks/generate.py
SIZES=${ENGINE_SIZES:-"1000000 10000000"}
RUNS=${RUNS:-10}
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
command -v hyperfine >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq hyperfine >/dev/null; }
[ -x "$EVQ" ] || { echo "engines.sh: no $EVQ (make build)" >&2; exit 2; }
. Benchmarks/common.sh
DUCKDB=$(duckdb_binary)
export EVQ_DUCKDB=$DUCKDB
. Tests/Engines/cluster.sh
pg_start
export PGPASSWORD=secret

# The shell evq starts, recording what evq writes to it.
recorder=$BENCH/duckdb-recorder
printf '#!/bin/sh\ntee "$EVQ_RECORD" | exec "%s" "$@"\n' "$DUCKDB" >"$recorder"
chmod +x "$recorder"

out=$BENCH/engines.md
{
  echo "| rows | question | evq --engine duckdb (ms) | duckdb, evq's SELECTs (ms) | duckdb, hand-written SQL (ms) | ratio | evq --engine postgres (ms) | psql, hand-written SQL (ms) | ratio |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
} >"$out.tmp"
for n in $SIZES; do
  generate "$n"
  db=$BENCH/$n/evq.duckdb
  if [ ! -f "$db" ] || [ "$db" -ot "$BENCH/$n/facts.csv" ] || [ "$db" -ot "$EVQ" ]; then
    rm -f "$db" "$db.wal"
    start=$(date +%s.%N)
    "$EVQ" push --engine "duckdb:$db" --data "$BENCH/$n/entities.csv" --data "$BENCH/$n/facts.csv" >&2
    echo "engines.sh: push of $n rows to DuckDB took $(echo "$(date +%s.%N) - $start" | bc) s" >&2
  fi
  pg="postgres://evq@127.0.0.1:$PORT/r$n"
  psql_ -c "CREATE DATABASE r$n"
  start=$(date +%s.%N)
  "$EVQ" push --engine "$pg" --data "$BENCH/$n/entities.csv" --data "$BENCH/$n/facts.csv" >&2
  echo "engines.sh: push of $n rows to PostgreSQL took $(echo "$(date +%s.%N) - $start" | bc) s" >&2
  psql_ -d "r$n" -c "VACUUM ANALYZE"
  for i in "${!QUESTIONS[@]}"; do
    q=${QUESTIONS[$i]}
    json=$BENCH/$n/engines-$i.json
    EVQ_DUCKDB=$recorder EVQ_RECORD=$BENCH/$n/engines-$i.sql "$EVQ" --engine "duckdb:$db" -c "$q" >/dev/null
    hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$json" \
      -n evq "$EVQ --engine duckdb:$db -c '$q'" \
      -n replay "$DUCKDB -batch -readonly $db -f $BENCH/$n/engines-$i.sql" \
      -n duckdb "$DUCKDB -readonly $db -c \"${SQL[$i]}\"" \
      -n evq-pg "$EVQ --engine $pg -c '$q'" \
      -n psql "psql -X -q -h 127.0.0.1 -p $PORT -U evq -d r$n -c 'SET jit = off' -c \"${SQL[$i]}\"" >&2
    python3 - "$json" "$n" "$q" >>"$out.tmp" <<'PY'
import json, sys
r = {x["command"]: x["median"] * 1000 for x in json.load(open(sys.argv[1]))["results"]}
print(f"| {int(sys.argv[2]):,} | `{sys.argv[3]}` | {r['evq']:.0f} | {r['replay']:.0f} | {r['duckdb']:.0f} | {r['evq'] / r['duckdb']:.1f}× "
      f"| {r['evq-pg']:.0f} | {r['psql']:.0f} | {r['evq-pg'] / r['psql']:.1f}× |")
PY
  done
done
mv "$out.tmp" "$out"
cat "$out"
