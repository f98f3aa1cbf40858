"""Python reference of the aggregate stage: same arguments as `aggregate <kind>`, same tables out.

    python aggregate.py models --input C --output-dir A
    python aggregate.py papers --input C --topics T --output-dir A
"""
import argparse
import gzip
import math
import os
import re
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import orjson  # noqa: E402
from common import NDJSONWriter, Stage, model_year, read_ndjson, write_counts  # noqa: E402
from classify import sector as epoch_sector  # noqa: E402
from parse import model_id  # noqa: E402
from stats import bootstrap_slope, ols_slope, round_half_away, wilson  # noqa: E402
import estimates  # noqa: E402

SECTORS = ["academia", "industry", "collaboration", "other", "unknown"]
TREND_SECTORS = ["all", "industry", "academia", "collaboration"]
CUMULATIVE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]


def fractional_year(date):
    parts = []
    for p in date.split("-"):
        try:
            parts.append(int(p))
        except ValueError:
            pass
    y = parts[0]
    m = parts[1] if len(parts) > 1 else 7
    d = parts[2] if len(parts) > 2 else 1
    leap = (y % 4 == 0 and y % 100 != 0) or y % 400 == 0
    day = CUMULATIVE[max(0, min(11, m - 1))] + (1 if leap and m > 2 else 0) + d - 1
    return y + day / (366.0 if leap else 365.0)


class Table:
    def __init__(self, name, columns):
        self.name, self.columns, self.rows, self.ids = name, columns, [], []

    def append(self, row, ids):
        self.rows.append(row)
        self.ids.append(sorted(ids))

    def objects(self):
        return [dict(zip(self.columns, r)) for r in self.rows]


def append_shares(table, prefix, group):
    for s in SECTORS:
        members = [m for m in group if m["sector"] == s]
        share, low, high = wilson(len(members), len(group))
        table.append(prefix + [s, len(members), round_half_away(share, 4), round_half_away(low, 4),
                               round_half_away(high, 4)], [m["id"] for m in members])


def by_year(models):
    groups = {}
    for m in models:
        groups.setdefault(m["_year"], []).append(m)
    return sorted(groups.items())


def is_open_weights(accessibility):
    if accessibility is None:
        return False
    a = accessibility.lower()
    return a.startswith("open weights") or a == "fully open-source" or a == "permissive license"


def open_base_model_lineage(everything):
    t = Table("open_base_model_lineage", ["year", "sector", "with_base_model", "industry_open_base", "share",
                                          "ci_low", "ci_high"])
    by_id = {}
    for m in everything:
        by_id.setdefault(m["id"], m)
    derived = []
    for m in everything:
        y = model_year(m)
        if y is None:
            continue
        bases = [by_id[k] for k in (model_id(n) for n in (m["base_model"] or "").split(",") if n) if k in by_id]
        if bases:
            derived.append((y, m, bases))
    groups = {}
    for y, m, bases in derived:
        groups.setdefault(y, []).append((m, bases))
    for y, group in sorted(groups.items()):
        for s in SECTORS:
            members = [(m, b) for m, b in group if m["sector"] == s]
            if not members:
                continue
            open_ = [m for m, b in members if any(x["sector"] == "industry" and is_open_weights(x["accessibility"]) for x in b)]
            share, low, high = wilson(len(open_), len(members))
            t.append([y, s, len(members), len(open_), round_half_away(share, 4), round_half_away(low, 4),
                      round_half_away(high, 4)], [m["id"] for m in open_])
    return t


def strip_spaces(s):
    """Trims Swift's CharacterSet.whitespaces: tab and the space separators (Zs), not newlines."""
    def space(c):
        return c == "\t" or unicodedata.category(c) == "Zs"
    a, b = 0, len(s)
    while a < b and space(s[a]):
        a += 1
    while b > a and space(s[b - 1]):
        b -= 1
    return s[a:b]


