"""Python reference of `parse arxiv`: arXiv OAI-PMH ListRecords pages → PaperRecord lines, with
lxml's iterparse (one record element at a time, cleared as it goes)."""
import gzip
import re
import sys

from lxml import etree

from common import NDJSONWriter, Stage, read_manifest, write_counts

OAI = "{http://www.openarchives.org/OAI/2.0/}"
ARXIV = "{http://arxiv.org/OAI/arXiv/}"
XML_WHITESPACE = re.compile(r"[ \t\r\n]+")


def normalized(el):
    """Text of an element, XML whitespace runs made one space, trimmed (TextBuffer.normalized)."""
    if el is None:
        return ""
    text = el.text if len(el) == 0 else "".join(el.itertext())
    if not text:
        return ""
    return XML_WHITESPACE.sub(" ", text).strip(" ")


def normalize_doi(raw):
    """PaperIdentifiers.normalizeDOI."""
    if "/" not in raw:
        return None
    s = raw.strip(" \t\r\n")
    lower = s.lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi.org/", "doi:"):
        if lower.startswith(prefix):
            s = s[len(prefix):]
            break
    doi = s.lower()
    slash = doi.find("/")
    if not doi.startswith("10.") or slash < 0 or slash + 1 >= len(doi):
        return None
    return doi


def year_of(date):
    head = date[:4]
    if len(date.encode()) < 4 or not head.isascii() or not head.lstrip("+-").isdigit():
        return None
    y = int(head)
    return y if 1900 <= y <= 2100 else None


def paper(pid, source, title, year, venue=None, abstract=None, authors=(), categories=(), keywords=(), doi=None,
          arxiv_id=None, status=None, extra=None, unassigned_affiliations=(), unassigned_domains=()):
    """A PaperRecord line, keys in the order PaperRecord.json writes them."""
    return {"id": pid, "source": source, "title": title, "year": year, "venue": venue, "abstract": abstract,
            "authors": list(authors), "unassigned_affiliations": list(unassigned_affiliations),
            "unassigned_domains": list(unassigned_domains), "categories": list(categories),
            "keywords": list(keywords), "doi": doi, "arxiv_id": arxiv_id, "status": status, "sources": [],
            "extra": extra or {}}


def source_files(manifest, source, suffixes):
    out = []
    for entry, path in read_manifest(manifest):
        if not any(entry["path"].endswith(s) for s in suffixes):
            continue
        parts = entry["path"].split("/")
        name = "/".join(parts[1:]) if len(parts) > 1 and parts[0] == entry["source"] else entry["path"]
        out.append((name, path))
    return sorted(out)


def parse_page(path, emit, reject):
    page = {"records": 0, "deleted": 0, "rejected": 0, "request_token": None, "resumption_token": None,
            "cursor": None, "complete_list_size": None, "oai_error": None, "author_notes": {"name": 0, "role": 0}}
    tags = (OAI + "record", OAI + "request", OAI + "resumptionToken", OAI + "error")
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        for _, el in etree.iterparse(f, events=("end",), tag=tags, resolve_entities=False, no_network=True,
                                     huge_tree=False):
            tag = el.tag
            if tag == OAI + "record":
                record(el, page, emit, reject)
                el.clear()
                parent = el.getparent()
                while el.getprevious() is not None:
                    del parent[0]
            elif tag == OAI + "request":
                page["request_token"] = el.get("resumptionToken")
            elif tag == OAI + "resumptionToken":
                page["resumption_token"] = normalized(el)
                c, n = el.get("cursor"), el.get("completeListSize")
                page["cursor"] = int(c) if c and c.isdigit() else None
                page["complete_list_size"] = int(n) if n and n.isdigit() else None
            else:
                page["oai_error"] = el.get("code") or "unknown"
    return page


# reference/arxiv-author-notes.tsv (ArxivAuthorNotes): names and role words, set by parse_arxiv.
NOTE_NAMES, NOTE_ROLE_WORDS = set(), set()


def read_author_notes(path):
    seen_header = False
    for raw in open(path, encoding="utf-8").read().split("\n"):
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if not seen_header:
            seen_header = True
            continue
        if cells[0] == "name":
            NOTE_NAMES.add(cells[1].lower())
        elif cells[0] == "role":
            NOTE_ROLE_WORDS.add(cells[1].lower())
        else:
            sys.exit(f"{path}: unknown kind '{cells[0]}'")


def author_note(field):
    """'name' or 'role' when the field is not an affiliation, else None."""
    lower = field.strip().lower()
    if lower in NOTE_NAMES:
        return "name"
    words = [w for w in re.split(r"[^\w]+|_", lower) if w]
    return "role" if words and all(w in NOTE_ROLE_WORDS for w in words) else None


