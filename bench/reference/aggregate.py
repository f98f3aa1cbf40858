"""Python reference of the aggregate stage: same arguments as `aggregate <kind>`, same tables out.

    python aggregate.py models --input C --output-dir A
"""
import argparse
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import NDJSONWriter, Stage, read_ndjson, write_counts  # noqa: E402
from parse import model_id  # noqa: E402
from stats import bootstrap_slope, ols_slope, round_half_away, wilson  # noqa: E402

SECTORS = ["academia", "industry", "collaboration", "other", "unknown"]
TREND_SECTORS = ["all", "industry", "academia", "collaboration"]
CUMULATIVE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]


def year(m):
    d = m.get("publication_date")
    if d is None or len(d) < 4:
        return None
    try:
        return int(d[:4])
    except ValueError:
        return None


def fractional_year(date):
    parts = []
    for p in date.split("-"):
        try:
            parts.append(int(p))
        except ValueError:
            pass
    y = parts[0]
    m = parts[1] if len(parts) > 1 else 7
    d = parts[2] if len(parts) > 2 else 1
    leap = (y % 4 == 0 and y % 100 != 0) or y % 400 == 0
    day = CUMULATIVE[max(0, min(11, m - 1))] + (1 if leap and m > 2 else 0) + d - 1
    return y + day / (366.0 if leap else 365.0)


class Table:
    def __init__(self, name, columns):
        self.name, self.columns, self.rows, self.ids = name, columns, [], []

    def append(self, row, ids):
        self.rows.append(row)
        self.ids.append(sorted(ids))

    def objects(self):
        return [dict(zip(self.columns, r)) for r in self.rows]


def append_shares(table, prefix, group):
    for s in SECTORS:
        members = [m for m in group if m["sector"] == s]
        share, low, high = wilson(len(members), len(group))
        table.append(prefix + [s, len(members), round_half_away(share, 4), round_half_away(low, 4),
                               round_half_away(high, 4)], [m["id"] for m in members])


def by_year(models):
    groups = {}
    for m in models:
        groups.setdefault(m["_year"], []).append(m)
    return sorted(groups.items())


def is_open_weights(accessibility):
    if accessibility is None:
        return False
    a = accessibility.lower()
    return a.startswith("open weights") or a == "fully open-source" or a == "permissive license"


def open_base_model_lineage(everything):
    t = Table("open_base_model_lineage", ["year", "sector", "with_base_model", "industry_open_base", "share",
                                          "ci_low", "ci_high"])
    by_id = {}
    for m in everything:
        by_id.setdefault(m["id"], m)
    derived = []
    for m in everything:
        y = year(m)
        if y is None:
            continue
        bases = [by_id[k] for k in (model_id(n) for n in (m["base_model"] or "").split(",") if n) if k in by_id]
        if bases:
            derived.append((y, m, bases))
    groups = {}
    for y, m, bases in derived:
        groups.setdefault(y, []).append((m, bases))
    for y, group in sorted(groups.items()):
        for s in SECTORS:
            members = [(m, b) for m, b in group if m["sector"] == s]
            if not members:
                continue
            open_ = [m for m, b in members if any(x["sector"] == "industry" and is_open_weights(x["accessibility"]) for x in b)]
            share, low, high = wilson(len(open_), len(members))
            t.append([y, s, len(members), len(open_), round_half_away(share, 4), round_half_away(low, 4),
                      round_half_away(high, 4)], [m["id"] for m in open_])
    return t


def aggregate_models(args):
    stage = Stage("aggregate models")
    everything = list(read_ndjson(args.input))
    models = []
    for m in everything:
        y = year(m)
        if m["notable"] and y is not None:
            m["_year"] = y
            models.append(m)
    tables = []
    for filtered in (False, True):
        t = Table("model_sector_shares_filtered" if filtered else "model_sector_shares",
                  ["year", "sector", "models", "share", "ci_low", "ci_high"])
        pop = [m for m in models if m["passes_notability_filter"]] if filtered else models
        for y, group in by_year(pop):
            append_shares(t, [y], group)
        tables.append(t)
    for filtered in (False, True):
        t = Table("large_scale_sector_shares_filtered" if filtered else "large_scale_sector_shares",
                  ["year", "definition", "sector", "models", "share", "ci_low", "ci_high"])
        pop = [m for m in models if m["passes_notability_filter"]] if filtered else models
        for y, group in by_year(pop):
            for definition, flag in (("1e23", "large_scale_1e23"), ("top-quartile", "large_scale_top_quartile")):
                large = [m for m in group if m[flag]]
                if large:
                    append_shares(t, [y, definition], large)
        tables.append(t)
    trends = Table("compute_trends", ["sector", "from_year", "n", "doublings_per_year", "doubling_months",
                                      "ci_low_months", "ci_high_months"])
    eligible = [m for m in models if (m["training_compute_flop"] or 0) > 0
                and (m["publication_date"] or "") >= "2010-01-01"]

    def months(slope):
        if slope is None or not slope > 0:
            return None
        return round_half_away(12 / slope, 2)

    for s in TREND_SECTORS:
        group = eligible if s == "all" else [m for m in eligible if m["sector"] == s]
        x = [fractional_year(m["publication_date"]) for m in group]
        y = [math.log2(m["training_compute_flop"]) for m in group]
        ids = [m["id"] for m in group]
        slope = ols_slope(x, y)
        if slope is None:
            trends.append([s, 2010, len(group), None, None, None, None], ids)
            continue
        boot = bootstrap_slope(x, y)
        trends.append([s, 2010, len(group), round_half_away(slope, 3), months(slope),
                       months(boot[1] if boot else None), months(boot[0] if boot else None)], ids)
    tables.append(trends)
    tables.append(open_base_model_lineage(everything))

    drill_path = os.path.join(args.output_dir, "models.drilldown.ndjson.gz")
    drill = NDJSONWriter(drill_path)
    for t in tables:
        w = NDJSONWriter(os.path.join(args.output_dir, t.name + ".ndjson.gz"))
        for obj, ids in zip(t.objects(), t.ids):
            w.write(obj)
            drill.write({"table": t.name, "row": obj, "ids": ids})
        w.commit()
    drill.commit()
    write_counts(drill_path, "aggregate models", len(everything), len(models), excluded=len(everything) - len(models))
    stage.done(**{"in": len(everything), "out": len(models), "excluded": len(everything) - len(models)})


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="kind", required=True)
    s = sub.add_parser("models")
    s.add_argument("--input", required=True)
    s.add_argument("--output-dir", required=True)
    args = p.parse_args()
    {"models": aggregate_models}[args.kind](args)


if __name__ == "__main__":
    main()
