"""Python reference of `dedupe papers`: the same two passes as PaperDeduplicator — index (ids,
DOIs, title key, first-author surname, year), union-find clustering by arxiv_id, doi,
title_year_author and site_list_title with the same conflict guards, site records whose paper list
excludes the paper left out (paper_list_status), then one merged record per cluster."""
import re

from classify import lower_tokens
from common import NDJSONWriter, Stage, read_ndjson, write_counts
from parse_acl import arxiv_id_from_doi, normalize_arxiv_id
from parse_arxiv import normalize_doi

EXCLUDED = {"rejected", "withdrawn", "not-accepted"}
EXCLUDED_WITH_LIST = "excluded by its paper list"
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
        # "venue year|title key" of the paper-list records excluded by status → one such record's id.
        self.excluded_list_papers = {}
        # Rule 4's candidates: [position, venue-year number, is a site record, title key, surnames].
        self.list_candidates = []
        self.venue_years = {}
        self.skipped = set()  # positions excluded by their paper list: not written in pass 2

    def index(self, r):
        status = r.get("status")
        if status in EXCLUDED:
            self.excluded[status] = self.excluded.get(status, 0) + 1
            if r["source"] == "paperlists" and r.get("venue") is not None and r.get("year") is not None:
                self.excluded_list_papers[f"{r['venue']} {r['year']}|" + title_key(r["title"])] = r["id"]
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
        names = [a["name"] for a in authors if isinstance(a.get("name"), str)]
        first = names[0] if names else None
        p = len(self.entries)
        key = title_key(r["title"])
        self.entries.append((rid, r["source"], arxiv, doi, key, surname_key(first) if first else "", r.get("year")))
        venue, year = r.get("venue"), r.get("year")
        if r["source"] in ("sites", "paperlists") and venue is not None and year is not None and " " in key:
            venue_year = self.venue_years.setdefault(f"{venue} {year}", len(self.venue_years))
            surnames = {s for s in map(surname_key, names) if s}
            self.list_candidates.append([p, venue_year, r["source"] == "sites", key, surnames])
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
        if rule in ("title_year_author", "site_list_title") and di and dj and di.isdisjoint(dj):
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

    def exclude_site_records_of_excluded_list_papers(self):
        """Site records whose venue-year's paper list excludes the same title take part in no rule
        and are not written; counted as excluded and audited."""
        if not self.excluded_list_papers:
            return
        names = {n: v for v, n in self.venue_years.items()}
        kept = []
        for c in self.list_candidates:
            key = names[c[1]] + "|" + c[3]
            list_id = self.excluded_list_papers.get(key) if c[2] else None
            if list_id is None:
                kept.append(c)
                continue
            p = c[0]
            e = self.entries[p]
            self.entries[p] = (e[0], e[1], None, None, e[4], "", e[6])
            self.arxiv_ids.pop(p, None)
            self.dois.pop(p, None)
            self.skipped.add(p)
            self.excluded[EXCLUDED_WITH_LIST] = self.excluded.get(EXCLUDED_WITH_LIST, 0) + 1
            self.audit.append({"action": "excluded", "rule": "paper_list_status", "key": key, "a": e[0], "b": list_id})
        self.list_candidates = kept

    def join_site_list_leftovers(self):
        """Rule 4: per venue-year, site clusters without a paper-list record against paper-list
        clusters without a site record, one candidate per cluster; best pairs first, one to one."""
        has_site, has_list = set(), set()
        for c in self.list_candidates:
            (has_site if c[2] else has_list).add(self.find(c[0]))
        leftovers = {}
        taken = set()
        for k, c in enumerate(self.list_candidates):
            root = self.find(c[0])
            if (root in has_list if c[2] else root in has_site) or root in taken:
                continue
            taken.add(root)
            leftovers.setdefault(c[1], ([], []))[0 if c[2] else 1].append(k)
        names = {n: v for v, n in self.venue_years.items()}
        candidates = self.list_candidates
        for venue_year in sorted(leftovers):
            sites, lists = leftovers[venue_year]
            if not sites or not lists:
                continue
            list_words = [set(w for w in candidates[l][3].split(" ") if w) for l in lists]
            pairs = []
            for s in sites:
                a = candidates[s]
                a_words = set(w for w in a[3].split(" ") if w)
                for n, l in enumerate(lists):
                    b = candidates[l]
                    if a[3] == b[3]:
                        pairs.append((3.0, s, l))
                        continue
                    shared_authors = len(a[4] & b[4])
                    if shared_authors == 0:
                        continue
                    shared = len(a_words & list_words[n])
                    similarity = shared / (len(a_words) + len(list_words[n]) - shared)
                    author_similarity = shared_authors / (len(a[4]) + len(b[4]) - shared_authors)
                    if similarity >= 0.5 or (shared_authors >= 2 and author_similarity >= 0.6):
                        pairs.append((similarity + author_similarity, s, l))
            pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
            used_sites, used_lists = set(), set()
            for _, s, l in pairs:
                if s in used_sites or l in used_lists:
                    continue
                used_sites.add(s)
                used_lists.add(l)
                self.join(candidates[l][0], candidates[s][0], "site_list_title", names[venue_year] + "|" + candidates[s][3])

    def cluster(self):
        self.exclude_site_records_of_excluded_list_papers()
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
        self.join_site_list_leftovers()

    def sizes(self):
        size = {}
        for i in range(len(self.entries)):
            r = self.find(i)
            size[r] = size.get(r, 0) + 1
        return {r: n for r, n in size.items() if n > 1}


# Published versions first; the conference-site lists after the paper lists.
SOURCE_RANK = {"acl": 0, "paperlists": 1, "sites": 2, "arxiv": 3}


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
    ranked = [m for _, m in sorted(enumerate(members), key=lambda t: (SOURCE_RANK.get(t[1]["source"], 4), t[0]))]
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
    seen = set(d.skipped)
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
