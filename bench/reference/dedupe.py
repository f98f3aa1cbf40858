"""Python reference of the dedupe stage: same arguments as `dedupe <kind>`, same records out.

    python dedupe.py models --input P --output O --merges M
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import NDJSONWriter, Stage, read_ndjson, write_counts  # noqa: E402

KINDS = ["notable_ai_models", "large_scale_ai_models", "frontier_ai_models", "all_ai_models", "all_ml_systems"]
LIST_FIELDS = ["organizations", "organization_categories", "domains", "tasks", "notability_criteria", "countries"]
OPTIONAL_FIELDS = ["publication_date", "parameters", "training_compute_flop", "accessibility", "base_model",
                   "reference", "abstract", "link"]


def table_rank(file):
    kind = next((i for i, k in enumerate(KINDS) if file.startswith(k)), len(KINDS))
    parts = file.split(".")
    vintage = next((p for p in parts[1:] if p), "") if len(parts) > 1 else ""
    inverted = "".join(str(9 - int(c)) if c.isdigit() else c for c in reversed(vintage))
    return (kind, inverted)


def dedupe_models(args):
    stage = Stage("dedupe models")
    records = list(read_ndjson(args.input[0]))
    ranks = {}

    def key(r):
        p = r["provenance"][0] if r["provenance"] else {"file": "", "line": 0}
        f = p["file"]
        if f not in ranks:
            ranks[f] = table_rank(f)
        return (ranks[f], p["line"])

    by_id = {}
    merges = []
    for r in sorted(records, key=key):
        kept = by_id.get(r["id"])
        if kept is None:
            by_id[r["id"]] = r
            continue
        for f in LIST_FIELDS:
            if not kept[f]:
                kept[f] = r[f]
        for f in OPTIONAL_FIELDS:
            if kept[f] is None:
                kept[f] = r[f]
        kept["provenance"].extend(r["provenance"])
        merges.append({"kept": kept["id"], "rule": "same normalized name",
                       "merged_row": r["provenance"][0] if r["provenance"] else {"file": "?", "line": 0}})
    out = NDJSONWriter(args.output)
    for i in sorted(by_id):
        out.write(by_id[i])
    audit = NDJSONWriter(args.merges)
    for m in merges:
        audit.write(m)
    audit.commit()
    out.commit()
    write_counts(args.output, "dedupe models", len(records), out.count, merged=len(merges))
    stage.done(**{"in": len(records), "out": out.count, "merged": len(merges)})


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="kind", required=True)
    for kind in ("models", "papers"):
        s = sub.add_parser(kind)
        s.add_argument("--input", action="append", required=True)
        s.add_argument("--output", required=True)
        s.add_argument("--merges", required=True)
    args = p.parse_args()
    if args.kind == "papers":
        from dedupe_papers import dedupe_papers
        dedupe_papers(args)
    else:
        dedupe_models(args)


if __name__ == "__main__":
    main()
