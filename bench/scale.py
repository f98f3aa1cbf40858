"""Writes an N-times scale-up of the snapshot, built from the snapshot's own records.

    python scale.py --snapshot ../shared/snapshot --output bench/results/data-x10 --factor 10

Every file keeps its name and holds N copies of its records: copy 0 is the original, copy k
(1 … N-1) is perturbed so dedupe sees N distinct papers/models, while the matches between
sources inside one copy stay what they were (same perturbation in every source):

- arXiv ids: new-style `YYMM.NNNNN` → year shifted by 10·k (mod 100), which no real id of the
  2016 harvest uses; old-style `arch/YYMMNNN` → archive + one letter;
- DOIs → `<doi>-rk` (DataCite arXiv DOIs follow their arXiv id instead);
- titles → `<title> rk`; paper-list ids → `<id>-rk`; ACL volume ids → `<id>rk`;
  Epoch model names → `<name> rk`.

The reference sources (ROR, domain lists, OpenAlex samples) are copied as they are. Output is
gzip level 1; files are written in parallel, one process per core.
"""
import argparse
import csv
import gzip
import hashlib
import io
import multiprocessing
import os
import re
import shutil
import sys

NEW_ARXIV = re.compile(r"(?<!\d)(?<!\d\.)(\d\d)(\d\d)\.(\d{4,5})(?!\d)")
OLD_ARXIV = re.compile(r"(?<![\w./-])([a-zA-Z][a-zA-Z.-]*)/(\d{7})(?!\d)")
DOI_TOKEN = re.compile(r"10\.\d{4,9}/[^\s\"<>;,&]+")


def perturb_ids(text, k):
    text = NEW_ARXIV.sub(lambda m: f"{(int(m.group(1)) + 10 * k) % 100:02d}{m.group(2)}.{m.group(3)}", text)
    text = OLD_ARXIV.sub(lambda m: f"{m.group(1)}{chr(ord('a') + k - 1)}/{m.group(2)}", text)
    return text


def perturb_dois(text, k, shift_arxiv=True):
    """Publisher DOIs get `-rk`; DataCite arXiv DOIs (`10.48550/arXiv.<id>`) get the copy's arXiv id
    (unless the caller shifts every arXiv id of the text itself)."""
    def one(m):
        doi = m.group(0)
        if doi.lower().startswith("10.48550/"):
            return perturb_ids(doi, k) if shift_arxiv else doi
        return doi + f"-r{k}"
    return DOI_TOKEN.sub(one, text)


# ---- arXiv OAI-PMH pages: the records between <ListRecords> and the resumption token --------
ARXIV_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
ARXIV_DOI = re.compile(r"<doi>(.*?)</doi>", re.S)


def scale_arxiv(text, factor):
    start = text.index("<record>")
    end = text.rindex("</record>") + len("</record>")
    body = text[start:end]
    copies = [body]
    for k in range(1, factor):
        b = ARXIV_DOI.sub(lambda m: "<doi>" + perturb_dois(m.group(1), k, shift_arxiv=False) + "</doi>", body)
        b = perturb_ids(b, k)
        b = ARXIV_TITLE.sub(lambda m: f"<title>{m.group(1)} r{k}</title>", b)
        copies.append(b)
    tail = re.sub(r'completeListSize="(\d+)"', lambda m: f'completeListSize="{int(m.group(1)) * factor}"', text[end:])
    return text[:start] + "\n".join(copies) + tail


# ---- paper lists: a JSON array, scaled as text so the layout stays the upstream one ------------
JSON_STRING = r'"((?:[^"\\]|\\.)*)"'
PL_ID = re.compile(r'("id": )' + JSON_STRING)
PL_TITLE = re.compile(r'("title": )' + JSON_STRING)
PL_DOI = re.compile(r'("doi": )' + JSON_STRING)
PL_ARXIV = re.compile(r'("arxiv": )' + JSON_STRING)


def scale_paperlist(text, factor):
    start = text.index("[") + 1
    end = text.rindex("]")
    body = text[start:end].strip()
    if not body:
        return text
    copies = [body]
    for k in range(1, factor):
        b = PL_ID.sub(lambda m: f'{m.group(1)}"{m.group(2)}-r{k}"', body)
        b = PL_TITLE.sub(lambda m: f'{m.group(1)}"{m.group(2)} r{k}"', b)
        b = PL_DOI.sub(lambda m: f'{m.group(1)}"{perturb_dois(m.group(2), k)}"', b)
        b = PL_ARXIV.sub(lambda m: f'{m.group(1)}"{perturb_ids(m.group(2), k)}"', b)
        copies.append(b)
    return text[:start] + "\n    " + ",\n    ".join(copies) + "\n" + text[end:]


