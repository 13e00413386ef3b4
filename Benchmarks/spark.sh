#!/usr/bin/env bash
# Spark: the benchmark questions asked through `evq --engine spark:DIR` beside the same hand-written Spark SQL in
# PySpark, on the Parquet tables `evq push` wrote from the generated files (Benchmarks/generate.py), in local mode
# on every core. Spark's start-up is counted once and apart: each question runs in a fresh process of each kind,
# its own time measured from the moment Spark is up (evq's `--timer`, which starts after the connection is made;
# `time.perf_counter` around `collect()` in PySpark), and the rest of each process's wall time (Spark starting;
# for evq also reading sources, metrics, events and the entities they name) reported beside it. Five runs of
# each; the median is reported.
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
  echo "| rows | question | evq --engine spark (ms) | PySpark, hand-written SQL (ms) | ratio | rest of evq's process (s) | rest of PySpark's (s) |"
  echo "|---:|---|---:|---:|---:|---:|---:|"
} >"$out.tmp"
for n in $SIZES; do
  generate "$n"
  dir=$BENCH/$n/spark
  # Pushed again for a new evq too, whose tables may differ (as engines.sh does for DuckDB).
  if [ ! -d "$dir" ] || [ "$dir" -ot "$BENCH/$n/facts.csv" ] || [ "$dir" -ot "$EVQ" ]; then
    start=$(date +%s.%N)
    "$EVQ" push --engine "spark:$ROOT/$dir" --data "$BENCH/$n/entities.csv" --data "$BENCH/$n/facts.csv" >&2
    echo "spark.sh: push of $n rows to Parquet took $(echo "$(date +%s.%N) - $start" | bc) s" >&2
  fi
  for i in "${!QUESTIONS[@]}"; do
    q=${QUESTIONS[$i]}
    evq_ms=() hand_ms=() walls=() hand_walls=()
    for _ in $(seq "$RUNS"); do
      s=$(date +%s.%N)
      ms=$("$EVQ" --engine "spark:$ROOT/$dir" --timer -c "$q" 2>&1 >/dev/null | sed -n 's/^Run Time: \([0-9.,]*\) ms$/\1/p' | tr -d , | tail -1)
      e=$(date +%s.%N)
      evq_ms+=("$ms"); walls+=("$(echo "$e - $s - $ms / 1000" | bc -l)")
      s=$(date +%s.%N)
      seconds=$("$EVQ_PYTHON" "$BENCH/spark-query.py" "$ROOT/$dir" "${SQL[$i]}" 2>/dev/null)
      e=$(date +%s.%N)
      hand_ms+=("$(echo "$seconds * 1000" | bc -l)"); hand_walls+=("$(echo "$e - $s - $seconds" | bc -l)")
    done
    a=$(printf '%s\n' "${evq_ms[@]}" | median) b=$(printf '%s\n' "${hand_ms[@]}" | median)
    w=$(printf '%s\n' "${walls[@]}" | median) h=$(printf '%s\n' "${hand_walls[@]}" | median)
    printf '| %s | `%s` | %.0f | %.0f | %.1f× | %.1f | %.1f |\n' "$(python3 -c "print(f'{$n:,}')")" "$q" "$a" "$b" \
      "$(echo "$a / $b" | bc -l)" "$w" "$h" >>"$out.tmp"
  done
done
mv "$out.tmp" "$out"
cat "$out"
