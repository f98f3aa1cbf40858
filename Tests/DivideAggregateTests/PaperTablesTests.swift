@testable import DivideAggregate
import DivideClassify
import DivideCore
import Testing

func paper(_ id: String, year: Int = 2020, venue: String = "icml", team: String, topic: String = "other", intensive: Bool = false,
           sectors: [[Sector]] = [], countries: [String] = [], mentions: [PaperFacts.Mention] = [], status: String? = nil,
           resolution: String? = nil, fmRole: String? = nil) -> PaperFacts {
    PaperFacts(id: id, year: year, venue: venue, status: status, teamType: team, topic: topic, computeIntensive: intensive,
               authors: sectors.map { PaperFacts.Author(sectors: $0, countries: countries) }, mentions: mentions,
               teamResolution: resolution, fmRole: fmRole)
}

/// Worked example: an even pool (4 academic, 4 industry authors) in pairs. Random mixing
/// predicts P(collaboration) = 1 − 0.5² − 0.5² = 0.5; observed 2 of 4 → index 1.
@Test func collaborationIndexMatchesWorkedExample() {
    let even = CollaborationIndex(teams: [[.academia, .industry], [.academia, .academia], [.industry, .industry], [.academia, .industry]])
    #expect(even.papers == 4 && even.observed == 2)
    #expect(abs(even.expectedShare - 0.5) < 1e-12)
    #expect(abs(even.index! - 1) < 1e-12)
    // Fully segregated: no collaboration although chance predicts half → index 0.
    let segregated = CollaborationIndex(teams: [[.academia, .academia], [.industry, .industry], [.academia]])
    #expect(segregated.papers == 2 && segregated.observed == 0 && segregated.index == 0)
    // Pool a = i = o = 1/3 (b = 0), triples: 1 − (2/3)³ − (2/3)³ + (1/3)³ = 12/27; observed 2 of 2.
    let mixed = CollaborationIndex(teams: [[.academia, .industry, .other], [.other, .academia, .industry]])
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
    let llama = PaperFacts.Mention(model: "LLaMA-7B", developerSectors: [.industry], openWeights: true)
    let gpt4 = PaperFacts.Mention(model: "GPT-4", developerSectors: [.industry], openWeights: false)
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

/// Fully resolved: 1 academic-only of 2; partial included: 2 of 4 (the partial collaboration
/// is known not to be academic-only); bounds over all 6 papers: (1 + 1 + 2) / 6 and 1 / 6.
@Test func sensitivityBoundsTheAcademicShare() {
    let papers = [paper("a", team: "academic-only"), paper("b", team: "industry-only"), paper("c", team: "unknown"), paper("d", team: "unknown"),
                  paper("e", team: "academic-only", resolution: "partial"), paper("f", team: "collaboration", resolution: "partial")]
    let rows = PaperTables(papers: papers).sensitivity().rows.filter { $0[0] == .string("academic_only_share_all_papers") && $0[1] == .string("2020") }
    #expect(rows.map { $0[4] } == [.string("fully resolved"), .string("partial included"), .string("bound: unresolved as academic-only"),
                                   .string("bound: unresolved as not academic-only")])
    #expect(rows.map { $0[7] } == [.double(0.5), .double(0.5), .double(0.6667), .double(0.1667)])
}

@Test func countrySharesAreOfKnownSectorAuthorships() {
    let papers = [
        paper("a", team: "collaboration", sectors: [[.academia], [.industry]], countries: ["DE"]),
        paper("b", team: "academic-only", sectors: [[.academia], []], countries: ["DE"]),
    ]
    let table = PaperTables(papers: papers).countryByYear()
    let academia = table.rows.first { $0[2] == .string("academia") }!
    #expect(academia[0] == .string("DE") && academia[3] == .int(2) && academia[4] == .double(0.6667))
}

/// Ids sorted through their places in id order equal the ids sorted as strings; `unique` equals
/// sorting the set. Duplicated ids and papers listed twice included.
@Test func sortedPaperIDsEqualStringSorting() {
    var rng = SystemRandomNumberGenerator()
    let ids = (0..<500).map { _ in ["arxiv:", "acl:", "paperlists:icml2020:"].randomElement(using: &rng)! + String(Int.random(in: 0..<300, using: &rng)) }
    let sorted = SortedPaperIDs(ids)
    let lists: [[UInt32]] = (0..<3).map { _ in (0..<200).map { _ in UInt32.random(in: 0..<500, using: &rng) } }
    #expect(sorted.sorted(lists) == lists.joined().map { ids[Int($0)] }.sorted())
    #expect(sorted.sorted(lists, unique: true) == Set(lists.joined().map { ids[Int($0)] }).sorted())
    #expect(sorted.sorted([]) == [])
}

