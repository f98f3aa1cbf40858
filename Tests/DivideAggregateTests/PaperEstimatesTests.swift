@testable import DivideAggregate
import DivideClassify
import DivideCore
import DivideStats
import Foundation
import Testing

/// Worked example: venue A goes from 8/10 to 3/10 academic-only, B from 1/10 to 2/30, C enters
/// with 0/10 and D exits (5/5 before). Each venue row's terms add up to its own change and the
/// three sums to S₂ − S₁ (to 1e-9), with S the papers-weighted academic-only share.
@Test func shiftShareTermsSumToTheChange() throws {
    let cells: [String: (before: (n: Int, k: Int), after: (n: Int, k: Int))] = [
        "A": ((10, 8), (10, 3)), "B": ((10, 1), (30, 2)), "C": ((0, 0), (10, 0)), "D": ((5, 5), (0, 0)),
    ]
    let s = ShiftShare(cells: cells)
    #expect(abs(s.before - 14.0 / 25) < 1e-12 && abs(s.after - 5.0 / 50) < 1e-12)
    #expect(abs(s.within + s.mix + s.entryExit - s.change) < 1e-9)
    let a = try #require(s.venues.first { $0.venue == "A" })
    // w̄ = (0.4 + 0.2) / 2, Δp = −0.5; p̄ = 0.55, Δw = −0.2.
    #expect(abs(a.within - 0.3 * -0.5) < 1e-12 && abs(a.mix - 0.55 * -0.2) < 1e-12 && a.entryExit == 0)
    let d = try #require(s.venues.first { $0.venue == "D" })
    #expect(abs(d.entryExit - -0.2) < 1e-12 && d.within == 0 && d.mix == 0)
}

/// On random papers the published table's rows add up: every row's three terms equal its total
/// change, and the venue rows of a group add up to the group's `all venues` row.
@Test func shiftShareTableReconciles() {
    var generator = SplitMix64(seed: 3)
    func next(_ n: Int) -> Int { Int(generator.next() % UInt64(n)) }
    let venues = ["acl", "cvpr", "icml", "nips", "coling"]
    let papers = (0..<800).map { i in
        paper("p\(i)", year: 2013 + next(13), venue: venues[next(venues.count)],
              team: ["academic-only", "collaboration", "industry-only"][next(3)], intensive: next(2) == 0,
              resolution: next(4) == 0 ? "partial" : "full")
    }
    let table = PaperTables(papers: papers).shiftShare()
    let c = Dictionary(uniqueKeysWithValues: table.columns.enumerated().map { ($1, $0) })
    for row in table.rows {
        let terms = ["within_venue", "venue_mix", "entry_exit"].map { row[c[$0]!].doubleValue! }
        #expect(abs(terms.reduce(0, +) - row[c["total_change"]!].doubleValue!) < 1e-9)
    }
    for group in Set(table.rows.map { $0[0].stringValue! }) {
        let rows = table.rows.filter { $0[0].stringValue == group }
        let total = rows.first { $0[1] == .string("all venues") }!
        let venueRows = rows.filter { $0[1] != .string("all venues") }
        let change = total[c["share_2"]!].doubleValue! - total[c["share_1"]!].doubleValue!
        #expect(abs(total[c["total_change"]!].doubleValue! - change) < 1e-5)  // shares are published to 6 places
        #expect(abs(venueRows.reduce(0) { $0 + $1[c["total_change"]!].doubleValue! } - total[c["total_change"]!].doubleValue!) < 1e-9)
        #expect(venueRows.reduce(0) { $0 + $1[c["papers_1"]!].intValue! } == total[c["papers_1"]!].intValue!)
    }
}

