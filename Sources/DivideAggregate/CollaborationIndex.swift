import DivideClassify
import Foundation

/// Academia–industry collaboration against random mixing.
///
/// Authors are pooled by sector over a year (`sector(of:)`): academia (academic affiliations, no
/// industry one), industry (industry, no academic one), collaboration (academic and industry
/// affiliations), other (neither). Under random
/// mixing a paper with k authors of known sector draws each author independently from that
/// pool, so P(collaboration | k) = 1 − (1 − a − b)^k − (1 − i − b)^k + o^k, where a, i, b, o
/// are the pool shares. The expected share is the mean of that probability over the year's
/// papers; the normalized index is observed / expected (1 = as random mixing predicts, below 1
/// = the sectors collaborate less than chance).
public struct CollaborationIndex: Equatable {
    public let papers: Int
    public let observed: Int
    public let expectedShare: Double
    public let pool: [Sector: Int]

    public var observedShare: Double { papers > 0 ? Double(observed) / Double(papers) : 0 }
    public var index: Double? { expectedShare > 0 ? observedShare / expectedShare : nil }

    /// The pool, the observed count and the team sizes of one year's papers, added one paper at a
    /// time (the expected share needs the pool of the whole year, so the sizes wait for it).
    public struct Tally: Equatable {
        public private(set) var pool: [Sector: Int] = [:]
        public private(set) var observed = 0
        /// Sizes of the eligible teams in the order added (the expected share sums in that order).
        public private(set) var teamSizes: [UInt32] = []

        public init() {}

        /// Adds one paper's known-sector authors; false when it has fewer than two (a single
        /// author cannot collaborate) and is left out.
        @discardableResult
        public mutating func add<Team: Collection>(team: Team) -> Bool where Team.Element == Sector {
            guard team.count >= 2 else { return false }
            for s in team { pool[s, default: 0] += 1 }
            let academic = team.contains { $0 == .academia || $0 == .collaboration }
            let industry = team.contains { $0 == .industry || $0 == .collaboration }
            if academic && industry { observed += 1 }
            teamSizes.append(UInt32(team.count))
            return true
        }
    }

    /// `teams`: each paper's known-sector authors (papers with fewer than two are left out).
    public init(teams: [[Sector]]) {
        var tally = Tally()
        for team in teams { tally.add(team: team) }
        self.init(tally)
    }

    public init(_ tally: Tally) {
        let pool = tally.pool
        let total = Double(pool.values.reduce(0, +))
        func share(_ s: Sector) -> Double { total > 0 ? Double(pool[s] ?? 0) / total : 0 }
        let a = share(.academia), i = share(.industry), b = share(.collaboration), o = share(.other)
        var expected = 0.0
        for size in tally.teamSizes {
            let k = Double(size)
            expected += 1 - pow(1 - a - b, k) - pow(1 - i - b, k) + pow(o, k)
        }
        papers = tally.teamSizes.count
        observed = tally.observed
        expectedShare = tally.teamSizes.isEmpty ? 0 : expected / Double(tally.teamSizes.count)
        self.pool = pool
    }

    /// An author's sector from the sectors of their affiliations; nil when none is known.
    public static func sector(of sectors: [Sector]) -> Sector? {
        guard !sectors.isEmpty else { return nil }
        let academic = sectors.contains(.academia), industry = sectors.contains(.industry)
        switch (academic, industry) {
        case (true, true): return .collaboration
        case (true, false): return .academia
        case (false, true): return .industry
        case (false, false): return .other
        }
    }
}
