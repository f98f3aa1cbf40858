"""The paper estimates of the aggregate reference that need the papers themselves, written from
their definitions in Sources/DivideAggregate (ShiftShare, VenueAdjustedSeries, Reliance, Coverage,
PaperOrganizationTables, TopicComputeShares) and outputs/tables/README.md: shift-share, the
venue-adjusted logistic series with its cluster bootstrap, model reliance over all papers,
resolution coverage, any-industry shares, organizations by topic and academic shares by topic
compute. `papers` are aggregate.Paper records of the analysis set, in input order."""
import math

from stats import SplitMix64, quantile, round_half_away, wilson

# TeamType.allCases, in order (the aggregate reference uses this list too).
TEAM_TYPES = ["academic-only", "industry-only", "collaboration", "academia-government-nonprofit",
              "industry-government-nonprofit", "government-nonprofit", "unknown"]
FOCUS = "foundation-models"

# EstimateGroup: name → whether a paper belongs to it.
GROUPS = {
    "all papers": lambda p: True,
    "compute-intensive": lambda p: p.intensive,
    "other topics": lambda p: not p.intensive,
    "compute-intensive (fixed set)": lambda p: p.intensive_fixed,
    "foundation-models": lambda p: p.topic == FOCUS,
    "foundation-models: developing": lambda p: p.topic == FOCUS and p.fm_role == "developing",
    "foundation-models: using": lambda p: p.topic == FOCUS and p.fm_role == "using",
}
SHIFT_SHARE_GROUPS = ["all papers", "compute-intensive", "compute-intensive (fixed set)", "other topics", "foundation-models"]
ADJUSTED_GROUPS = ["all papers", "compute-intensive", "compute-intensive (fixed set)", "other topics", "foundation-models",
                   "foundation-models: developing", "foundation-models: using"]


def share_columns(successes, trials):
    if trials == 0:
        return [None, None, None]
    return [round_half_away(x, 4) for x in wilson(successes, trials)]


def span_columns(span):
    lo, hi = span
    return [str(lo) if lo == hi else f"{lo}–{hi}", lo, hi]


def reported_periods(periods):
    """The two compared periods and the report's summary spans, each once."""
    out = []
    for s in [(2012, 2016), periods[0], (2020, 2025), periods[1]]:
        if s not in out:
            out.append(s)
    return out


def inside(span, year):
    return span[0] <= year <= span[1]


def plain_sum(values):
    total = 0.0
    for v in values:
        total += v
    return total


# ---- shift-share ---------------------------------------------------------------------------------

def shift_share(papers, periods, table):
    p1, p2 = periods
    labels = [span_columns(p1)[0], span_columns(p2)[0]]
    for group in SHIFT_SHARE_GROUPS:
        contains = GROUPS[group]
        cells, members = {}, {}
        for p in papers:
            if p.resolution != "full" or not contains(p):
                continue
            first, second = inside(p1, p.year), inside(p2, p.year)
            if not (first or second):
                continue
            c = cells.setdefault(p.venue, [0, 0, 0, 0])
            a = 1 if p.own_academic_only else 0
            if first:
                c[0] += 1
                c[1] += a
            else:
                c[2] += 1
                c[3] += a
            members.setdefault(p.venue, []).append(p.id)
        if not cells:
            continue
        n1 = sum(c[0] for c in cells.values())
        n2 = sum(c[2] for c in cells.values())
        s1 = s2 = 0.0
        rows = []
        for venue in sorted(cells):
            b_n, b_k, a_n, a_k = cells[venue]
            w1 = b_n / n1 if n1 > 0 else 0.0
            w2 = a_n / n2 if n2 > 0 else 0.0
            q1 = b_k / b_n if b_n > 0 else None
            q2 = a_k / a_n if a_n > 0 else None
            s1 += w1 * (q1 if q1 is not None else 0.0)
            s2 += w2 * (q2 if q2 is not None else 0.0)
            within = mix = entry_exit = 0.0
            if q1 is not None and q2 is not None:
                within = (w1 + w2) / 2 * (q2 - q1)
                mix = (q1 + q2) / 2 * (w2 - w1)
            else:
                entry_exit = w2 * (q2 if q2 is not None else 0.0) - w1 * (q1 if q1 is not None else 0.0)
            rows.append((venue, b_n, b_k, a_n, a_k, w1, w2, q1, q2, within, mix, entry_exit))
        for venue, b_n, b_k, a_n, a_k, w1, w2, q1, q2, within, mix, entry_exit in rows:
            table.append([group, venue] + labels + [
                b_n, b_k, round_half_away(w1, 6), round_half_away(q1, 6) if q1 is not None else None,
                a_n, a_k, round_half_away(w2, 6), round_half_away(q2, 6) if q2 is not None else None,
                within, mix, entry_exit, within + mix + entry_exit], members[venue])
        within = plain_sum(r[9] for r in rows)
        mix = plain_sum(r[10] for r in rows)
        entry_exit = plain_sum(r[11] for r in rows)
        table.append([group, "all venues"] + labels + [
            sum(r[1] for r in rows), sum(r[2] for r in rows), 1, round_half_away(s1, 6),
            sum(r[3] for r in rows), sum(r[4] for r in rows), 1, round_half_away(s2, 6),
            within, mix, entry_exit, within + mix + entry_exit], [i for ids in members.values() for i in ids])


