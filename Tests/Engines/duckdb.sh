#!/usr/bin/env bash
# Cross-engine test on DuckDB, the real engine: every Examples/*.evq runs with --engine duckdb: on a database that
# `evq push` filled and must print its golden output byte for byte (a script skips DuckDB only with a
# `-- skip on duckdb: REASON` comment). Then hostile text through push and query, and the ways an engine fails:
# no database, no tables, no shell, a shell that hangs. DuckDB's CLI comes from the duckdb-cli PyPI package,
# installed into .build-bench/venv when missing (Benchmarks/common.sh).
#
# Usage: Tests/Engines/duckdb.sh path/to/evq WORKDIR
set -euo pipefail
EVQ=$(realpath "$1"); WORK=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BENCH=.build-bench GENERATOR=Benchmarks/generate.py
. Benchmarks/common.sh
export EVQ_DUCKDB; EVQ_DUCKDB=$(duckdb_binary)
rm -rf "$WORK"; mkdir -p "$WORK"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# expect NAME STATUS PATTERN -- COMMAND…: the command exits STATUS and its stderr matches PATTERN.
expect() {
  local name=$1 status=$2 pattern=$3; shift 4
  local got=0
  "$@" >"$WORK/out" 2>"$WORK/err" || got=$?
  if [ "$got" != "$status" ] || ! grep -q -- "$pattern" "$WORK/err"; then
    fail "$name: exit $got (wanted $status), stderr: $(head -c 400 "$WORK/err")"
  else
    echo "ok: $name"
  fi
}

# 1. The examples, byte for byte.
"$EVQ" push --engine "duckdb:$WORK/race.duckdb" >/dev/null
"$EVQ" test Examples --engine "duckdb:$WORK/race.duckdb" >"$WORK/examples.txt" || fail "Examples on DuckDB: $(grep -A30 FAIL "$WORK/examples.txt" | head -60)"
tail -1 "$WORK/examples.txt"

# 2. Hostile text: quotes, SQL and escapes in every kind of name, pushed and asked for through the engine, as the
#    in-memory engine answers.
cat >"$WORK/hostile-entities.csv" <<'CSV'
id,kind,name,parent,partner,aliases
x-quote,brand,"O'Brien ""Motors""'); DROP TABLE facts; --",,,"it's|a\b"
CSV
cat >"$WORK/hostile-facts.csv" <<'CSV'
entity,metric,period,value,unit,bound,source,line,note,id,as_of,revises,equals,from
x-quote,deliveries,2025-03,100,vehicles,exact,"src'); DELETE FROM facts; --",3,"note with 'quotes', \backslash and ""double""",hq1,,,,
x-quote,deliveries,2025-Q1,300,vehicles,at-least,"src'); DELETE FROM facts; --",4,quarter,,,,,
x-quote,growth-yoy,2025-03,12,%,exact,"src'); DELETE FROM facts; --",5,from a figure,,,,,hq1
CSV
"$EVQ" push --engine "duckdb:$WORK/hostile.duckdb" --data "$WORK/hostile-entities.csv" --data "$WORK/hostile-facts.csv" >/dev/null
for q in "show deliveries of x-quote" "why total deliveries of x-quote in 2025-Q1" "describe x-quote" "show growth-yoy of x-quote" "list sources"; do
  "$EVQ" --data "$WORK/hostile-entities.csv" --data "$WORK/hostile-facts.csv" -c "$q" >"$WORK/memory.txt" 2>&1 || true
  "$EVQ" --engine "duckdb:$WORK/hostile.duckdb" -c "$q" >"$WORK/duckdb.txt" 2>&1 || true
  if cmp -s "$WORK/memory.txt" "$WORK/duckdb.txt"; then echo "ok: hostile: $q"; else
    fail "hostile: $q differs: $(diff "$WORK/memory.txt" "$WORK/duckdb.txt" | head -20)"; fi
done
n=$("$EVQ_DUCKDB" -readonly -csv -noheader "$WORK/hostile.duckdb" "select count(*) from facts")
[ "$n" = $(( $(wc -l <Sources/EVQ/Data/facts.csv) - 1 + 3 )) ] && echo "ok: hostile rows all there ($n)" || fail "hostile push: $n facts"

# A variable made before later statements fetch facts that come earlier in the engine's order keeps citing its own.
printf '%s\n' 'let later = deliveries of yu7 in 2025-10' 'compare xiaomi hima by month 2025' 'why print later' \
  'print later - deliveries of xiaomi in 2025-04' >"$WORK/variables.evq"
"$EVQ" "$WORK/variables.evq" >"$WORK/memory.txt" 2>&1 || true
"$EVQ" --engine "duckdb:$WORK/race.duckdb" "$WORK/variables.evq" >"$WORK/duckdb.txt" 2>&1 || true
cmp -s "$WORK/memory.txt" "$WORK/duckdb.txt" && echo "ok: variables across fetches" \
  || fail "variables across fetches: $(diff "$WORK/memory.txt" "$WORK/duckdb.txt" | head -20)"

# 3. Failures: one clear error each, never a hang.
expect "no database" 1 "there is no DuckDB database" -- "$EVQ" --engine "duckdb:$WORK/none.duckdb" -c "describe xiaomi"
"$EVQ_DUCKDB" "$WORK/empty.duckdb" "create table t(x int)" >/dev/null
expect "no tables" 1 "push the data first" -- "$EVQ" --engine "duckdb:$WORK/empty.duckdb" -c "describe xiaomi"
expect "no shell" 1 "cannot start DuckDB's shell" -- env EVQ_DUCKDB=/nonexistent/duckdb "$EVQ" --engine "duckdb:$WORK/race.duckdb" -c "describe xiaomi"
printf '#!/bin/sh\nsleep 30\n' >"$WORK/hang"; chmod +x "$WORK/hang"
start=$(date +%s)
expect "a shell that hangs" 1 "did not answer within 1 s" -- env EVQ_DUCKDB="$WORK/hang" EVQ_ENGINE_TIMEOUT=1 "$EVQ" --engine "duckdb:$WORK/race.duckdb" -c "describe xiaomi"
[ $(( $(date +%s) - start )) -le 5 ] || fail "the hanging shell held evq for $(( $(date +%s) - start )) s"
printf '#!/bin/sh\necho "Error: disk full" >&2\nexit 1\n' >"$WORK/broken"; chmod +x "$WORK/broken"
expect "a push that fails" 1 "DuckDB: Error: disk full" -- env EVQ_DUCKDB="$WORK/broken" "$EVQ" push --engine "duckdb:$WORK/new.duckdb"
[ ! -e "$WORK/new.duckdb" ] && echo "ok: a failed push leaves no new database" || fail "a failed push left $WORK/new.duckdb"
expect "load on an engine" 1 "push --engine duckdb:" -- "$EVQ" --engine "duckdb:$WORK/race.duckdb" -c "load \"$WORK/hostile-facts.csv\""
expect "--data with an engine" 2 "push the files" -- "$EVQ" --engine "duckdb:$WORK/race.duckdb" --data "$WORK/hostile-facts.csv" -c "describe xiaomi"
expect "an engine that is not one" 2 "engine" -- "$EVQ" --engine "oracle:x" -c "describe xiaomi"

if [ "$failures" -gt 0 ]; then echo "engines: $failures failed" >&2; exit 1; fi
echo "engines: DuckDB passed"
