import DivideCore
import Foundation
import Testing

// FileQuarantine.run(window:) parses a few files at a time on all cores; the records, rejects,
// counts and the order of the per-file `then` calls must be those of the serial run.

private struct WindowRecord: JSONRecord {
    let name: String
    init(name: String) { self.name = name }
    init(json: JSONValue) throws { name = try json.requireString("name") }
    var json: JSONValue { .object([("name", .string(name))]) }
}

private struct WindowRun {
    var records: [UInt8]
    var rejects: [UInt8]
    var counts: StageCounts
    var summaries: [String]
}

private func scratch(_ name: String) throws -> String {
    let folder = NSTemporaryDirectory() + "\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}

/// Runs the quarantine over `files` with a parser whose work (and so finishing order) varies from
/// file to file; files named `bad-…` fail half-way, after emitting records.
private func runWindowed(_ files: [(name: String, path: String)], window: Int?, folder: String) throws -> WindowRun {
    let tag = window.map { "window-\($0)" } ?? "serial"
    let writer = try NDJSONWriter(path: folder + "/\(tag).ndjson.gz")
    let rejects = try RejectsWriter(path: folder + "/\(tag).rejects.ndjson.gz")
    rejects.echoLimit = 0
    var counts = StageCounts(stage: "test")
    var summaries: [String] = []
    try FileQuarantine<WindowRecord>(stage: "test").run(
        files: files, writer: writer, rejects: rejects, counts: &counts, window: window
    ) { path, name, sink in
        let index = Int(path)!
        // Uneven work: later files in a window often finish before earlier ones.
        usleep(UInt32((index * 7919) % 5) * 2000)
        for r in 0..<(10 + index % 6) {
            if r % 4 == 3 { sink.reject("row \(r)", "bad row", "r\(r)") } else if r % 5 == 4 { sink.merged() } else { sink.emit(WindowRecord(name: "\(name)-\(r)")) }
            if r == 5, name.hasPrefix("bad") { throw DivideError(file: name, location: "row 5", reason: "truncated") }
        }
        return "\(name): \(index)"
    } then: { name, summary in
        summaries.append(summary)
    }
    try rejects.commit()
    try writer.commit()
    return WindowRun(records: try GzipReader.readAll(path: folder + "/\(tag).ndjson.gz"),
                     rejects: try GzipReader.readAll(path: folder + "/\(tag).rejects.ndjson.gz"),
                     counts: counts, summaries: summaries)
}

@Test func windowedQuarantineMatchesSerial() throws {
    let folder = try scratch("windowed-quarantine")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    // Files 6 and 7 are bad: quarantined in the middle of a window.
    let files = (0..<23).map { index in (name: (index == 6 || index == 7 ? "bad-" : "file-") + "\(index)", path: "\(index)") }
    let serial = try runWindowed(files, window: nil, folder: folder)
    #expect(serial.counts.inputFiles == 23 && serial.counts.output > 0 && serial.counts.merged > 0)
    #expect(serial.counts.rejectReasons["whole file rejected: truncated"] == 2)
    #expect(serial.summaries.count == 21 && !serial.summaries.contains { $0.hasPrefix("bad") })
    for window in [1, 2, 3, 4, 8, 100] {
        let windowed = try runWindowed(files, window: window, folder: folder)
        #expect(windowed.records == serial.records, "window \(window)")
        #expect(windowed.rejects == serial.rejects, "window \(window)")
        #expect(windowed.counts == serial.counts, "window \(window)")
        #expect(windowed.summaries == serial.summaries, "window \(window)")
    }
}

@Test func windowedQuarantineFailsLikeSerial() throws {
    let folder = try scratch("windowed-quarantine-errors")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    for window in [nil, 4] as [Int?] {
        #expect(throws: DivideError(file: "test", reason: "no input files")) {
            _ = try runWindowed([], window: window, folder: folder)
        }
        let allBad = (0..<5).map { (name: "bad-\($0)", path: "\($0)") }
        #expect(throws: DivideError(file: "test", reason: "none of the 5 input file(s) could be read (see the rejects file); no valid output")) {
            _ = try runWindowed(allBad, window: window, folder: folder)
        }
    }
}

@Test func windowedQuarantineStopsAtAFailedWrite() throws {
    let folder = try scratch("windowed-quarantine-then")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let writer = try NDJSONWriter(path: folder + "/out.ndjson.gz")
    let rejects = try RejectsWriter(path: folder + "/out.rejects.ndjson.gz")
    var counts = StageCounts(stage: "test")
    var taken: [Int] = []
    let files = (0..<40).map { (name: "file-\($0)", path: "\($0)") }
    #expect(throws: DivideError(file: "file-9", reason: "disk full")) {
        try FileQuarantine<WindowRecord>(stage: "test").run(
            files: files, writer: writer, rejects: rejects, counts: &counts, window: 4
        ) { path, name, sink in
            sink.emit(WindowRecord(name: name))
            return Int(path)!
        } then: { name, index in
            taken.append(index)
            if index == 9 { throw DivideError(file: name, reason: "disk full") }
        }
    }
    // Nothing after the failed file is taken.
    #expect(taken == Array(0...9))
}
