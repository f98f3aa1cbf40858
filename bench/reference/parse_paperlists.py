"""Python reference of `parse paperlists`: papercopilot/paperlists JSON arrays → PaperRecord lines
(gzip + orjson; layouts detected per file the same way as PaperListParser)."""
import gzip

import orjson

from common import NDJSONWriter, Stage, split_whitespace, string_value, trim, write_counts
from parse_acl import arxiv_id_from_doi, normalize_arxiv_id
from parse_arxiv import normalize_doi, paper, source_files

NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u00a0", "mdash": "—",
         "ndash": "–", "hellip": "…", "rsquo": "’", "lsquo": "‘", "rdquo": "”", "ldquo": "“"}
HEX = set("0123456789abcdefABCDEF")
EXTRA_SPACES = set("\x1c\x1d\x1e\x1f")


def collapse(s):
    """TextNormalizer.collapseWhitespace: Unicode White_Space runs → one space, trimmed."""
    if not s:
        return s
    if EXTRA_SPACES.isdisjoint(s):
        return " ".join(s.split())
    return " ".join(split_whitespace(s, lambda ch: ch.isspace() and ch not in EXTRA_SPACES))


def _resolve(body):
    if body[:2] in ("#x", "#X"):
        digits = body[2:]
        if not digits or not set(digits) <= HEX:
            return None
        v = int(digits, 16)
    elif body[:1] == "#":
        digits = body[1:]
        if not digits or not digits.isascii() or not digits.isdigit():
            return None
        v = int(digits)
    else:
        return NAMED.get(body)
    if v > 0x10FFFF or 0xD800 <= v <= 0xDFFF or v > 0xFFFFFFFF:
        return None
    return chr(v)


def _decode_once(text):
    out = []
    i, n = 0, len(text)
    while i < n:
        j = text.find("&", i)
        if j < 0:
            out.append(text[i:])
            break
        out.append(text[i:j])
        semi = text.find(";", j, j + 12)
        rep = _resolve(text[j + 1:semi]) if semi >= 0 else None
        if rep is None:
            out.append("&")
            i = j + 1
        else:
            out.append(rep)
            i = semi + 1
    return "".join(out)


def html_decode(text):
    if "&" not in text:
        return text
    for _ in range(3):
        nxt = _decode_once(text)
        if nxt == text:
            break
        text = nxt
    return text


def fields(s, sep):
    return s.split(sep) if s else []


def uniqued(items):
    seen = set()
    out = []
    for x in items:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def swift_int(s):
    t = trim(s)
    if not t or not t.lstrip("+-").isdigit() or not t.isascii():
        return None
    return int(t)


def title_hash(title):
    h = 0xcbf29ce484222325
    for b in title.encode():
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def normalize_status(raw):
    s = raw.lower()
    if "reject" in s:
        return "rejected"
    if "withdraw" in s:
        return "withdrawn"
    return "accepted"


def domain_of(text):
    b = text.encode()
    at = b.rfind(b"@")
    if at >= 0:
        b = b[at + 1:]
    b = b.strip(b" \t")
    if len(b) < 3 or b"." not in b or b[:1] == b"." or b[-1:] == b".":
        return None
    out = bytearray(b)
    for i, c in enumerate(out):
        if 65 <= c <= 90:
            out[i] = c + 32
        elif 97 <= c <= 122 or 48 <= c <= 57 or c in (46, 45) or c >= 0x80:
            continue
        else:
            return None
    return out.decode("utf-8", "replace")


KEYS = {"title", "status", "track", "author", "authors", "aff", "affs", "aff_domain", "email", "authorids",
        "aff_unique_index", "aff_unique_norm", "aff_country_unique", "aff_country_unique_index", "abstract",
        "keywords", "doi", "arxiv", "id"}