# ---- venue-adjusted series -----------------------------------------------------------------------

MINIMUM_VENUE_PAPERS = 30
RIDGE = 0.1
WINDOW = (2012, 2025)
REPLICATES = 400
SEED = 20_250_101
OTHER_VENUES = "other venues"


class FitError(Exception):
    pass


def logistic(eta):
    return 1 / (1 + math.exp(-eta)) if eta >= 0 else math.exp(eta) / (1 + math.exp(eta))


def cholesky_solve(h, g, p):
    """H s = g for a symmetric positive definite H (LogisticRegression.solve, the same operations)."""
    rows = [[0.0] * p for _ in range(p)]
    for j in range(p):
        lj = rows[j]
        d = h[j * p + j]
        for k in range(j):
            d -= lj[k] * lj[k]
        if not d > 1e-300:
            raise FitError("singular")
        root = math.sqrt(d)
        lj[j] = root
        for i in range(j + 1, p):
            li = rows[i]
            s = h[i * p + j]
            for k in range(j):
                s -= li[k] * lj[k]
            li[j] = s / root
    y = [0.0] * p
    for i in range(p):
        li = rows[i]
        s = g[i]
        for k in range(i):
            s -= li[k] * y[k]
        y[i] = s / li[i]
    x = [0.0] * p
    for i in range(p - 1, -1, -1):
        s = y[i]
        for k in range(i + 1, p):
            s -= rows[k][i] * x[k]
        x[i] = s / rows[i][i]
    return x


def fit_logistic(columns, successes, trials, p, ridge, max_iterations=100, tolerance=1e-10):
    """Newton–Raphson with a ridge penalty on every coefficient but the intercept (column 0).
    columns: per row, the indices of its covariates equal to 1 (the design is 0/1)."""
    beta = [0.0] * p
    penalty = [0.0] + [ridge] * (p - 1)
    iteration = 0
    while True:
        iteration += 1
        gradient = [-penalty[j] * beta[j] for j in range(p)]
        hessian = [0.0] * (p * p)
        for j in range(p):
            hessian[j * p + j] = penalty[j]
        for cols, k, n in zip(columns, successes, trials):
            if not n > 0:
                continue
            eta = 0.0
            for j in cols:
                eta += 1.0 * beta[j]
            mu = logistic(eta)
            residual = k - n * mu
            w = n * mu * (1 - mu)
            for j in cols:
                gradient[j] += 1.0 * residual
                wx = w * 1.0
                for l in cols:
                    if l >= j:
                        hessian[j * p + l] += wx * 1.0
        for j in range(p):
            for l in range(j):
                hessian[j * p + l] = hessian[l * p + j]
        step = cholesky_solve(hessian, gradient, p)
        largest = 0.0
        for j in range(p):
            beta[j] += step[j]
            largest = max(largest, abs(step[j]))
        if largest < tolerance:
            return beta
        if iteration >= max_iterations:
            raise FitError("not converged")


def standardized(cells, years, venues):
    """Each year's share over the cells' venue mix: Σ_v (N_v / N) · P(year, v)."""
    year_column = {y: 1 + i for i, y in enumerate(years[1:])}
    venue_column = {v: len(years) + i for i, v in enumerate(venues[1:])}
    p = len(years) + len(venues) - 1

    def row(year, venue):
        cols = [0]
        if year in year_column:
            cols.append(year_column[year])
        if venue in venue_column:
            cols.append(venue_column[venue])
        return sorted(cols)

    grouped = {}
    for year, venue, n, k in cells:
        by_year = grouped.setdefault(venue, {})
        old = by_year.get(year, (0, 0))
        by_year[year] = (old[0] + n, old[1] + k)
    columns, successes, trials = [], [], []
    venue_totals = {}
    for venue in sorted(grouped):
        for year in sorted(grouped[venue]):
            n, k = grouped[venue][year]
            columns.append(row(year, venue))
            successes.append(float(k))
            trials.append(float(n))
            venue_totals[venue] = venue_totals.get(venue, 0.0) + float(n)
    beta = fit_logistic(columns, successes, trials, p, RIDGE)
    total = plain_sum(venue_totals.values())
    present = {c[0] for c in cells}
    out = {}
    for y in years:
        if y not in present:
            continue
        s = 0.0
        for venue, n in venue_totals.items():
            eta = 0.0
            for j in row(y, venue):
                eta += 1.0 * beta[j]
            s += n / total * logistic(eta)
        out[y] = s
    return out


