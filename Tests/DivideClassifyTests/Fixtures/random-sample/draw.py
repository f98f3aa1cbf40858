#!/usr/bin/env python3
"""Draws the random labelled sample of papers (issue 15) from the classify stage's output.

Seeded and stratified: PER_YEAR papers per publication year 2010-2025; within a year the papers
are split by source (arxiv, paperlists, acl, ...) in proportion to the year's records from each
source (each source present gets at least one), and drawn at random within each (year, source)
cell. By default the drawn papers of each cell alternate between the development split and the
held-out split, so both splits are stratified the same way; `--split NAME` gives every drawn
paper that split instead. `--exclude FILE...` leaves out of the pool, before drawing, the ids of
JSON-lines files (only their `id` fields are read). Writes JSON lines (id, split, year, source,
venue, title); the labels were added to them by reading each paper (`labels*.jsonl`, README.md).

usage: draw.py stages/classify/papers.ndjson.gz [--seed N] [--per-year N] [--split NAME]
               [--exclude FILE...] > sample.jsonl
The defaults (seed 15, 100 per year, alternating splits, nothing excluded) are the first draw
(labels.jsonl); the second draw (labels-development-2.jsonl) was
  draw.py papers.ndjson.gz --seed 25 --per-year 50 --split development \
          --exclude labels.jsonl ../strong-cue-sample/labels.jsonl
"""
import argparse, gzip, json, random

parser = argparse.ArgumentParser()
parser.add_argument("papers")
parser.add_argument("--seed", type=int, default=15)
parser.add_argument("--per-year", type=int, default=100)
parser.add_argument("--split", default=None, help="split of every drawn paper (default: alternate)")
parser.add_argument("--exclude", nargs="+", default=[], metavar="FILE")
args = parser.parse_args()
YEARS = range(2010, 2026)

excluded = set()
for path in args.exclude:
    with open(path, encoding="utf-8") as f:
        excluded.update(json.loads(line)["id"] for line in f if line.strip())

cells = {}
with gzip.open(args.papers, "rt", encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        if r.get("year") in YEARS and r["id"] not in excluded:
            cells.setdefault((r["year"], r["source"]), []).append(
                {"id": r["id"], "year": r["year"], "source": r["source"], "venue": r.get("venue"), "title": r["title"]})

rng = random.Random(args.seed)
for year in YEARS:
    sources = sorted(s for (y, s) in cells if y == year)
    total = sum(len(cells[(year, s)]) for s in sources)
    quota = {s: max(1, round(args.per_year * len(cells[(year, s)]) / total)) for s in sources}
    # Rounding may miss the year's total by one or two: adjust the largest cell.
    largest = max(sources, key=lambda s: len(cells[(year, s)]))
    quota[largest] += args.per_year - sum(quota.values())
    for s in sources:
        pool = sorted(cells[(year, s)], key=lambda r: r["id"])
        for i, r in enumerate(rng.sample(pool, quota[s])):
            r["split"] = args.split or ("development" if i % 2 == 0 else "held-out")
            print(json.dumps(r, ensure_ascii=False))
