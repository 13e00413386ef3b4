#!/usr/bin/env python3
"""Reads what Benchmarks/scale.sh's engine processes printed, checks their answers agree, reports.

  scale_report.py size DIR PROCESSES REPEATS   one size: table on stdout, DIR/summary.json; exit 3 on a
                                               mismatch or output that cannot be read
  scale_report.py goals BENCH_DIR SIZE...      EVQ's goals judged on the largest size, and every size's
                                               table with the goals as markdown in BENCH_DIR/results.md

Raw outputs are DIR/runs/ENGINE.P.{out,err,rss}: EVQ's `--format csv` results on stdout and its
`--timer` lines on stderr (one per statement, in statement order); the SQL shells' results and timer
lines interleaved on stdout, split into sections by `.print ==NAME==` markers.
"""
import csv
import io
import json
import os
import re
import statistics
import sys
from decimal import Decimal, InvalidOperation

ENGINES = ("evq", "sqlite3", "duckdb")
QUERIES = ("Q1", "Q2", "Q3")
QUERY_LABELS = {"Q1": "Q1 compare ms", "Q2": "Q2 top10 ms", "Q3": "Q3 total ms"}
MB = 1_000_000  # decimal megabytes throughout: MB/s, CSV size and RSS use the same unit

# Goals, on 10M rows.
GOAL_ROWS = 10_000_000
GOAL_LOAD_MBS = 150.0
GOAL_QUERY_MS = 50.0
GOAL_RSS_OVER_CSV = 2.0

EVQ_TIMER = re.compile(r"^Run Time: ([\d,]+(?:\.\d+)?) ms\s*$")
SQL_TIMER = re.compile(r"^Run Time(?: \(s\))?: real (\d+(?:\.\d+)?)\b")
MARKER = re.compile(r"^==([A-Z0-9_]+)==$")


class Unreadable(Exception):
    pass


def num(text):
    """A figure as an exact number; text that is not a number (NULL as '', '—') is kept as it is."""
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return text


def rows_of(lines):
    """CSV lines with a header → list of dicts."""
    reader = csv.reader(io.StringIO("\n".join(lines)))
    rows = [r for r in reader if r]
    if not rows:
        return []
    header = rows[0]
    return [dict(zip(header, r)) for r in rows[1:]]


# --- answers, normalised so the engines' outputs compare equal when the numbers are the same ---

def answer_q1(rows):
    return tuple(sorted((r["period"], num(r["b001"]), num(r["b002"]), num(r["difference"])) for r in rows))


def answer_q2(rows):
    return frozenset((r["brand"], num(r["deliveries"])) for r in rows)


def answer_q3_evq(rows):
    totals = [r for r in rows if r.get("fact") == "total"]
    if len(totals) != 1:
        raise Unreadable(f"Q3: expected one 'total' row, got {len(totals)}")
    return num(totals[0]["deliveries"])


def answer_q3_sql(rows):
    if len(rows) != 1:
        raise Unreadable(f"Q3: expected one row, got {len(rows)}")
    return num(rows[0]["total"])


def show(answer):
    if isinstance(answer, frozenset):
        return "{" + ", ".join(f"{b} {v}" for b, v in sorted(answer)) + "}"
    if isinstance(answer, tuple):
        return "; ".join(" ".join(str(x) for x in row) for row in answer)
    return str(answer)


# --- one process's output ---

def parse_evq(base, repeats):
    """EVQ: one CSV block per statement (load, load, then Q1 Q2 Q3 × repeats); a block starts at its header."""
    with open(base + ".err", encoding="utf-8", errors="replace") as f:
        times = [float(m.group(1).replace(",", "")) for m in map(EVQ_TIMER.match, f) if m]
    expected = 2 + 3 * repeats
    if len(times) != expected:
        raise Unreadable(f"{base}.err: {len(times)} 'Run Time' lines, expected {expected}")
    header_starts = ("file", "period", "rank", "fact")   # load, compare, top, total
    blocks = []
    with open(base + ".out", encoding="utf-8", errors="replace") as f:
        for row in csv.reader(f):
            if row and row[0] in header_starts:
                blocks.append([row])
            elif row:
                if not blocks:
                    raise Unreadable(f"{base}.out: output before the first result header: {row}")
                blocks[-1].append(row)
    if len(blocks) != expected:
        raise Unreadable(f"{base}.out: {len(blocks)} result tables, expected {expected}")
    as_dicts = [[dict(zip(b[0], r)) for r in b[1:]] for b in blocks]
    loaded = {"entities": int(as_dicts[0][0]["entities"]), "facts": int(as_dicts[1][0]["facts"])}
    result = {"load_s": (times[0] + times[1]) / 1000, "rows": loaded["facts"],
              "q": {q: [] for q in QUERIES}, "answers": {q: [] for q in QUERIES}}
    parse = {"Q1": answer_q1, "Q2": answer_q2, "Q3": answer_q3_evq}
    for i in range(3 * repeats):
        q = QUERIES[i % 3]
        result["q"][q].append(times[2 + i])
        result["answers"][q].append(parse[q](as_dicts[2 + i]))
    return result