# ---- ACL Anthology: each <volume> repeated with a new volume id -----------------------------
ACL_VOLUME = re.compile(r"<volume id=\"([^\"]*)\".*?</volume>", re.S)
ACL_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
ACL_DOI = re.compile(r"<doi>(.*?)</doi>", re.S)


def scale_acl(text, factor):
    volumes = list(ACL_VOLUME.finditer(text))
    if not volumes:
        return text
    out = [text[: volumes[0].start()]]
    for i, v in enumerate(volumes):
        block = v.group(0)
        copies = [block]
        for k in range(1, factor):
            b = block.replace(f'<volume id="{v.group(1)}"', f'<volume id="{v.group(1)}r{k}"', 1)
            b = ACL_DOI.sub(lambda m: "<doi>" + perturb_dois(m.group(1), k) + "</doi>", b)
            b = ACL_TITLE.sub(lambda m: f"<title>{m.group(1)} r{k}</title>", b)
            copies.append(b)
        out.append("\n  ".join(copies))
        nxt = volumes[i + 1].start() if i + 1 < len(volumes) else len(text)
        out.append(text[v.end():nxt])
    return "".join(out)


# ---- Epoch CSV: rows repeated with the model name perturbed ----------------------------------
def scale_epoch(text, factor):
    bom = text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:] if bom else text, newline="")))
    header = rows[0]
    name_col = next((i for i, h in enumerate(header) if h.strip() in ("Model", "System")), 0)
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for k in range(factor):
        for r in rows[1:]:
            if k and name_col < len(r) and r[name_col].strip():
                r = list(r)
                r[name_col] = r[name_col].strip() + f" r{k}"
            w.writerow(r)
    return ("\ufeff" if bom else "") + out.getvalue()


SCALERS = {"arxiv-oai": scale_arxiv, "paperlists": scale_paperlist, "acl-anthology": scale_acl, "epoch": scale_epoch}


def job(args):
    src, dst, kind, factor = args
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if kind is None or not src.endswith(".gz"):
        shutil.copyfile(src, dst)
        return os.path.getsize(dst)
    with gzip.open(src, "rb") as f:
        text = f.read().decode("utf-8")
    data = SCALERS[kind](text, factor).encode("utf-8")
    with gzip.open(dst + ".tmp", "wb", compresslevel=1) as f:
        f.write(data)
    os.replace(dst + ".tmp", dst)
    return len(data)


def stamp_of(snapshot, factor):
    h = hashlib.sha256(open(__file__, "rb").read())
    h.update(str(factor).encode())
    for d, _, names in sorted(os.walk(snapshot)):
        for n in sorted(names):
            st = os.stat(os.path.join(d, n))
            h.update(f"{os.path.relpath(os.path.join(d, n), snapshot)} {st.st_size} {int(st.st_mtime)}\n".encode())
    return h.hexdigest()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--snapshot", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--factor", type=int, default=10)
    a = p.parse_args()
    stamp = stamp_of(a.snapshot, a.factor)
    stamp_file = os.path.join(a.output, ".scale-stamp")
    if os.path.exists(stamp_file) and open(stamp_file).read() == stamp:
        print(f"scale: {a.output} is up to date ({a.factor}x)", file=sys.stderr)
        return
    shutil.rmtree(a.output, ignore_errors=True)
    jobs = []
    for d, _, names in os.walk(a.snapshot):
        for n in names:
            src = os.path.join(d, n)
            rel = os.path.relpath(src, a.snapshot)
            top = rel.split(os.sep)[0]
            kind = top if top in SCALERS and n.endswith(".gz") else None
            jobs.append((src, os.path.join(a.output, rel), kind, a.factor))
    # Largest first so the two processes finish together.
    jobs.sort(key=lambda j: -os.path.getsize(j[0]))
    with multiprocessing.Pool(os.cpu_count() or 2) as pool:
        total = sum(pool.imap_unordered(job, jobs))
    with open(stamp_file, "w") as f:
        f.write(stamp)
    print(f"scale: wrote {a.factor}x snapshot to {a.output} ({total / 1e6:.0f} MB uncompressed)", file=sys.stderr)


if __name__ == "__main__":
    main()
