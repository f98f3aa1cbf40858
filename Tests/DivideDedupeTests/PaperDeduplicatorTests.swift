import DivideCore
@testable import DivideDedupe
import DivideSources
import Foundation
import Testing

let dedupeFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
let sourceFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("DivideSourcesTests/Fixtures").path

/// Runs both passes over records in memory; returns the output and the deduplicator.
func dedupe(_ records: [PaperRecord], hashMask: UInt32 = .max) throws -> ([PaperRecord], PaperDeduplicator) {
    let deduplicator = PaperDeduplicator(hashMask: hashMask)
    for r in records { deduplicator.index(r) }
    deduplicator.cluster()
    var out: [PaperRecord] = []
    for r in records { if let merged = deduplicator.merge(r) { out.append(merged) } }
    #expect(deduplicator.unfinishedClusters == 0)
    return (out, deduplicator)
}

func fixtureRecords() throws -> [PaperRecord] {
    try String(contentsOfFile: dedupeFixtures + "/papers.ndjson", encoding: .utf8)
        .split(separator: "\n").map { try PaperRecord(json: JSONParser.parse(String($0))) }
}

@Test func mergeRulesOnTheFixture() throws {
    let records = try fixtureRecords()
    let (out, d) = try dedupe(records)
    // Counts reconcile: parsed = excluded + unique + merged away.
    #expect(records.count == 14)
    #expect(d.excludedByStatus == ["rejected": 1])
    #expect(d.mergedCount == 4)
    #expect(out.count == 14 - 1 - 4)
    #expect(d.mergesByRule == [.doi: 1, .titleYearAuthor: 2, .arxivID: 1])
    #expect(d.blockedByRule == [.doi: 1, .titleYearAuthor: 1])  // the BICM pair, by DOI and by title

    // arXiv preprint + ACL paper (same DOI, different case) + conference list entry (title rule).
    let copy = try #require(out.first { $0.sources.contains("acl:2022.acl-short.47") })
    #expect(copy.id == "acl:2022.acl-short.47")  // the published version leads
    #expect(copy.sources == ["acl:2022.acl-short.47", "paperlists:acl2022:2022.acl-short.47", "arxiv:2203.01234"])
    #expect(copy.arxivID == "2203.01234" && copy.venue == "acl" && copy.year == 2022)
    #expect(copy.authors.count == 5)
    #expect(copy.authors[3].affiliations == ["Peking University"])  // evidence from the conference list
    #expect(copy.authors[0].domains == ["huawei.com"])
    #expect(copy.categories == ["cs.CL"])
    #expect(copy.abstract?.hasSuffix("practical applications.") == true)  // the longest abstract

    // Same title, different year (2020 vs 2022) and authors: two papers.
    #expect(out.filter { $0.title == "Data Augmentation for Low-Resource Named Entity Recognition" }.count == 2)

    // 10.48550/arXiv.<id> is the arXiv id.
    let attention = try #require(out.first { $0.sources.contains("arxiv:1706.03762") })
    #expect(attention.sources.count == 2)
    #expect(attention.authors[0].affiliations == ["Google", "Google Brain"])
    #expect(attention.arxivID == "1706.03762")

    // Accents, markup, case and punctuation folded; years one apart.
    let parity = try #require(out.first { $0.sources.contains("arxiv:cs/0501001") })
    #expect(parity.sources == ["paperlists:colt2006:0a1b2c3d4e5f", "arxiv:cs/0501001"])

    // Two arXiv submissions sharing a DOI stay two papers; the refusal is audited.
    #expect(out.filter { $0.title == "On the BICM Capacity" }.count == 2)
    let blocked = try #require(d.audit.first { $0.blocked != nil })
    #expect(blocked.rule == .doi && blocked.a == "arxiv:1001.4521" && blocked.b == "arxiv:1001.4548")

    // Years three apart never merge; the excluded submission is not in the analysis set.
    #expect(out.filter { $0.title == "Three Years Apart" }.count == 2)
    #expect(!out.contains { $0.id == "paperlists:iclr2019:HJx_rejectX" })
    // Every merge is audited with its rule.
    #expect(d.audit.filter { $0.blocked == nil }.count == d.mergedCount)
}

@Test func lineLevelPassesGiveTheSameOutput() throws {
    let records = try fixtureRecords()
    let (expected, _) = try dedupe(records)
    let d = PaperDeduplicator()
    let lines = records.map { Array(JSONSerializer.serialize($0.json).utf8) }
    for line in lines { try line.withUnsafeBufferPointer { _ = try d.index(line: $0) } }
    d.cluster()
    var out: [PaperRecord] = []
    for line in lines {
        switch try line.withUnsafeBufferPointer({ try d.merge(line: $0) }) {
        case let .serialized(bytes): out.append(try PaperRecord(json: JSONParser.parse(bytes)))
        case let .record(value): out.append(try PaperRecord(json: value))
        case .none: break
        }
    }
    #expect(out.map(\.json) == expected.map(\.json))
    #expect(out.first { $0.id == "arxiv:1001.4521" }?.sources == ["arxiv:1001.4521"])
}