def sections(path):
    """SQL shell output → [(marker, csv lines, timer seconds)] in order."""
    out = [("", [], [])]
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = MARKER.match(line)
            t = SQL_TIMER.match(line)
            if m:
                out.append((m.group(1), [], []))
            elif t:
                out[-1][2].append(float(t.group(1)))
            elif line:
                out[-1][1].append(line)
    return out


def parse_sql(base, engine, repeats):
    secs = sections(base + ".out")
    by_name = {}
    for name, lines, times in secs:
        by_name.setdefault(name, []).append((lines, times))
    try:
        if engine == "sqlite3":   # .import is not timed by .timer: SQLite's own clock around the load
            start = float(rows_of(by_name["LOAD_START"][0][0])[0]["clock"])
            end = float(rows_of(by_name["LOAD_END"][0][0])[0]["clock"])
            load_s = end - start
        else:
            load_s = sum(by_name["LOAD"][0][1])
        count = int(rows_of(by_name["COUNT"][0][0])[0]["n"])
    except (KeyError, IndexError, ValueError) as e:
        raise Unreadable(f"{base}.out: no load timing or row count ({e!r})")
    result = {"load_s": load_s, "rows": count, "q": {}, "answers": {}}
    parse = {"Q1": answer_q1, "Q2": answer_q2, "Q3": answer_q3_sql}
    for q in QUERIES:
        runs = by_name.get(q, [])
        if len(runs) != repeats or any(len(t) != 1 for _, t in runs):
            raise Unreadable(f"{base}.out: {q}: {len(runs)} runs with timings {[t for _, t in runs]}, expected {repeats} with one each")
        result["q"][q] = [t[0] * 1000 for _, t in runs]
        result["answers"][q] = [parse[q](rows_of(lines)) for lines, _ in runs]
    return result


def count_lines(path):
    n = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 24):
            n += chunk.count(b"\n")
    return n


# --- the per-size step ---

