#!/usr/bin/env python3
"""Draws the second reader's sample from the random sample's development split and prints it for
labelling (id, year, venue, categories, title, keywords, abstract), in batches read by different
readers, without any of the first reader's labels.

usage: draw.py stages/dedupe/papers.ndjson.gz ../random-sample [--seed 27] [--others 156] [--batches 3] --out /tmp/second-reader
Writes /tmp/second-reader/batch-K.txt (rows i % batches == K of the shuffled sample) and ids.json.
The sample: every development paper the first reader labelled foundation-model, and --others drawn
at random among the others; then shuffled with the same seed, so a reader cannot tell the strata.
"""
import argparse, glob, gzip, json, os, random, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from labelling_batches import write_batches  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("papers")
parser.add_argument("labels")
parser.add_argument("--seed", type=int, default=27)
parser.add_argument("--others", type=int, default=156)
parser.add_argument("--batches", type=int, default=3)
parser.add_argument("--out", required=True)
args = parser.parse_args()

development = []
for path in sorted(glob.glob(os.path.join(args.labels, "labels*.jsonl"))):
    for line in open(path, encoding="utf-8"):
        row = json.loads(line)
        if row["split"] == "development":
            development.append(row)
rng = random.Random(args.seed)
fm = [r for r in development if r["foundation_model"]]
others = [r for r in development if not r["foundation_model"]]
pick = fm + rng.sample(others, args.others)
rng.shuffle(pick)
wanted = {r["id"] for r in pick}
full = {}
with gzip.open(args.papers, "rt", encoding="utf-8") as f:
    for line in f:
        # Records start with {"id":"…": look at the id before parsing the whole line.
        if line[7:line.index('"', 7)] in wanted:
            record = json.loads(line)
            full[record["id"]] = record
os.makedirs(args.out, exist_ok=True)
json.dump([r["id"] for r in pick], open(os.path.join(args.out, "ids.json"), "w"))
write_batches(args.out, [r["id"] for r in pick], full, args.batches)
print(f"{len(pick)} papers ({len(fm)} labelled foundation-model by the first reader, {args.others} of {len(others)} others)")