/// The index compares keys, not their hashes: with every id, identifier and title key colliding,
/// the same clusters, audit and output come out.
@Test func collidingIndexKeysChangeNothing() throws {
    let records = try fixtureRecords()
    let (expected, d) = try dedupe(records)
    let (out, colliding) = try dedupe(records, hashMask: 0)
    #expect(out == expected)
    #expect(colliding.audit == d.audit)
    #expect(colliding.mergesByRule == d.mergesByRule && colliding.blockedByRule == d.blockedByRule)
}

/// A cluster can hold several DOIs (joined by arXiv id); the title rule joins a record sharing
/// one of them and refuses one with none in common, naming both sets.
@Test func titleRuleChecksEveryDOIOfACluster() throws {
    func paper(_ id: String, arxiv: String?, doi: String) -> PaperRecord {
        var r = PaperRecord(id: id, source: "arxiv", title: "Learning to Rank Everything")
        r.year = 2021
        r.arxivID = arxiv
        r.doi = doi
        r.authors = [PaperAuthor(name: "Ada Lovelace")]
        return r
    }
    let records = [
        paper("a", arxiv: "2101.00001", doi: "10.1/B"), paper("b", arxiv: "2101.00001v2", doi: "10.1/a"),
        paper("c", arxiv: nil, doi: "10.1/a"), paper("d", arxiv: nil, doi: "10.1/c"),
    ]
    let (out, d) = try dedupe(records)
    #expect(out.map(\.sources) == [["a", "b", "c"], ["d"]])
    #expect(d.audit.map(\.rule) == [.arxivID, .doi, .titleYearAuthor])
    #expect(d.audit.last?.blocked == "different DOIs (10.1/a,10.1/b vs 10.1/c)")
    #expect(d.audit.last?.key == "learning to rank everything|lovelace")
}

@Test func titleAndSurnameKeys() {
    #expect(TextNormalizer().titleKey("On the Complexity of <i>Learning</i> Parity") == TextNormalizer().titleKey("On the complexity of learning parity!"))
    #expect(TextNormalizer().titleKey("<fixed-case>C</fixed-case>hinese Lexical Substitution") == "chinese lexical substitution")
    #expect(TextNormalizer().titleKey("Étude des réseaux — profonds") == "etude des reseaux profonds")
    #expect(TextNormalizer().titleKey("Learning $\\mathcal{O}(n)$ Models") == "learning o n models")
    #expect(TextNormalizer().titleKey("a < b and c") == "a b and c")
    #expect(TextNormalizer().surnameKey("Jürgen Müller") == "muller")
    #expect(TextNormalizer().surnameKey("Jian Sun Jr") == "sun")
    #expect(TextNormalizer().surnameKey("Ana de la Cruz") == "cruz")
}

/// End to end on the source fixtures: the paper in both the ACL Anthology and a conference list
/// merges (with its arXiv preprint); the one sharing only its title does not.
@Test func sourceFixturesMergeAcrossSources() throws {
    var records: [PaperRecord] = []
    for page in ["page-001.xml", "page-002.xml"] {
        _ = try ArxivOAIParser().parse(path: sourceFixtures + "/arxiv-oai/cs-fixture/" + page, displayName: page,
                                       emit: { records.append($0) }, reject: { _, _, _ in })
    }
    for file in ["acl/acl2022.json", "coling/coling2020.json", "cvpr/cvpr2023.json", "iclr/iclr2019.json"] {
        _ = try PaperListParser().parse(path: sourceFixtures + "/paperlists/" + file, displayName: file,
                                        emit: { records.append($0) }, reject: { _, _, _ in })
    }
    for file in ["2022.acl.xml", "J10.xml"] {
        _ = try ACLAnthologyParser().parse(path: sourceFixtures + "/acl-anthology/" + file, displayName: file,
                                           emit: { records.append($0) }, reject: { _, _, _ in })
    }
    let (out, d) = try dedupe(records)
    let copy = try #require(out.first { $0.id == "acl:2022.acl-short.47" })
    #expect(Set(copy.sources) == ["acl:2022.acl-short.47", "paperlists:acl2022:2022.acl-short.47", "arxiv:2203.01234"])
    #expect(copy.authors[4].affiliations == ["Huawei Technologies Co., Ltd."])
    let ner = out.filter { TextNormalizer().titleKey($0.title) == "data augmentation for low resource named entity recognition" }
    #expect(ner.map(\.sources.count) == [1, 1])
    #expect(d.excludedByStatus == ["rejected": 2, "withdrawn": 1])
    #expect(records.count == out.count + d.mergedCount + 3)
}