class Raw:
    __slots__ = ("is_object", "title", "status", "track", "authors", "aff", "aff_domain", "email", "authorids",
                 "aff_unique_index", "aff_unique_norm", "country_unique", "country_unique_index", "abstract",
                 "keywords", "doi", "arxiv", "source_id", "decoded_authors", "aff_entries")

    def __init__(self, obj):
        self.is_object = isinstance(obj, dict)
        self.title = self.status = self.track = self.authors = self.aff = self.aff_domain = self.email = ""
        self.authorids = self.aff_unique_index = self.aff_unique_norm = self.country_unique = ""
        self.country_unique_index = self.abstract = self.keywords = self.doi = self.arxiv = ""
        self.source_id = None
        if self.is_object:
            for key, value in obj.items():
                if key not in KEYS:
                    continue
                s = string_value(value)
                if s is None:
                    continue
                if key == "title": self.title = s
                elif key == "status": self.status = s
                elif key == "track": self.track = s
                elif key == "author": self.authors = s
                elif key == "authors":
                    if not self.authors: self.authors = s
                elif key == "aff": self.aff = s
                elif key == "affs":
                    if not self.aff: self.aff = s
                elif key == "aff_domain": self.aff_domain = s
                elif key == "email": self.email = s
                elif key == "authorids": self.authorids = s
                elif key == "aff_unique_index": self.aff_unique_index = s
                elif key == "aff_unique_norm": self.aff_unique_norm = s
                elif key == "aff_country_unique": self.country_unique = s
                elif key == "aff_country_unique_index": self.country_unique_index = s
                elif key == "abstract": self.abstract = s
                elif key == "keywords": self.keywords = s
                elif key == "doi": self.doi = s
                elif key == "arxiv": self.arxiv = s
                elif key == "id":
                    t = trim(s)
                    if t: self.source_id = t
        self.decoded_authors = html_decode(self.authors)
        decoded_aff = html_decode(self.aff)
        self.aff_entries = [] if not trim(decoded_aff) else [collapse(x) for x in decoded_aff.split(";")]


def split_authors(text, layout):
    sep, override = layout, False
    if layout == ";" and ";" not in text and ", " in text:
        sep, override = ", ", True
    if layout == ", " and ";" in text:
        sep, override = ";", True
    names = [n for n in (collapse(x) for x in fields(text, ";" if sep == ";" else ",")) if n]
    return names, override


def detect_author_layout(raws):
    semi = comma = 0
    for r in raws:
        a = r.decoded_authors
        if ";" in a:
            semi += 1
        elif ", " in a:
            comma += 1
    return ", " if comma > semi else ";"


def detect_aff_layout(raws, layout):
    multi = repeated = aligned = 0
    for r in raws:
        affs = r.aff_entries
        non_empty = [a for a in affs if a]
        if len(non_empty) < 2:
            continue
        multi += 1
        if len(set(non_empty)) < len(non_empty):
            repeated += 1
        if len(affs) == len(split_authors(r.decoded_authors, layout)[0]):
            aligned += 1
    if multi == 0:
        return "per-author" if any(any(a for a in r.aff_entries) for r in raws) else "none"
    return "unique-list" if repeated / multi < 0.15 and aligned / multi < 0.5 else "per-author"


def assemble(r, layout, aff_layout):
    names, override = split_authors(r.decoded_authors, layout)
    authors = [{"name": n, "affiliations": [], "domains": [], "countries": []} for n in names]
    un_affs, un_domains = [], []
    n = len(authors)
    affs = r.aff_entries
    index_entries = fields(r.aff_unique_index, ";")
    norms = [collapse(x) for x in fields(r.aff_unique_norm, ";")]
    if not any(affs):
        pass
    elif aff_layout == "per-author" and len(affs) == n:
        non_empty = sum(1 for a in affs if a)
        k = 0
        for i, aff in enumerate(affs):
            if not aff:
                continue
            parts = [aff]
            if len(index_entries) == non_empty and "+" in index_entries[k]:
                split = [x for x in (collapse(p) for p in aff.split("+") if p) if x]
                if len(split) == len([p for p in index_entries[k].split("+") if p]):
                    parts = split
            k += 1
            authors[i]["affiliations"] = uniqued(parts)
    elif aff_layout == "per-author" and len(index_entries) == n and norms:
        for i, entry in enumerate(index_entries):
            mapped = []
            for x in entry.split("+"):
                j = swift_int(x)
                if j is not None and j < len(norms):
                    mapped.append(norms[j])
            authors[i]["affiliations"] = uniqued([m for m in mapped if m])
    else:
        un_affs += [a for a in affs if a]

    country_index = fields(r.country_unique_index, ";")
    countries = [collapse(x) for x in fields(r.country_unique, ";")]
    if countries and len(country_index) == n:
        for i, entry in enumerate(country_index):
            mapped = []
            for x in entry.split("+"):
                j = swift_int(x)
                if j is not None and j < len(countries):
                    mapped.append(countries[j])
            authors[i]["countries"] = uniqued([m for m in mapped if m])

    for lst in (r.aff_domain, "" if r.email == r.aff_domain else r.email):
        if not lst:
            continue
        entries = [[x for x in e.split("+") if x] for e in fields(lst, ";")]
        if len(entries) == n:
            for i, ds in enumerate(entries):
                authors[i]["domains"] = uniqued(authors[i]["domains"] + [d for d in map(domain_of, ds) if d])
        else:
            un_domains += [d for d in (domain_of(x) for e in entries for x in e) if d]
    if "@" in r.authorids:
        ids = fields(r.authorids, ";" if ";" in r.authorids else ",")
        if len(ids) == n:
            for i, entry in enumerate(ids):
                d = domain_of(entry)
                if d:
                    authors[i]["domains"] = uniqued(authors[i]["domains"] + [d])
        else:
            un_domains += [d for d in map(domain_of, ids) if d]
    return authors, un_affs, un_domains, override


