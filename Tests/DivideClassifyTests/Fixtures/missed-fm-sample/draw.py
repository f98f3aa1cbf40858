#!/usr/bin/env python3
"""Draws the missed-foundation-models sample: papers the classifier left out of foundation-models
although they mention a weak cue, and prints them for labelling (id, year, venue, categories,
title, keywords, abstract) in batches, without labels.

usage: draw.py stages/classify/papers.ndjson.gz stages/dedupe/papers.ndjson.gz --out /tmp/missed-fm
       [--seed 28] [--size 600] [--batches 6] [--exclude ../random-sample ../strong-cue-sample]
Writes OUT/ids.json, OUT/batch-K.txt (rows i % batches == K of the draw) and prints the pool's size
(design.json's `pool`). The pool is defined by the classified papers given, so it is the draw's:
rerun on a later classification it is another pool.
"""
import argparse, glob, gzip, json, os, random, re, sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, ".."))
from labelling_batches import write_batches  # noqa: E402

WEAK_CUE = re.compile(r"language model|\bgpt|\bbert|transformer|pre-?train|foundation model|diffusion|\bprompt|multimodal|"
                      r"multi-modal|vision-language|\bllm|in-context", re.I)
FROM_YEAR = 2018

parser = argparse.ArgumentParser()
parser.add_argument("classified")
parser.add_argument("deduplicated")
parser.add_argument("--out", required=True)
parser.add_argument("--seed", type=int, default=28)
parser.add_argument("--size", type=int, default=600)
parser.add_argument("--batches", type=int, default=6)
parser.add_argument("--exclude", nargs="*", default=[os.path.join(here, "../random-sample"), os.path.join(here, "../strong-cue-sample")])
args = parser.parse_args()

excluded = set()
for folder in args.exclude:
    for path in glob.glob(os.path.join(folder, "*.jsonl")):
        excluded.update(json.loads(line)["id"] for line in open(path, encoding="utf-8"))
text = {}
with gzip.open(args.deduplicated, "rt", encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        if (r.get("year") or 0) >= FROM_YEAR:
            text[r["id"]] = r
pool = []
with gzip.open(args.classified, "rt", encoding="utf-8") as f:
    for line in f:
        d = json.loads(line)
        if (d.get("year") or 0) < FROM_YEAR or d["id"] in excluded or d["topic"] == "foundation-models":
            continue
        r = text.get(d["id"], {})
        if WEAK_CUE.search(d["title"] + " " + (r.get("abstract") or "") + " " + " ".join(r.get("keywords") or [])):
            pool.append(d["id"])
pool.sort()
pick = random.Random(args.seed).sample(pool, args.size)
os.makedirs(args.out, exist_ok=True)
json.dump(pick, open(os.path.join(args.out, "ids.json"), "w"))
write_batches(args.out, pick, text, args.batches)
print(f"pool {len(pool)}, drawn {len(pick)}")