def organization_models_by_year(models):
    """Per organization and year (OrganizationTables.swift): a model listed with several
    organizations counts for each; an organization's sector is its own Epoch category entry."""
    t = Table("organization_models_by_year", ["organization", "year", "sector", "notable_models", "large_scale_1e23",
                                              "large_scale_top_quartile", "largest_training_compute_flop", "largest_model"])
    groups = {}
    for m in models:
        names, categories = m["organizations"], m["organization_categories"]
        seen = set()
        for i, name in enumerate(names):
            organization = strip_spaces(name)
            if not organization or organization in seen:
                continue
            seen.add(organization)
            if len(categories) == len(names):
                s = epoch_sector([categories[i]])
            else:
                s = m["sector"] if len(names) == 1 else "unknown"
            groups.setdefault((organization, m["_year"]), []).append((m, s))
    for (organization, year), members in sorted(groups.items()):
        counts = {}
        for _, s in members:
            counts[s] = counts.get(s, 0) + 1
        # Most frequent sector; a tie goes to the alphabetically first.
        s = min(counts, key=lambda k: (-counts[k], k))
        largest = None
        for m, _ in members:
            c = m["training_compute_flop"]
            if c is not None and (largest is None or c > largest["training_compute_flop"]):
                largest = m
        t.append([organization, year, s, len(members), sum(1 for m, _ in members if m["large_scale_1e23"]),
                  sum(1 for m, _ in members if m["large_scale_top_quartile"]),
                  largest["training_compute_flop"] if largest else None, largest["name"] if largest else None],
                 [m["id"] for m, _ in members])
    return t


def aggregate_models(args):
    stage = Stage("aggregate models")
    everything = list(read_ndjson(args.input))
    models = []
    for m in everything:
        y = model_year(m)
        if m["notable"] and y is not None:
            m["_year"] = y
            models.append(m)
    tables = []
    for filtered in (False, True):
        t = Table("model_sector_shares_filtered" if filtered else "model_sector_shares",
                  ["year", "sector", "models", "share", "ci_low", "ci_high"])
        pop = [m for m in models if m["passes_notability_filter"]] if filtered else models
        for y, group in by_year(pop):
            append_shares(t, [y], group)
        tables.append(t)
    for filtered in (False, True):
        t = Table("large_scale_sector_shares_filtered" if filtered else "large_scale_sector_shares",
                  ["year", "definition", "sector", "models", "share", "ci_low", "ci_high"])
        pop = [m for m in models if m["passes_notability_filter"]] if filtered else models
        for y, group in by_year(pop):
            for definition, flag in (("1e23", "large_scale_1e23"), ("top-quartile", "large_scale_top_quartile")):
                large = [m for m in group if m[flag]]
                if large:
                    append_shares(t, [y, definition], large)
        tables.append(t)
    trends = Table("compute_trends", ["sector", "from_year", "n", "doublings_per_year", "doubling_months",
                                      "ci_low_months", "ci_high_months"])
    eligible = [m for m in models if (m["training_compute_flop"] or 0) > 0
                and (m["publication_date"] or "") >= "2010-01-01"]

    def months(slope):
        if slope is None or not slope > 0:
            return None
        return round_half_away(12 / slope, 2)

    for s in TREND_SECTORS:
        group = eligible if s == "all" else [m for m in eligible if m["sector"] == s]
        x = [fractional_year(m["publication_date"]) for m in group]
        y = [math.log2(m["training_compute_flop"]) for m in group]
        ids = [m["id"] for m in group]
        slope = ols_slope(x, y)
        if slope is None:
            trends.append([s, 2010, len(group), None, None, None, None], ids)
            continue
        boot = bootstrap_slope(x, y)
        trends.append([s, 2010, len(group), round_half_away(slope, 3), months(slope),
                       months(boot[1] if boot else None), months(boot[0] if boot else None)], ids)
    tables.append(trends)
    tables.append(open_base_model_lineage(everything))
    tables.append(organization_models_by_year(models))

    drill_path = os.path.join(args.output_dir, "models.drilldown.ndjson.gz")
    drill = NDJSONWriter(drill_path)
    for t in tables:
        w = NDJSONWriter(os.path.join(args.output_dir, t.name + ".ndjson.gz"))
        for obj, ids in zip(t.objects(), t.ids):
            w.write(obj)
            drill.write({"table": t.name, "row": obj, "ids": ids})
        w.commit()
    drill.commit()
    write_counts(drill_path, "aggregate models", len(everything), len(models), excluded=len(everything) - len(models))
    stage.done(**{"in": len(everything), "out": len(models), "excluded": len(everything) - len(models)})


# ---- papers -------------------------------------------------------------------------------------
# Definitions: outputs/tables/README.md ("Paper tables") and the report's methods.
TEAM_TYPES = estimates.TEAM_TYPES
AUTHOR_SECTORS = ["academia", "industry", "government", "nonprofit"]
INTEGER = re.compile(r"[+-]?[0-9]+\Z")


