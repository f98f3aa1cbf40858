"""Python reference of `dedupe papers`: the same two passes as PaperDeduplicator — index (ids,
DOIs, title key, first-author surname, year), union-find clustering by arxiv_id, doi and
title_year_author with the same conflict guards, then one merged record per cluster."""
import re

from classify import lower_tokens
from common import NDJSONWriter, Stage, read_ndjson, write_counts
from parse_acl import arxiv_id_from_doi, normalize_arxiv_id
from parse_arxiv import normalize_doi

EXCLUDED = {"rejected", "withdrawn"}
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
MARKUP = re.compile(r"<[^>]*>|\\[A-Za-z]*|[{}$'’]")


def without_markup(title):
    """Markup, TeX commands (a backslash and the ASCII letters after it), braces, dollars and
    apostrophes removed; a lone "<" is not markup, and then only the apostrophes go."""
    if "<" in title and ">" not in title[title.rfind("<"):]:
        return title.replace("'", "").replace("’", "")
    return MARKUP.sub("", title)


def title_key(title):
    """TextNormalizer.titleKey: the classifier's lower-cased tokens of the title without markup."""
    return " ".join(lower_tokens(without_markup(title)))


def surname_key(name):
    words = title_key(name).split(" ")
    words = [w for w in words if w]
    for w in reversed(words):
        if w not in SUFFIXES:
            return w
    return words[-1] if words else ""


class Deduplicator:
    def __init__(self):
        self.entries = []  # (id, source, arxiv, doi, title_key, surname, year)
        self.position = {}
        self.parent = []
        self.arxiv_ids = {}
        self.dois = {}
        self.acl = {}
        self.audit = []
        self.merges = {}
        self.blocked = {}
        self.excluded = {}
        self.duplicates = 0

    def index(self, r):
        status = r.get("status")
        if status in EXCLUDED:
            self.excluded[status] = self.excluded.get(status, 0) + 1
            return
        rid = r["id"]
        if rid in self.position:
            self.duplicates += 1
            return
        arxiv = normalize_arxiv_id(r["arxiv_id"]) if r.get("arxiv_id") else None
        doi = normalize_doi(r["doi"]) if r.get("doi") else None
        if doi:
            from_doi = arxiv_id_from_doi(doi)
            if from_doi:
                if arxiv is None:
                    arxiv = from_doi
                doi = None
        authors = r.get("authors") or []
        first = authors[0].get("name") if authors else None
        p = len(self.entries)
        self.entries.append((rid, r["source"], arxiv, doi, title_key(r["title"]), surname_key(first) if first else "",
                             r.get("year")))
        self.position[rid] = p
        self.parent.append(p)
        if arxiv:
            self.arxiv_ids[p] = {arxiv}
        if doi:
            self.dois[p] = {doi}
        if r["source"] == "acl":
            self.acl[p] = rid

    def find(self, i):
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def join(self, i, j, rule, key):
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return
        a, b = self.entries[i][0], self.entries[j][0]
        ai, aj = self.arxiv_ids.get(ri, set()), self.arxiv_ids.get(rj, set())
        if ai and aj and ai != aj:
            return self.block(rule, key, a, b, f"different arXiv ids ({','.join(sorted(ai))} vs {','.join(sorted(aj))})")
        if ri in self.acl and rj in self.acl:
            return self.block(rule, key, a, b, f"two ACL Anthology papers ({self.acl[ri]}, {self.acl[rj]})")
        di, dj = self.dois.get(ri, set()), self.dois.get(rj, set())
        if rule == "title_year_author" and di and dj and di.isdisjoint(dj):
            return self.block(rule, key, a, b, f"different DOIs ({','.join(sorted(di))} vs {','.join(sorted(dj))})")
        keep, gone = (ri, rj) if ri < rj else (rj, ri)
        self.parent[gone] = keep
        if ai or aj:
            self.arxiv_ids[keep] = ai | aj
        if di or dj:
            self.dois[keep] = di | dj
        if keep not in self.acl and gone in self.acl:
            self.acl[keep] = self.acl[gone]
        self.arxiv_ids.pop(gone, None)
        self.dois.pop(gone, None)
        self.acl.pop(gone, None)
        self.merges[rule] = self.merges.get(rule, 0) + 1
        self.audit.append({"action": "merged", "rule": rule, "key": key, "a": a, "b": b})

    def block(self, rule, key, a, b, reason):
        self.blocked[rule] = self.blocked.get(rule, 0) + 1
        self.audit.append({"action": "blocked", "rule": rule, "key": key, "a": a, "b": b, "reason": reason})

    def cluster(self):
        for rule, k in (("arxiv_id", 2), ("doi", 3)):
            first = {}
            for i, e in enumerate(self.entries):
                key = e[k]
                if key is None:
                    continue
                j = first.get(key)
                if j is None:
                    first[key] = i
                else:
                    self.join(j, i, rule, key)
        groups = {}
        for i, e in enumerate(self.entries):
            if e[6] is None or not e[5] or " " not in e[4]:
                continue
            groups.setdefault(e[4] + "|" + e[5], []).append(i)
        for key, members in groups.items():
            if len(members) < 2:
                continue
            ordered = sorted(members, key=lambda m: (self.entries[m][6], m))
            for a, b in zip(ordered, ordered[1:]):
                if self.entries[b][6] - self.entries[a][6] <= 1:
                    self.join(a, b, "title_year_author", key)

    def sizes(self):
        size = {}
        for i in range(len(self.entries)):
            r = self.find(i)
            size[r] = size.get(r, 0) + 1
        return {r: n for r, n in size.items() if n > 1}


