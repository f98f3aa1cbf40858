@testable import DivideAggregate
import DivideCore
import Testing

func paper(_ id: String, year: Int = 2020, venue: String = "icml", team: String, topic: String = "other", intensive: Bool = false,
           sectors: [[String]] = [], countries: [String] = [], mentions: [PaperFacts.Mention] = [], status: String? = nil) -> PaperFacts {
    PaperFacts(id: id, year: year, venue: venue, status: status, teamType: team, topic: topic, computeIntensive: intensive,
               authors: sectors.map { PaperFacts.Author(sectors: $0, countries: countries) }, mentions: mentions)
}

/// Worked example: an even pool (4 academic, 4 industry authors) in pairs. Random mixing
/// predicts P(collaboration) = 1 − 0.5² − 0.5² = 0.5; observed 2 of 4 → index 1.
@Test func collaborationIndexMatchesWorkedExample() {
    let even = CollaborationIndex(teams: [[.academic, .industry], [.academic, .academic], [.industry, .industry], [.academic, .industry]])
    #expect(even.papers == 4 && even.observed == 2)
    #expect(abs(even.expectedShare - 0.5) < 1e-12)
    #expect(abs(even.index! - 1) < 1e-12)
    // Fully segregated: no collaboration although chance predicts half → index 0.
    let segregated = CollaborationIndex(teams: [[.academic, .academic], [.industry, .industry], [.academic]])
    #expect(segregated.papers == 2 && segregated.observed == 0 && segregated.index == 0)
    // Pool a = i = o = 1/3 (b = 0), triples: 1 − (2/3)³ − (2/3)³ + (1/3)³ = 12/27; observed 2 of 2.
    let mixed = CollaborationIndex(teams: [[.academic, .industry, .other], [.other, .academic, .industry]])
    #expect(abs(mixed.expectedShare - 12.0 / 27.0) < 1e-12)
    #expect(abs(mixed.index! - 27.0 / 12.0) < 1e-12)
}

@Test func teamTypeSharesAreOfKnownAndUnknownsAreRows() {
    let papers = [
        paper("p1", team: "academic-only"), paper("p2", team: "industry-only"), paper("p3", team: "academic-only"),
        paper("p4", team: "unknown"), paper("p5", venue: "acl", team: "collaboration"),
        paper("p6", team: "academic-only", status: "Reject"),  // not in the analysis set
    ]
    let table = PaperTables(papers: papers).teamTypeByYear()
    func row(_ venue: String, _ team: String) -> [JSONValue] { table.rows.first { $0[0] == .string(venue) && $0[2] == .string(team) }! }
    #expect(row("icml", "academic-only")[3] == .int(2))
    #expect(row("icml", "academic-only")[4] == .double(0.6667))  // 2 of 3 known
    #expect(row("icml", "unknown")[3] == .int(1) && row("icml", "unknown")[4] == .null)
    #expect(row("all", "academic-only")[3] == .int(2) && row("all", "academic-only")[4] == .double(0.5))  // 2 of 4 known
    #expect(row("acl", "academic-only")[4] == .double(0))
    // Every venue-year's counts add up to its papers; the rejected submission is nowhere.
    let allRows: [[JSONValue]] = table.rows.filter { $0[0] == .string("all") }
    let total: Int = allRows.map { $0[3].intValue ?? 0 }.reduce(0, +)
    #expect(total == 5)
    #expect(!table.recordIDs.joined().contains("p6"))
}

@Test func academicShareInComputeIntensiveTopics() {
    let papers = [
        paper("a", team: "academic-only", intensive: true), paper("b", team: "industry-only", intensive: true),
        paper("c", team: "collaboration", intensive: true), paper("d", team: "unknown", intensive: true),
        paper("e", team: "academic-only"), paper("f", team: "academic-only"),
    ]
    let table = PaperTables(papers: papers).academicShareComputeIntensive()
    #expect(table.rows[0] == [.int(2020), .string("compute-intensive"), .int(1), .int(3), .int(1), .double(0.3333), .double(0.0615), .double(0.7923)])
    #expect(table.rows[1][2] == .int(2) && table.rows[1][5] == .double(1))
    #expect(table.recordIDs[0] == ["a"])
}

@Test func openModelRelianceCountsIndustryOpenWeightsMentions() {
    let llama = PaperFacts.Mention(model: "LLaMA-7B", developerSector: "industry", openWeights: true)
    let gpt4 = PaperFacts.Mention(model: "GPT-4", developerSector: "industry", openWeights: false)
    let papers = [
        paper("a", team: "academic-only", mentions: [llama]), paper("b", team: "academic-only", mentions: [gpt4]),
        paper("c", team: "academic-only"), paper("d", team: "industry-only", mentions: [gpt4, llama]),
    ]
    let table = PaperTables(papers: papers).openModelRelianceByYear()
    let academic = table.rows.first { $0[1] == .string("academic-only") }!
    #expect(academic[2] == .int(3) && academic[3] == .int(2) && academic[4] == .int(1) && academic[5] == .double(0.5))
    let industry = table.rows.first { $0[1] == .string("industry-only") }!
    #expect(industry[4] == .int(1) && industry[5] == .double(1))
}

@Test func sensitivityBoundsTheAcademicShare() {
    let papers = [paper("a", team: "academic-only"), paper("b", team: "industry-only"), paper("c", team: "unknown"), paper("d", team: "unknown")]
    let rows = PaperTables(papers: papers).sensitivity().rows.filter { $0[0] == .string("academic_only_share_all_papers") }
    #expect(rows.map { $0[5] } == [.double(0.5), .double(0.75), .double(0.25)])
}

@Test func countrySharesAreOfKnownSectorAuthorships() {
    let papers = [
        paper("a", team: "collaboration", sectors: [["academia"], ["industry"]], countries: ["DE"]),
        paper("b", team: "academic-only", sectors: [["academia"], []], countries: ["DE"]),
    ]
    let table = PaperTables(papers: papers).countryByYear()
    let academia = table.rows.first { $0[2] == .string("academia") }!
    #expect(academia[0] == .string("DE") && academia[3] == .int(2) && academia[4] == .double(0.6667))
}
