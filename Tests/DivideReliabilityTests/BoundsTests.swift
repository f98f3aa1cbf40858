import DivideCore
import Foundation
import Testing

/// The limits that keep memory bounded whatever the input.
@Test func oversizeLinesAreStreamedPastAndReported() throws {
    let path = scratchFolder("lines") + "/t.txt"
    let big = String(repeating: "x", count: 600_000)  // longer than one 256 KB read
    try "short\n0123456789abcdef\nok\n\(big)\nafter\n\(big)".write(toFile: path, atomically: true, encoding: .utf8)
    var lines: [String] = []
    var oversize: [(Int, Int)] = []
    try LineReader(path: path).forEachLine(maxLineBytes: 100_000, onOversize: { oversize.append(($0, $1)) }) {
        lines.append(String(decoding: $0, as: UTF8.self))
    }
    #expect(lines == ["short", "0123456789abcdef", "ok", "after"])
    #expect(oversize.map(\.0) == [4, 6])
    #expect(oversize.map(\.1) == [600_000, 600_000])
    // Without a handler an oversize line is an error naming file and line.
    #expect(throws: DivideError.self) { try LineReader(path: path).forEachLine(maxLineBytes: 100_000) { _ in } }
}

@Test func quotedFieldLongerThanTheCapIsCutAndTheRestReadAgain() throws {
    var text = "name,value\n\"never closed,1\n"
    for i in 0..<(CSVReader.maxQuotedLines + 10) { text += "row \(i),\(i)\n" }
    let rows = try CSVReader.rows(of: Array(text.utf8))
    #expect(rows[1].unterminatedQuote && rows[1].line == 2)
    // Every line after the damaged one comes back as its own row.
    #expect(rows.count == 2 + CSVReader.maxQuotedLines + 10)
    #expect(rows.last?.fields == ["row \(CSVReader.maxQuotedLines + 9)", "\(CSVReader.maxQuotedLines + 9)"])
}

@Test func reasonCategoriesGroupRejects() {
    #expect(StageCounts.category(of: "row has 2 fields, header has 9") == "row has N fields, header has N")
    #expect(StageCounts.category(of: "unparseable publication date '<script>'") == "unparseable publication date")
    #expect(StageCounts.category(of: "invalid JSON at byte 17: unexpected character") == "invalid JSON at byte N")
    #expect(StageCounts.category(of: "corrupt or truncated gzip data (unexpected end of file)") == "corrupt or truncated gzip data")
}

@Test func relativePathsBetweenStageFolders() {
    #expect(relativePath(of: "stages/parse/models.ndjson.gz", from: "stages/dedupe") == "../parse/models.ndjson.gz")
    #expect(relativePath(of: "/a/b/c.gz", from: "/a/b") == "c.gz")
}

@Test func fileQuarantineKeepsNothingOfAFailedFileAndCountsMerges() throws {
    let folder = scratchFolder("quarantine")
    let counts = try runStage("test", target: folder + "/out.ndjson.gz") { run in
        let writer = try run.writer(folder + "/out.ndjson.gz")
        let rejects = try run.rejects(folder + "/out.rejects.ndjson.gz")
        rejects.echoLimit = 0
        try FileQuarantine<Provenance.Record>.run(files: [("a", "a"), ("b", "b")], run: run, writer: writer, rejects: rejects) { _, name, sink in
            sink.emit(.init(name: name + "1"))
            sink.reject("line 3", "bad row", "")
            if name == "b" { throw DivideError(file: name, location: "line 9", reason: "truncated") }
            sink.merged()
        } then: { _, _ in }
        try rejects.commit()
        try run.commit(writer)
    }
    #expect(try readLines(folder + "/out.ndjson.gz").compactMap { $0["name"]?.stringValue } == ["a1"])
    let lines = try readLines(folder + "/out.rejects.ndjson.gz")
    #expect(lines.map { $0["kind"]?.stringValue } == ["record", "file"])
    #expect(lines.last?["reason"]?.stringValue == "line 9: truncated")
    #expect(counts.input == 4 && counts.output == 1 && counts.rejected == 2 && counts.merged == 1 && counts.inputFiles == 2)
    #expect(counts.rejectReasons == ["bad row": 1, "whole file rejected: truncated": 1])
}

extension Provenance {
    /// A minimal record type for the quarantine test.
    struct Record: JSONRecord {
        let name: String
        init(name: String) { self.name = name }
        init(json: JSONValue) throws { name = try json.requireString("name") }
        var json: JSONValue { .object([("name", .string(name))]) }
    }
}