def text(v):
    """A JSON scalar read as text, the way the Swift stage reads a string field (numbers too)."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool) or v is None or isinstance(v, (list, dict)):
        return None
    if isinstance(v, int):
        return str(v)
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def first_text(*values):
    return next(t for t in map(text, values) if t is not None)


def integer(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v) if v == int(v) and abs(v) < 1e15 else None
    if isinstance(v, str) and INTEGER.match(v):
        return int(v)
    return None


class BadPaper(Exception):
    pass


def required_text(p, key):
    v = text(p.get(key))
    if v is None:
        raise BadPaper(f"field '{key}' missing or not a string")
    return v


def paper_facts(p):
    """The fields the tables read; None when the paper is not in the analysis set (no year, or a
    rejected or withdrawn submission)."""
    pid = required_text(p, "id")
    own_team = required_text(p, "team_type")
    resolution = text(p.get("team_resolution"))
    if resolution is None:
        resolution = "none" if own_team == "unknown" else "full"
    # The tables use a team's type only when every author is resolved (PaperFacts.resolvedTeamType).
    team = own_team if resolution == "full" else "unknown"
    year = integer(p.get("year"))
    status = text(p.get("status"))
    if year is None or (status is not None and ("reject" in status.lower() or "withdraw" in status.lower())):
        return None
    authors = []  # (sectors, countries) of the authors with a known sector: no table counts the others
    for a in p.get("authors") if isinstance(p.get("authors"), list) else []:
        a = a if isinstance(a, dict) else {}
        sectors = []
        for s in a.get("sectors") if isinstance(a.get("sectors"), list) else []:
            s = text(s) if not isinstance(s, dict) else text(s.get("sector"))
            if s is not None:
                sectors.append(sys.intern(s))
        if sectors:
            countries = (text(c) for c in (a.get("countries") if isinstance(a.get("countries"), list) else []))
            authors.append((tuple(sectors), tuple(sys.intern(c) for c in countries if c is not None)))
    mentions = p.get("model_mentions") if isinstance(p.get("model_mentions"), list) else []
    # A mention of a model released after the paper's year names something else (countedMentions).
    mentions = [m for m in mentions if not (isinstance(m, dict) and isinstance(m.get("release_year"), int)
                                            and not isinstance(m.get("release_year"), bool) and m["release_year"] > year)]
    industry_open = industry_closed = academic_or_nonprofit = False
    for m in mentions:
        if not isinstance(m, dict):
            continue
        developer = first_text(m.get("developer_sector"), "")
        developers = [] if developer == "unknown" else [d for d in developer.split("+") if d]
        if developers == ["industry"]:
            if m.get("open_weights") is True:
                industry_open = True
            else:
                industry_closed = True
        if "academia" in developers or "nonprofit" in developers:
            academic_or_nonprofit = True
    unassigned = p.get("unassigned_sectors") if isinstance(p.get("unassigned_sectors"), list) else []
    any_industry = any("industry" in s for s, _ in authors) or "industry" in unassigned
    # Organizations the classify stage resolved (keyword rules name no organization), in order found.
    organizations = []
    evidence = [e for a in (p.get("authors") if isinstance(p.get("authors"), list) else []) if isinstance(a, dict)
                for e in (a.get("evidence") if isinstance(a.get("evidence"), list) else [])]
    evidence += p.get("unassigned_evidence") if isinstance(p.get("unassigned_evidence"), list) else []
    for e in evidence:
        if not isinstance(e, dict):
            continue
        oid, name = e.get("organization_id"), e.get("organization")
        if isinstance(oid, str) and isinstance(name, str) and not oid.startswith(("keyword:", "name-model:")):
            sectors = e.get("sectors") if isinstance(e.get("sectors"), list) else []
            organizations.append((sys.intern(oid), sys.intern(name),
                                  tuple(s if s in ORGANIZATION_SECTORS else "unknown" for s in sectors)))
    return Paper(pid, year, sys.intern(team), tuple(authors), len(mentions) > 0, industry_open,
                 sys.intern(first_text(p.get("venue"), p.get("source"), "unknown")), sys.intern(first_text(p.get("topic"), "other")),
                 p.get("compute_intensive") is True, own_team == "academic-only", resolution, sys.intern(own_team),
                 p.get("compute_intensive_fixed") is True, text(p.get("fm_role")), any_industry, industry_closed,
                 academic_or_nonprofit, tuple(organizations))


ORGANIZATION_SECTORS = {"academia", "industry", "government", "nonprofit", "collaboration", "other", "unknown"}


class Paper:
    """What the tables read of one paper (slots: a 10x run holds 2.3 million of them)."""
    __slots__ = ("id", "year", "team", "authors", "mentions", "industry_open", "venue", "topic", "intensive",
                 "own_academic_only", "resolution", "own_team", "intensive_fixed", "fm_role", "any_industry",
                 "industry_closed", "academic_or_nonprofit", "organizations")

    def __init__(self, *values):
        for k, v in zip(self.__slots__, values):
            setattr(self, k, v)

    def __getitem__(self, key):
        return getattr(self, key)


def share_columns(successes, trials):
    """share, ci_low, ci_high (Wilson 95%) rounded to 4 places; empty without a denominator."""
    if trials == 0:
        return [None, None, None]
    return [round_half_away(x, 4) for x in wilson(successes, trials)]


def grouped(papers, key):
    groups = {}
    for p in papers:
        groups.setdefault(key(p), []).append(p)
    return sorted(groups.items())


def team_type_rows(table, prefix, group):
    """Counts by team type; shares are of the papers with a known team type."""
    known = sum(1 for p in group if p["team"] != "unknown")
    for t in TEAM_TYPES:
        members = [p["id"] for p in group if p["team"] == t]
        shares = [None, None, None] if t == "unknown" else share_columns(len(members), known)
        table.append(prefix + [t, len(members)] + shares, members)


def author_sector(sectors):
    """An author's place in the collaboration pool: academic, industry, both or other."""
    academic, industry = "academia" in sectors, "industry" in sectors
    return "both" if academic and industry else "academic" if academic else "industry" if industry else "other"