def venue_year(name):
    parts = [p for p in name.split("/") if p]
    if not parts:
        return None
    base = parts[-1]
    for suffix in (".gz", ".json"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
    if len(base) <= 4 or not base[-4:].isdigit():
        return None
    year = int(base[-4:])
    if not 1950 <= year <= 2100:
        return None
    venue = parts[-2].lower() if len(parts) >= 2 else base[:-4].lower()
    return (venue, year) if venue else None


def parse_file(name, path, emit, reject):
    venue, year = venue_year(name)
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        items = orjson.loads(f.read())
    raws = [Raw(x) for x in items]
    res = {"records": 0, "rejected": 0, "overrides": 0, "evidence": 0, "statuses": {}}
    layout = detect_author_layout(raws)
    aff_layout = detect_aff_layout(raws, layout)
    seen = set()
    key = f"{venue}{year}"
    for index, r in enumerate(raws):
        location = f"[{index}]"
        if not r.is_object:
            res["rejected"] += 1
            reject(location, "array element is not an object", "")
            continue
        title = collapse(html_decode(r.title))
        if not title:
            res["rejected"] += 1
            reject(location, "empty title", r.source_id or "")
            continue
        pid = f"paperlists:{key}:{r.source_id if r.source_id is not None else 't' + title_hash(title)}"
        if pid in seen:
            res["rejected"] += 1
            reject(location, "duplicate record (id seen earlier in the file)", pid)
            continue
        seen.add(pid)
        status = normalize_status(r.status)
        authors, un_affs, un_domains, override = assemble(r, layout, aff_layout)
        if override:
            res["overrides"] += 1
        if not authors and status == "accepted":
            res["rejected"] += 1
            reject(location, "no authors", pid + " " + title)
            continue
        abstract = collapse(html_decode(r.abstract))
        doi = normalize_doi(r.doi)
        arxiv = normalize_arxiv_id(r.arxiv)
        if arxiv is None and doi:
            arxiv = arxiv_id_from_doi(doi)
        extra = {"file": name}
        if r.status:
            extra["status_raw"] = r.status
        if r.track:
            extra["track"] = r.track
        rec = paper(pid, "paperlists", title, year, venue=venue, abstract=abstract or None, authors=authors,
                    keywords=[k for k in (collapse(html_decode(x)) for x in fields(r.keywords, ";")) if k],
                    doi=doi, arxiv_id=arxiv, status=status, extra=extra,
                    unassigned_affiliations=uniqued(un_affs), unassigned_domains=uniqued(un_domains))
        if any(a["affiliations"] or a["domains"] for a in authors) or rec["unassigned_affiliations"] or rec["unassigned_domains"]:
            res["evidence"] += 1
        res["records"] += 1
        res["statuses"][status] = res["statuses"].get(status, 0) + 1
        emit(rec)
    return venue, year, layout, aff_layout, res


def parse_paperlists(args):
    stage = Stage("parse paperlists")
    out = NDJSONWriter(args.output)
    rejects = NDJSONWriter(args.rejects)
    report = NDJSONWriter(args.file_report) if args.file_report else None
    n_in = n_out = n_rej = 0
    reasons = {}
    for name, path in source_files(args.manifest, "paperlists", (".json", ".json.gz")):
        def reject(location, reason, excerpt, name=name):
            reasons[reason] = reasons.get(reason, 0) + 1
            rejects.write({"file": name, "kind": "record", "location": location, "reason": reason, "excerpt": excerpt[:300]})

        venue, year, layout, aff_layout, res = parse_file(name, path, out.write, reject)
        n_in += res["records"] + res["rejected"]
        n_out += res["records"]
        n_rej += res["rejected"]
        if report:
            report.write({"file": name, "venue": venue, "year": year, "records": res["records"],
                          "rejected": res["rejected"], "author_separator": layout, "affiliation_layout": aff_layout,
                          "layout_overrides": res["overrides"], "with_affiliation_evidence": res["evidence"],
                          "statuses": dict(sorted(res["statuses"].items()))})
    if report:
        report.commit()
    rejects.commit()
    out.commit()
    write_counts(args.output, "parse paperlists", n_in, n_out, n_rej, reasons=reasons)
    stage.done(**{"in": n_in, "out": n_out, "rejected": n_rej})
