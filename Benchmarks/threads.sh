#!/usr/bin/env bash
# Threads: how EVQ's loading and ranking scale with the threads it is given, beside DuckDB given the same
# number (`SET threads = N`), in one run on the same generated files.
#
# Usage: Benchmarks/threads.sh [path/to/evq]
#   THREADS="1 2"        thread counts to compare (default: 1, 2, 4, … up to the CPUs online)
#   ROWS=10000000        fact rows of the in-session comparison (Benchmarks/generate.py)
#   ONE_SHOT_ROWS=1000000  rows of the one-shot comparison (load + query, start-up included, hyperfine)
#   REPEATS=3            processes per engine and thread count; medians are reported
#
# In-session, per process: evq `--timer` (load facts; top 10 models; top 10 brands, by deliveries in 2024),
# DuckDB `.timer` around the same: `create table … as select * from read_csv(…)` with typed columns, and the
# SQL of the two rankings. Peak RSS is /usr/bin/time's %M. The real DuckDB binary inside the duckdb-cli
# wheel is timed, not the Python wrapper on PATH.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
EVQ=${1:-$ROOT/.build/release/evq}
case $EVQ in /*) ;; *) EVQ=$PWD/$EVQ ;; esac
cd "$ROOT"
BENCH=.build-bench
GENERATOR=Benchmarks/generate.py
ROWS=${ROWS:-10000000}
ONE_SHOT_ROWS=${ONE_SHOT_ROWS:-1000000}
REPEATS=${REPEATS:-3}
CPUS=$(getconf _NPROCESSORS_ONLN)
if [ -z "${THREADS:-}" ]; then
  THREADS=1
  for ((t = 2; t < CPUS; t *= 2)); do THREADS="$THREADS $t"; done
  [ "$CPUS" -gt 1 ] && THREADS="$THREADS $CPUS"
fi
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
command -v hyperfine >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq hyperfine >/dev/null; }
[ -x /usr/bin/time ] || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq time >/dev/null; }
[ -x "$EVQ" ] || { echo "threads.sh: no $EVQ (make build)" >&2; exit 2; }

. Benchmarks/common.sh
mkdir -p "$BENCH"
DUCKDB=$(duckdb_binary)
generate "$ROWS"
generate "$ONE_SHOT_ROWS"
RUNS=$BENCH/threads
rm -rf "$RUNS"
mkdir -p "$RUNS"

TOP_MODELS="select e.id as model, sum(f.value) as deliveries from facts f join entities e on e.id = f.entity
where e.kind = 'model' and f.metric = 'deliveries' and f.period between '2024-01' and '2024-12'
group by e.id order by deliveries desc, model limit 10;"
TOP_BRANDS=${TOP_MODELS//model/brand}

duckdb_load() {   # $1 = data directory
  cat <<EOF
create table facts as select * from read_csv('$1/facts.csv', header = true, columns = {'entity': 'VARCHAR', 'metric': 'VARCHAR', 'period': 'VARCHAR', 'value': 'BIGINT', 'unit': 'VARCHAR', 'bound': 'VARCHAR', 'source': 'VARCHAR', 'line': 'INTEGER', 'note': 'VARCHAR'});
create table entities as select * from read_csv('$1/entities.csv', header = true, columns = {'id': 'VARCHAR', 'kind': 'VARCHAR', 'name': 'VARCHAR', 'parent': 'VARCHAR', 'partner': 'VARCHAR', 'aliases': 'VARCHAR'});
EOF
}

dir=$BENCH/$ROWS
for ((p = 1; p <= REPEATS; p++)); do
  for t in $THREADS; do
    /usr/bin/time -f %M -o "$RUNS/evq.$t.$p.rss" "$EVQ" --threads "$t" --timer -c "load \"$dir/entities.csv\"; load \"$dir/facts.csv\"; top 10 models by deliveries in 2024; top 10 brands by deliveries in 2024" \
      >"$RUNS/evq.$t.$p.out" 2>"$RUNS/evq.$t.$p.err"
    { echo "set threads = $t;"; echo ".timer on"; duckdb_load "$dir"; echo "$TOP_MODELS"; echo "$TOP_BRANDS"; } >"$RUNS/duckdb.$t.sql"
    /usr/bin/time -f %M -o "$RUNS/duckdb.$t.$p.rss" "$DUCKDB" -bail :memory: <"$RUNS/duckdb.$t.sql" \
      >"$RUNS/duckdb.$t.$p.out" 2>"$RUNS/duckdb.$t.$p.err"
  done
done

one=$BENCH/$ONE_SHOT_ROWS
hyperfine_args=()
for t in $THREADS; do
  { echo "set threads = $t;"; duckdb_load "$one"; echo "$TOP_BRANDS"; } >"$RUNS/oneshot-duckdb.$t.sql"
  hyperfine_args+=(-n "evq $t" "$EVQ --threads $t -c 'load \"$one/entities.csv\"; load \"$one/facts.csv\"; top 10 brands by deliveries in 2024'")
  hyperfine_args+=(-n "duckdb $t" "$DUCKDB -bail :memory: -f $RUNS/oneshot-duckdb.$t.sql")
done
hyperfine -N --warmup 1 --runs $((REPEATS * 3)) --export-json "$RUNS/oneshot.json" "${hyperfine_args[@]}" >/dev/null

ROWS=$ROWS ONE_SHOT_ROWS=$ONE_SHOT_ROWS THREADS=$THREADS CPUS=$CPUS \
EVQ_VERSION="evq $("$EVQ" --version)" DUCKDB_VERSION=$("$DUCKDB" --version | cut -d' ' -f1) \
python3 - "$RUNS" "$REPEATS" <<'PY'
import json, os, re, statistics, sys
runs, repeats = sys.argv[1], int(sys.argv[2])
threads = os.environ["THREADS"].split()

def median(xs):
    return statistics.median(xs) if xs else float("nan")

def evq(t):
    load, models, brands, rss = [], [], [], []
    for p in range(1, repeats + 1):
        times = [float(x.replace(",", "")) for x in re.findall(r"Run Time: ([\d,.]+) ms", open(f"{runs}/evq.{t}.{p}.err").read())]
        load.append(times[1]); models.append(times[2]); brands.append(times[3])
        rss.append(int(open(f"{runs}/evq.{t}.{p}.rss").read().split()[-1]))
    return median(load), median(models), median(brands), median(rss)

def duckdb(t):
    load, models, brands, rss = [], [], [], []
    for p in range(1, repeats + 1):
        times = [float(x) * 1000 for x in re.findall(r"Run Time \(s\): real ([\d.]+)", open(f"{runs}/duckdb.{t}.{p}.out").read())]
        # set threads, then facts, entities, the two rankings
        load.append(times[-4]); models.append(times[-2]); brands.append(times[-1])
        rss.append(int(open(f"{runs}/duckdb.{t}.{p}.rss").read().split()[-1]))
    return median(load), median(models), median(brands), median(rss)

one = {r["command"]: r for r in json.load(open(f"{runs}/oneshot.json"))["results"]}
rows, one_rows = int(os.environ["ROWS"]), int(os.environ["ONE_SHOT_ROWS"])
print(f"{os.environ['EVQ_VERSION']} and DuckDB {os.environ['DUCKDB_VERSION']}, {os.environ['CPUS']} CPUs online; "
      f"medians of {repeats} processes (one-shot: of {repeats * 3} runs)\n")
print(f"| threads | load {rows:,} rows: evq | DuckDB | top 10 models: evq | DuckDB | top 10 brands: evq | DuckDB "
      f"| peak RSS: evq | DuckDB | one-shot {one_rows:,} rows, load + top 10 brands: evq | DuckDB |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
base = None
for t in threads:
    e, d = evq(t), duckdb(t)
    base = base or e[0]
    oe, od = one[f"evq {t}"]["median"] * 1000, one[f"duckdb {t}"]["median"] * 1000
    print(f"| {t} | {e[0]:,.0f} ms (×{base / e[0]:.2f}) | {d[0]:,.0f} ms | {e[1]:,.1f} ms | {d[1]:,.1f} ms | {e[2]:,.1f} ms "
          f"| {d[2]:,.1f} ms | {e[3] / 1024:,.0f} MB | {d[3] / 1024:,.0f} MB | {oe:,.0f} ms | {od:,.0f} ms |")
PY
