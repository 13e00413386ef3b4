#!/usr/bin/env python3
"""Synthetic EV-sales facts for the scale benchmark (Benchmarks/scale.sh).

Usage: Benchmarks/generate.py ROWS OUTDIR

Writes OUTDIR/entities.csv and OUTDIR/facts.csv in the shapes `evq load` reads. The data is
deterministic (fixed seed), so every engine and every run sees byte-identical files, and answers can
be checked against each other. There are ROWS // (120 * 3) entities — up to 300 brands, the rest
models spread round robin over the brands — each with one row per month (2016-01..2025-12) per metric
(deliveries, production, registrations). A brand's figure is the sum of its models' plus its own
100..50,000, so brand totals look like the sum of their parts, as real monthly reports do.

Rows are ordered month, entity, metric, like monthly reports appended over time: a loader cannot rely
on one entity's rows being together.
"""
import os
import random
import sys

MONTHS = [f"{y}-{m:02d}" for y in range(2016, 2026) for m in range(1, 13)]
METRICS = ("deliveries", "production", "registrations")
SEED = 20251231
# Month-of-year factor: the usual January/February dip (Spring Festival) and year-end rush.
SEASON = (0.85, 0.70, 0.95, 0.95, 1.00, 1.05, 1.00, 1.00, 1.05, 1.10, 1.15, 1.30)
# Production runs a little ahead of deliveries; registrations trail them.
METRIC_FACTOR = (1.00, 1.06, 0.97)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: generate.py ROWS OUTDIR")
    rows, outdir = int(sys.argv[1].replace(",", "").replace("_", "")), sys.argv[2]
    n_entities = rows // (len(MONTHS) * len(METRICS))
    if n_entities < 1:
        sys.exit(f"generate.py: {rows} rows is fewer than one entity's {len(MONTHS) * len(METRICS)}")
    n_brands = min(300, n_entities)
    n_models = n_entities - n_brands
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(SEED)

    brands = [f"b{i:03d}" for i in range(1, n_brands + 1)]
    # Model k belongs to brand k mod B (round robin); its id numbers the brand's models from 1.
    models, model_brand = [], []
    per_brand = [0] * n_brands
    for k in range(n_models):
        b = k % n_brands
        per_brand[b] += 1
        models.append(f"{brands[b]}-m{per_brand[b]:03d}")
        model_brand.append(b)

    ent_path = os.path.join(outdir, "entities.csv")
    with open(ent_path, "w", encoding="utf-8", newline="") as f:
        lines = ["id,kind,name,parent,partner,aliases\n"]
        lines += [f"{b},brand,Brand {b[1:]},,,\n" for b in brands]
        lines += [f"{m},model,Model {m.upper()},{brands[model_brand[k]]},,\n" for k, m in enumerate(models)]
        f.write("".join(lines))

    # Each model: a base level, a yearly growth rate and a launch month (zero before launch would make
    # "missing" months; instead a model just starts small), so totals trend upwards with seasonality.
    model_base = [rng.uniform(50, 6000) for _ in models]
    model_growth = [rng.uniform(0.0, 0.025) for _ in models]  # per month
    brand_own_lo, brand_own_hi = 100, 50_000

    facts_path = os.path.join(outdir, "facts.csv")
    written = 0
    with open(facts_path, "w", encoding="utf-8", newline="", buffering=1 << 22) as f:
        f.write("entity,metric,period,value,unit,bound,source,line,note\n")
        tail = ",vehicles,exact,synthetic,,\n"
        randint = rng.randint
        random_ = rng.random
        for mi, period in enumerate(MONTHS):
            season = SEASON[mi % 12]
            # Models' values this month, per metric, clamped to 50..20,000.
            mvals = []
            for k in range(n_models):
                level = model_base[k] * (1.0 + model_growth[k]) ** mi * season
                mvals.append(tuple(
                    max(50, min(20_000, int(level * mf * (0.9 + 0.2 * random_())))) for mf in METRIC_FACTOR))
            bsum = [[0, 0, 0] for _ in brands]
            for k, v in enumerate(mvals):
                s = bsum[model_brand[k]]
                s[0] += v[0]
                s[1] += v[1]
                s[2] += v[2]
            chunk = []
            # Brands first (b001…), then models, both in id order: the month's report.
            for b, bid in enumerate(brands):
                s = bsum[b]
                pre = f"{bid},"
                for j, metric in enumerate(METRICS):
                    chunk.append(f"{pre}{metric},{period},{s[j] + randint(brand_own_lo, brand_own_hi)}{tail}")
            for k, mid in enumerate(models):
                v = mvals[k]
                chunk.append(f"{mid},deliveries,{period},{v[0]}{tail}"
                             f"{mid},production,{period},{v[1]}{tail}"
                             f"{mid},registrations,{period},{v[2]}{tail}")
            f.write("".join(chunk))
            written += n_entities * len(METRICS)

    size = os.path.getsize(facts_path) + os.path.getsize(ent_path)
    print(f"generate.py: {written:,} fact rows, {n_entities:,} entities ({n_brands} brands, {n_models:,} models); "
          f"{os.path.getsize(facts_path):,} bytes facts.csv, {size:,} bytes in all -> {outdir}")


if __name__ == "__main__":
    main()
