import DivideCore
import Foundation
import Testing

/// The XML cases of the bad-input corpus through the stages that read XML (`parse arxiv`,
/// `parse acl`): the bad file is quarantined whole with a one-line reason, the good page beside
/// it is parsed, nothing of a local file reaches any output.
@Test(arguments: [
    ("truncated-page.xml", "malformed XML"),
    ("mismatched-tags.xml", "malformed XML"),
    ("invalid-utf8.xml", "malformed XML"),
    ("invalid-declared-encoding.xml", "malformed XML: bytes not valid in the declared encoding"),
    ("undeclared-entity.xml", "malformed XML"),
    ("xxe-local-file.xml", "document type declaration refused"),
    ("billion-laughs.xml", "document type declaration refused"),
    ("network-dtd.xml", "document type declaration refused"),
])
func hostileXMLThroughParseArxiv(name: String, reason: String) throws {
    let folder = scratchFolder("arxiv")
    // The hostile file sits beside secret.txt, so a relative external entity would resolve.
    let manifest = try fetchLayout(folder + "/fetch", source: "arxiv", files: [
        ("page-001.xml", fixtureBytes("xml/good-page.xml")), ("page-002.xml", fixtureBytes("xml/" + name)),
        ("secret.txt", fixtureBytes("xml/secret.txt")),
    ])
    let out = folder + "/parse"
    let result = try runTool("parse", ["arxiv", "--manifest", manifest, "--output", out + "/arxiv.ndjson.gz",
                                       "--rejects", out + "/arxiv.rejects.ndjson.gz", "--file-report", out + "/arxiv.files.ndjson.gz"])
    #expect(result.status == 0, "\(result.stderr)")
    let records = try readLines(out + "/arxiv.ndjson.gz")
    #expect(records.compactMap { $0["title"]?.stringValue } == ["Attention Is All You Need"])
    let rejects = try readLines(out + "/arxiv.rejects.ndjson.gz")
    #expect(rejects.count == 1)
    #expect(rejects.first?["kind"]?.stringValue == "file")
    #expect(rejects.first?["file"]?.stringValue == "page-002.xml")
    #expect(rejects.first?["reason"]?.stringValue?.contains(reason) == true, "\(String(describing: rejects.first))")
    #expect(result.stderrLines.contains { $0.hasPrefix("rejected: page-002.xml: ") && $0.contains(reason) })
    // Nothing on stderr but the stage's own lines (libxml2 printed "xmlParseChunk: encoder error"
    // through its generic handler on bytes invalid in the declared encoding; found by fuzzing acl).
    #expect(result.stderrLines.allSatisfy { $0.hasPrefix("rejected: ") || $0.hasPrefix("parse arxiv: ") }, "\(result.stderr)")
    let counts = try StageCounts.read(besides: out + "/arxiv.ndjson.gz")
    #expect(counts.reconciles && counts.rejected == 1 && counts.inputFiles == 2)
    for file in try FileManager.default.contentsOfDirectory(atPath: out) {
        let bytes = try readFileBytes(path: out + "/" + file)
        #expect(!String(decoding: bytes, as: UTF8.self).contains(marker), "\(file) holds the local file's contents")
    }
    #expect(!result.stderr.contains(marker))
    #expect(result.seconds < 10)
}

@Test func hostileXMLThroughParseACL() throws {
    let folder = scratchFolder("acl")
    let manifest = try fetchLayout(folder + "/fetch", source: "acl", files: [
        ("2020.bad.xml", fixtureBytes("xml/billion-laughs.xml")), ("2020.cut.xml", fixtureBytes("xml/truncated-page.xml")),
    ])
    let out = folder + "/parse"
    let result = try runTool("parse", ["acl", "--manifest", manifest, "--output", out + "/acl.ndjson.gz",
                                       "--rejects", out + "/acl.rejects.ndjson.gz", "--file-report", out + "/acl.files.ndjson.gz"])
    // No file could be read: nothing valid to write, exit 1 with one error line.
    #expect(result.status == 1)
    #expect(result.stderrLines.filter { $0.contains("error:") }.count == 1)
    #expect(result.stderrLines.filter { $0.hasPrefix("rejected: 2020.") }.count == 2)
}

/// Papers with no authors, year 0 or year 3000 through `parse arxiv`: each rejected by name.
@Test func implausiblePapersThroughParseArxiv() throws {
    let folder = scratchFolder("arxiv-papers")
    let manifest = try fetchLayout(folder + "/fetch", source: "arxiv", files: [("page-001.xml", fixtureBytes("xml/papers-no-authors-bad-years.xml"))])
    let out = folder + "/parse"
    let result = try runTool("parse", ["arxiv", "--manifest", manifest, "--output", out + "/arxiv.ndjson.gz",
                                       "--rejects", out + "/arxiv.rejects.ndjson.gz", "--file-report", out + "/arxiv.files.ndjson.gz"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try readLines(out + "/arxiv.ndjson.gz").compactMap { $0["title"]?.stringValue } == ["A fine paper"])
    let rejects = try readLines(out + "/arxiv.rejects.ndjson.gz")
    #expect(rejects.compactMap { $0["location"]?.stringValue } == ["arxiv:1111.0002", "oai:arXiv.org:1111.0003", "oai:arXiv.org:1111.0004"])
    #expect(rejects.first?["reason"]?.stringValue == "no authors")
    #expect(rejects.dropFirst().allSatisfy { $0["reason"]?.stringValue == "missing or malformed <created> date" })
    #expect(try StageCounts.read(besides: out + "/arxiv.ndjson.gz").reconciles)
}
