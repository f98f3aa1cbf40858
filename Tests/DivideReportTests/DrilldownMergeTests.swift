import DivideCore
@testable import DivideReport
import Foundation
import Testing

// Render merges the aggregate stage's drill-down files. Whole-line files are passed on as their
// gzip members; anything else is re-serialized. Either way the merged content is the lines of
// the inputs in order, and an invalid line stops the stage.

private func folder() throws -> String {
    let path = NSTemporaryDirectory() + "drilldown-merge-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

private func writeGzip(_ text: String, to path: String) throws {
    let gzip = try GzipWriter(path: path)
    try gzip.write(Array(text.utf8))
    try gzip.close()
}

@Test func wholeLineFilesAreConcatenatedAsGzipMembers() throws {
    let dir = try folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let a = "{\"table\":\"a\",\"ids\":[\"x\",\"y\"]}\n{\"table\":\"a\",\"n\":1.5e+23}\n"
    let b = "{\"table\":\"b\",\"name\":\"caf\u{e9} \\\"q\\\"\"}\n"
    try writeGzip(a, to: dir + "/a.gz")
    try writeGzip(b, to: dir + "/b.gz")
    try writeGzip("", to: dir + "/empty.gz")
    let files = [dir + "/a.gz", dir + "/empty.gz", dir + "/b.gz"]
    #expect(try files.allSatisfy(DrilldownMerge.isWholeLines))
    try DrilldownMerge.merge(files, into: dir + "/merged.gz")
    #expect(try GzipReader.readAll(path: dir + "/merged.gz") == Array((a + b).utf8))
    // The members as they were, one after the other.
    let raw = try files.flatMap { [UInt8](try Data(contentsOf: URL(fileURLWithPath: $0))) }
    #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/merged.gz"))) == raw)
}

@Test func otherFilesAreReserializedWithoutBlankLines() throws {
    let dir = try folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try writeGzip("{\"a\": 1}\n\n{\"b\":[1, 2]}", to: dir + "/loose.gz")  // blank line, spaces, no final newline
    try writeGzip("{\"c\":true}\n", to: dir + "/whole.gz")
    #expect(try !DrilldownMerge.isWholeLines(dir + "/loose.gz"))
    try DrilldownMerge.merge([dir + "/loose.gz", dir + "/whole.gz"], into: dir + "/merged.gz")
    #expect(try GzipReader.readAll(path: dir + "/merged.gz") == Array("{\"a\":1}\n{\"b\":[1,2]}\n{\"c\":true}\n".utf8))
}

@Test func anInvalidLineStopsTheMerge() throws {
    let dir = try folder()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try writeGzip("{\"a\":1}\n{\"a\":\n", to: dir + "/bad.gz")
    #expect(throws: DivideError.self) { try DrilldownMerge.merge([dir + "/bad.gz"], into: dir + "/merged.gz") }
    #expect(!FileManager.default.fileExists(atPath: dir + "/merged.gz"))
}
