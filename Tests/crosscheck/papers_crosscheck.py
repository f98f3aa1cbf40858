#!/usr/bin/env python3
"""Independent cross-check of the paper corpus counts.

Counts the records of each paper source straight from the snapshot with Python (byte counts of
<record> and <paper> elements, json for the conference lists), and checks them against the parse
and dedupe stage counts: every record parsed or rejected, excluded submissions = the lists'
Reject/Withdraw entries, and dedupe's in = out + merged + excluded. Exit status 1 on a mismatch.
"""
import csv, glob, gzip, io, json, sys

snapshot, stages = sys.argv[1], sys.argv[2]
problems = []

def counts(path):
    with open(path) as f:
        return json.load(f)

def check(what, expected, actual):
    status = "ok" if expected == actual else "MISMATCH"
    if expected != actual:
        problems.append(what)
    print(f"papers cross-check: {what}: snapshot {expected:,}, pipeline {actual:,} {status}")

records = deleted = 0
for page in glob.glob(f"{snapshot}/arxiv-oai/*/*.xml.gz"):
    data = gzip.open(page).read()
    records += data.count(b"<record>")
    deleted += data.count(b'<header status="deleted">')
arxiv = counts(f"{stages}/parse/arxiv.counts.json")
check("arXiv records parsed or rejected", records, arxiv["input"])
check("arXiv records parsed", records - deleted - sum(v for k, v in arxiv["reject_reasons"].items() if not k.startswith("deleted")), arxiv["output"])

entries = excluded = 0
for path in glob.glob(f"{snapshot}/paperlists/*/*.json.gz"):
    for entry in json.load(gzip.open(path)):
        entries += 1
        status = (entry.get("status") or "").lower()
        # An entry without a title is rejected by parse whatever its status.
        if ("reject" in status or "withdraw" in status) and (entry.get("title") or "").strip():
            excluded += 1
lists = counts(f"{stages}/parse/paperlists.counts.json")
check("conference-list entries parsed or rejected", entries, lists["input"])

papers = 0
for path in glob.glob(f"{snapshot}/acl-anthology/*.xml.gz"):
    papers += gzip.open(path).read().count(b"<paper id=")
acl = counts(f"{stages}/parse/acl.counts.json")
check("ACL Anthology papers parsed or rejected", papers, acl["input"])

# Conference-site lists: one record per block, heading, line, (conference, year, title) group or
# decisions row, in the layout files.tsv names.
site_records = 0
for line in open(f"{snapshot}/paper-affiliations/files.tsv", encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    file, _venue, _year, layout, _role = line.rstrip("\n").split("\t")[:5]
    text = gzip.open(f"{snapshot}/paper-affiliations/{file}").read().decode("utf-8")
    if layout == "site-text":
        site_records += len([b for b in text.split("\n\n") if b.strip()])
    elif layout == "copilot-markdown":
        site_records += sum(1 for l in text.split("\n") if l.startswith("## "))
    elif layout == "speaker-jsonl":
        site_records += sum(1 for l in text.split("\n") if l.strip())
    elif layout == "schedule-csv":
        site_records += len({(r[0].lower(), r[1], " ".join(r[2].split())) for r in list(csv.reader(io.StringIO(text)))[1:]})
    elif layout == "openreview-csv":
        site_records += len(list(csv.reader(io.StringIO(text)))) - 1
sites = counts(f"{stages}/parse/sites.counts.json")
check("conference-site records parsed, rejected or joined", site_records, sites["input"])
# Which site records are submissions that were not accepted is the parser's reading (decisions
# joined by title): taken from its output, to check that dedupe excludes exactly those.
site_excluded = sum(1 for l in gzip.open(f"{stages}/parse/sites.ndjson.gz")
                    if json.loads(l).get("status") in ("rejected", "withdrawn", "not-accepted"))

dedupe = counts(f"{stages}/dedupe/papers.counts.json")
check("dedupe input = parse outputs", arxiv["output"] + lists["output"] + acl["output"] + sites["output"], dedupe["input"])
# Site records of papers their paper list excludes are excluded with them (audited one by one).
excluded_with_list = sum(1 for l in gzip.open(f"{stages}/dedupe/papers.merges.ndjson.gz") if json.loads(l)["action"] == "excluded")
check("dedupe excluded = rejected, withdrawn and not accepted submissions", excluded + site_excluded + excluded_with_list, dedupe["excluded"])
check("dedupe in = out + merged + excluded", dedupe["input"], dedupe["output"] + dedupe["merged"] + dedupe["excluded"] + dedupe["rejected"])
sys.exit(1 if problems else 0)
