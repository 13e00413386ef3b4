# Shared by Tests/Engines/duckdb.sh and postgres.sh (sourced; expects EVQ and WORK set, and `fail` defined):
# `cross_engine ENGINE` pushes the embedded data to ENGINE and runs every Examples/*.evq on it, which must print
# its golden output byte for byte (a script skips an engine only with a `-- skip on KIND: REASON` comment); then
# hostile text through push and query, and variables across fetches, each as the in-memory engine answers.
# `expect NAME STATUS PATTERN -- COMMAND…`: the command exits STATUS and its standard error matches PATTERN.

expect() {
  local name=$1 status=$2 pattern=$3; shift 4
  local got=0
  "$@" >"$WORK/out" 2>"$WORK/err" || got=$?
  if [ "$got" != "$status" ] || ! grep -q -- "$pattern" "$WORK/err"; then
    fail "$name: exit $got (wanted $status), stderr: $(head -c 400 "$WORK/err")"
  else
    echo "ok: $name"
  fi
}

# same NAME ENGINE -- EVQ ARGUMENTS…: evq prints the same with --engine ENGINE as with its own memory (and the
# hostile files loaded with --data where the engine had them pushed).
same() {
  local name=$1 engine=$2 data=$3; shift 4
  "$EVQ" $data "$@" >"$WORK/memory.txt" 2>&1 || true
  "$EVQ" --engine "$engine" "$@" >"$WORK/engine.txt" 2>&1 || true
  if cmp -s "$WORK/memory.txt" "$WORK/engine.txt"; then echo "ok: $name"; else
    fail "$name differs: $(diff "$WORK/memory.txt" "$WORK/engine.txt" | head -20)"; fi
}

hostile_files() {
  cat >"$WORK/hostile-entities.csv" <<'CSV'
id,kind,name,parent,partner,aliases
x-quote,brand,"O'Brien ""Motors""'); DROP TABLE facts; --",,,"it's|a\b"
CSV
  cat >"$WORK/hostile-facts.csv" <<'CSV'
entity,metric,period,value,unit,bound,source,line,note,id,as_of,revises,equals,from
x-quote,deliveries,2025-03,100,vehicles,exact,"src'); DELETE FROM facts; --",3,"note with 'quotes', \backslash, a	tab and ""double""",hq1,,,,
x-quote,deliveries,2025-Q1,300,vehicles,at-least,"src'); DELETE FROM facts; --",4,quarter,,,,,
x-quote,growth-yoy,2025-03,12,%,exact,"src'); DELETE FROM facts; --",5,from a figure,,,,,hq1
CSV
}

# 100 brands, each with 101 months of deliveries, every one with a note: 10,100 notes; and a growth figure that
# names a month's fact by id.
many_notes() {
  awk -v ENTITIES="$WORK/many-entities.csv" 'BEGIN {
    print "id,kind,name,parent,partner,aliases" > ENTITIES
    print "entity,metric,period,value,unit,bound,source,line,note,id,as_of,revises,equals,from"
    for (e = 1; e <= 100; e++) {
      printf "n%03d,brand,Noted %d,,,\n", e, e > ENTITIES
      for (m = 0; m <= 100; m++) {
        id = (e == 1 && m == 0) ? "n001-2016-01" : ""
        printf "n%03d,deliveries,%d-%02d,%d,vehicles,exact,many-notes,%d,note %d of n%03d,%s,,,,\n", e, 2016 + int(m / 12), m % 12 + 1, 1000 * e + m, m + 1, m, e, id
      }
    }
    print "n001,growth-yoy,2017-01,5,%,exact,many-notes,200,a change from one month,,,,,n001-2016-01"
  }' >"$WORK/many-facts.csv"
}

cross_engine() {   # ENGINE (for --engine) and a second, empty database of the same engine for the hostile data
  local engine=$1 hostile=$2
  "$EVQ" push --engine "$engine" >/dev/null
  "$EVQ" test Examples --engine "$engine" >"$WORK/examples.txt" \
    || fail "Examples on $engine: $(grep -A30 FAIL "$WORK/examples.txt" | head -60)"
  tail -1 "$WORK/examples.txt"

  # Hostile text: quotes, SQL, tabs and escapes in every kind of name, pushed and asked for through the engine.
  hostile_files
  local data="--data $WORK/hostile-entities.csv --data $WORK/hostile-facts.csv"
  "$EVQ" push --engine "$hostile" $data >/dev/null
  for q in "show deliveries of x-quote" "why total deliveries of x-quote in 2025-Q1" "describe x-quote" \
           "show growth-yoy of x-quote" "list sources" "list metrics"; do
    same "hostile: $q" "$hostile" "$data" -- -c "$q"
  done

  # JSON names facts by where evq read them, not by a row of its store: the same from every engine.
  for q in "compare xiaomi hima by month 2025" "why total deliveries of xiaomi in 2025-H1" "show target of xiaomi"; do
    same "json: $q" "$engine" "" -- --format json -c "$q"
  done

  # More facts with a note or a link than evq reads whole when it connects (SQLExecutor.linksHeldWhole): each
  # fetch then asks for its own facts' notes and links by seq, and a link's fact is found by its id the same way.
  many_notes
  local many="--data $WORK/many-entities.csv --data $WORK/many-facts.csv"
  "$EVQ" push --engine "$hostile" $many >/dev/null
  for q in "show deliveries of n001" "compare n001 n002 by month 2016" "why total deliveries of n050 in 2016" \
           "show growth-yoy of n001" "why show growth-yoy of n001"; do
    same "many notes: $q" "$hostile" "$many" -- -c "$q"
  done

  # The catalogue comes a part at a time: names as a statement names them (ids, aliases in any case, an alias two
  # entities share), kinds, children, and everything where a name is unknown or a question is asked in English.
  printf '%s\n' 'id,kind,name,parent,partner,aliases' 'twin,model,Twin Model,xiaomi,,Xiaomi SU7|Twin' >"$WORK/twin.csv"
  "$EVQ" push --engine "$hostile" --data "$WORK/twin.csv" $data >/dev/null
  for q in "show price of SU7" "show price of \"xiaomi su7\"" "show deliveries of twin" "show deliveries of xiaomy in 2025" "how many cars did xiaomi sell in april 2025" \
           "describe hima" "total deliveries of hima in 2025-Q2" "top 3 models by deliveries in 2025" "list entities"; do
    same "catalogue: $q" "$hostile" "--data $WORK/twin.csv $data" -- -c "$q"
  done
  for q in "show price of \"xiaomi su7\"" "compare XIAOMI Hima in 2025-04" "top 5 brands by deliveries in 2025"; do
    same "catalogue: $q" "$engine" "" -- -c "$q"
  done

  # A variable made before later statements fetch facts that come earlier in the engine's order keeps citing its own.
  printf '%s\n' 'let later = deliveries of yu7 in 2025-10' 'compare xiaomi hima by month 2025' 'why print later' \
    'print later - deliveries of xiaomi in 2025-04' >"$WORK/variables.evq"
  same "variables across fetches" "$engine" "" -- "$WORK/variables.evq"
}
