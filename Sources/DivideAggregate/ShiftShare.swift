import DivideCore

/// Shift-share decomposition of the change in the academic-only share between two periods.
///
/// With S = Σ_v w_v p_v over venues v (w_v the venue's share of the group's fully resolved papers
/// in the period, p_v its academic-only share), the change S₂ − S₁ splits exactly into
/// - within-venue Σ_v w̄_v Δp_v and venue-mix Σ_v p̄_v Δw_v over venues present in both periods
///   (w̄, p̄ the means of the two periods; w̄Δp + p̄Δw = w₂p₂ − w₁p₁ for each venue), and
/// - entry/exit Σ_v (w₂p₂ − w₁p₁) over venues present in one period only.
public struct ShiftShare: Equatable {
    public struct Venue: Equatable {
        public let venue: String
        public let papers: (Int, Int), academic: (Int, Int)
        public let weight: (Double, Double), share: (Double?, Double?)
        public let within: Double, mix: Double, entryExit: Double
        public var total: Double { within + mix + entryExit }
        public static func == (a: Venue, b: Venue) -> Bool {
            a.venue == b.venue && a.papers == b.papers && a.academic == b.academic && a.within == b.within && a.mix == b.mix
                && a.entryExit == b.entryExit
        }
    }

    public let venues: [Venue]
    public let before: Double, after: Double
    public var within: Double { venues.reduce(0) { $0 + $1.within } }
    public var mix: Double { venues.reduce(0) { $0 + $1.mix } }
    public var entryExit: Double { venues.reduce(0) { $0 + $1.entryExit } }
    public var change: Double { after - before }

    /// `cells`: per venue, (papers, academic-only) in period 1 and period 2.
    public init(cells: [String: (before: (n: Int, k: Int), after: (n: Int, k: Int))]) {
        let n1 = cells.values.reduce(0) { $0 + $1.before.n }, n2 = cells.values.reduce(0) { $0 + $1.after.n }
        var venues: [Venue] = []
        var s1 = 0.0, s2 = 0.0
        for (venue, c) in cells.sorted(by: { $0.key < $1.key }) {
            let w1 = n1 > 0 ? Double(c.before.n) / Double(n1) : 0, w2 = n2 > 0 ? Double(c.after.n) / Double(n2) : 0
            let p1 = c.before.n > 0 ? Double(c.before.k) / Double(c.before.n) : nil
            let p2 = c.after.n > 0 ? Double(c.after.k) / Double(c.after.n) : nil
            s1 += w1 * (p1 ?? 0)
            s2 += w2 * (p2 ?? 0)
            var within = 0.0, mix = 0.0, entryExit = 0.0
            if let p1, let p2 {
                within = (w1 + w2) / 2 * (p2 - p1)
                mix = (p1 + p2) / 2 * (w2 - w1)
            } else {
                entryExit = w2 * (p2 ?? 0) - w1 * (p1 ?? 0)
            }
            venues.append(Venue(venue: venue, papers: (c.before.n, c.after.n), academic: (c.before.k, c.after.k),
                                weight: (w1, w2), share: (p1, p2), within: within, mix: mix, entryExit: entryExit))
        }
        self.venues = venues
        before = s1
        after = s2
    }
}

extension PaperTables {
    static let shiftShareGroups: [EstimateGroup] = [.all, .computeIntensive, .computeIntensiveFixed, .other, .foundationModels]

    /// `group,venue,period_1,period_2,papers_1,academic_only_1,weight_1,share_1,papers_2,academic_only_2,weight_2,share_2,within_venue,venue_mix,entry_exit,total_change`:
    /// one row per venue and a `venue = all venues` row per group; fully resolved papers. The
    /// terms are published unrounded so that they add up to the total as printed.
    public func shiftShare() -> Table {
        var table = Table(name: "shift_share_decomposition", columns: [
            "group", "venue", "period_1", "period_2", "papers_1", "academic_only_1", "weight_1", "share_1",
            "papers_2", "academic_only_2", "weight_2", "share_2", "within_venue", "venue_mix", "entry_exit", "total_change"])
        let records = tally.estimates
        let (p1, p2) = (periods.before, periods.after)
        for group in PaperTables.shiftShareGroups {
            var cells: [String: (before: (n: Int, k: Int), after: (n: Int, k: Int))] = [:]
            var members: [String: [UInt32]] = [:]
            for (i, p) in records.papers.enumerated() where p.fullyResolved && group.contains(p, topics: records.topics) {
                let first = p1.contains(p.year), second = p2.contains(p.year)
                guard first || second else { continue }
                let venue = records.venues[Int(p.venue)]
                var c = cells[venue] ?? ((0, 0), (0, 0))
                let a = p.academicOnly ? 1 : 0
                if first { c.before = (c.before.n + 1, c.before.k + a) } else { c.after = (c.after.n + 1, c.after.k + a) }
                cells[venue] = c
                members[venue, default: []].append(UInt32(i))
            }
            if cells.isEmpty { continue }
            let result = ShiftShare(cells: cells)
            let prefix: [JSONValue] = [.string(group.rawValue)]
            let spans: [JSONValue] = [.string(p1.description), .string(p2.description)]
            for v in result.venues {
                table.append(prefix + [.string(v.venue)] + spans + [
                    .int(v.papers.0), .int(v.academic.0), rounded(v.weight.0, 6), v.share.0.map { rounded($0, 6) } ?? .null,
                    .int(v.papers.1), .int(v.academic.1), rounded(v.weight.1, 6), v.share.1.map { rounded($0, 6) } ?? .null,
                    .double(v.within), .double(v.mix), .double(v.entryExit), .double(v.total)],
                    sortedRecordIDs: ids.sorted([members[v.venue] ?? []]))
            }
            let n1 = result.venues.reduce(0) { $0 + $1.papers.0 }, n2 = result.venues.reduce(0) { $0 + $1.papers.1 }
            let k1 = result.venues.reduce(0) { $0 + $1.academic.0 }, k2 = result.venues.reduce(0) { $0 + $1.academic.1 }
            table.append(prefix + [.string("all venues")] + spans + [
                .int(n1), .int(k1), .double(1), rounded(result.before, 6), .int(n2), .int(k2), .double(1), rounded(result.after, 6),
                .double(result.within), .double(result.mix), .double(result.entryExit), .double(result.within + result.mix + result.entryExit)],
                sortedRecordIDs: ids.sorted(Array(members.values)))
        }
        return table
    }
}