def collaboration_row(year, group):
    teams = [(p["id"], [author_sector(s) for s, _ in p["authors"] if s]) for p in group]
    eligible = [(pid, team) for pid, team in teams if len(team) >= 2]
    pool = {s: sum(team.count(s) for _, team in eligible) for s in ("academic", "industry", "both", "other")}
    total = sum(pool.values())
    a, i, b, o = (pool[s] / total if total else 0.0 for s in ("academic", "industry", "both", "other"))
    expected = 0.0
    observed = 0
    for _, team in eligible:
        k = float(len(team))
        expected += 1 - math.pow(1 - a - b, k) - math.pow(1 - i - b, k) + math.pow(o, k)
        if any(s in ("academic", "both") for s in team) and any(s in ("industry", "both") for s in team):
            observed += 1
    n = len(eligible)
    observed_share = observed / n if n else 0.0
    expected_share = expected / n if n else 0.0
    index = round_half_away(observed_share / expected_share, 3) if expected_share > 0 else None
    return ([year, n, pool["academic"], pool["industry"], pool["both"], pool["other"], observed,
             round_half_away(observed_share, 4), round_half_away(expected_share, 4), index], [pid for pid, _ in eligible])


def year_span(text):
    """YearSpan(parsing:): `2015-2018`, `2015–2018` or `2019`."""
    parts = [strip_spaces(x) for x in re.split("[-–]", text) if x]
    if not 1 <= len(parts) <= 2 or not all(INTEGER.match(x) for x in parts) or int(parts[0]) > int(parts[-1]):
        sys.exit(f"aggregate: error: '{text}' is not a span of years")
    return int(parts[0]), int(parts[-1])


def span_label(span):
    return str(span[0]) if span[0] == span[1] else f"{span[0]}–{span[1]}"


