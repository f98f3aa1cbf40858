"""Python reference of the parse stage: same arguments as `parse <source>`, same records out.

    python parse.py epoch --manifest M --output O --rejects R
"""
import argparse
import csv
import gzip
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (NDJSONWriter, Stage, read_manifest, removing_invisible_format, split_whitespace, trim,  # noqa: E402
                    write_counts)

csv.field_size_limit(1 << 30)


def num(d):
    """A float as the Swift serializer writes it: integral values below 1e15 without a fraction."""
    if d is None:
        return None
    if d == int(d) and abs(d) < 1e15:
        return int(d)
    return d


def swift_double(s):
    """Swift's Double(String): no underscores, no surrounding spaces (inputs are trimmed)."""
    if "_" in s:
        return None
    try:
        return float(s)
    except ValueError:
        return None


def iso_date(text):
    head = text[:10]
    parts = head.split("-")
    if not (1 <= len(parts) <= 3) or len(parts[0]) != 4 or not parts[0].isdigit() or not 1900 <= int(parts[0]) <= 2100:
        return None
    if len(parts) >= 2 and (len(parts[1]) != 2 or not parts[1].isdigit() or not 1 <= int(parts[1]) <= 12):
        return None
    if len(parts) == 3 and (len(parts[2]) != 2 or not parts[2].isdigit() or not 1 <= int(parts[2]) <= 31):
        return None
    return head


def model_id(name):
    return "model:" + " ".join(split_whitespace(name.lower()))


EPOCH_COLUMNS = {
    "organization": ["Organization"],
    "categorization": ["Organization categorization"],
    "date": ["Publication date"],
    "domain": ["Domain"],
    "task": ["Task"],
    "parameters": ["Parameters"],
    "compute": ["Training compute (FLOP)"],
    "notability": ["Notability criteria"],
    "accessibility": ["Model accessibility", "Open-source"],
    "base_model": ["Base model"],
    "country": ["Country (of organization)", "Country (from Organization)"],
    "reference": ["Reference"],
    "abstract": ["Abstract"],
    "link": ["Link"],
}


def parse_epoch(args):
    stage = Stage("parse epoch")
    out = NDJSONWriter(args.output)
    rejects = NDJSONWriter(args.rejects)
    n_in = n_out = n_rej = 0
    reasons = {}

    def reject(name, line, reason, fields):
        nonlocal n_rej
        n_rej += 1
        key = reason.split(":")[0]
        reasons[key] = reasons.get(key, 0) + 1
        rejects.write({"file": name, "kind": "record", "location": f"line {line}", "reason": reason,
                       "excerpt": ",".join(fields[:3])[:300]})

    for entry, path in read_manifest(args.manifest):
        name = entry["path"].split("/")[-1]
        with gzip.open(path, "rt", encoding="utf-8-sig", errors="replace", newline="") as f:
            reader = csv.reader(f)
            header = None
            col = {}
            previous_line = 0
            for fields in reader:
                start = previous_line + 1
                previous_line = reader.line_num
                if not fields:
                    continue
                if header is None:
                    header = fields
                    index = {}
                    for i, h in enumerate(fields):
                        index.setdefault(trim(h), i)
                    model = index.get("Model", index.get("System"))
                    if model is None:
                        sys.exit(f"{name}: line 1: header has neither a 'Model' nor a 'System' column")
                    col = {"name": model}
                    for key, names in EPOCH_COLUMNS.items():
                        col[key] = next((index[n] for n in names if n in index), None)
                    continue
                n_in += 1
                if len(fields) != len(header):
                    reject(name, start, f"row has {len(fields)} fields, header has {len(header)}", fields)
                    continue

                def value(key):
                    i = col[key]
                    if i is None:
                        return None
                    v = trim(removing_invisible_format(fields[i]))
                    return v or None

                def listing(key):
                    v = value(key)
                    if v is None:
                        return []
                    return [t for t in (trim(p) for p in v.split(",")) if t]

                model_name = value("name")
                if model_name is None:
                    reject(name, start, "empty model name", fields)
                    continue
                if "\0" in model_name:
                    reject(name, start, "model name contains a NUL byte", fields)
                    continue
                date = value("date")
                iso = None
                if date is not None:
                    iso = iso_date(date)
                    if iso is None:
                        reject(name, start, f"unparseable publication date '{date[:40]}'", fields)
                        continue
                compute = value("compute")
                flop = None
                if compute is not None:
                    flop = swift_double(compute)
                    if flop is None or flop != flop or flop in (float("inf"), float("-inf")) or flop <= 0:
                        reject(name, start, f"training compute is not a positive number: '{compute[:40]}'", fields)
                        continue
                params = value("parameters")
                parameters = swift_double(params) if params is not None else None
                if parameters is not None and (parameters != parameters or abs(parameters) == float("inf")):
                    parameters = None  # Swift writes a non-finite number as null
                out.write({
                    "id": model_id(model_name),
                    "name": model_name,
                    "organizations": listing("organization"),
                    "organization_categories": listing("categorization"),
                    "publication_date": iso,
                    "domains": listing("domain"),
                    "tasks": listing("task"),
                    "parameters": num(parameters),
                    "training_compute_flop": num(flop),
                    "notability_criteria": listing("notability"),
                    "accessibility": value("accessibility"),
                    "base_model": value("base_model"),
                    "countries": listing("country"),
                    "reference": value("reference"),
                    "abstract": value("abstract"),
                    "link": value("link"),
                    "provenance": [{"file": name, "line": start}],
                })
                n_out += 1
    rejects.commit()
    out.commit()
    write_counts(args.output, "parse epoch", n_in, n_out, n_rej, reasons=reasons)
    stage.done(**{"in": n_in, "out": n_out, "rejected": n_rej})


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="source", required=True)
    for name in ("epoch", "arxiv", "paperlists", "acl"):
        s = sub.add_parser(name)
        s.add_argument("--manifest", required=True)
        s.add_argument("--output", required=True)
        s.add_argument("--rejects", required=True)
        s.add_argument("--file-report")
        if name == "arxiv":
            s.add_argument("--author-notes")
    args = p.parse_args()
    if args.source == "paperlists":
        from parse_paperlists import parse_paperlists
        parse_paperlists(args)
    elif args.source == "acl":
        from parse_acl import parse_acl
        parse_acl(args)
    elif args.source == "arxiv":
        from parse_arxiv import parse_arxiv
        parse_arxiv(args)
    else:
        {"epoch": parse_epoch}[args.source](args)


if __name__ == "__main__":
    main()