/// The one-pass tally gives the rows a direct recount over all papers gives (team types by
/// year, sensitivity, collaboration, countries), on papers with every kind of case: unlisted
/// team types and sectors, rejected and withdrawn submissions, no year, repeated countries.
@Test func tallyMatchesADirectRecount() {
    var seed: UInt64 = 7
    func next(_ n: Int) -> Int {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return Int((seed >> 33) % UInt64(n))
    }
    let teams = teamTypeOrder + ["hybrid"]
    let sectors: [Sector] = [.academia, .industry, .government, .nonprofit, .unknown]
    let papers: [PaperFacts] = (0..<600).map { i in
        let authors = (0..<next(5)).map { _ in
            PaperFacts.Author(sectors: (0..<next(3)).map { _ in sectors[next(sectors.count)] },
                              countries: (0..<next(3)).map { _ in ["DE", "US", ""][next(3)] })
        }
        let mention = PaperFacts.Mention(model: "m", developerSectors: [[.industry], [.academia]][next(2)], openWeights: next(2) == 0)
        return PaperFacts(id: "p:\(next(400))", year: next(10) == 0 ? nil : 2018 + next(4), venue: ["icml", "acl"][next(2)],
                          status: [nil, "accepted", "Rejected", "withdrawn"][next(4)], teamType: teams[next(teams.count)],
                          topic: ["nlp", "vision"][next(2)], computeIntensive: next(3) == 0, authors: authors,
                          mentions: next(3) == 0 ? [mention] : [])
    }
    let tables = PaperTables(papers: papers)
    let counted = papers.filter { $0.inAnalysisSet && $0.year != nil }
    #expect(tables.count == counted.count)
    let byYear = Dictionary(grouping: counted) { $0.year! }

    let team = tables.teamTypeByYear()
    for (i, row) in team.rows.enumerated() where row[0] == .string("all") {
        let members = byYear[row[1].intValue!]!.filter { $0.teamType == row[2].stringValue! }
        #expect(row[3] == .int(members.count))
        #expect(team.recordIDs[i] == members.map(\.id).sorted())
    }

    let sensitivity = tables.sensitivity()
    for (i, row) in sensitivity.rows.enumerated() where row[2] == row[3] {
        let group = byYear[row[2].intValue!]!.filter { row[0] == .string("academic_only_share_all_papers") || $0.computeIntensive }
        let academic = group.filter { $0.teamType == "academic-only" }, unknown = group.filter { $0.teamType == "unknown" }
        let expected: (Int, Int, [PaperFacts]) = switch row[4].stringValue! {
        case "fully resolved", "partial included": (academic.count, group.count - unknown.count, academic)
        case "bound: unresolved as academic-only": (academic.count + unknown.count, group.count, academic + unknown)
        default: (academic.count, group.count, academic)
        }
        if row[0] == .string("academic_only_share_foundation_models") { continue }
        #expect(row[5] == .int(expected.0) && row[6] == .int(expected.1))
        #expect(sensitivity.recordIDs[i] == expected.2.map(\.id).sorted())
    }

    let collaboration = tables.collaborationIndexByYear()
    for row in collaboration.rows {
        let direct = CollaborationIndex(teams: byYear[row[0].intValue!]!.map { $0.authors.compactMap { CollaborationIndex.sector(of: $0.sectors) } })
        #expect(row[1] == .int(direct.papers) && row[6] == .int(direct.observed) && row[8] == rounded(direct.expectedShare, 4))
    }

    let country = tables.countryByYear()
    for (i, row) in country.rows.enumerated() {
        var ids: [String] = []
        var total = 0
        for paper in byYear[row[1].intValue!]! {
            for author in paper.authors where author.sectors.first != nil && Set(author.countries).contains(row[0].stringValue!) {
                total += 1
                if author.sectors.first?.rawValue == row[2].stringValue! { ids.append(paper.id) }
            }
        }
        #expect(row[3] == .int(ids.count))
        #expect(row[4] == (total > 0 ? rounded(Double(ids.count) / Double(total), 4) : .null))
        #expect(country.recordIDs[i] == Set(ids).sorted())
    }
}
