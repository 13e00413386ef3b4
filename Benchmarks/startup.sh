#!/usr/bin/env bash
# One-shot start-up: `evq -c 'compare xiaomi hima by month 2025'` on the embedded data against the
# sqlite3 shell doing the same pivot on the same four monthly rows. Median of many runs, as a ratio.
# Usage: Benchmarks/startup.sh [path/to/evq]
set -euo pipefail
EVQ=${1:-.build/release/evq}
RUNS=${RUNS:-300}
need() { command -v "$1" >/dev/null || { SUDO=$([ "$(id -u)" = 0 ] || echo sudo); $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "$2"; }; }
need hyperfine hyperfine
need sqlite3 sqlite3

SQL="create table f(entity text, period text, value integer);
insert into f values ('xiaomi','2025-04',28585),('hima','2025-04',27555),('xiaomi','2025-05',28000),('hima','2025-05',44454);
select period, sum(case when entity='xiaomi' then value end) as xiaomi, sum(case when entity='hima' then value end) as hima,
       sum(case when entity='xiaomi' then value else -value end) as difference
from f group by period order by period;"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
hyperfine -N --warmup 30 --runs "$RUNS" --export-json "$out/r.json" \
  -n evq "$EVQ -c 'compare xiaomi hima by month 2025'" \
  -n sqlite3 "sqlite3 :memory: \"$SQL\"" >/dev/null
python3 - "$out/r.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
e, s = r["evq"]["median"] * 1000, r["sqlite3"]["median"] * 1000
print(f"{'command':<40} {'median':>9} {'mean':>9} {'runs':>5}")
for name, label in (("evq", "evq -c 'compare xiaomi hima by month 2025'"), ("sqlite3", "sqlite3 :memory: (same pivot, 4 rows)")):
    x = r[name]
    print(f"{label:<40} {x['median']*1000:8.2f}ms {x['mean']*1000:8.2f}ms {len(x['times']):5}")
print(f"ratio evq/sqlite3 (median): {e/s:.2f}x   (goal: within 1.5x)")
PY
