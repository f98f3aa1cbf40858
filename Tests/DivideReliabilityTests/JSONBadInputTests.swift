import DivideCore
import Foundation
import Testing

/// The JSON cases of the bad-input corpus. Records between stages are NDJSON, read by every
/// stage after parse through `readStageInput`; they are run here through `dedupe models`.
struct DedupeRun {
    let result: StageResult
    let output: String
    var rejectsPath: String { RejectsWriter.path(besides: output) }
    var records: [JSONValue] { (try? readLines(output)) ?? [] }
    var rejects: [JSONValue] { (try? readLines(rejectsPath)) ?? [] }
    var counts: StageCounts? { try? StageCounts.read(besides: output) }
}

func dedupe(input: String) throws -> DedupeRun {
    let folder = scratchFolder("dedupe")
    let output = folder + "/dedupe/models.ndjson.gz"
    let result = try runTool("dedupe", ["models", "--input", input, "--output", output, "--merges", folder + "/dedupe/models.merges.ndjson.gz"])
    return DedupeRun(result: result, output: output)
}

@Test func wrongTypesAreRecordRejectsAndTheRestIsKept() throws {
    let run = try dedupe(input: badInput + "/json/wrong-types.ndjson")
    #expect(run.result.status == 0, "\(run.result.stderr)")
    #expect(run.records.compactMap { $0["name"]?.stringValue } == ["Also Fine", "Fine"])
    #expect(run.rejects.compactMap { $0["location"]?.stringValue } == (2...8).map { "line \($0)" })
    let reasons = run.rejects.compactMap { $0["reason"]?.stringValue }
    #expect(reasons[0] == "field 'name' missing or not a string")
    #expect(reasons[1] == "field 'organizations' missing or not a list of strings")
    #expect(reasons[2] == "field 'training_compute_flop' missing or not a number")
    #expect(reasons[3] == "field 'provenance' missing or not a list")
    #expect(reasons[4] == "field 'id' missing or not a string")
    #expect(reasons[5] == "field 'id' missing or not a non-empty string")  // an array, not an object
    #expect(reasons[6].hasPrefix("invalid JSON at byte"))
    #expect(run.result.stderrLines.filter { $0.hasPrefix("rejected: wrong-types.ndjson: line ") }.count == 3)
    let counts = try #require(run.counts)
    #expect(counts.input == 9 && counts.output == 2 && counts.rejected == 7 && counts.reconciles)
}

@Test func duplicateIdsAreMergedAndCounted() throws {
    let run = try dedupe(input: badInput + "/json/duplicate-ids.ndjson")
    #expect(run.result.status == 0)
    let twin = try #require(run.records.first { $0["id"]?.stringValue == "model:twin" })
    #expect(twin["name"]?.stringValue == "Twin")  // the notable table's row wins
    #expect(twin["training_compute_flop"]?.doubleValue == 1e21)  // gaps filled from the others
    #expect(twin["provenance"]?.arrayValue?.count == 3)
    let counts = try #require(run.counts)
    #expect(counts.input == 4 && counts.output == 2 && counts.merged == 2 && counts.rejected == 0)
}

