import Foundation

/// Academia–industry collaboration against random mixing.
///
/// Authors are pooled by sector over a year: academic (only academic affiliations), industry
/// (only industry), both (academic and industry affiliations), other (neither). Under random
/// mixing a paper with k authors of known sector draws each author independently from that
/// pool, so P(collaboration | k) = 1 − (1 − a − b)^k − (1 − i − b)^k + o^k, where a, i, b, o
/// are the pool shares. The expected share is the mean of that probability over the year's
/// papers; the normalized index is observed / expected (1 = as random mixing predicts, below 1
/// = the sectors collaborate less than chance).
public struct CollaborationIndex: Equatable {
    public enum AuthorSector: Hashable { case academic, industry, both, other }

    public let papers: Int
    public let observed: Int
    public let expectedShare: Double
    public let pool: [AuthorSector: Int]

    public var observedShare: Double { papers > 0 ? Double(observed) / Double(papers) : 0 }
    public var index: Double? { expectedShare > 0 ? observedShare / expectedShare : nil }

    /// `teams`: each paper's known-sector authors (papers with fewer than two are left out:
    /// a single author cannot collaborate).
    public init(teams: [[AuthorSector]]) {
        let eligible = teams.filter { $0.count >= 2 }
        var pool: [AuthorSector: Int] = [:]
        for team in eligible { for s in team { pool[s, default: 0] += 1 } }
        let total = Double(pool.values.reduce(0, +))
        func share(_ s: AuthorSector) -> Double { total > 0 ? Double(pool[s] ?? 0) / total : 0 }
        let a = share(.academic), i = share(.industry), b = share(.both), o = share(.other)
        var expected = 0.0
        var observed = 0
        for team in eligible {
            let k = Double(team.count)
            expected += 1 - pow(1 - a - b, k) - pow(1 - i - b, k) + pow(o, k)
            let academic = team.contains { $0 == .academic || $0 == .both }
            let industry = team.contains { $0 == .industry || $0 == .both }
            if academic && industry { observed += 1 }
        }
        papers = eligible.count
        self.observed = observed
        expectedShare = eligible.isEmpty ? 0 : expected / Double(eligible.count)
        self.pool = pool
    }

    public static func sector(of sectors: [String]) -> AuthorSector? {
        guard !sectors.isEmpty else { return nil }
        let academic = sectors.contains("academia"), industry = sectors.contains("industry")
        switch (academic, industry) {
        case (true, true): return .both
        case (true, false): return .academic
        case (false, true): return .industry
        case (false, false): return .other
        }
    }
}