SOURCE_RANK = {"acl": 0, "paperlists": 1, "arxiv": 2}


def union(a, b):
    seen = set(a)
    out = list(a)
    for x in b:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def evidence(authors):
    return sum(len(a["affiliations"]) + len(a["domains"]) for a in authors)


def is_arxiv_doi(d):
    n = normalize_doi(d)
    return n is not None and arxiv_id_from_doi(n) is not None


def combine(members):
    ranked = [m for _, m in sorted(enumerate(members), key=lambda t: (SOURCE_RANK.get(t[1]["source"], 3), t[0]))]
    out = dict(ranked[0])
    out["sources"] = [m["id"] for m in ranked]
    publisher = next((m["doi"] for m in ranked if m.get("doi") and not is_arxiv_doi(m["doi"])), None)
    if publisher:
        out["doi"] = publisher
    for other in ranked[1:]:
        for k in ("year", "venue", "doi", "arxiv_id", "status"):
            if out.get(k) is None:
                out[k] = other.get(k)
    abstracts = [m["abstract"] for m in members if m.get("abstract") is not None]
    if abstracts:
        best_len = max(len(a.encode()) for a in abstracts)
        out["abstract"] = next(a for a in abstracts if len(a.encode()) == best_len)
    best_i = 0
    best_key = None
    for i, m in enumerate(ranked):
        k = (evidence(m["authors"]), len(m["authors"]), -i)
        if best_key is None or k >= best_key:
            best_key, best_i = k, i
    best = ranked[best_i]
    authors = [dict(a) for a in best["authors"]]
    un_affs = [x for m in ranked for x in m["unassigned_affiliations"]]
    un_doms = [x for m in ranked for x in m["unassigned_domains"]]
    surnames = [surname_key(a["name"]) for a in authors]
    for other in ranked:
        if other["id"] == best["id"]:
            continue
        for a in other["authors"]:
            if not (a["affiliations"] or a["domains"] or a["countries"]):
                continue
            key = surname_key(a["name"])
            if key in surnames:
                t = authors[surnames.index(key)]
                t["affiliations"] = union(t["affiliations"], a["affiliations"])
                t["domains"] = union(t["domains"], a["domains"])
                t["countries"] = union(t["countries"], a["countries"])
            else:
                un_affs += a["affiliations"]
                un_doms += a["domains"]
    out["authors"] = authors
    out["unassigned_affiliations"] = union([], un_affs)
    out["unassigned_domains"] = union([], un_doms)
    out["categories"] = union([], [c for m in [m for m in members if m["source"] == "arxiv"] + ranked for c in m["categories"]])
    out["keywords"] = union([], [k for m in ranked for k in m["keywords"]])
    extra = {}
    for m in ranked:
        for k, v in m["extra"].items():
            if k not in extra:
                extra[k] = v
    out["extra"] = extra
    return out


def dedupe_papers(args):
    stage = Stage("dedupe papers")
    d = Deduplicator()
    n_in = 0
    for path in args.input:
        for r in read_ndjson(path):
            n_in += 1
            d.index(r)
    d.cluster()
    sizes = d.sizes()
    pending = {}
    seen = set()
    out = NDJSONWriter(args.output)
    for path in args.input:
        for r in read_ndjson(path):
            p = d.position.get(r["id"])
            if p is None or p in seen:
                continue
            seen.add(p)
            root = d.find(p)
            size = sizes.get(root, 1)
            if size == 1:
                r["sources"] = [r["id"]]
                out.write(r)
                continue
            group = pending.setdefault(root, [])
            group.append(r)
            if len(group) == size:
                out.write(combine(pending.pop(root)))
    audit = NDJSONWriter(args.merges)
    for a in d.audit:
        audit.write(a)
    audit.commit()
    out.commit()
    merged = sum(d.merges.values())
    excluded = sum(d.excluded.values())
    reasons = {"duplicate id (same source record twice)": d.duplicates} if d.duplicates else {}
    write_counts(args.output, "dedupe papers", n_in, out.count, d.duplicates, merged, excluded, reasons)
    stage.done(**{"in": n_in, "out": out.count, "merged": merged, "excluded": excluded})
