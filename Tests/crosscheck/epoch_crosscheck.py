#!/usr/bin/env python3
"""Independent cross-check of the model-level tables.

Reads Epoch's notable-models CSV straight from the snapshot with Python's csv module, recomputes
sector counts per year and the OLS doubling times with numpy-free arithmetic, and compares them
with outputs/tables/*.csv written by the pipeline. Shares the definitions (stated in the report's
methods), not the code. Exit status 1 on any mismatch.
"""
import csv, gzip, glob, math, sys, collections

snapshot, tables = sys.argv[1], sys.argv[2]
path = sorted(glob.glob(f"{snapshot}/epoch/notable_ai_models.*.csv.gz"))[-1]

def sector(categories):
    cats = [c.strip().lower() for c in categories.split(",") if c.strip()]
    a = any("academia" in c for c in cats)
    i = any("industry" in c for c in cats)
    other = any("academia" not in c and "industry" not in c for c in cats)
    if a and i: return "collaboration"
    if a: return "other" if other else "academia"
    if i: return "other" if other else "industry"
    return "other" if other else "unknown"

def key(r):
    return " ".join((r.get("Model") or r.get("System") or "").lower().split())

rows, by_name = [], {}
with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as f:
    for r in csv.DictReader(f):
        if key(r) and key(r) not in by_name:
            by_name[key(r)] = r
            rows.append(r)

# The documented dedupe rule: an empty field of a notable model is filled from the other tables,
# ranked large-scale, frontier, all-models (newer first), all_ml_systems.
def rank(p):
    kinds = ["large_scale_ai_models", "frontier_ai_models", "all_ai_models", "all_ml_systems"]
    base = p.rsplit("/", 1)[-1]
    kind = next(i for i, k in enumerate(kinds) if base.startswith(k))
    vintage = int(base.split(".")[1].replace("-", ""))
    return (kind, -vintage)
others = sorted((p for p in glob.glob(f"{snapshot}/epoch/*.csv.gz") if "notable_ai_models" not in p), key=rank)
for other in others:
    with gzip.open(other, "rt", encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            mine = by_name.get(key(r))
            if mine is None:
                continue
            for field in ("Publication date", "Training compute (FLOP)", "Organization categorization"):
                if not (mine.get(field) or "").strip() and (r.get(field) or "").strip():
                    mine[field] = r[field]

failures = 0
def check(label, ours, theirs):
    global failures
    if ours != theirs:
        failures += 1
        print(f"MISMATCH {label}: pipeline={theirs!r} python={ours!r}")

# Sector counts per year.
counts = collections.Counter()
for r in rows:
    date = r["Publication date"].strip()
    if date:
        counts[(int(date[:4]), sector(r["Organization categorization"]))] += 1
with open(f"{tables}/model_sector_shares.csv") as f:
    pipeline = {(int(r["year"]), r["sector"]): int(r["models"]) for r in csv.DictReader(f)}
check("number of year×sector cells with models", {k for k, v in counts.items() if v}, {k for k, v in pipeline.items() if v})
for key, n in sorted(counts.items()):
    check(f"models {key}", n, pipeline.get(key, 0))

# Doubling times: OLS of log2(FLOP) on fractional year, 2010 on.
def frac_year(d):
    y, m, day = (int(x) for x in d[:10].split("-"))
    import datetime
    start = datetime.date(y, 1, 1)
    days = (datetime.date(y + 1, 1, 1) - start).days
    return y + (datetime.date(y, m, day) - start).days / days

def ols_slope(xs, ys):
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)

points = collections.defaultdict(list)
for r in rows:
    d, c = r["Publication date"].strip(), r["Training compute (FLOP)"].strip()
    if d >= "2010-01-01" and c and float(c) > 0:
        s = sector(r["Organization categorization"])
        for group in ("all", s):
            points[group].append((frac_year(d), math.log2(float(c))))
with open(f"{tables}/compute_trends.csv") as f:
    trends = {r["sector"]: r for r in csv.DictReader(f)}
for group in ("all", "industry", "academia", "collaboration"):
    xs, ys = zip(*points[group])
    slope = ols_slope(xs, ys)
    check(f"n {group}", len(xs), int(trends[group]["n"]))
    check(f"doubling months {group}", round(12 / slope, 2), float(trends[group]["doubling_months"]))

print(f"epoch cross-check: {len(rows)} notable models, {sum(counts.values())} dated; {failures} mismatch(es)")
sys.exit(1 if failures else 0)