def resolution_sensitivity(papers, periods):
    """ResolutionSensitivity.swift: academic-only shares per year and per reported period (the
    2012–2016 and 2020–2025 summary spans and the two compared periods) under four scenarios of
    how unresolved authors count. A partially resolved team counts by its own (known) type."""
    table = Table("sensitivity", ["measure", "period", "from_year", "to_year", "scenario", "numerator", "denominator",
                                  "share", "ci_low", "ci_high"])
    reported = []
    for span in [(2012, 2016), periods[0], (2020, 2025), periods[1]]:
        if span not in reported:
            reported.append(span)
    years = sorted({p.year for p in papers})
    spans = [(y, y) for y in years] + reported
    for measure, population in (("academic_only_share_all_papers", papers),
                                ("academic_only_share_compute_intensive", [p for p in papers if p.intensive]),
                                ("academic_only_share_foundation_models", [p for p in papers if p.topic == "foundation-models"])):
        by_year = dict(grouped(population, lambda p: p.year))
        for lo, hi in spans:
            group = [p for y in years if lo <= y <= hi for p in by_year.get(y, ())]
            if not group:
                continue
            full_academic = [p.id for p in group if p.own_academic_only and p.resolution == "full"]
            partial_academic = [p.id for p in group if p.own_academic_only and p.resolution != "full"]
            unknown = [p.id for p in group if not p.own_academic_only and p.resolution == "none"]
            full = sum(1 for p in group if p.resolution == "full")
            known = sum(1 for p in group if p.resolution != "none")
            for scenario, members, denominator in (
                    ("fully resolved", full_academic, full),
                    ("partial included", full_academic + partial_academic, known),
                    ("bound: unresolved as academic-only", full_academic + partial_academic + unknown, len(group)),
                    ("bound: unresolved as not academic-only", full_academic, len(group))):
                table.append([measure, span_label((lo, hi)), lo, hi, scenario, len(members), denominator]
                             + share_columns(len(members), denominator), members)
    return table


def paper_tables(papers, periods):
    by_year = grouped(papers, lambda p: p["year"])

    team = Table("team_type_by_year", ["venue", "year", "team_type", "papers", "share", "ci_low", "ci_high"])
    for (venue, y), group in grouped(papers, lambda p: (p["venue"], p["year"])):
        team_type_rows(team, [venue, y], group)
    for y, group in by_year:
        team_type_rows(team, ["all", y], group)

    topic = Table("topic_team_type_by_year", ["topic", "year", "team_type", "papers", "share", "ci_low", "ci_high"])
    for (t, y), group in grouped(papers, lambda p: (p["topic"], p["year"])):
        team_type_rows(topic, [t, y], group)

    academic = Table("academic_share_compute_intensive",
                     ["year", "group", "academic_only", "known", "unknown", "share", "ci_low", "ci_high"])
    for y, group in by_year:
        for label, intensive in (("compute-intensive", True), ("other", False)):
            members = [p for p in group if p["intensive"] == intensive]
            known = [p for p in members if p["team"] != "unknown"]
            ids = [p["id"] for p in known if p["team"] == "academic-only"]
            academic.append([y, label, len(ids), len(known), len(members) - len(known)] + share_columns(len(ids), len(known)), ids)

    reliance = Table("open_model_reliance_by_year",
                     ["year", "team_type", "papers", "mentioning_models", "industry_open", "share", "ci_low", "ci_high"])
    for y, group in by_year:
        for t in TEAM_TYPES:
            members = [p for p in group if p["team"] == t]
            mentioning = [p for p in members if p["mentions"]]
            ids = [p["id"] for p in mentioning if p["industry_open"]]
            reliance.append([y, t, len(members), len(mentioning), len(ids)] + share_columns(len(ids), len(mentioning)), ids)

    collaboration = Table("collaboration_index_by_year",
                          ["year", "papers", "authors_academic", "authors_industry", "authors_both", "authors_other",
                           "observed", "observed_share", "expected_share", "index"])
    for y, group in by_year:
        collaboration.append(*collaboration_row(y, group))

    country = Table("country_by_year", ["country", "year", "sector", "authorships", "share", "ci_low", "ci_high"])
    authorships = {}  # (country, year) -> sector -> [paper id per authorship]
    for p in papers:
        for sectors, countries in p["authors"]:
            if sectors:
                for c in set(countries):
                    if c:
                        authorships.setdefault((c, p["year"]), {}).setdefault(sectors[0], []).append(p["id"])
    for (c, y), by_sector in sorted(authorships.items()):
        total = sum(len(v) for v in by_sector.values())
        for s in AUTHOR_SECTORS:
            ids = by_sector.get(s, [])
            country.append([c, y, s, len(ids)] + share_columns(len(ids), total), set(ids))

    sensitivity = resolution_sensitivity(papers, periods)
    shift = Table("shift_share_decomposition", [
        "group", "venue", "period_1", "period_2", "papers_1", "academic_only_1", "weight_1", "share_1",
        "papers_2", "academic_only_2", "weight_2", "share_2", "within_venue", "venue_mix", "entry_exit", "total_change"])
    estimates.shift_share(papers, periods, shift)
    adjusted = Table("venue_adjusted_series", [
        "group", "period", "from_year", "to_year", "papers", "academic_only", "raw_share", "raw_ci_low", "raw_ci_high",
        "adjusted_share", "ci_low", "ci_high", "venues", "replicates"])
    estimates.venue_adjusted_series(papers, periods, adjusted)
    reliance_all = Table("model_reliance_all_papers", [
        "period", "from_year", "to_year", "team_type", "category", "papers", "mentioning_models", "papers_with",
        "share", "ci_low", "ci_high", "share_of_mentioning", "mentioning_ci_low", "mentioning_ci_high"])
    estimates.model_reliance_all_papers(papers, periods, reliance_all)
    coverage = Table("coverage_by_venue_year", ["venue", "year", "papers", "full", "partial", "none", "share_full"])
    estimates.coverage_by_venue_year(papers, coverage)
    industry = Table("any_industry_by_year", ["venue", "period", "from_year", "to_year", "resolved", "any_industry",
                                              "share", "ci_low", "ci_high"])
    estimates.any_industry_by_year(papers, periods, industry)
    organizations = Table("organization_papers_by_topic", [
        "topic", "period", "rank", "organization", "organization_id", "sector", "papers", "topic_papers",
        "share", "ci_low", "ci_high"])
    estimates.organization_papers_by_topic(papers, periods, organizations)
    return [team, topic, academic, reliance, collaboration, country, sensitivity, shift, adjusted, reliance_all,
            coverage, industry, organizations]


