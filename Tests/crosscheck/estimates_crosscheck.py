#!/usr/bin/env python3
"""Independent check of the paper estimates (issue: findings that do not move with the venue mix).

Rebuilds the samples straight from stages/classify/papers.ndjson.gz with pandas and checks:
- venue_adjusted_series: refits the logistic regression of academic-only on year (categorical)
  and venue fixed effects with statsmodels (GLM binomial, the same ridge penalty, statsmodels'
  elastic-net solver with no L1 part) on the same records —
  fully resolved papers of 2012–2025, venues with fewer than 30 papers in the group pooled — and
  compares the standardized yearly shares with the table's `adjusted_share` (within 1.5 points);
- shift_share_decomposition: every row's three terms sum to its total change (1e-9) and the
  `all venues` total equals the change of the pooled academic-only share recounted here;
- coverage_by_venue_year: the full/partial/none counts per venue-year.
Exit 1 on any failure.
"""
import csv, gzip, json, sys, warnings

import pandas as pd
import statsmodels.api as sm

stages, outputs = sys.argv[1], sys.argv[2]
failures = 0
MIN_VENUE_PAPERS = 30  # VenueAdjustedSeries.minimumVenuePapers
RIDGE = 0.1  # VenueAdjustedSeries.ridge
TOLERANCE = 0.015


def fail(message):
    global failures
    failures += 1
    print("MISMATCH " + message)


def table(name):
    with open(f"{outputs}/tables/{name}.csv", newline="") as f:
        return list(csv.DictReader(f))


rows = []
for line in gzip.open(f"{stages}/classify/papers.ndjson.gz", "rt"):
    p = json.loads(line)
    status = (p.get("status") or "").lower()
    if p.get("year") is None or "reject" in status or "withdraw" in status:
        continue
    rows.append({"year": p["year"], "venue": p.get("venue") or p["source"], "resolution": p["team_resolution"],
                 "academic": p["team_type"] == "academic-only", "intensive": bool(p["compute_intensive"]),
                 "intensive_fixed": bool(p.get("compute_intensive_fixed")),
                 "topic": p["topic"], "fm_role": p.get("fm_role")})
papers = pd.DataFrame(rows)

groups = {
    "all papers": lambda d: d,
    "compute-intensive": lambda d: d[d.intensive],
    "compute-intensive (fixed set)": lambda d: d[d.intensive_fixed],
    "other topics": lambda d: d[~d.intensive],
    "foundation-models": lambda d: d[d.topic == "foundation-models"],
    "foundation-models: developing": lambda d: d[(d.topic == "foundation-models") & (d.fm_role == "developing")],
    "foundation-models: using": lambda d: d[(d.topic == "foundation-models") & (d.fm_role == "using")],
}

published = {}
for r in table("venue_adjusted_series"):
    if r["from_year"] == r["to_year"] and r["adjusted_share"]:
        published[(r["group"], int(r["from_year"]))] = (float(r["adjusted_share"]), int(r["papers"]))

worst = 0.0
compared = 0
for name, select in groups.items():
    d = select(papers[(papers.resolution == "full") & papers.year.between(2012, 2025)]).copy()
    if d.empty:
        continue
    counts = d.venue.value_counts()
    d["level"] = d.venue.where(d.venue.map(counts) >= MIN_VENUE_PAPERS, "other venues")
    cells = d.groupby(["year", "level"]).agg(n=("academic", "size"), k=("academic", "sum")).reset_index()
    years = sorted(cells.year.unique())
    levels = cells.groupby("level").n.sum().sort_values(ascending=False).index.tolist()
    design = pd.get_dummies(cells[["year", "level"]].astype({"year": "category"}), columns=["year", "level"], dtype=float)
    design = design.drop(columns=[f"year_{years[0]}", f"level_{levels[0]}"])
    design = sm.add_constant(design, has_constant="add")
    model = sm.GLM(cells[["k"]].assign(f=cells.n - cells.k).values, design, family=sm.families.Binomial())
    # The same ridge penalty λ/2·Σβ² (intercept free); statsmodels scales its penalty by the rows.
    alpha = [0.0 if c == "const" else RIDGE / len(cells) for c in design.columns]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = model.fit_regularized(method="elastic_net", alpha=alpha, L1_wt=0.0, maxiter=1000, cnvrg_tol=1e-12)
    weights = cells.groupby("level").n.sum() / cells.n.sum()
    for year in years:
        x = pd.DataFrame(0.0, index=weights.index, columns=design.columns)
        x["const"] = 1.0
        if f"year_{year}" in x.columns:
            x[f"year_{year}"] = 1.0
        for level in weights.index:
            if f"level_{level}" in x.columns:
                x.loc[level, f"level_{level}"] = 1.0
        standardized = float((fit.predict(x) * weights).sum())
        key = (name, int(year))
        if key not in published:
            fail(f"venue_adjusted_series: no row for {key}")
            continue
        share, n = published[key]
        if n != int(cells[cells.year == year].n.sum()):
            fail(f"venue_adjusted_series {key}: papers {n} vs recount {int(cells[cells.year == year].n.sum())}")
        diff = abs(share - standardized)
        worst = max(worst, diff)
        compared += 1
        if diff > TOLERANCE:
            fail(f"venue_adjusted_series {key}: Swift {share:.4f} vs statsmodels {standardized:.4f}")
print(f"estimates cross-check: venue-adjusted series, {compared} group-years, largest difference vs statsmodels "
      f"{100 * worst:.3f} points (tolerance {100 * TOLERANCE:.1f})")

# Shift-share: the terms add up, and the totals match a recount.
shift = table("shift_share_decomposition")
for r in shift:
    terms = float(r["within_venue"]) + float(r["venue_mix"]) + float(r["entry_exit"])
    if abs(terms - float(r["total_change"])) > 1e-9:
        fail(f"shift_share {r['group']} {r['venue']}: terms {terms} vs total {r['total_change']}")
for r in (r for r in shift if r["venue"] == "all venues"):
    a, b = (tuple(map(int, r[f"period_{i}"].replace("–", "-").split("-"))) for i in (1, 2))
    d = groups[r["group"]](papers[papers.resolution == "full"])
    s = [d[d.year.between(*span)].academic.mean() for span in (a, b)]
    if abs((s[1] - s[0]) - float(r["total_change"])) > 1e-9:
        fail(f"shift_share {r['group']}: recount change {s[1] - s[0]} vs {r['total_change']}")
    print(f"estimates cross-check: shift-share {r['group']}: {100 * s[0]:.1f}% → {100 * s[1]:.1f}%, "
          f"within {100 * float(r['within_venue']):+.1f}, mix {100 * float(r['venue_mix']):+.1f}, "
          f"entry/exit {100 * float(r['entry_exit']):+.1f} points")

# Coverage counts.
recount = papers.groupby(["venue", "year", "resolution"]).size()
for r in table("coverage_by_venue_year"):
    for res in ("full", "partial", "none"):
        expected = int(recount.get((r["venue"], int(r["year"]), res), 0))
        if expected != int(r[res]):
            fail(f"coverage {r['venue']} {r['year']} {res}: {r[res]} vs recount {expected}")

print(f"estimates cross-check: {failures} mismatch(es)")
sys.exit(1 if failures else 0)