def size_step(directory, processes, repeats):
    size = int(os.path.basename(os.path.normpath(directory)))
    facts_bytes = os.path.getsize(os.path.join(directory, "facts.csv"))
    csv_bytes = facts_bytes + os.path.getsize(os.path.join(directory, "entities.csv"))
    rows = count_lines(os.path.join(directory, "facts.csv")) - 1
    problems = []
    engines = {}
    for engine in ENGINES:
        runs = []
        for p in range(1, processes + 1):
            base = os.path.join(directory, "runs", f"{engine}.{p}")
            try:
                r = parse_evq(base, repeats) if engine == "evq" else parse_sql(base, engine, repeats)
            except (Unreadable, KeyError, OSError) as e:
                problems.append(f"{engine}: cannot read its output: {e}")
                continue
            with open(base + ".rss") as f:
                r["rss_kb"] = int(f.read().split()[-1])
            runs.append(r)
        if not runs:
            continue
        e = engines[engine] = {
            "load_s": [r["load_s"] for r in runs],
            "rss_kb": [r["rss_kb"] for r in runs],
            "q": {q: [t for r in runs for t in r["q"][q]] for q in QUERIES},
        }
        e["load_median"] = statistics.median(e["load_s"])
        e["q_median"] = {q: statistics.median(e["q"][q]) for q in QUERIES}
        e["rss_peak_kb"] = max(e["rss_kb"])
        for r in runs:
            if r["rows"] != rows:
                problems.append(f"{engine}: loaded {r['rows']:,} fact rows of {rows:,}")
        # Every run of a query in every process must give the same answer, then the engines must agree.
        e["answer"] = {}
        for q in QUERIES:
            distinct = {a for r in runs for a in r["answers"][q]}
            if len(distinct) != 1:
                problems.append(f"{engine}: {q} gave {len(distinct)} different answers across its runs")
            e["answer"][q] = runs[0]["answers"][q][0]
    if "evq" in engines:
        for q in QUERIES:
            mine = engines["evq"]["answer"][q]
            for other in ("sqlite3", "duckdb"):
                if other in engines and engines[other]["answer"][q] != mine:
                    theirs = engines[other]["answer"][q]
                    detail = f"evq {show(mine)} vs {other} {show(theirs)}"
                    if isinstance(mine, frozenset) and isinstance(theirs, frozenset):
                        detail = f"only evq: {show(mine - theirs)}; only {other}: {show(theirs - mine)}"
                    problems.append(f"MISMATCH {q}: {detail}")
    summary = {
        "size": size, "rows": rows, "facts_bytes": facts_bytes, "csv_bytes": csv_bytes,
        "processes": processes, "repeats": repeats, "problems": problems,
        "engines": {k: {x: v[x] for x in ("load_s", "rss_kb", "q", "load_median", "q_median", "rss_peak_kb")}
                    for k, v in engines.items()},
        "answers": {q: show(engines["evq"]["answer"][q]) for q in QUERIES} if "evq" in engines else {},
    }
    with open(os.path.join(directory, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(render_text(summary))
    if problems:
        for p in problems:
            print(p)
        return 3
    print("answers agree (evq, sqlite3, duckdb: " + ", ".join(
        f"{q} {'12 months' if q == 'Q1' else '10 brands' if q == 'Q2' else summary['answers'][q]}" for q in QUERIES) + ")")
    return 0


# --- tables ---

def fmt_ms(ms):
    if ms == 0:
        return "<0.5"   # the SQL shells print seconds with three decimals: 0.000 is under half a millisecond
    return f"{ms:,.3f}" if ms < 10 else f"{ms:,.1f}"


def fmt_ratio(a, b):
    return "n/a" if not b else f"{a / b:,.2f}×"


def table_rows(s):
    """Header + rows of cells for one size (shared by the text and markdown renderings)."""
    header = ["", "load s", "MB/s"] + [QUERY_LABELS[q] for q in QUERIES] + ["peak RSS MB", "RSS/CSV"]
    rows = []
    eng = s["engines"]
    for name in ENGINES:
        if name not in eng:
            rows.append([name, "(no result)"] + [""] * (len(header) - 2))
            continue
        e = eng[name]
        rss_mb = e["rss_peak_kb"] * 1024 / MB
        rows.append([name, f"{e['load_median']:,.3f}", f"{s['csv_bytes'] / MB / e['load_median']:,.1f}"]
                    + [fmt_ms(e["q_median"][q]) for q in QUERIES]
                    + [f"{rss_mb:,.1f}", f"{rss_mb * MB / s['csv_bytes']:.2f}"])
    if "evq" in eng:
        v = eng["evq"]
        for other in ("sqlite3", "duckdb"):
            if other not in eng:
                continue
            o = eng[other]
            rows.append([f"evq ÷ {other}", fmt_ratio(v["load_median"], o["load_median"]), ""]
                        + [fmt_ratio(v["q_median"][q], o["q_median"][q]) for q in QUERIES]
                        + [fmt_ratio(v["rss_peak_kb"], o["rss_peak_kb"]), ""])
    return header, rows


def title(s):
    return (f"{s['rows']:,} fact rows (BENCH_SIZES {s['size']:,}), {s['csv_bytes'] / MB:,.1f} MB of CSV "
            f"(facts.csv {s['facts_bytes'] / MB:,.1f} MB + entities.csv)")


def method(s):
    p, r = s["processes"], s["repeats"]
    load = f"median of {p} processes" if p > 1 else "1 process"
    return (f"load: {load} per engine; queries: median of {p * r} runs ({r} in each process); "
            f"peak RSS: largest over the processes; ratios are evq's time (or RSS) ÷ the other's, above 1 = evq slower")


def render_text(s):
    header, rows = table_rows(s)
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    widths[0] = max(widths[0], 16)
    line = lambda r: "  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r)).rstrip()
    return "\n".join([title(s), line(header)] + [line(r) for r in rows] + [method(s)])


def render_markdown(s):
    header, rows = table_rows(s)
    out = [f"**{title(s)}**", "", "| " + " | ".join(header) + " |",
           "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    out += ["", method(s) + ".", ""]
    if s["problems"]:
        out += [f"- {p}" for p in s["problems"]] + [""]
    else:
        out += ["Answers agree across the three engines.", ""]
    return "\n".join(out)


# --- goals ---

def goals(s):
    """[(met?, text)] for EVQ's goals, judged on summary s."""
    eng = s["engines"]
    if "evq" not in eng:
        return [(False, "evq produced no result")]
    v = eng["evq"]
    out = []
    mbs = s["csv_bytes"] / MB / v["load_median"]
    out.append((mbs >= GOAL_LOAD_MBS,
                f"EVQ loads ≥ {GOAL_LOAD_MBS:.0f} MB/s: {mbs:,.1f} MB/s ({s['csv_bytes'] / MB:,.1f} MB in {v['load_median']:,.3f} s)"))
    for q in QUERIES:
        ms = v["q_median"][q]
        d = eng.get("duckdb", {}).get("q_median", {}).get(q)
        fast = ms < GOAL_QUERY_MS
        if d is None:
            beats, vs = False, "no DuckDB figure"
        elif d == 0:   # below DuckDB's timer resolution: only a clearly faster EVQ could be called faster
            beats, vs = False, "DuckDB <0.5 ms, below its timer's resolution"
        else:
            beats, vs = ms < d, f"DuckDB {fmt_ms(d)} ms"
        why = [] if fast and beats else ([f"not < {GOAL_QUERY_MS:.0f} ms"] if not fast else []) + ([] if beats else ["not faster than DuckDB"])
        out.append((fast and beats, f"EVQ {QUERY_LABELS[q].removesuffix(' ms')} < {GOAL_QUERY_MS:.0f} ms and faster than DuckDB: "
                                    f"{fmt_ms(ms)} ms vs {vs}" + (f" ({', '.join(why)})" if why else "")))
    rss_mb = v["rss_peak_kb"] * 1024 / MB
    ratio = rss_mb * MB / s["csv_bytes"]
    out.append((ratio < GOAL_RSS_OVER_CSV,
                f"EVQ peak RSS < {GOAL_RSS_OVER_CSV:g}× the CSV: {rss_mb:,.1f} MB = {ratio:.2f}× {s['csv_bytes'] / MB:,.1f} MB"))
    return out


def goals_step(bench, sizes):
    summaries = []
    for n in sizes:
        try:
            with open(os.path.join(bench, n, "summary.json")) as f:
                summaries.append(json.load(f))
        except OSError:
            pass
    if not summaries:
        print("no results to summarise")
        return 1
    largest = max(summaries, key=lambda s: s["rows"])
    judged = f"{largest['rows']:,} rows"
    caveat = "" if largest["size"] >= GOAL_ROWS else f" (the goals are for {GOAL_ROWS:,} rows; only {judged} were run)"
    results = goals(largest)
    text = [f"Goals, judged on {judged}{caveat}:"]
    text += [f"  {'met   ' if ok else 'MISSED'}  {t}" for ok, t in results]
    print("\n".join(text))

    env = [f"evq {os.environ.get('EVQ_VERSION', '?')}", f"sqlite3 {os.environ.get('SQLITE_VERSION', '?')}",
           f"DuckDB {os.environ.get('DUCKDB_VERSION', '?')}"]
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    except OSError:
        pass
    md = ["## Scale benchmark", "",
          f"`Benchmarks/scale.sh` on synthetic data from `Benchmarks/generate.py` "
          f"({', '.join(env)}; {os.cpu_count()} × {cpu}). All three engines work in memory; times exclude process "
          "start-up. EVQ's load includes building its indexes, sqlite3's includes `create index facts_emp on "
          "facts(entity, metric, period)`; DuckDB uses every core. MB = 10⁶ bytes.", "",
          "| query | EVQ | SQL |", "|---|---|---|",
          "| Q1 | `compare deliveries of b001 b002 by month 2024` | pivot with `sum(case when entity='b001' …)` and a difference, one row per month of 2024 |",
          "| Q2 | `top 10 brands by deliveries in 2024` | join `entities` where `kind='brand'`, `group by`, `order by sum desc limit 10` |",
          "| Q3 | `total deliveries of b007 from 2019-03 to 2023-08` | `sum(value)` for b007 over those months |", ""]
    for s in sorted(summaries, key=lambda s: s["rows"]):
        md.append(render_markdown(s))
    md += [f"**Goals**, judged on {judged}{caveat}:", ""]
    md += [f"- {'met' if ok else '**MISSED**'}: {t}" for ok, t in results]
    path = os.path.join(bench, "results.md")
    with open(path, "w") as f:
        f.write("\n".join(md) + "\n")
    print(f"(markdown: {path})")
    return 0


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "size":
        return size_step(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    if len(sys.argv) >= 4 and sys.argv[1] == "goals":
        return goals_step(sys.argv[2], sys.argv[3:])
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