def republished(path, name):
    """A table written by an earlier stage, passed through with no drill-down ids."""
    rows = list(read_ndjson(path))
    table = Table(name, list(rows[0].keys()) if rows else [])
    for r in rows:
        table.append([r[c] for c in table.columns], [])
    return table


def write_tables(tables, folder, drill_path):
    drill = NDJSONWriter(drill_path)
    for t in tables:
        w = NDJSONWriter(os.path.join(folder, t.name + ".ndjson.gz"))
        for obj, ids in zip(t.objects(), t.ids):
            w.write(obj)
            drill.write({"table": t.name, "row": obj, "ids": ids})
        w.commit()
    drill.commit()


def aggregate_papers(args):
    stage = Stage("aggregate papers")
    name = os.path.basename(args.input)
    rejects = NDJSONWriter(os.path.join(args.output_dir, "papers.rejects.ndjson.gz"))
    reasons = {}
    read = 0
    papers = []
    with gzip.open(args.input, "rb") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                p = orjson.loads(line)
                if not isinstance(p, dict):
                    raise BadPaper("expected an object")
                facts = paper_facts(p)
            except (orjson.JSONDecodeError, BadPaper) as e:
                reason = str(e)
                reasons[reason] = reasons.get(reason, 0) + 1
                rejects.write({"file": name, "kind": "record", "location": f"line {number}", "reason": reason})
                continue
            read += 1
            if facts is not None:
                papers.append(facts)
    rejects.commit()
    tables = paper_tables(papers, [year_span(args.period_before), year_span(args.period_after)])
    if args.topics:
        ranking = republished(args.topics, "topic_compute_intensity")
        tables.append(ranking)
        by_compute = Table("academic_share_by_topic_compute", [
            "era", "topic", "models", "median_training_compute_flop", "papers", "academic_only", "share", "ci_low", "ci_high"])
        estimates.academic_share_by_topic_compute(papers, ranking.objects(), by_compute)
        tables.append(by_compute)
    drill_path = os.path.join(args.output_dir, "papers.drilldown.ndjson.gz")
    write_tables(tables, args.output_dir, drill_path)
    rejected = sum(reasons.values())
    write_counts(drill_path, "aggregate papers", read + rejected, len(papers), rejected=rejected,
                 excluded=read - len(papers), reasons=reasons)
    stage.done(**{"in": read + rejected, "out": len(papers), "rejected": rejected, "excluded": read - len(papers)})


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="kind", required=True)
    s = sub.add_parser("models")
    s.add_argument("--input", required=True)
    s.add_argument("--output-dir", required=True)
    s = sub.add_parser("papers")
    s.add_argument("--input", required=True)
    s.add_argument("--topics")
    s.add_argument("--output-dir", required=True)
    # The compared periods (shift_share_decomposition) and rows of their own in the period tables.
    s.add_argument("--period-before", default="2015-2018")
    s.add_argument("--period-after", default="2021-2025")
    args = p.parse_args()
    {"models": aggregate_models, "papers": aggregate_papers}[args.kind](args)


if __name__ == "__main__":
    main()