/// When the venue mix alone changes (each venue's share constant over the years) the raw series
/// moves but the venue-adjusted one stays flat at the standardized share; the interval brackets it.
@Test func venueAdjustmentRemovesAPureMixShift() throws {
    var cells: [VenueAdjustedSeries.Cell] = []
    for (i, year) in (2015...2022).enumerated() {
        // Venue A: 80% academic-only; venue B: 20%. A's weight falls from 90% to 20%.
        let nA = 180 - 20 * i, nB = 20 + 20 * i
        cells.append(.init(year: year, venue: "A", papers: nA, academic: nA * 8 / 10))
        cells.append(.init(year: year, venue: "B", papers: nB, academic: nB * 2 / 10))
    }
    let series = try VenueAdjustedSeries(cells: cells, replicates: 100)
    let totalA = cells.filter { $0.venue == "A" }.reduce(0) { $0 + $1.papers }, total = cells.reduce(0) { $0 + $1.papers }
    let expected = 0.8 * Double(totalA) / Double(total) + 0.2 * (1 - Double(totalA) / Double(total))
    for year in 2015...2022 {
        let adjusted = try #require(series.adjusted[year])
        #expect(abs(adjusted - expected) < 0.01)
        let ci = try #require(series.interval[year])
        #expect(ci.low <= adjusted + 1e-9 && adjusted <= ci.high + 1e-9)
    }
    // Raw: 0.74 in 2015, 0.32 in 2022.
    let first = cells.filter { $0.year == 2015 }, last = cells.filter { $0.year == 2022 }
    #expect(Double(first.reduce(0) { $0 + $1.academic }) / Double(first.reduce(0) { $0 + $1.papers }) > 0.7)
    #expect(Double(last.reduce(0) { $0 + $1.academic }) / Double(last.reduce(0) { $0 + $1.papers }) < 0.35)
    let span = try #require(series.span(YearSpan(2015, 2018)))
    #expect(abs(span.share - expected) < 0.01)
    // Small venues are pooled into one level.
    let pooled = try VenueAdjustedSeries(cells: cells + [.init(year: 2016, venue: "tiny", papers: 5, academic: 5)], replicates: 10)
    #expect(pooled.venues.contains(VenueAdjustedSeries.otherVenues) && !pooled.venues.contains("tiny"))
}

/// Reliance over all papers: a mention of a model published after the paper does not count;
/// shares are of every fully resolved paper of the team type, and of the mentioning ones.
@Test func relianceIsOfAllPapersAndDropsPrematureMentions() {
    let llama = PaperFacts.Mention(model: "Llama 2", developerSectors: [.industry], openWeights: true, releaseYear: 2023)
    let gpt4 = PaperFacts.Mention(model: "GPT-4", developerSectors: [.industry], openWeights: false, releaseYear: 2023)
    let bloom = PaperFacts.Mention(model: "BLOOM", developerSectors: [.academia, .nonprofit], openWeights: true)
    let papers = [
        paper("a", year: 2023, team: "academic-only", mentions: [llama]), paper("b", year: 2023, team: "academic-only", mentions: [gpt4, bloom]),
        paper("c", year: 2023, team: "academic-only"), paper("d", year: 2023, team: "academic-only"),
        paper("e", year: 2022, team: "academic-only", mentions: [llama]),
    ]
    let table = PaperTables(papers: papers).modelRelianceAllPapers()
    func row(_ period: String, _ category: String) -> [JSONValue] {
        table.rows.first { $0[0] == .string(period) && $0[3] == .string("academic-only") && $0[4] == .string(category) }!
    }
    let open = row("2023", "industry open-weights")
    #expect(open[5] == .int(4) && open[6] == .int(2) && open[7] == .int(1) && open[8] == .double(0.25) && open[11] == .double(0.5))
    #expect(row("2023", "academic or nonprofit")[7] == .int(1))
    #expect(row("2022", "industry open-weights")[7] == .int(0) && row("2022", "any model")[6] == .int(0))
}

/// Coverage counts each venue-year's papers by resolution; any-industry is of fully resolved papers.
@Test func coverageAndAnyIndustry() {
    let papers = [
        paper("a", team: "academic-only", sectors: [[.academia]]), paper("b", team: "collaboration", sectors: [[.academia], [.industry]]),
        paper("c", team: "industry-government-nonprofit", sectors: [[.industry], [.government]]), paper("d", team: "unknown"),
        paper("e", team: "academic-only", sectors: [[.academia]], resolution: "partial"),
    ]
    let tables = PaperTables(papers: papers)
    let coverage = tables.coverageByVenueYear().rows[0]
    #expect(coverage[2] == .int(5) && coverage[3] == .int(3) && coverage[4] == .int(1) && coverage[5] == .int(1) && coverage[6] == .double(0.6))
    let any = tables.anyIndustryByYear().rows.first { $0[0] == .string("all") && $0[1] == .string("2020") }!
    #expect(any[4] == .int(3) && any[5] == .int(2) && any[6] == .double(0.6667))
}
