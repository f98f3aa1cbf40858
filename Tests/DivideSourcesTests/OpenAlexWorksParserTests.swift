import DivideCore
@testable import DivideSources
import Foundation
import Testing

/// The OpenAlex works parser on the snapshot's real API objects.
@Suite(.enabled(if: snapshotAvailable, "needs the snapshot (SNAPSHOT)"))
struct OpenAlexWorksParserTests {
    func parse(_ name: String) throws -> (records: [PaperRecord], result: OpenAlexWorksParser.Result) {
        var records: [PaperRecord] = []
        let result = try OpenAlexWorksParser().parse(path: liveSnapshot + "/openalex/" + name, displayName: name,
                                                     emit: { records.append($0) }, reject: { _, _ in })
        return (records, result)
    }

    @Test func currentSchemaWorkWithMultiInstitutionAuthors() throws {
        let (records, _) = try parse("W2741809807.json.gz")
        #expect(records.count == 1)
        let r = records[0]
        #expect(r.id == "openalex:W2741809807")
        #expect(r.source == "openalex")
        #expect(r.title == "The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles")
        #expect(r.year == 2018)
        #expect(r.doi == "10.7717/peerj.4375")
        #expect(r.arxivID == nil)
        #expect(r.venue == "PeerJ")
        #expect(r.abstract?.hasPrefix("Despite growing interest in Open") == true)
        #expect(r.categories.first == "scientometrics and bibliometrics research")
        #expect(r.keywords.contains("Open Science"))
        let first = r.authors[0]
        #expect(first.name == "Heather Piwowar")
        #expect(first.affiliations == ["Impact Technology Development (United States)"])
        #expect(first.countries == ["US"])
        #expect(first.institutions == [PaperInstitution(name: "Impact Technology Development (United States)", ror: "05ppvf150",
                                                        countryCode: "US", types: ["company"], sourceID: "openalex:I4210166736")])
        // Two institutions, one typed `funder` (a university OpenAlex also lists as a funder), one `education`.
        let west = try #require(r.authors.first { $0.name == "Jevin D. West" })
        #expect(west.affiliations == ["University of Washington", "Seattle University"])
        #expect(west.institutions.map(\.types) == [["funder"], ["education"]])
        #expect(west.institutions.map(\.ror) == ["00cvxb145", "02jqc0m91"])
        // An institution without a country code adds none.
        let alperin = try #require(r.authors.first { $0.name == "Juan Pablo Alperín" })
        #expect(alperin.countries == ["CA"])
        #expect(alperin.institutions.last?.countryCode == nil && alperin.institutions.last?.types == ["other"])
    }

    @Test func olderSchemaWorkAndNonWorkEntities() throws {
        let (records, _) = try parse("W-api-response.json.gz")
        #expect(records.map(\.id) == ["openalex:W2755950973"])
        #expect(records[0].title.hasPrefix("GW170104"))
        #expect(records[0].doi == "10.1103/physrevlett.118.091101")
        #expect(records[0].venue == "Physical Review Letters")
        #expect(records[0].authors.first?.affiliations == ["California Institute of Technology"])
        for entity in ["A5023888391.json.gz", "I27837315.json.gz"] {
            let (none, result) = try parse(entity)
            #expect(none.isEmpty && result.notWorks)
        }
    }

    @Test func identifiersForCrossSourceMerging() throws {
        #expect(OpenAlexWorksParser.normalizedDOI("https://doi.org/10.48550/ARXIV.1706.03762") == "10.48550/arxiv.1706.03762")
        let viaDOI = JSONValue.object([("doi", .string("https://doi.org/10.48550/arXiv.1706.03762"))])
        #expect(OpenAlexWorksParser.arxivID(viaDOI) == "1706.03762")
        let viaLocation = JSONValue.object([("locations", .array([.object([("landing_page_url", .string("https://arxiv.org/abs/1706.03762v5"))])]))])
        #expect(OpenAlexWorksParser.arxivID(viaLocation) == "1706.03762")
        let json = PaperAuthor(name: "A", institutions: [PaperInstitution(name: "X", types: ["education", "funder"])]).json
        #expect(try PaperAuthor(json: json).institutions.first?.types == ["education", "funder"])
        // Authors without institutions keep the shape other sources write.
        #expect(JSONSerializer.serialize(PaperAuthor(name: "B").json) == #"{"name":"B","affiliations":[],"domains":[],"countries":[]}"#)
    }
}

