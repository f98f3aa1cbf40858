@testable import DivideAggregate
import DivideClassify
import DivideCore
import Testing

/// A classified paper as the classify stage writes it, with the evidence the organization table reads.
private func classified(_ id: String, year: Int, topic: String, evidence: [(id: String, name: String, sector: String, rule: String)],
                        unassigned: [(id: String, name: String, sector: String, rule: String)] = []) throws -> PaperFacts {
    func json(_ e: (id: String, name: String, sector: String, rule: String)) -> String {
        #"{"from":"affiliation","text":"x","organization":"\#(e.name)","organization_id":"\#(e.id)","sectors":["\#(e.sector)"],"rule":"\#(e.rule)"}"#
    }
    let authors = evidence.map { #"{"name":"A","sectors":["\#($0.sector)"],"evidence":[\#(json($0))],"countries":[]}"# }
    let line = #"{"id":"\#(id)","year":\#(year),"venue":"icml","status":null,"team_type":"academic-only","team_resolution":"full","topic":"\#(topic)","compute_intensive":false,"authors":[\#(authors.joined(separator: ","))],"unassigned_sectors":[],"unassigned_evidence":[\#(unassigned.map(json).joined(separator: ","))],"model_mentions":[]}"#
    return try PaperFacts(json: JSONParser.parse(line))
}

@Test func organizationPapersByTopicRanksOrganizationsAndCountsEachPaperOnce() throws {
    let mit = (id: "https://ror.org/042nb2s44", name: "MIT", sector: "academia", rule: "ror")
    let google = (id: "curated:Google", name: "Google", sector: "industry", rule: "curated:phrase")
    let university = (id: "keyword:University", name: "university", sector: "academia", rule: "keyword")
    let papers = [
        // Two MIT authors on one paper: MIT counts the paper once.
        try classified("p1", year: 2022, topic: "foundation-models", evidence: [mit, mit, google]),
        try classified("p2", year: 2023, topic: "foundation-models", evidence: [google], unassigned: [mit]),
        try classified("p3", year: 2016, topic: "foundation-models", evidence: [mit]),
        // A keyword rule names no organization: the paper has none and is not in topic_papers.
        try classified("p4", year: 2022, topic: "foundation-models", evidence: [university]),
        try classified("p5", year: 2022, topic: "computer-vision", evidence: [google]),
        try classified("p6", year: 2022, topic: "nlp", evidence: [mit]),
        try classified("p7", year: 2022, topic: "nlp", evidence: [google]),
    ]
    #expect(papers[3].organizations.isEmpty)
    let table = PaperTables(papers: papers).organizationPapersByTopic()
    let c = Dictionary(uniqueKeysWithValues: table.columns.enumerated().map { ($1, $0) })
    func rows(_ topic: String, _ period: String) -> [[JSONValue]] {
        table.rows.filter { $0[c["topic"]!] == .string(topic) && $0[c["period"]!] == .string(period) }
    }
    // Foundation models first, then topics by papers (nlp 2, computer-vision 1).
    var topics: [String] = []
    for r in table.rows where !topics.contains(r[0].stringValue!) { topics.append(r[0].stringValue!) }
    #expect(topics == ["foundation-models", "nlp", "computer-vision"])
    // All years: MIT 3 of 3 papers with an organization, Google 2 of 3.
    let all = rows("foundation-models", "all")
    #expect(all.map { $0[c["organization"]!] } == [.string("MIT"), .string("Google")])
    #expect(all.map { $0[c["papers"]!] } == [.int(3), .int(2)] && all[0][c["topic_papers"]!] == .int(3))
    #expect(all[1][c["share"]!] == .double(0.6667) && all[1][c["sector"]!] == .string("industry"))
    // 2021–2025 leaves out the 2016 paper: a tie at 2, broken by name.
    let recent = rows("foundation-models", "2021–2025")
    #expect(recent.map { $0[c["organization"]!] } == [.string("Google"), .string("MIT")])
    #expect(recent.map { $0[c["rank"]!] } == [.int(1), .int(2)] && recent[0][c["topic_papers"]!] == .int(2))
    let drill = table.rows.firstIndex { $0 == all[0] }!
    #expect(table.recordIDs[drill] == ["p1", "p2", "p3"])
}
