#!/usr/bin/env bash
# Spark: the benchmark questions asked through `evq --engine spark:DIR` beside the same hand-written Spark SQL in
# PySpark, on the Parquet tables `evq push` wrote from the generated files (Benchmarks/generate.py), in local mode
# on every core. Spark's start-up is counted once and apart: each question runs in a fresh process of each kind,
# its own time measured from the moment Spark is up (evq's `--timer`, which starts after the connection is made;
# `time.perf_counter` around `collect()` in PySpark). Five runs of each; the median is reported.
#
# Usage: Benchmarks/spark.sh [path/to/evq]
#   SPARK_SIZES="10000000"   fact rows (default)
#   RUNS=5                   runs per question and kind
# Results: .build-bench/spark.md (and on standard output).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EVQ=${1:-$ROOT/.build/release/evq}
case $EVQ in /*) ;; *) EVQ=$PWD/$EVQ ;; esac
cd "$ROOT"
BENCH=.build-bench
GENERATOR=Benchmarks/generate.py
SIZES=${SPARK_SIZES:-10000000}
RUNS=${RUNS:-5}
. Benchmarks/common.sh
export EVQ_PYTHON; EVQ_PYTHON=$(spark_python)

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

# One hand-written query in a fresh PySpark: prints its seconds, from Spark up to the rows collected.
cat >"$BENCH/spark-query.py" <<'PY'
import os, sys, time
from pyspark.sql import SparkSession
spark = (SparkSession.builder.master("local[*]").appName("hand-written").config("spark.ui.enabled", "false")
         .config("spark.sql.shuffle.partitions", "8")
         .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
for name in ["facts", "entities"]:
    spark.read.parquet(os.path.join(sys.argv[1], name)).createOrReplaceTempView(name)
start = time.perf_counter()
spark.sql(sys.argv[2]).collect()
print(time.perf_counter() - start)
PY

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
out=$BENCH/spark.md
{
  echo "| rows | question | evq --engine spark (ms) | PySpark, hand-written SQL (ms) | ratio | Spark start-up, evq's process (s) |"
  echo "|---:|---|---:|---:|---:|---:|"
} >"$out.tmp"
for n in $SIZES; do
  generate "$n"
  dir=$BENCH/$n/spark
  if [ ! -d "$dir" ] || [ "$dir" -ot "$BENCH/$n/facts.csv" ]; then
    start=$(date +%s.%N)
    "$EVQ" push --engine "spark:$ROOT/$dir" --data "$BENCH/$n/entities.csv" --data "$BENCH/$n/facts.csv" >&2
    echo "spark.sh: push of $n rows to Parquet took $(echo "$(date +%s.%N) - $start" | bc) s" >&2
  fi
  for i in "${!QUESTIONS[@]}"; do
    q=${QUESTIONS[$i]}
    evq_ms=() hand_ms=() walls=()
    for _ in $(seq "$RUNS"); do
      s=$(date +%s.%N)
      ms=$("$EVQ" --engine "spark:$ROOT/$dir" --timer -c "$q" 2>&1 >/dev/null | sed -n 's/^Run Time: \([0-9.]*\) ms$/\1/p' | tail -1)
      e=$(date +%s.%N)
      evq_ms+=("$ms"); walls+=("$(echo "$e - $s - $ms / 1000" | bc -l)")
      hand_ms+=("$(echo "$("$EVQ_PYTHON" "$BENCH/spark-query.py" "$ROOT/$dir" "${SQL[$i]}" 2>/dev/null) * 1000" | bc -l)")
    done
    a=$(printf '%s\n' "${evq_ms[@]}" | median) b=$(printf '%s\n' "${hand_ms[@]}" | median)
    w=$(printf '%s\n' "${walls[@]}" | median)
    printf '| %s | `%s` | %.0f | %.0f | %.1f× | %.1f |\n' "$(printf "%'d" "$n")" "$q" "$a" "$b" "$(echo "$a / $b" | bc -l)" "$w" >>"$out.tmp"
  done
done
mv "$out.tmp" "$out"
cat "$out"
