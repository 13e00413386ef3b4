#!/usr/bin/env bash
# Soak test: hostile data at size, under a memory ceiling. Generates a 5,000,000-row facts file in which every
# entity and month has hundreds of disagreeing rows, and a catalogue of 100,000 entities; then loads and queries
# them with `ulimit -v` set, and fails if a query takes too long, uses too much memory or prints too much.
# Usage: Tests/Soak/soak.sh EVQ_BINARY [WORK_DIR]   (about a minute and 0.4 GB of disk)
set -euo pipefail
evq=$(realpath "$1")
# GNU time measures the peak memory.
if [ ! -x /usr/bin/time ]; then
    SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq time >/dev/null
fi
work=${2:-.build/soak}
mkdir -p "$work"
cd "$work"
rows=${SOAK_ROWS:-5000000}

if [ ! -s "conflicts-$rows.csv" ]; then
    python3 - "$rows" <<'PY'
import random, sys
rows = int(sys.argv[1])
random.seed(17)
entities = ["xiaomi", "hima", "su7", "yu7", "aito", "luxeed", "byd", "tesla"]
with open(f"conflicts-{rows}.csv", "w") as f:
    f.write("entity,metric,period,value,unit,bound,source,line,note\n")
    n = 0
    while n < rows:
        for e in entities:
            for year in (2024, 2025):
                for m in range(1, 13):
                    bound = "exact" if n % 5 else "at-least"
                    f.write(f"{e},deliveries,{year}-{m:02d},{random.randint(5000, 60000)},vehicles,{bound},src{n % 13},{n % 97 + 1},soak\n")
                    n += 1
PY
fi
if [ ! -s entities-100k.csv ]; then
    python3 - <<'PY'
with open("entities-100k.csv", "w") as f:
    f.write("id,kind,name,parent,partner,aliases\n")
    for b in range(1000):
        f.write(f"brand{b},brand,Brand {b},,,\n")
        for m in range(99):
            f.write(f"model{b}-{m},model,Model {b}-{m},brand{b},,\n")
PY
fi
if [ ! -s chain-100k.csv ]; then
    python3 - <<'PY'
with open("chain-100k.csv", "w") as f:
    f.write("id,kind,name,parent,partner,aliases\n")
    for i in range(100000):
        f.write(f"d{i},group,D{i},{'' if i == 0 else 'd' + str(i - 1)},,\n")
PY
fi
csv="conflicts-$rows.csv"
size_mb=$(( $(stat -c %s "$csv") / 1048576 ))
# The ceiling on address space: four times the file, plus 1.5 GB for the runtime's reservations. Peak memory
# must stay under four times the file (a query over 625,000 disagreeing rows per entity keeps each row's
# constraint while it works); load alone stays near the file's size.
ceiling_kb=$(( (4 * size_mb + 1536) * 1024 ))
peak_mb=$(( 4 * size_mb ))
echo "soak: $csv ($size_mb MB), ulimit -v $((ceiling_kb / 1024)) MB"

failed=0
check() {  # check NAME SECONDS MAX_OUTPUT_BYTES ARGS…: run evq under the ceiling and hold it to time and size
    local name=$1 limit=$2 max_out=$3; shift 3
    local start end status=0
    start=$(date +%s%N)
    ( ulimit -v "$ceiling_kb"; /usr/bin/time -f "%M" -o rss.txt "$evq" "$@" >out.txt 2>err.txt ) || status=$?
    end=$(date +%s%N)
    local ms=$(( (end - start) / 1000000 )) rss=$(( $(tail -1 rss.txt) / 1024 )) bytes
    bytes=$(stat -c %s out.txt)
    printf 'soak: %-34s %6d ms  %5d MB peak  %8d bytes out  exit %d\n' "$name" "$ms" "$rss" "$bytes" "$status"
    if [ "$ms" -gt $((limit * 1000)) ] || [ "$bytes" -gt "$max_out" ] || [ "$rss" -gt "$peak_mb" ]; then
        echo "soak: FAIL $name (limits: $limit s, $max_out bytes, $peak_mb MB)"; head -c 600 err.txt; failed=1
    fi
    if [ "$status" != "${EXPECT_STATUS:-0}" ]; then echo "soak: FAIL $name exited $status"; head -c 600 err.txt; failed=1; fi
}

check "load only" 30 1000 --data "$csv" -c 'print 1'
check "compare by month (conflicts)" 30 64000 --data "$csv" -c 'compare xiaomi hima by month 2025'
check "show one month, why" 30 64000 --data "$csv" -c 'why show deliveries of hima in 2025-06'
check "top 5 models" 30 64000 --data "$csv" -c 'top 5 models by deliveries in 2025'
check "json of a disputed month" 30 20000000 --data "$csv" --format json -c 'show deliveries of su7 in 2024-03'
check "100,000 entities, top 3 brands" 30 64000 --data entities-100k.csv -c 'top 3 brands by deliveries in 2025'
EXPECT_STATUS=1 check "a 100,000-deep hierarchy (refused)" 10 1000 --data chain-100k.csv -c 'print 1'
EXPECT_STATUS=1 check "script of zeros" 10 1000 - </dev/zero
[ "$failed" = 0 ] && echo "soak: passed" || { echo "soak: failed"; exit 1; }
