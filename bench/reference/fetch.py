"""Python reference of the fetch stage (snapshot mode): copy each source's snapshot folder into
the fetch folder and write the manifest (source, path, url, bytes, sha256, fetched_at).

    python fetch.py --snapshot S --source epoch [--source …] --output F
"""
import argparse
import datetime
import hashlib
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import NDJSONWriter, Stage, write_counts  # noqa: E402

FOLDERS = {"epoch": "epoch", "arxiv": "arxiv-oai", "paperlists": "paperlists", "acl": "acl-anthology",
           "ror": "ror", "university-domains": "university-domains", "swot": "swot", "openalex": "openalex"}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--snapshot", required=True)
    p.add_argument("--source", action="append", required=True)
    p.add_argument("--output", required=True)
    args = p.parse_args()
    stage = Stage("fetch")
    manifest = os.path.join(args.output, "+".join(args.source) + ".manifest.ndjson.gz")
    writer = NDJSONWriter(manifest)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    for source in args.source:
        root = os.path.join(args.snapshot, FOLDERS[source])
        files = sorted(os.path.relpath(os.path.join(d, f), root)
                       for d, _, names in os.walk(root) for f in names if not f.endswith("README.md"))
        for rel in files:
            target = os.path.join(args.output, source, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(os.path.join(root, rel), target + ".tmp-py")
            os.replace(target + ".tmp-py", target)
            h = hashlib.sha256()
            size = 0
            with open(target, "rb") as f:
                while chunk := f.read(1 << 20):
                    h.update(chunk)
                    size += len(chunk)
            writer.write({"source": source, "path": f"{source}/{rel}",
                          "url": "file://" + os.path.abspath(os.path.join(root, rel)),
                          "bytes": size, "sha256": h.hexdigest(), "fetched_at": stamp})
    writer.commit()
    write_counts(manifest, "fetch", writer.count, writer.count)
    stage.done(**{"in": writer.count, "out": writer.count})


if __name__ == "__main__":
    main()
