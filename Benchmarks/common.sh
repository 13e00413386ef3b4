# Shared by scale.sh and threads.sh (sourced; expects BENCH and GENERATOR to be set).

# The duckdb-cli wheel ships the real executable inside the package; `duckdb` on the venv's PATH is a
# Python wrapper whose start-up would be timed as DuckDB's. Finds the ELF file itself, installing the
# wheel into $BENCH first when it is not there; prints its path.
find_duckdb() {
  local f
  for f in $(find "$BENCH/venv" "$BENCH/pydeps" -type f -name duckdb -path '*duckdb_cli*' 2>/dev/null); do
    if [ -x "$f" ] && [ "$(head -c 4 "$f" | tail -c 3)" = ELF ]; then echo "$f"; return 0; fi
  done
  return 0
}
duckdb_binary() {
  local found
  found=$(find_duckdb)
  if [ -z "$found" ]; then
    echo "benchmarks: installing duckdb-cli into $BENCH/venv" >&2
    if python3 -m venv "$BENCH/venv" 2>/dev/null; then
      "$BENCH/venv/bin/pip" install -q duckdb-cli >&2
    else   # Debian's python3 without python3-venv: a plain target directory works as well
      rm -rf "$BENCH/venv"
      python3 -m pip install -q --target "$BENCH/pydeps" duckdb-cli >&2
    fi
    found=$(find_duckdb)
    [ -n "$found" ] || { echo "benchmarks: duckdb-cli installed, but no duckdb executable found in it" >&2; exit 2; }
  fi
  echo "$found"
}

# Files newer than the generator are reused: generating 10M rows takes a while and is deterministic.
# A new set is written beside the old and renamed, so an interrupted run never leaves a half file.
generate() {
  local n=$1 dir=$BENCH/$1
  if [ -f "$dir/facts.csv" ] && [ -f "$dir/entities.csv" ] \
     && [ "$dir/facts.csv" -nt "$GENERATOR" ] && [ "$dir/entities.csv" -nt "$GENERATOR" ]; then
    return
  fi
  rm -rf "$dir.tmp"
  python3 "$GENERATOR" "$n" "$dir.tmp" >&2
  rm -rf "$dir"
  mv "$dir.tmp" "$dir"
}

# A Python that imports PySpark (pyspark from PyPI, into $BENCH/venv) with Java 17 to run it (Debian's
# openjdk-17-jre-headless), each installed when missing; prints its path.
spark_python() {
  local sudo; sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  command -v java >/dev/null || { $sudo apt-get update -qq && $sudo apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }
  [ -x "$BENCH/venv/bin/python" ] || python3 -m venv "$BENCH/venv" >&2
  if ! "$BENCH/venv/bin/python" -c 'import pyspark' 2>/dev/null; then
    echo "engines: installing pyspark into $BENCH/venv" >&2
    "$BENCH/venv/bin/pip" install -q pyspark >&2
  fi
  echo "$(cd "$BENCH/venv/bin" && pwd)/python"
}

# The questions the engines are asked (as scale.sh asks them), and the SQL a user would write against the tables
# `evq push` makes: Benchmarks/engines.sh and spark.sh.
QUESTIONS=(
  'compare deliveries of b001 b002 by month 2024'
  'top 10 brands by deliveries in 2024'
  'total deliveries of b007 from 2019-03 to 2023-08'
)
SQL=(
  "select period, sum(case when entity = 'b001' then lo end) as b001, sum(case when entity = 'b002' then lo end) as b002, sum(case when entity = 'b001' then lo end) - sum(case when entity = 'b002' then lo end) as difference from facts where entity in ('b001', 'b002') and metric = 'deliveries' and period between '2024-01' and '2024-12' group by period order by period"
  "select e.id as brand, sum(f.lo) as deliveries from facts f join entities e on e.id = f.entity where e.kind = 'brand' and f.metric = 'deliveries' and f.period between '2024-01' and '2024-12' group by e.id order by deliveries desc, brand limit 10"
  "select sum(lo) as total from facts where entity = 'b007' and metric = 'deliveries' and period between '2019-03' and '2023-08'"
)
