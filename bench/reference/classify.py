"""Python reference of the classify stage: same arguments as `classify <kind>`, same records out.

    python classify.py models --input D --output O
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import NDJSONWriter, Stage, read_ndjson, write_counts  # noqa: E402
from stats import quantile  # noqa: E402

WEAK = {"Significant use", "Training cost", "Discretionary"}


def sector(categories):
    academia = industry = other = False
    for entry in categories:
        e = entry.lower()
        a, i = "academia" in e, "industry" in e
        academia |= a
        industry |= i
        if not a and not i and e:
            other = True
    if academia and industry:
        return "collaboration"
    if academia:
        return "other" if other else "academia"
    if industry:
        return "other" if other else "industry"
    return "other" if other else "unknown"


def year(m):
    d = m.get("publication_date")
    if d is None or len(d) < 4:
        return None
    try:
        return int(d[:4])
    except ValueError:
        return None


def classify_models(args):
    stage = Stage("classify models")
    models = list(read_ndjson(args.input))
    notable = [any(p["file"].startswith("notable_ai_models") for p in m["provenance"]) for m in models]
    by_year = {}
    for m, n in zip(models, notable):
        y = year(m)
        c = m.get("training_compute_flop")
        if n and y is not None and c is not None:
            by_year.setdefault(y, []).append(float(c))
    thresholds = {y: quantile(v, 0.75) for y, v in by_year.items()}
    out = NDJSONWriter(args.output)
    for m, n in zip(models, notable):
        c = m.get("training_compute_flop")
        y = year(m)
        q3 = thresholds.get(y) if y is not None else None
        crit = m["notability_criteria"]
        m["sector"] = sector(m["organization_categories"])
        m["notable"] = n
        m["passes_notability_filter"] = not crit or not all(x in WEAK for x in crit)
        m["large_scale_1e23"] = (c or 0) >= 1e23
        m["large_scale_top_quartile"] = c is not None and q3 is not None and c >= q3
        out.write(m)
    out.commit()
    write_counts(args.output, "classify models", len(models), out.count)
    stage.done(**{"in": len(models), "out": out.count})


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="kind", required=True)
    s = sub.add_parser("models")
    s.add_argument("--input", required=True)
    s.add_argument("--output", required=True)
    args = p.parse_args()
    {"models": classify_models}[args.kind](args)


if __name__ == "__main__":
    main()
