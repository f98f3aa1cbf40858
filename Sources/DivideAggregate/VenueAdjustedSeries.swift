import DivideCore
import DivideStats

/// Venue-adjusted yearly academic-only shares: a logistic regression of academic-only on year
/// (categorical) with venue fixed effects, per topic group, on fully resolved papers of
/// `years`, standardized to the group's venue distribution over the whole window.
///
/// Estimator. logit P(academic-only) = α + γ_year + δ_venue (reference levels: the first year
/// and the largest venue). Venues with fewer than `minimumVenuePapers` papers in the group are
/// pooled into one "other venues" level. The share for year y is the mean predicted probability
/// over all the group's papers with the year set to y: Σ_v (N_v / N) · P(y, v). A period's
/// share is the mean of its years' shares weighted by the group's papers in each year (as the
/// raw pooled share weights them). Separation (a venue or year whose papers are all, or none,
/// academic-only) is handled by a ridge penalty λ = `ridge` on every coefficient but the
/// intercept — a N(0, 1/λ) prior on the log-odds effects — which keeps the fit finite.
/// Interval: percentile bootstrap (95%) over venue-year clusters — each replicate redraws the
/// group's venue-year cells with replacement, refits, and restandardizes; seeded, so reruns agree.
public struct VenueAdjustedSeries {
    public static let minimumVenuePapers = 30
    public static let ridge = 0.1
    public static let years = 2012...2025
    public static let replicates = 400
    public static let seed: UInt64 = 20_250_101
    public static let otherVenues = "other venues"

    /// One venue-year cell: papers and academic-only papers.
    public struct Cell: Equatable {
        public var year: Int, venue: String, papers: Int, academic: Int
        public init(year: Int, venue: String, papers: Int, academic: Int) {
            self.year = year
            self.venue = venue
            self.papers = papers
            self.academic = academic
        }
    }

    public let years: [Int]
    public let venues: [String]
    /// year → standardized share, and its 95% bootstrap interval.
    public let adjusted: [Int: Double]
    public let interval: [Int: (low: Double, high: Double)]
    public let cells: [Cell]
    private let replicateShares: [[Int: Double]]

    /// `cells`: the group's venue-year counts (venues not yet pooled).
    public init(cells raw: [Cell], replicates: Int = VenueAdjustedSeries.replicates, seed: UInt64 = VenueAdjustedSeries.seed) throws {
        var venuePapers: [String: Int] = [:]
        for c in raw { venuePapers[c.venue, default: 0] += c.papers }
        let pooled = raw.map { c -> Cell in
            var c = c
            if venuePapers[c.venue]! < VenueAdjustedSeries.minimumVenuePapers { c.venue = VenueAdjustedSeries.otherVenues }
            return c
        }
        cells = pooled
        years = Set(pooled.map(\.year)).sorted()
        var levelPapers: [String: Int] = [:]
        for c in pooled { levelPapers[c.venue, default: 0] += c.papers }
        venues = levelPapers.keys.sorted { (levelPapers[$0]!, $1) > (levelPapers[$1]!, $0) }
        adjusted = try VenueAdjustedSeries.standardized(pooled, years: years, venues: venues)
        var rng = SplitMix64(seed: seed)
        var shares: [[Int: Double]] = []
        for _ in 0..<replicates {
            let sample = (0..<pooled.count).map { _ in pooled[Int(rng.next() % UInt64(pooled.count))] }
            // A replicate that cannot be fitted is left out (the count of replicates used is published).
            if let s = try? VenueAdjustedSeries.standardized(sample, years: years, venues: venues) { shares.append(s) }
        }
        replicateShares = shares
        var interval: [Int: (Double, Double)] = [:]
        for y in years {
            let values = shares.compactMap { $0[y] }
            if values.count >= 2 { interval[y] = (Quantile.linear(values, 0.025), Quantile.linear(values, 0.975)) }
        }
        self.interval = interval
    }

    public var replicatesUsed: Int { replicateShares.count }

    /// The share of a span of years (weighted by the group's papers per year) and its interval
    /// from the same replicates.
    public func span(_ span: YearSpan) -> (share: Double, low: Double, high: Double)? {
        var weights: [Int: Double] = [:]
        for c in cells where span.contains(c.year) { weights[c.year, default: 0] += Double(c.papers) }
        let total = weights.values.reduce(0, +)
        guard total > 0 else { return nil }
        func combine(_ s: [Int: Double]) -> Double? {
            var sum = 0.0
            for (y, w) in weights {
                guard let v = s[y] else { return nil }
                sum += w / total * v
            }
            return sum
        }
        guard let point = combine(adjusted) else { return nil }
        let values = replicateShares.compactMap(combine)
        guard values.count >= 2 else { return nil }
        return (point, Quantile.linear(values, 0.025), Quantile.linear(values, 0.975))
    }