class VenueAdjusted:
    def __init__(self, raw):
        """raw: [(year, venue, papers, academic-only)] sorted by year and venue."""
        venue_papers = {}
        for year, venue, n, k in raw:
            venue_papers[venue] = venue_papers.get(venue, 0) + n
        self.cells = [(year, venue if venue_papers[venue] >= MINIMUM_VENUE_PAPERS else OTHER_VENUES, n, k)
                      for year, venue, n, k in raw]
        self.years = sorted({c[0] for c in self.cells})
        level_papers = {}
        for _, venue, n, _ in self.cells:
            level_papers[venue] = level_papers.get(venue, 0) + n
        self.venues = sorted(level_papers, key=lambda v: (-level_papers[v], v))
        self.adjusted = standardized(self.cells, self.years, self.venues)
        rng = SplitMix64(SEED)
        count = len(self.cells)
        self.replicate_shares = []
        for _ in range(REPLICATES):
            sample = []
            for _ in range(count):
                sample.append(self.cells[rng.next() % count])
            try:
                self.replicate_shares.append(standardized(sample, self.years, self.venues))
            except FitError:
                pass  # a replicate that cannot be fitted is left out (the count used is published)

    def span(self, span):
        weights = {}
        for year, _, n, _ in self.cells:
            if inside(span, year):
                weights[year] = weights.get(year, 0.0) + float(n)
        total = plain_sum(weights.values())
        if not total > 0:
            return None

        def combine(shares):
            s = 0.0
            for y, w in weights.items():
                if y not in shares:
                    return None
                s += w / total * shares[y]
            return s

        point = combine(self.adjusted)
        if point is None:
            return None
        values = [v for v in map(combine, self.replicate_shares) if v is not None]
        if len(values) < 2:
            return None
        return point, quantile(values, 0.025), quantile(values, 0.975)


def venue_adjusted_series(papers, periods, table):
    for group in ADJUSTED_GROUPS:
        contains = GROUPS[group]
        counts, academic = {}, {}
        for p in papers:
            if p.resolution != "full" or not inside(WINDOW, p.year) or not contains(p):
                continue
            c = counts.setdefault((p.year, p.venue), [0, 0])
            c[0] += 1
            if p.own_academic_only:
                c[1] += 1
                academic.setdefault(p.year, []).append(p.id)
        cells = [(y, v, n, k) for (y, v), (n, k) in sorted(counts.items())]
        if not cells:
            continue
        try:
            series = VenueAdjusted(cells)
        except FitError:
            continue
        for span in [(y, y) for y in series.years] + reported_periods(periods):
            in_span = [c for c in cells if inside(span, c[0])]
            n = sum(c[2] for c in in_span)
            k = sum(c[3] for c in in_span)
            if n == 0:
                continue
            a = series.span(span)
            adjusted = [round_half_away(x, 4) for x in a] if a is not None else [None, None, None]
            table.append([group] + span_columns(span) + [n, k] + share_columns(k, n) + adjusted
                         + [len(series.venues), len(series.replicate_shares)],
                         [i for y in range(span[0], span[1] + 1) for i in academic.get(y, ())])


# ---- reliance, coverage, any industry ------------------------------------------------------------

RELIANCE = [("industry open-weights", "industry_open"), ("industry closed or API", "industry_closed"),
            ("academic or nonprofit", "academic_or_nonprofit"), ("any model", "mentions")]


def model_reliance_all_papers(papers, periods, table):
    team_types = TEAM_TYPES[:-1] + ["all"]
    counts = [{} for _ in team_types]
    mentioning = [{} for _ in team_types]
    with_ = [[{} for _ in RELIANCE] for _ in team_types]
    years = set()
    for p in papers:
        if p.resolution != "full":
            continue
        years.add(p.year)
        own = TEAM_TYPES.index(p.own_team) if p.own_team in TEAM_TYPES else len(TEAM_TYPES)
        for t in (own, len(team_types) - 1):
            if t >= len(team_types):
                continue
            counts[t][p.year] = counts[t].get(p.year, 0) + 1
            if p.mentions:
                mentioning[t][p.year] = mentioning[t].get(p.year, 0) + 1
            for c, (_, flag) in enumerate(RELIANCE):
                if getattr(p, flag):
                    with_[t][c].setdefault(p.year, []).append(p.id)
    years = sorted(years)
    for span in [(y, y) for y in years] + reported_periods(periods):
        in_span = [y for y in years if inside(span, y)]
        for t, team_type in enumerate(team_types):
            n = sum(counts[t].get(y, 0) for y in in_span)
            if n == 0:
                continue
            m = sum(mentioning[t].get(y, 0) for y in in_span)
            for c, (category, _) in enumerate(RELIANCE):
                members = [i for y in in_span for i in with_[t][c].get(y, ())]
                k = len(members)
                table.append(span_columns(span) + [team_type, category, n, m, k] + share_columns(k, n)
                             + share_columns(k, m), members)


