#!/usr/bin/env python3
"""Draws the random labelled sample of papers (issue 15) from the classify stage's output.

Seeded and stratified: 100 papers per publication year 2010-2025; within a year the papers are
split by source (arxiv, paperlists, acl) in proportion to the year's records from each source
(each source present gets at least one), and drawn at random within each (year, source) cell.
Within each cell the drawn papers alternate between the development split and the held-out split,
so both splits are stratified the same way. Writes `sample.jsonl` (id, split, year, source, venue,
title); the labels were added to it by reading each paper (`labels.jsonl`, README.md).

usage: draw.py stages/classify/papers.ndjson.gz > sample.jsonl
"""
import gzip, json, random, sys

SEED = 15
PER_YEAR = 100
YEARS = range(2010, 2026)

cells = {}
with gzip.open(sys.argv[1], "rt", encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        if r.get("year") in YEARS:
            cells.setdefault((r["year"], r["source"]), []).append(
                {"id": r["id"], "year": r["year"], "source": r["source"], "venue": r.get("venue"), "title": r["title"]})

rng = random.Random(SEED)
for year in YEARS:
    sources = sorted(s for (y, s) in cells if y == year)
    total = sum(len(cells[(year, s)]) for s in sources)
    quota = {s: max(1, round(PER_YEAR * len(cells[(year, s)]) / total)) for s in sources}
    # Rounding may miss the year's total by one or two: adjust the largest cell.
    largest = max(sources, key=lambda s: len(cells[(year, s)]))
    quota[largest] += PER_YEAR - sum(quota.values())
    for s in sources:
        pool = sorted(cells[(year, s)], key=lambda r: r["id"])
        for i, r in enumerate(rng.sample(pool, quota[s])):
            r["split"] = "development" if i % 2 == 0 else "held-out"
            print(json.dumps(r, ensure_ascii=False))
