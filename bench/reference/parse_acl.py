"""Python reference of `parse acl`: ACL Anthology collection files → PaperRecord lines, with lxml's
iterparse (volume metadata on the fly, one paper element at a time, cleared as it goes)."""
import gzip

from lxml import etree

from common import NDJSONWriter, Stage, write_counts
from parse_arxiv import normalize_doi, normalized, paper, source_files


def normalize_arxiv_id(raw):
    """PaperIdentifiers.normalizeArxivID."""
    if len(raw.encode()) < 7:
        return None
    s = raw.strip(" \t\r\n")
    for marker in ("arxiv.org/abs/", "arxiv.org/pdf/", "arXiv:", "arxiv:"):
        i = s.find(marker)
        if i >= 0:
            s = s[i + len(marker):]
    if s.endswith(".pdf"):
        s = s[:-4]
    s = s.rstrip("/")
    v = s.rfind("v")
    if v > 0 and v + 1 < len(s) and s[v + 1:].isdigit() and s[v - 1].isdigit():
        s = s[:v]
    parts = s.split(".", 1)
    if len(parts) == 2 and len(parts[0]) == 4 and parts[0].isdigit() and 4 <= len(parts[1]) <= 5 and parts[1].isdigit():
        return s
    slash = s.find("/")
    if slash >= 0:
        tail = s[slash + 1:]
        if len(tail) == 7 and tail.isdigit() and all(c.isalpha() or c in "-." for c in s[:slash]):
            return s
    return None


def arxiv_id_from_doi(doi):
    prefix = "10.48550/arxiv."
    return normalize_arxiv_id(doi[len(prefix):]) if doi.startswith(prefix) else None


def anthology_id(collection, volume, paper_id):
    if "." in collection:
        return f"{collection}-{volume}.{paper_id}"
    return f"{collection}-{volume}" + "0" * max(0, 4 - len(volume) - len(paper_id)) + paper_id


def swift_int_prefix4(value):
    head = value[:4]
    try:
        return int(head) if head and head.strip() == head and "_" not in head else None
    except ValueError:
        return None


def parse_file(path, emit, reject):
    res = {"volumes": 0, "records": 0, "rejected": 0, "front_matter_skipped": 0, "with_affiliation": 0}
    collection = volume = volume_type = booktitle = ""
    year = venue = None
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        for event, el in etree.iterparse(f, events=("start", "end"), tag=("collection", "volume", "meta", "frontmatter", "paper"),
                                         resolve_entities=False, no_network=True):
            tag = el.tag
            if event == "start":
                if tag == "volume":
                    volume, volume_type = el.get("id") or "", el.get("type") or ""
                    year = venue = None
                    booktitle = ""
                    res["volumes"] += 1
                elif tag == "collection":
                    collection = el.get("id") or ""
                elif tag == "frontmatter":
                    res["front_matter_skipped"] += 1
                continue
            if tag == "meta":
                for child in el.iter("year", "venue", "booktitle"):
                    if child.tag == "year":
                        year = swift_int_prefix4(normalized(child))
                    elif child.tag == "venue":
                        if venue is None:
                            v = normalized(child)
                            if v:
                                venue = v.lower()
                    else:
                        booktitle = normalized(child)
            elif tag == "paper":
                finish_paper(el, collection, volume, volume_type, booktitle, year, venue, res, emit, reject)
            if tag in ("paper", "meta", "frontmatter", "volume"):
                el.clear()
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
    return res


def finish_paper(el, collection, volume, volume_type, booktitle, year, venue, res, emit, reject):
    pid = el.get("id") or ""
    aid = anthology_id(collection, volume, pid)
    title = abstract = doi = ""
    retracted = False
    authors = []
    for child in el.iter():
        tag = child.tag
        if tag == "author":
            first = last = ""
            affiliations = []
            for part in child:
                if part.tag == "first":
                    first = normalized(part)
                elif part.tag == "last":
                    last = normalized(part)
                elif part.tag == "affiliation":
                    v = normalized(part)
                    if v:
                        affiliations.append(v)
            full = " ".join(p for p in (first, last) if p)
            if full:
                authors.append({"name": full, "affiliations": affiliations, "domains": [], "countries": []})
        elif tag == "title" and child.getparent() is el:
            title = normalized(child)
        elif tag == "abstract" and child.getparent() is el:
            abstract = normalized(child)
        elif tag == "doi" and child.getparent() is el:
            doi = normalized(child)
        elif tag == "retracted":
            retracted = True

    def rejected(reason):
        res["rejected"] += 1
        reject(aid, reason, title)

    if not collection or not volume or not pid:
        return rejected("paper without collection/volume/paper id")
    if not title:
        return rejected("empty title")
    if retracted:
        return rejected("retracted")
    if not authors:
        return rejected("no authors")
    if year is None:
        return rejected("volume has no <year>")
    d = normalize_doi(doi)
    extra = {"anthology_id": aid}
    if booktitle:
        extra["booktitle"] = booktitle
    if volume_type:
        extra["volume_type"] = volume_type
    if any(a["affiliations"] for a in authors):
        res["with_affiliation"] += 1
    res["records"] += 1
    emit(paper("acl:" + aid, "acl", title, year, venue=venue, abstract=abstract or None, authors=authors, doi=d,
               arxiv_id=arxiv_id_from_doi(d) if d else None, status="accepted", extra=extra))


def parse_acl(args):
    stage = Stage("parse acl")
    out = NDJSONWriter(args.output)
    rejects = NDJSONWriter(args.rejects)
    report = NDJSONWriter(args.file_report) if args.file_report else None
    n_in = n_out = n_rej = 0
    reasons = {}
    for name, path in source_files(args.manifest, "acl", (".xml", ".xml.gz")):
        def reject(location, reason, excerpt, name=name):
            reasons[reason] = reasons.get(reason, 0) + 1
            rejects.write({"file": name, "kind": "record", "location": location, "reason": reason, "excerpt": excerpt[:300]})

        res = parse_file(path, out.write, reject)
        n_in += res["records"] + res["rejected"]
        n_out += res["records"]
        n_rej += res["rejected"]
        if report:
            report.write({"file": name, "volumes": res["volumes"], "records": res["records"], "rejected": res["rejected"],
                          "front_matter_skipped": res["front_matter_skipped"], "with_affiliation": res["with_affiliation"]})
    if report:
        report.commit()
    rejects.commit()
    out.commit()
    write_counts(args.output, "parse acl", n_in, n_out, n_rej, reasons=reasons)
    stage.done(**{"in": n_in, "out": n_out, "rejected": n_rej})
