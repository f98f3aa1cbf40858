#!/usr/bin/env python3
"""Independent check that the published paper tables reconcile with the classify stage.

Reads stages/classify/papers.ndjson.gz and stages/classify/models.ndjson.gz directly, recounts
with plain Python, and compares with outputs/tables/*.csv and outputs/drilldown.ndjson.gz: every
count in a table must come from exactly the records the classify stage wrote. Also checks that
every published table is documented in outputs/tables/README.md. Exit 1 on any mismatch.
"""
import collections, csv, gzip, json, os, sys

stages, outputs = sys.argv[1], sys.argv[2]
failures = 0

def check(label, expected, actual):
    global failures
    if expected != actual:
        failures += 1
        print(f"MISMATCH {label}: classify={expected!r} tables={actual!r}")

def table(name):
    with open(f"{outputs}/tables/{name}.csv", newline="") as f:
        return list(csv.DictReader(f))

def in_analysis(p):
    status = (p.get("status") or "").lower()
    return p.get("year") is not None and "reject" not in status and "withdraw" not in status

papers = [p for p in map(json.loads, gzip.open(f"{stages}/classify/papers.ndjson.gz", "rt")) if in_analysis(p)]
# The primary tables count a team type only for fully resolved teams; the rest are `unknown`.
for p in papers:
    if p["team_resolution"] != "full":
        p["team_type"] = "unknown"
    # A mention of a model published after the paper does not count.
    p["model_mentions"] = [m for m in p["model_mentions"] if (m.get("release_year") or p["year"]) <= p["year"]]

# team_type_by_year, venue=all: one count per year and team type.
team = collections.Counter((p["year"], p["team_type"]) for p in papers)
rows = {(int(r["year"]), r["team_type"]): int(r["papers"]) for r in table("team_type_by_year") if r["venue"] == "all"}
check("team_type_by_year (all venues) counts", dict(team), {k: v for k, v in rows.items() if v})
venue_total = sum(int(r["papers"]) for r in table("team_type_by_year") if r["venue"] != "all")
check("team_type_by_year: venue rows add up to all papers", len(papers), venue_total)

# topic_team_type_by_year adds up to the same papers.
check("topic_team_type_by_year total", len(papers), sum(int(r["papers"]) for r in table("topic_team_type_by_year")))

by_year = collections.defaultdict(list)
for p in papers:
    by_year[p["year"]].append(p)

# academic_share_compute_intensive from the compute_intensive flag.
for r in table("academic_share_compute_intensive"):
    year, intensive = int(r["year"]), r["group"] == "compute-intensive"
    group = [p for p in by_year[year] if bool(p["compute_intensive"]) == intensive]
    known = [p for p in group if p["team_type"] != "unknown"]
    academic = sum(p["team_type"] == "academic-only" for p in known)
    check(f"academic_share_compute_intensive {year} {r['group']}",
          (academic, len(known), len(group) - len(known)), (int(r["academic_only"]), int(r["known"]), int(r["unknown"])))

# open_model_reliance_by_year from the model mentions.
for r in table("open_model_reliance_by_year"):
    group = [p for p in by_year[int(r["year"])] if p["team_type"] == r["team_type"]]
    mentioning = [p for p in group if p["model_mentions"]]
    industry_open = [p for p in mentioning
                     if any(m["developer_sector"] == "industry" and m["open_weights"] for m in p["model_mentions"])]
    check(f"open_model_reliance_by_year {r['year']} {r['team_type']}",
          (len(group), len(mentioning), len(industry_open)),
          (int(r["papers"]), int(r["mentioning_models"]), int(r["industry_open"])))

# Model tables: the notable models with a year, once each per year.
models = [m for m in map(json.loads, gzip.open(f"{stages}/classify/models.ndjson.gz", "rt"))
          if m["notable"] and m.get("publication_date")]
check("model_sector_shares total", len(models), sum(int(r["models"]) for r in table("model_sector_shares")))

# Drill-down: each team-type row lists exactly the ids it counts.
def drilldown_rows(path):
    """The drill-down rows, a row written in parts (`part` 1, 2, ...) joined into one."""
    row = None
    for line in gzip.open(path, "rt"):
        d = json.loads(line)
        if d.get("part", 1) > 1:
            row["ids"] += d["ids"]
            continue
        if row is not None:
            yield row
        row = d
    if row is not None:
        yield row

for d in drilldown_rows(f"{outputs}/drilldown.ndjson.gz"):
    if d["table"] == "team_type_by_year" and d["row"]["venue"] == "all":
        row = d["row"]
        ids = sorted(p["id"] for p in by_year[row["year"]] if p["team_type"] == row["team_type"])
        check(f"drilldown team_type_by_year {row['year']} {row['team_type']}", ids, d["ids"])

# Every published table has an entry in the data dictionary.
dictionary = open(f"{outputs}/tables/README.md").read()
for name in sorted(os.listdir(f"{outputs}/tables")):
    if name.endswith(".csv"):
        check(f"{name} documented in outputs/tables/README.md", True, name in dictionary)

print(f"report cross-check: {len(papers)} papers, {len(models)} notable models; {failures} mismatch(es)")
sys.exit(1 if failures else 0)