/// A 50 MB field: streamed past without being held (the stage's peak memory stays far below
/// it), rejected with its size, the records around it kept.
@Test func fiftyMegabyteFieldIsRejectedInBoundedMemory() throws {
    let folder = scratchFolder("huge")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/models.ndjson"
    let good = #"{"id":"model:a","name":"A","provenance":[{"file":"t.csv","line":2}]}"#
    let other = #"{"id":"model:b","name":"B","provenance":[{"file":"t.csv","line":4}]}"#
    do {  // the 50 MB is freed before the stage runs: a child's peak RSS counts its parent's pages at spawn
        var bytes = Array((good + "\n" + #"{"id":"model:huge","name":""#).utf8)
        bytes.append(contentsOf: [UInt8](repeating: UInt8(ascii: "x"), count: 50 << 20))
        bytes.append(contentsOf: Array(("\"}\n" + other + "\n").utf8))
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }
    let run = try dedupe(input: path)
    #expect(run.result.status == 0, "\(run.result.stderr)")
    #expect(run.records.compactMap { $0["name"]?.stringValue } == ["A", "B"])
    #expect(run.rejects.count == 1)
    #expect(run.rejects.first?["reason"]?.stringValue?.hasPrefix("line of 52428") == true)
    #expect(run.result.seconds < 10)
    // Peak memory of the stage alone, measured by GNU time where installed.
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/time") {
        let folder2 = scratchFolder("huge-rss")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-f", "peak-rss-kb %M", stageBinaries + "/dedupe", "models", "--input", path,
                             "--output", folder2 + "/o.ndjson.gz", "--merges", folder2 + "/m.ndjson.gz"]
        let pipe = Pipe()
        process.standardError = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let peak = text.split(separator: "\n").last { $0.hasPrefix("peak-rss-kb ") }.flatMap { Int($0.dropFirst(12)) }
        #expect((peak ?? .max) < 80 * 1024, "peak RSS of dedupe on a 50 MB field: \(String(describing: peak)) KB")
    }
    // A whole JSON document with a string over the limit is refused by the parser itself.
    var document = Array(#"{"title":""#.utf8)
    document.append(contentsOf: [UInt8](repeating: UInt8(ascii: "y"), count: InputBudget.current.maxRecordBytes + 1))
    document.append(contentsOf: Array(#""}"#.utf8))
    #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(document) }
}

@Test func upstreamCountsMismatchStopsTheStage() throws {
    let folder = scratchFolder("mismatch")
    let input = folder + "/parse/models.ndjson.gz"
    let writer = try NDJSONWriter(path: input)
    try writer.write(JSONParser.parse(#"{"id":"model:a","name":"A","provenance":[]}"#))
    try writer.commit()
    var claimed = StageCounts(stage: "parse epoch")
    claimed.input = 2
    claimed.output = 2
    try claimed.write(besides: input)
    let run = try dedupe(input: input)
    #expect(run.result.status == 1)
    let errors = run.result.stderrLines.filter { $0.contains("error:") }
    #expect(errors == ["dedupe models: error: \(input): holds 1 records but models.counts.json says 2; delete it and rerun the stage that wrote it"])
    #expect(!FileManager.default.fileExists(atPath: run.output))
}

/// Papers: no authors, year 0, year 3000, no title — the check every paper parser applies.
@Test func implausiblePapersAreNamed() throws {
    let problems = try readLines(badInput + "/json/papers-bad-authors-years.ndjson").map { try PaperRecord(json: $0).validationProblem }
    #expect(problems == [nil, "no authors", "year out of range 1950–2100: 0", "year out of range 1950–2100: 3000", "no title"])
}

/// `dedupe papers` (two streaming passes): an undecodable line and a repeated id are quarantined
/// with file and line, the other papers go through.
@Test func dedupePapersQuarantinesBadLinesAndRepeatedIds() throws {
    let folder = scratchFolder("dedupe-papers")
    let input = folder + "/papers.ndjson"
    var text = try String(contentsOfFile: badInput + "/json/papers-bad-authors-years.ndjson", encoding: .utf8)
    text += #"{"id":"arxiv:0001","source":"arxiv","title":"A fine paper, twice","year":2019,"authors":[]}"# + "\n"
    text += #"{"id":"arxiv:0006","source":"arxiv","title":["not a string"]}"# + "\n"
    text += #"{"id":"arxiv:0007","source":"arxiv","title":"Cut"# + "\n"
    try text.write(toFile: input, atomically: true, encoding: .utf8)
    let output = folder + "/dedupe/papers.ndjson.gz"
    let result = try runTool("dedupe", ["papers", "--input", input, "--output", output, "--merges", folder + "/dedupe/papers.merges.ndjson.gz"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try readLines(output).count == 5)
    let rejects = try readLines(RejectsWriter.path(besides: output))
    #expect(rejects.compactMap { $0["location"]?.stringValue } == ["line 6", "line 7", "line 8"])
    #expect(rejects.first?["reason"]?.stringValue == "duplicate id (same source record twice)")
    let counts = try StageCounts.read(besides: output)
    #expect(counts.input == 8 && counts.output == 5 && counts.rejected == 3 && counts.reconciles)
}

/// Conference paper lists through `parse paperlists`: a file cut mid-array is quarantined whole,
/// entries of the wrong type are rejected one by one, the good file beside them is parsed.
@Test func paperListsThroughTheParseStage() throws {
    let folder = scratchFolder("paperlists")
    let good = [UInt8](FileManager.default.contents(atPath: badInput + "/../../DivideSourcesTests/Fixtures/paperlists/cvpr/cvpr2023.json") ?? Data())
    #expect(!good.isEmpty)
    let manifest = try fetchLayout(folder + "/fetch", source: "paperlists", files: [
        ("cvpr2023.json", good), ("icml2021.json", fixtureBytes("json/paperlists-truncated.json")),
        ("nips2020.json", fixtureBytes("json/paperlists-wrong-types.json")),
    ])
    let out = folder + "/parse"
    let result = try runTool("parse", ["paperlists", "--manifest", manifest, "--output", out + "/paperlists.ndjson.gz",
                                       "--rejects", out + "/paperlists.rejects.ndjson.gz", "--file-report", out + "/paperlists.files.ndjson.gz"])
    #expect(result.status == 0, "\(result.stderr)")
    let rejects = try readLines(out + "/paperlists.rejects.ndjson.gz")
    let fileRejects = rejects.filter { $0["kind"]?.stringValue == "file" }
    #expect(fileRejects.compactMap { $0["file"]?.stringValue } == ["icml2021.json"])
    #expect(fileRejects.first?["reason"]?.stringValue?.contains("invalid JSON") == true, "\(fileRejects)")
    let records = try readLines(out + "/paperlists.ndjson.gz")
    #expect(records.contains { $0["title"]?.stringValue == "A fine entry" })
    #expect(!records.contains { $0["title"]?.stringValue == "A paper cut short" })  // nothing kept from the cut file
    let counts = try StageCounts.read(besides: out + "/paperlists.ndjson.gz")
    #expect(counts.reconciles && counts.rejected == rejects.count && counts.inputFiles == 3)
    #expect(rejects.filter { $0["file"]?.stringValue == "nips2020.json" }.count >= 2, "\(rejects)")
}

/// `aggregate papers` (one streaming pass, nested member selection): a cut line and a paper
/// without a team type are quarantined with their line; a rejected submission and a paper with
/// no year are excluded; malformed JSON in a member the stage skips still fails its line.
@Test func aggregatePapersQuarantinesBadLinesAndCountsExclusions() throws {
    let folder = scratchFolder("aggregate-papers")
    let input = folder + "/papers.ndjson"
    let lines = [
        #"{"id":"p:1","year":2020,"venue":"icml","team_type":"academic-only","authors":[{"name":"A","sectors":["academia"],"evidence":[],"countries":["DE"]}],"model_mentions":[]}"#,
        #"{"id":"p:2","year":2020,"venue":"icml","status":"Rejected","team_type":"industry-only","authors":[],"model_mentions":[]}"#,
        #"{"id":"p:3","year":null,"venue":"icml","team_type":"academic-only","authors":[],"model_mentions":[]}"#,
        #"{"id":"p:4","year":2020,"venue":"icml","authors":[],"model_mentions":[]}"#,
        #"{"id":"p:5","year":2020,"authors":[{"name":"cut"#,
        #"{"id":"p:6","year":2020,"venue":"icml","team_type":"industry-only","authors":[{"name":{"odd":[1,{"x":null}]},"sectors":[{"sector":"industry"}],"countries":["US","US",""]}],"model_mentions":[]}"#,
        #"{"id":"p:7","year":2020,"venue":"icml","team_type":"academic-only","authors":[{"name":"B","evidence":[tru]}],"model_mentions":[]}"#,
    ]
    try (lines.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
    let out = folder + "/aggregate"
    let result = try runTool("aggregate", ["papers", "--input", input, "--output-dir", out])
    #expect(result.status == 0, "\(result.stderr)")
    let drilldown = out + "/papers.drilldown.ndjson.gz"
    let rejects = try readLines(out + "/papers.rejects.ndjson.gz")
    #expect(rejects.compactMap { $0["location"]?.stringValue } == ["line 4", "line 5", "line 7"])
    #expect(rejects.first?["reason"]?.stringValue == "field 'team_type' missing or not a string")
    let counts = try StageCounts.read(besides: drilldown)
    #expect(counts.input == 7 && counts.output == 2 && counts.rejected == 3 && counts.excluded == 2 && counts.reconciles)
    let teamRows = try readLines(out + "/team_type_by_year.ndjson.gz").filter { $0["venue"]?.stringValue == "all" }
    #expect(teamRows.map { $0["papers"]?.intValue ?? -1 } == [1, 1, 0, 0, 0, 0, 0])  // one row per TeamType
    let countries = try readLines(out + "/country_by_year.ndjson.gz").filter { ($0["authorships"]?.intValue ?? 0) > 0 }
    #expect(countries.map { [$0["country"]!, $0["sector"]!, $0["authorships"]!] } == [[.string("DE"), .string("academia"), .int(1)],
                                                                                   [.string("US"), .string("industry"), .int(1)]])
}
