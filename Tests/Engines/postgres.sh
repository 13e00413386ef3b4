#!/usr/bin/env bash
# Cross-engine test on PostgreSQL, the real server from Debian's packages (installed when missing): a private
# cluster in a temporary folder, on a free loopback port, started here and stopped at the end whatever happens
# (Tests/Engines/cluster.sh). Every Examples/*.evq runs with --engine postgres:// on a database that `evq push` filled and must print
# its golden output byte for byte; then hostile text, variables across fetches (Tests/Engines/common.sh), and the
# ways a server fails: refused, a wrong password, no such database, no tables, a server that never answers.
#
# Usage: Tests/Engines/postgres.sh path/to/evq WORKDIR
set -euo pipefail
EVQ=$(realpath "$1"); WORK=$(realpath -m "$2")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
rm -rf "$WORK"; mkdir -p "$WORK"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

. Tests/Engines/cluster.sh
pg_start
psql_ -c "CREATE DATABASE race" -c "CREATE DATABASE hostile" -c "CREATE DATABASE empty"
URL="postgres://evq:secret@127.0.0.1:$PORT"

. Tests/Engines/common.sh
cross_engine "$URL/race" "$URL/hostile"
n=$(psql_ -d hostile -At -c "select count(*) from facts")
[ "$n" = $(( $(wc -l <Sources/EVQ/Data/facts.csv) - 1 + 3 )) ] && echo "ok: hostile rows all there ($n)" || fail "hostile push: $n facts"
# A push replaces the tables in one transaction: a second push leaves one copy of each fact.
"$EVQ" push --engine "$URL/race" >/dev/null
n=$(psql_ -d race -At -c "select count(*) from facts")
[ "$n" = $(( $(wc -l <Sources/EVQ/Data/facts.csv) - 1 )) ] && echo "ok: a second push replaces ($n)" || fail "second push: $n facts"

# Failures: one clear error each, never a hang.
expect "a wrong password" 1 "refused the connection" -- "$EVQ" --engine "postgres://evq:wrong@127.0.0.1:$PORT/race" -c "describe xiaomi"
expect "no such database" 1 "refused the connection" -- "$EVQ" --engine "$URL/nosuch" -c "describe xiaomi"
expect "no tables" 1 "push the data first" -- "$EVQ" --engine "$URL/empty" -c "describe xiaomi"
FREE=$(free_port)
expect "no server" 1 "cannot reach PostgreSQL" -- "$EVQ" --engine "postgres://evq@127.0.0.1:$FREE/race" -c "describe xiaomi"
expect "not a URL" 1 "is not a PostgreSQL URL" -- "$EVQ" --engine "postgres://evq@127.0.0.1:notaport/race" -c "describe xiaomi"
# A server that accepts the connection and never answers.
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(); print(s.getsockname()[1], flush=True)
c, _ = s.accept(); time.sleep(30)' >"$WORK/silent.port" &
silent=$!
for _ in $(seq 50); do [ -s "$WORK/silent.port" ] && break; sleep 0.1; done
start=$(date +%s)
expect "a server that never answers" 1 "did not answer within 1 s" -- env EVQ_ENGINE_TIMEOUT=1 "$EVQ" --engine "postgres://evq@127.0.0.1:$(cat "$WORK/silent.port")/race" -c "describe xiaomi"
[ $(( $(date +%s) - start )) -le 5 ] || fail "the silent server held evq for $(( $(date +%s) - start )) s"
kill $silent 2>/dev/null || true
expect "no client" 1 "cannot start PostgreSQL's client" -- env EVQ_POSTGRES_CLIENT=/nonexistent/evq-postgres "$EVQ" --engine "$URL/race" -c "describe xiaomi"
expect "a password is not printed" 1 "postgres://evq:\*\*\*@" -- "$EVQ" --engine "postgres://evq:secret@127.0.0.1:$PORT/empty" -c "describe xiaomi"

if [ "$failures" -gt 0 ]; then echo "engines: $failures failed" >&2; exit 1; fi
echo "engines: PostgreSQL passed"
