"""Python reference of the render stage's core work: read every aggregate table, the classified
models, the fetch manifests and the counts files; write tables/*.csv (byte-identical to the
Swift stage's), the merged drilldown.ndjson.gz and an HTML page with every table. It does not
draw the SVG charts (a few hundred points; not where the time goes).

    python render.py --aggregate A --models C --fetch F --stages S --output O [--code-version V]
"""
import argparse
import html
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import NDJSONWriter, Stage, read_ndjson, write_counts  # noqa: E402

import orjson  # noqa: E402


def cell(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v == int(v) and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    if isinstance(v, str):
        return v
    return orjson.dumps(v).decode()


def flop_csv(v):
    """NumberFormat.flopCSV: the shortest %e form that reads back as the same double, with the
    exponent's "+" and leading zeros dropped ("6.1e23", "5e-3")."""
    if not math.isfinite(v) or v == 0:
        return "0" if v == 0 else "%g" % v
    text = "%.16e" % v
    for precision in range(17):
        candidate = "%.*e" % (precision, v)
        if float(candidate) == v:
            text = candidate
            break
    mantissa, exponent = text.split("e")
    return mantissa + "e" + str(int(exponent))


def csv_cell(column, v):
    """A CSV cell; columns named *_flop are training compute in FLOP (TableRendering.csv)."""
    if column.endswith("_flop") and isinstance(v, (int, float)) and not isinstance(v, bool):
        return flop_csv(float(v))
    return cell(v)


def csv_field(s):
    if any(c in s for c in ',"\n\r'):
        return '"' + s.replace('"', '""') + '"'
    return s


def html_table(name, columns, rows):
    out = [f"<div class=\"table-wrap\"><table><caption>{html.escape(name)}</caption><thead><tr>"]
    out += [f"<th>{html.escape(c)}</th>" for c in columns]
    out.append("</tr></thead><tbody>")
    for r in rows[:400]:
        out.append("<tr>" + "".join(f"<td>{html.escape(cell(v))}</td>" for v in r) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def main():
    p = argparse.ArgumentParser()
    for o in ("aggregate", "models", "fetch", "stages", "output"):
        p.add_argument("--" + o, required=True)
    p.add_argument("--code-version", default="unknown")
    args = p.parse_args()
    stage = Stage("render")
    tables = {}
    for name in sorted(os.listdir(args.aggregate)):
        if name.endswith(".ndjson.gz") and "drilldown" not in name and not name.endswith(".rejects.ndjson.gz"):
            rows = list(read_ndjson(os.path.join(args.aggregate, name)))
            columns = list(rows[0].keys()) if rows else []
            tables[name[: -len(".ndjson.gz")]] = (columns, [[r[c] for c in columns] for r in rows])
    models = list(read_ndjson(args.models))
    manifests = []
    for name in sorted(os.listdir(args.fetch)):
        if name.endswith(".manifest.ndjson.gz"):
            manifests.extend(read_ndjson(os.path.join(args.fetch, name)))
    counts = []
    for d, _, names in os.walk(args.stages):
        for n in names:
            if n.endswith(".counts.json"):
                path = os.path.join(d, n)
                counts.append((os.path.relpath(path, args.stages), orjson.loads(open(path, "rb").read())))
    counts.sort()

    os.makedirs(os.path.join(args.output, "tables"), exist_ok=True)
    for name, (columns, rows) in tables.items():
        text = ",".join(csv_field(c) for c in columns) + "\n"
        text += "".join(",".join(csv_field(csv_cell(c, v)) for c, v in zip(columns, r)) + "\n" for r in rows)
        with open(os.path.join(args.output, "tables", name + ".csv"), "w", encoding="utf-8", newline="") as f:
            f.write(text)
    drill = NDJSONWriter(os.path.join(args.output, "drilldown.ndjson.gz"))
    for name in sorted(os.listdir(args.aggregate)):
        if name.endswith(".drilldown.ndjson.gz"):
            for v in read_ndjson(os.path.join(args.aggregate, name)):
                drill.write(v)
    drill.commit()
    notable = [m for m in models if m.get("notable") and m.get("publication_date")]
    unknown = sum(1 for m in notable if m.get("sector") == "unknown")
    page = ["<!doctype html><html><head><meta charset=\"utf-8\"><title>The compute divide in machine learning</title>"
            "</head><body><h1>The compute divide in machine learning</h1>",
            f"<p>Code version {html.escape(args.code_version)}. Notable models with unknown sector: {unknown} of {len(notable)}.</p>"]
    page += [html_table(name, columns, rows) for name, (columns, rows) in tables.items()]
    page.append(html_table("counts", ["file", "in", "out", "rejected", "merged", "excluded"],
                           [[f, c["input"], c["output"], c["rejected"], c["merged"], c["excluded"]] for f, c in counts]))
    page.append(html_table("manifests", ["source", "path", "bytes", "sha256", "fetched_at"],
                           [[m["source"], m["path"], m["bytes"], m["sha256"], m["fetched_at"]] for m in manifests]))
    page.append("</body></html>\n")
    report = os.path.join(args.output, "report.html")
    with open(report, "w", encoding="utf-8") as f:
        f.write("".join(page))
    write_counts(report, "render", len(tables), len(tables))
    stage.done(**{"in": len(tables), "out": len(tables)})


if __name__ == "__main__":
    main()
