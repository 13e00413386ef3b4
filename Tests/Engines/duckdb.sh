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
. Tests/Engines/common.sh
cross_engine "duckdb:$WORK/race.duckdb" "duckdb:$WORK/hostile.duckdb"
n=$("$EVQ_DUCKDB" -readonly -csv -noheader "$WORK/hostile.duckdb" "select count(*) from facts")
[ "$n" = $(( $(wc -l <Sources/EVQ/Data/facts.csv) - 1 + 3 )) ] && echo "ok: hostile rows all there ($n)" || fail "hostile push: $n facts"

# At the keyboard: the banner names the engine, answers come from it, and `.engine` moves to another.
screen() { tmux capture-pane -t evq-engines -p; }
tmux kill-session -t evq-engines 2>/dev/null || true
tmux new-session -d -s evq-engines -x 100 -y 40 "env HOME=$WORK EVQ_DUCKDB=$EVQ_DUCKDB $EVQ --engine duckdb:$WORK/race.duckdb"
sleep 1.5
tmux send-keys -t evq-engines 'let a = deliveries of yu7 in 2025-10' Enter 'compare xiaomi hima in 2025-04' Enter
sleep 1.5
tmux send-keys -t evq-engines '.engine memory' Enter '.engine' Enter
sleep 1
screen >"$WORK/repl.txt"
tmux kill-session -t evq-engines
for want in "from duckdb:$WORK/race.duckdb" "2025-04 │ 28,585 │ 27,555" "now on memory: 57 facts; the variable of the last engine is gone"; do
  grep -qF "$want" "$WORK/repl.txt" && echo "ok: at the keyboard: $want" || fail "at the keyboard, no '$want' in: $(cat "$WORK/repl.txt")"
done

# Failures: one clear error each, never a hang.
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
