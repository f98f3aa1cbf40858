#!/usr/bin/env python3
"""Independent cross-check of the paper corpus counts.

Counts the records of each paper source straight from the snapshot with Python (byte counts of
<record> and <paper> elements, json for the conference lists), and checks them against the parse
and dedupe stage counts: every record parsed or rejected, excluded submissions = the lists'
Reject/Withdraw entries, and dedupe's in = out + merged + excluded. Exit status 1 on a mismatch.
"""
import glob, gzip, json, sys

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

dedupe = counts(f"{stages}/dedupe/papers.counts.json")
check("dedupe input = parse outputs", arxiv["output"] + lists["output"] + acl["output"], dedupe["input"])
check("dedupe excluded = rejected and withdrawn submissions", excluded, dedupe["excluded"])
check("dedupe in = out + merged + excluded", dedupe["input"], dedupe["output"] + dedupe["merged"] + dedupe["excluded"] + dedupe["rejected"])
sys.exit(1 if problems else 0)