def coverage_by_venue_year(papers, table):
    cells = {}
    for p in papers:
        c = cells.setdefault((p.venue, p.year), ([], [], []))
        c[{"full": 0, "partial": 1}.get(p.resolution, 2)].append(p.id)
    for (venue, year), c in sorted(cells.items()):
        n = sum(len(x) for x in c)
        table.append([venue, year, n, len(c[0]), len(c[1]), len(c[2]), round_half_away(len(c[0]) / n, 4)], c[0])


def any_industry_by_year(papers, periods, table):
    resolved, industry = {}, {}
    for p in papers:
        if p.resolution != "full":
            continue
        for venue in (p.venue, "all"):
            key = (venue, p.year)
            resolved[key] = resolved.get(key, 0) + 1
            if p.any_industry:
                industry.setdefault(key, []).append(p.id)

    def row(venue, span):
        keys = sorted(k for k in resolved if k[0] == venue and inside(span, k[1]))
        n = sum(resolved[k] for k in keys)
        if n == 0:
            return
        members = [i for k in keys for i in industry.get(k, ())]
        table.append([venue] + span_columns(span) + [n, len(members)] + share_columns(len(members), n), members)

    for venue, year in sorted(resolved):
        if venue != "all":
            row(venue, (year, year))
    years = sorted({y for v, y in resolved if v == "all"})
    for span in [(y, y) for y in years] + reported_periods(periods):
        row("all", span)


# ---- organizations by topic, academic share by topic compute --------------------------------------

ORGANIZATIONS_PER_TOPIC = 20


def organization_papers_by_topic(papers, periods, table):
    names, sector_counts = {}, {}
    by_topic = {}          # topic → organization id → [(paper id, year)]
    with_organizations = {}  # topic → [year]
    for p in papers:
        seen = set()
        for oid, name, sectors in p.organizations:
            if oid not in names:
                names[oid] = name
                sector_counts[oid] = {}
            key = "+".join(sectors)
            sector_counts[oid][key] = sector_counts[oid].get(key, 0) + 1
            if oid not in seen:
                seen.add(oid)
                by_topic.setdefault(p.topic, {}).setdefault(oid, []).append((p.id, p.year))
        if seen:
            with_organizations.setdefault(p.topic, []).append(p.year)

    def sector(oid):
        counts = sector_counts[oid]
        return min(counts, key=lambda k: (-counts[k], k)) if counts else "unknown"

    topics = sorted(with_organizations, key=lambda t: (t != FOCUS, -len(with_organizations[t]), t))
    after = periods[1]
    for topic in topics:
        for label, span in (("all", None), (span_columns(after)[0], after)):
            def in_period(year):
                return span is None or inside(span, year)

            topic_papers = sum(1 for y in with_organizations[topic] if in_period(y))
            ranked = []
            for oid, entries in by_topic.get(topic, {}).items():
                ids = [i for i, y in entries if in_period(y)]
                if ids:
                    ranked.append((oid, ids))
            ranked.sort(key=lambda e: (-len(e[1]), names[e[0]]))
            for rank, (oid, ids) in enumerate(ranked[:ORGANIZATIONS_PER_TOPIC], 1):
                table.append([topic, label, rank, names[oid], oid, sector(oid), len(ids), topic_papers]
                             + share_columns(len(ids), topic_papers), ids)


def compute_era(year):
    return "≤2011" if year < 2012 else "2012–2017" if year <= 2017 else "2018–2021" if year <= 2021 else "2022–"


def academic_share_by_topic_compute(papers, ranking, table):
    """ranking: the classify stage's topic_compute rows (dicts)."""
    counts, academic = {}, {}
    for p in papers:
        if p.resolution != "full" or not inside(WINDOW, p.year):
            continue
        key = (compute_era(p.year), p.topic)
        counts[key] = counts.get(key, 0) + 1
        if p.own_academic_only:
            academic.setdefault(key, []).append(p.id)
    for r in ranking:
        era, topic, flop = r.get("era"), r.get("topic"), r.get("median_training_compute_flop")
        if not isinstance(era, str) or not isinstance(topic, str) or not isinstance(flop, (int, float)) or isinstance(flop, bool):
            continue
        n = counts.get((era, topic), 0)
        if n == 0:
            continue
        members = academic.get((era, topic), [])
        table.append([era, topic, r.get("models"), float(flop), n, len(members)] + share_columns(len(members), n), members)