def record(el, page, emit, reject):
    header = el.find(OAI + "header")
    identifier = normalized(header.find(OAI + "identifier")) if header is not None else ""
    deleted = header is not None and header.get("status") == "deleted"
    meta = el.find(OAI + "metadata/" + ARXIV + "arXiv")
    fields = {}
    authors = []
    if meta is not None:
        for child in meta:
            tag = child.tag
            if tag == ARXIV + "authors":
                for a in child.iterchildren(ARXIV + "author"):
                    parts = {"keyname": "", "forenames": "", "suffix": ""}
                    affiliations = []
                    for part in a:
                        local = part.tag[len(ARXIV):] if part.tag.startswith(ARXIV) else None
                        if local == "affiliation":
                            v = normalized(part)
                            note = author_note(v) if v else None
                            if note:
                                page["author_notes"][note] += 1
                            elif v:
                                affiliations.append(v)
                        elif local in parts:
                            parts[local] = normalized(part)
                    full = " ".join(p for p in (parts["forenames"], parts["keyname"], parts["suffix"]) if p)
                    if full:
                        authors.append({"name": full, "affiliations": affiliations, "domains": [], "countries": []})
            elif tag.startswith(ARXIV):
                fields[tag[len(ARXIV):]] = normalized(child)
    rid = fields.get("id", "")
    title = fields.get("title", "")
    created = fields.get("created", "")
    location = identifier or rid or f"record {page['records'] + page['deleted'] + page['rejected'] + 1}"
    if deleted:
        page["deleted"] += 1
        reject(location, "deleted upstream (OAI header status=deleted)", location)
        return
    if not rid:
        page["rejected"] += 1
        reject(location, "no arXiv metadata (missing <arXiv><id>)", title)
        return
    if not title:
        page["rejected"] += 1
        reject(location, "empty title", rid)
        return
    year = year_of(created)
    if year is None:
        page["rejected"] += 1
        reject(location, "missing or malformed <created> date", rid + " " + created)
        return
    doi_field = fields.get("doi", "")
    first_doi = next((d for d in doi_field.split(" ") if d), None)
    extra = {"created": created}
    if fields.get("updated"):
        extra["updated"] = fields["updated"]
    if fields.get("journal-ref"):
        extra["journal_ref"] = fields["journal-ref"]
    page["records"] += 1
    rec = paper("arxiv:" + rid, "arxiv", title, year, abstract=fields.get("abstract") or None, authors=authors,
                categories=[c for c in fields.get("categories", "").split(" ") if c],
                doi=normalize_doi(first_doi) if first_doi else None, arxiv_id=rid, extra=extra)
    problem = validation_problem(rec)  # parse arxiv rejects what PaperRecord.validationProblem names
    if problem:
        reject(rec["id"], problem, title)
    else:
        emit(rec)


def validation_problem(rec):
    if not rec["title"].strip():
        return "no title"
    if not rec["authors"] or all(not a["name"].strip() for a in rec["authors"]):
        return "no authors"
    if rec["year"] is not None and not 1950 <= rec["year"] <= 2100:
        return f"year out of range 1950–2100: {rec['year']}"
    return None


def parse_arxiv(args):
    stage = Stage("parse arxiv")
    if getattr(args, "author_notes", None):
        read_author_notes(args.author_notes)
    out = NDJSONWriter(args.output)
    rejects = NDJSONWriter(args.rejects)
    report = NDJSONWriter(args.file_report) if args.file_report else None
    n_in = n_out = n_rej = 0
    reasons = {}
    for name, path in source_files(args.manifest, "arxiv", (".xml", ".xml.gz")):
        def reject(location, reason, excerpt, name=name):
            reasons[reason] = reasons.get(reason, 0) + 1
            rejects.write({"file": name, "kind": "record", "location": location, "reason": reason, "excerpt": excerpt[:300]})

        emitted = [0]

        def emit(rec, emitted=emitted):
            emitted[0] += 1
            out.write(rec)

        page = parse_page(path, emit, reject)
        n_in += page["records"] + page["deleted"] + page["rejected"]
        n_out += emitted[0]
        n_rej += page["deleted"] + page["rejected"] + page["records"] - emitted[0]
        if report:
            report.write({"file": name, **page})
    if report:
        report.commit()
    rejects.commit()
    out.commit()
    write_counts(args.output, "parse arxiv", n_in, n_out, n_rej, reasons=reasons)
    stage.done(**{"in": n_in, "out": n_out, "rejected": n_rej})
