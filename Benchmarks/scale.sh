#!/usr/bin/env bash
# Scale: EVQ against the sqlite3 shell and DuckDB's CLI on one synthetic fact file per size, asking
# the same three questions. Each engine runs in ONE process per measurement: load the CSVs, then every
# query QUERY_REPEATS times (round robin, so no query always runs on a warmer cache than another).
# Per size it prints load time, MB/s, the median of each query, peak RSS, and EVQ's ratios to the
# others; it checks the three engines give the same numbers (exit 1 if not); at the end it judges
# EVQ's goals on the largest size and writes everything as markdown to .build-bench/results.md.
#
# Usage: Benchmarks/scale.sh [path/to/evq]
#   BENCH_SIZES="100000 1000000 10000000"  fact rows to generate (a size becomes (ROWS // 360) * 360 rows)
#   QUERY_REPEATS=5     runs of each query in each process; the median of all runs is reported
#   LOAD_REPEATS=3      processes per engine for sizes up to 1,000,000 rows; load is their median
#   BIG_LOAD_REPEATS=3  processes per engine above 1,000,000 rows (sqlite3 takes ~20 s to load 10M)
#
# What is timed, per engine (all in memory, none counting process start-up):
#   evq      `--timer` after each statement; load = `load entities.csv` + `load facts.csv` (EVQ builds
#            its indexes while loading, so its load includes them).
#   sqlite3  `.timer` does not time dot-commands such as `.import`, so load is read from SQLite's clock
#            (julianday('now'), 1 ms resolution) around create table + .import + create index: the index
#            is counted in load, as EVQ's is. Queries: `.timer on`, real time, 1 ms resolution.
#   duckdb   `.timer on`; load = the two `create table … as select * from read_csv(…)` (typed columns).
#            The real binary inside the duckdb-cli wheel, not the Python wrapper on PATH (~90 ms start).
#            DuckDB uses all cores; the others use one.
# Peak RSS is /usr/bin/time's %M for the whole process (the largest over its processes).
# Raw outputs stay in .build-bench/SIZE/runs/ (ENGINE.P.out/.err/.rss and the scripts each engine ran).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEFAULT_EVQ=$ROOT/.build/release/evq
EVQ=${1:-$DEFAULT_EVQ}
case $EVQ in /*) ;; *) EVQ=$PWD/$EVQ ;; esac   # the caller's relative path, before we cd
cd "$ROOT"

SIZES=${BENCH_SIZES:-100000 1000000 10000000}
QUERY_REPEATS=${QUERY_REPEATS:-5}
LOAD_REPEATS=${LOAD_REPEATS:-3}
BIG_LOAD_REPEATS=${BIG_LOAD_REPEATS:-3}
BENCH=.build-bench
GENERATOR=Benchmarks/generate.py
REPORT=Benchmarks/scale_report.py

# The three questions, as EVQ asks them; the SQL equivalents are in sqlite_script below.
Q1='compare deliveries of b001 b002 by month 2024'
Q2='top 10 brands by deliveries in 2024'
Q3='total deliveries of b007 from 2019-03 to 2023-08'

SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
apt_install() { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "$@" >/dev/null; }
command -v sqlite3 >/dev/null || apt_install sqlite3
[ -x /usr/bin/time ] || apt_install time   # bash's `time` keyword cannot report peak RSS

if [ ! -x "$EVQ" ]; then
  [ "$EVQ" = "$DEFAULT_EVQ" ] || { echo "scale.sh: $EVQ is not an executable" >&2; exit 2; }
  echo "scale.sh: no $EVQ; building it (swift build -c release)" >&2
  ${SWIFT:-swift} build -c release 2>&1 | tail -3
  [ -x "$EVQ" ] || { echo "scale.sh: the build made no $EVQ" >&2; exit 2; }
fi

# A private copy, so a rebuild of .build/release/evq during a long run cannot mix two versions' figures.
mkdir -p "$BENCH"
cp "$EVQ" "$BENCH/evq.bin"
EVQ_VERSION=$("$EVQ" --version 2>/dev/null || echo '?')
echo "scale.sh: benchmarking $EVQ ($EVQ_VERSION, built $(date -r "$EVQ" '+%F %T'))" >&2
EVQ=$BENCH/evq.bin

# DuckDB's real binary and the generated data: shared with threads.sh.
. "$ROOT/Benchmarks/common.sh"
DUCKDB=$(duckdb_binary)

evq_script() {   # $1 = data directory
  local r
  echo "load \"$1/entities.csv\""
  echo "load \"$1/facts.csv\""
  for ((r = 1; r <= QUERY_REPEATS; r++)); do printf '%s\n' "$Q1" "$Q2" "$Q3"; done
}

# The SQL a user would write for the same questions. Markers (==NAME==) split the output into sections.
SQL_Q1="select period,
       sum(case when entity = 'b001' then value end) as b001,
       sum(case when entity = 'b002' then value end) as b002,
       sum(case when entity = 'b001' then value end) - sum(case when entity = 'b002' then value end) as difference
from facts
where entity in ('b001', 'b002') and metric = 'deliveries' and period between '2024-01' and '2024-12'
group by period order by period;"
SQL_Q2="select e.id as brand, sum(f.value) as deliveries
from facts f join entities e on e.id = f.entity
where e.kind = 'brand' and f.metric = 'deliveries' and f.period between '2024-01' and '2024-12'
group by e.id order by deliveries desc, brand limit 10;"
SQL_Q3="select sum(value) as total from facts
where entity = 'b007' and metric = 'deliveries' and period between '2019-03' and '2023-08';"

sql_queries() {
  local r
  for ((r = 1; r <= QUERY_REPEATS; r++)); do
    printf '.print ==Q1==\n%s\n.print ==Q2==\n%s\n.print ==Q3==\n%s\n' "$SQL_Q1" "$SQL_Q2" "$SQL_Q3"
  done
  echo ".print ==COUNT=="
  echo "select count(*) as n from facts;"
}

sqlite_script() {
  cat <<EOF
.headers on
.mode csv
.timer on
.print ==LOAD_START==
select printf('%.3f', (julianday('now') - 2440587.5) * 86400.0) as clock;
.print ==LOAD==
create table facts(entity text, metric text, period text, value integer, unit text, bound text, source text, line integer, note text);
create table entities(id text primary key, kind text, name text, parent text, partner text, aliases text);
.import --csv --skip 1 $1/entities.csv entities
.import --csv --skip 1 $1/facts.csv facts
create index facts_emp on facts(entity, metric, period);
.print ==LOAD_END==
select printf('%.3f', (julianday('now') - 2440587.5) * 86400.0) as clock;
EOF
  sql_queries
}

duckdb_script() {
  cat <<EOF
.headers on
.mode csv
.timer on
.print ==LOAD==
create table facts as select * from read_csv('$1/facts.csv', header = true, columns = {'entity': 'VARCHAR', 'metric': 'VARCHAR', 'period': 'VARCHAR', 'value': 'BIGINT', 'unit': 'VARCHAR', 'bound': 'VARCHAR', 'source': 'VARCHAR', 'line': 'INTEGER', 'note': 'VARCHAR'});
create table entities as select * from read_csv('$1/entities.csv', header = true, columns = {'id': 'VARCHAR', 'kind': 'VARCHAR', 'name': 'VARCHAR', 'parent': 'VARCHAR', 'partner': 'VARCHAR', 'aliases': 'VARCHAR'});
EOF
  sql_queries
}

# One measured process: stdout, stderr and peak RSS (KB) into runs/ENGINE.P.{out,err,rss}.
run_engine() {   # engine, process number, data directory
  local engine=$1 p=$2 dir=$3 runs=$3/runs
  local base=$runs/$engine.$p
  local -a cmd
  case $engine in
    evq)     cmd=("$EVQ" --timer --format csv --color never "$runs/bench.evq") ;;
    sqlite3) cmd=(sqlite3 -bail :memory: -init /dev/null) ;;
    duckdb)  cmd=("$DUCKDB" -bail :memory:) ;;
  esac
  local input=/dev/null
  [ "$engine" = evq ] || input=$runs/bench-$engine.sql
  if ! /usr/bin/time -f %M -o "$base.rss" "${cmd[@]}" <"$input" >"$base.out" 2>"$base.err"; then
    echo "scale.sh: $engine failed on $dir (process $p); its output: $base.out, $base.err" >&2
    tail -5 "$base.err" >&2
    return 1
  fi
}

status=0
done_sizes=()
for n in $SIZES; do
  dir=$BENCH/$n
  generate "$n"
  mkdir -p "$dir/runs"
  rm -f "$dir"/runs/*
  evq_script "$dir" >"$dir/runs/bench.evq"
  sqlite_script "$dir" >"$dir/runs/bench-sqlite3.sql"
  duckdb_script "$dir" >"$dir/runs/bench-duckdb.sql"
  processes=$LOAD_REPEATS
  [ "$n" -le 1000000 ] || processes=$BIG_LOAD_REPEATS
  echo "scale.sh: $n rows: $processes process(es) per engine, each query $QUERY_REPEATS times per process" >&2
  # Engines alternate within each round, so none always runs right after generation or another's load.
  for ((p = 1; p <= processes; p++)); do
    for engine in evq sqlite3 duckdb; do
      run_engine "$engine" "$p" "$dir" || { status=1; continue 3; }
    done
  done
  python3 "$REPORT" size "$dir" "$processes" "$QUERY_REPEATS" || status=1
  done_sizes+=("$n")
  echo
done

if [ ${#done_sizes[@]} -gt 0 ]; then
  EVQ_VERSION=$EVQ_VERSION SQLITE_VERSION=$(sqlite3 --version | cut -d' ' -f1) \
  DUCKDB_VERSION=$("$DUCKDB" --version | cut -d' ' -f1) python3 "$REPORT" goals "$BENCH" "${done_sizes[@]}"
fi
[ $status = 0 ] || echo "scale.sh: FAILED: an engine failed or the answers disagree (see above)" >&2
exit $status