/// A hand-written works list page (the live harvest's format): identifiers for the cross-source
/// merge (DOI, arXiv id from an arXiv DOI or an arxiv.org location), multi-type institutions,
/// raw affiliations when no institution was resolved, and a reject.
@Test func worksListPageFixture() throws {
    var records: [PaperRecord] = []
    var rejects: [(String, String)] = []
    let result = try OpenAlexWorksParser().parse(path: fixtures + "/openalex/works-page.json", displayName: "works-page.json",
                                                 emit: { records.append($0) }, reject: { rejects.append(($0, $1)) })
    #expect(result.records == 3 && result.rejected == 1)
    #expect(rejects.map(\.0) == ["results[3]"] && rejects[0].1 == "work without a title")
    #expect(records.map(\.id) == ["openalex:W10", "openalex:W11", "openalex:W12"])
    #expect(records.map(\.doi) == ["10.1063/1.2779138", "10.48550/arxiv.0704.0002", nil])
    #expect(records.map(\.arxivID) == [nil, "0704.0002", "1706.03762"])
    #expect(records[1].title == "Sparsity-certifying Graph Decompositions")
    #expect(records[1].authors[0].institutions[0].types == ["education", "funder"])
    #expect(records[1].authors[1].name == "Louis Theran")
    #expect(records[1].authors[1].affiliations == ["University of Massachusetts Amherst"])
    #expect(records[0].authors[0].affiliations == ["Alfréd Rényi Institute of Mathematics"])
    #expect(records[0].authors[0].countries == ["HU"])
    #expect(records.allSatisfy { $0.source == "openalex" && $0.status == nil })
}

/// Overlapping incremental harvests: a work on two pages is emitted once, from the later page.
@Test func overlappingHarvestsKeepTheNewestCopy() throws {
    let folder = try temporaryFetchFolder()
    defer { removeTemporary(folder) }
    func page(_ name: String, _ works: [(String, String)]) throws -> (name: String, path: String) {
        let results = works.map { #"{"id":"https://openalex.org/\#($0.0)","title":"\#($0.1)"}"# }.joined(separator: ",")
        try AtomicFile.write(#"{"meta":{"next_cursor":null},"results":[\#(results)]}"#, to: folder + "/" + name)
        return (name, folder + "/" + name)
    }
    let files = [try page("works-1/page-001.json", [("W1", "old title"), ("W2", "two")]),
                 try page("works-2/page-001.json", [("W3", "three"), ("W1", "new title")])]
    let manifest = folder + "/openalex.manifest.ndjson.gz"
    let writer = try NDJSONWriter(path: manifest)
    for file in files {
        try writer.write(FetchManifestEntry(source: "openalex", path: file.name, url: "file:///" + file.name, bytes: 1, sha256: "0", fetchedAt: "2026-01-01T00:00:00Z"))
    }
    try writer.commit()
    let output = folder + "/out/openalex.ndjson.gz"
    let counts = try ParseStage.run(OpenAlexSource(), ParseOutputs(manifest: manifest, output: output, rejects: folder + "/out/rejects.ndjson.gz"))
    let records = try NDJSONReader(path: output).readAll(PaperRecord.self)
    #expect(records.map(\.id) == ["openalex:W2", "openalex:W3", "openalex:W1"])
    #expect(records.last?.title == "new title")
    #expect(counts.input == 4 && counts.output == 3 && counts.merged == 1 && counts.rejected == 0)
}
