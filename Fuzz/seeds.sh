#!/usr/bin/env bash
# Writes the seed corpus for the EVQ fuzzer into DIR (regenerated each run, not committed):
# every Examples/*.evq as it is, each embedded data file on its own (the fuzzer also loads an input
# that starts with a CSV header as that file), and a few `SCRIPT NUL CSV` inputs that load data and query it.
# Usage: Fuzz/seeds.sh DIR
set -euo pipefail
dir=$1
rm -rf "$dir"; mkdir -p "$dir"
for f in Examples/*.evq; do cp "$f" "$dir/example-$(basename "$f")"; done
data=Sources/EVQ/Data
for f in "$data"/*.csv; do cp "$f" "$dir/data-$(basename "$f")"; done
{ printf 'load "more.csv"\nshow deliveries of xiaomi by month 2025\nwhy total deliveries of xiaomi in 2025\n'; printf '\0'; head -n 25 "$data/facts.csv"; } > "$dir/load-facts"
{ printf 'compare newco xiaomi by quarter 2025 as chart\nlist entities\ndescribe newco\n'; printf '\0'
  printf 'id,kind,name,parent,partner,aliases\r\nnewco,maker,"New Co, Ltd.",,,"New|新公司"\r\n'; } > "$dir/load-entities"
{ printf 'events of xiaomi in 2025\nlist events\n'; printf '\0'; head -n 8 "$data/events.csv"; } > "$dir/load-events"
{ printf 'top 3 models by deliveries in 2025-10\nplot trend deliveries of xiaomi by month from 2024-12 to 2025-10 to "t.svg"\n'; printf '\0'
  printf '\xef\xbb\xbfentity,metric,period,value,unit,bound,source,line,note\nsu7,deliveries,2025-11,"40000",vehicles,at-least,000_b5aae7fb29d30725.txt,1,\n'; } > "$dir/load-facts-bom"
# Grown data (see `amplified` in FuzzTarget.swift): 0xFF, a control byte, then the file to grow.
{ printf 'compare xiaomi hima by month 2025\nshow deliveries of xiaomi in 2025-06\nwhy show deliveries of hima in 2025-06\n'; printf '\0\xff\xf9'
  printf 'entity,metric,period,value,unit,bound,source,line,note\nxiaomi,deliveries,2025-06,100,vehicles,exact,s,1,n\nhima,deliveries,2025-06,90,vehicles,exact,s,2,n\n'; } > "$dir/grown-conflicts"
{ printf 'show deliveries of deep0 in 2025-01\ntop 3 brands by deliveries in 2025\ndescribe deep3\n'; printf '\0\xff\xb6'
  printf 'id,kind,name,parent,partner,aliases\nroot,group,Root,,,\n'; } > "$dir/grown-deep"