    /// Fits the model to `cells` and returns each year's standardized share (years absent from
    /// the cells have none). Levels absent from the cells keep a zero column (held at 0 by the penalty).
    static func standardized(_ cells: [Cell], years: [Int], venues: [String]) throws -> [Int: Double] {
        let yearColumn = Dictionary(uniqueKeysWithValues: years.dropFirst().enumerated().map { ($1, 1 + $0) })
        let venueColumn = Dictionary(uniqueKeysWithValues: venues.dropFirst().enumerated().map { ($1, years.count + $0) })
        let p = years.count + venues.count - 1
        func row(year: Int, venue: String) -> [Double] {
            var x = [Double](repeating: 0, count: p)
            x[0] = 1
            if let j = yearColumn[year] { x[j] = 1 }
            if let j = venueColumn[venue] { x[j] = 1 }
            return x
        }
        // Identical (year, venue) cells are one binomial row.
        var grouped: [String: [Int: (n: Int, k: Int)]] = [:]
        for c in cells {
            let old = grouped[c.venue]?[c.year] ?? (0, 0)
            grouped[c.venue, default: [:]][c.year] = (old.n + c.papers, old.k + c.academic)
        }
        var design: [[Double]] = [], successes: [Double] = [], trials: [Double] = []
        var venueTotals: [String: Double] = [:]
        for (venue, byYear) in grouped.sorted(by: { $0.key < $1.key }) {
            for (year, c) in byYear.sorted(by: { $0.key < $1.key }) {
                design.append(row(year: year, venue: venue))
                successes.append(Double(c.k))
                trials.append(Double(c.n))
                venueTotals[venue, default: 0] += Double(c.n)
            }
        }
        let fit = try LogisticRegression(design: design, successes: successes, trials: trials, ridge: ridge)
        let total = venueTotals.values.reduce(0, +)
        let present = Set(cells.map(\.year))
        var out: [Int: Double] = [:]
        for y in years where present.contains(y) {
            out[y] = venueTotals.reduce(0) { $0 + $1.value / total * fit.probability(row(year: y, venue: $1.key)) }
        }
        return out
    }
}

extension PaperTables {
    static let adjustedGroups: [EstimateGroup] = [.all, .computeIntensive, .computeIntensiveFixed, .other, .foundationModels, .fmDeveloping, .fmUsing]

    /// `group,period,from_year,to_year,papers,academic_only,raw_share,raw_ci_low,raw_ci_high,adjusted_share,ci_low,ci_high,venues,replicates`:
    /// per group, each year of the window and each reported period: the raw academic-only share
    /// of fully resolved papers (Wilson 95%) and the venue-adjusted share (bootstrap 95%).
    public func venueAdjustedSeries() -> Table {
        var table = Table(name: "venue_adjusted_series", columns: [
            "group", "period", "from_year", "to_year", "papers", "academic_only", "raw_share", "raw_ci_low", "raw_ci_high",
            "adjusted_share", "ci_low", "ci_high", "venues", "replicates"])
        let records = tally.estimates
        for group in PaperTables.adjustedGroups {
            var counts: [Int: [String: (n: Int, k: Int)]] = [:]
            var academic: [Int: [UInt32]] = [:]
            for (i, p) in records.papers.enumerated()
            where p.fullyResolved && VenueAdjustedSeries.years.contains(p.year) && group.contains(p, topics: records.topics) {
                let venue = records.venues[Int(p.venue)]
                let old = counts[p.year]?[venue] ?? (0, 0)
                counts[p.year, default: [:]][venue] = (old.n + 1, old.k + (p.academicOnly ? 1 : 0))
                if p.academicOnly { academic[p.year, default: []].append(UInt32(i)) }
            }
            let cells = counts.flatMap { year, byVenue in
                byVenue.map { VenueAdjustedSeries.Cell(year: year, venue: $0.key, papers: $0.value.n, academic: $0.value.k) }
            }.sorted { ($0.year, $0.venue) < ($1.year, $1.venue) }
            guard !cells.isEmpty, let series = try? VenueAdjustedSeries(cells: cells) else { continue }
            let spans = series.years.map { YearSpan($0, $0) } + periods.reported
            for span in spans {
                let inSpan = cells.filter { span.contains($0.year) }
                let n = inSpan.reduce(0) { $0 + $1.papers }, k = inSpan.reduce(0) { $0 + $1.academic }
                if n == 0 { continue }
                let raw = WilsonInterval(successes: k, trials: n)
                let adjusted: [JSONValue]
                if let a = series.span(span) {
                    adjusted = [rounded(a.share, 4), rounded(a.low, 4), rounded(a.high, 4)]
                } else {
                    adjusted = [.null, .null, .null]
                }
                table.append([.string(group.rawValue)] + span.columns + [.int(n), .int(k)] + ShareColumns.values(raw, trials: n)
                             + adjusted + [.int(series.venues.count), .int(series.replicatesUsed)],
                             sortedRecordIDs: ids.sorted((span.from...span.to).map { academic[$0] ?? [] }))
            }
        }
        return table
    }
}
