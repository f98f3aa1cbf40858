#!/usr/bin/env python3
"""Prints sampled papers for labelling: id, year, venue, title, keywords and abstract (from the
dedupe stage's output, which this repository never stores).

usage: show.py stages/dedupe/papers.ndjson.gz sample.jsonl FIRST COUNT [--shard K --of N]
Rows are those of sample.jsonl whose index i satisfies i % N == K (all rows without --shard),
from the FIRST-th such row, COUNT of them.
"""
import gzip, json, sys

papers_path, sample_path, first, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
shard, of = 0, 1
if "--shard" in sys.argv:
    shard, of = int(sys.argv[sys.argv.index("--shard") + 1]), int(sys.argv[sys.argv.index("--of") + 1])
rows = [json.loads(l) for i, l in enumerate(open(sample_path, encoding="utf-8")) if i % of == shard]
rows = rows[first:first + count]
wanted = {r["id"] for r in rows}
full = {}
with gzip.open(papers_path, "rt", encoding="utf-8") as f:
    for line in f:
        # Records start with {"id":"…": look at the id before parsing the whole line.
        if line[7:line.index('"', 7)] in wanted:
            r = json.loads(line)
            full[r["id"]] = r
for r in rows:
    p = full.get(r["id"], {})
    abstract = (p.get("abstract") or "").replace("\n", " ")
    print(f"=== {r['id']} | {r['year']} | {r.get('venue') or r['source']} | cats: {','.join(p.get('categories') or [])}")
    print(f"TITLE: {r['title']}")
    if p.get("keywords"):
        print(f"KEYWORDS: {'; '.join(p['keywords'])}")
    print(f"ABSTRACT: {abstract[:1200] or '(none)'}")
    print()
