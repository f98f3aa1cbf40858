import Foundation

extension StageCounts {
    /// Counts one rejected record under its reason's category (the reason without its
    /// specifics), so the report can list rejects by reason.
    public mutating func reject(category reason: String) {
        reject(reason: StageCounts.category(of: reason))
    }

    /// `row has 2 fields, header has 9` → `row has N fields, header has N`;
    /// `unparseable publication date '3000-01-01'` → `unparseable publication date`.
    public static func category(of reason: String) -> String {
        var head = Substring(reason)
        if let cut = head.firstIndex(where: { $0 == ":" || $0 == "'" || $0 == "(" }) { head = head[..<cut] }
        var out = ""
        var inDigits = false
        for c in head {
            if c.isASCII && c.isNumber {
                if !inDigits { out.append("N") }
                inDigits = true
            } else {
                out.append(c)
                inDigits = false
            }
        }
        let trimmed = out.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? "invalid" : trimmed
    }

    /// Records `path` as a 1:1 input of the stage writing `output` (relative to its counts file).
    public mutating func noteInput(_ path: String, output: String) {
        inputs.append(relativePath(of: path, from: (StageCounts.path(besides: output) as NSString).deletingLastPathComponent))
    }

    /// Records the stage's quarantine file (relative to its counts file).
    public mutating func noteRejects(_ path: String, output: String) {
        rejectsFile = relativePath(of: path, from: (StageCounts.path(besides: output) as NSString).deletingLastPathComponent)
    }

    public mutating func noteMerges(_ path: String, output: String) {
        mergesFile = relativePath(of: path, from: (StageCounts.path(besides: output) as NSString).deletingLastPathComponent)
    }
}

/// `path` relative to `folder` (`../parse/models.ndjson.gz`), both taken from the working directory.
public func relativePath(of path: String, from folder: String) -> String {
    let target = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
    let base = URL(fileURLWithPath: folder.isEmpty ? "." : folder).standardizedFileURL.pathComponents
    var common = 0
    while common < min(target.count, base.count) && target[common] == base[common] { common += 1 }
    let ups = Array(repeating: "..", count: base.count - common)
    return (ups + target[common...]).joined(separator: "/")
}

/// Reads the records a previous stage wrote, the way every later stage does: a line that does
/// not parse or decode is quarantined (not fatal), the count read is checked against the counts
/// file the previous stage wrote beside it, and the file is noted as this stage's input. The file
/// is inflated on a second thread while its lines are parsed.
///
/// With `concurrently`, the file is inflated into memory and its lines are parsed and decoded on
/// all cores; the records, rejects and counts are the same, in the same order.
public func readStageInput<R: JSONRecord>(
    _ type: R.Type, path: String, output: String, counts: inout StageCounts, rejects: RejectsWriter,
    concurrently: Bool = false
) throws -> [R] {
    guard concurrently else {
        return try readStageInput(path: path, output: output, counts: &counts, rejects: rejects, decode: R.init(json:))
    }
    var records: [R] = []
    var lines = 0
    var local = counts
    let name = (path as NSString).lastPathComponent
    for outcome in try parseLinesConcurrently(path: path, decode: R.init(json:)) {
        switch outcome {
        case let .record(record):
            lines += 1
            records.append(record)
        case let .invalid(line, reason):
            lines += 1
            local.reject(category: reason)
            try rejects.reject(file: name, location: "line \(line)", reason: reason)
        }
    }
    counts = local
    counts.input += lines
    counts.noteInput(path, output: output)
    try checkUpstreamCounts(of: path, read: lines)
    return records
}

private enum LineOutcome<R> {
    case record(R)
    case invalid(line: Int, reason: String)
}

/// The non-blank lines of an NDJSON file as `NDJSONReader.forEach` numbers and judges them (a
/// line too long, not JSON, or not decodable is invalid with the same reason), parsed and decoded
/// in one run of lines per core.
private func parseLinesConcurrently<R>(path: String, decode: (JSONValue) throws -> R) throws -> [LineOutcome<R>] {
    let bytes = try readFileBytes(path: path)
    var spans: [(line: Int, start: Int, end: Int)] = []
    bytes.withUnsafeBufferPointer { all in
        var start = 0
        var line = 0
        while start < all.count {
            let end = memchr(all.baseAddress! + start, 0x0A, all.count - start)
                .map { all.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? all.count
            line += 1
            if end > start { spans.append((line, start, end)) }
            start = end + 1
        }
    }
    let runs = max(1, min(spans.count, ProcessInfo.processInfo.activeProcessorCount))
    let outcomes = concurrentResults(count: runs) { run -> [LineOutcome<R>] in
        let range = (spans.count * run / runs)..<(spans.count * (run + 1) / runs)
        return bytes.withUnsafeBufferPointer { all in
            range.map { i in
                let span = spans[i]
                let length = span.end - span.start
                if length > LineReader.defaultMaxLineBytes {
                    return .invalid(line: span.line, reason: "line of \(length) bytes is longer than the limit of \(LineReader.defaultMaxLineBytes)")
                }
                let value: JSONValue
                do {
                    value = try JSONParser.parse(UnsafeBufferPointer(rebasing: all[span.start..<span.end]))
                } catch let error as JSONParser.SyntaxError {
                    return .invalid(line: span.line, reason: error.description)
                } catch {
                    return .invalid(line: span.line, reason: "\(error)")
                }
                do { return .record(try decode(value)) } catch { return .invalid(line: span.line, reason: "\(error)") }
            }
        }
    }
    return try outcomes.flatMap { try $0.get() }
}

/// The same for a type decoded by `decode` (a failure rejects the line with the error as reason);
/// `keeping` limits parsing to the top-level keys `decode` reads.
public func readStageInput<R>(
    path: String, output: String, counts: inout StageCounts, rejects: RejectsWriter,
    keeping keys: Set<String>? = nil, decode: (JSONValue) throws -> R
) throws -> [R] {
    var records: [R] = []
    let selection = keys.map(JSONParser.Members.init(keeping:))
    try forEachStageInput(path: path, output: output, counts: &counts, rejects: rejects, selecting: selection, decode: decode) {
        records.append($0)
    }
    return records
}

/// The same, handing each decoded record to `body` as it is read instead of collecting them, for
/// stages whose memory must not grow with their input; `selecting` limits parsing to the members
/// `decode` reads, down to nested objects.
public func forEachStageInput<R>(
    path: String, output: String, counts: inout StageCounts, rejects: RejectsWriter,
    selecting selection: JSONParser.Members? = nil, decode: (JSONValue) throws -> R, _ body: (R) throws -> Void
) throws {
    var lines = 0
    var local = counts
    let name = (path as NSString).lastPathComponent
    func reject(_ line: Int, _ reason: String) throws {
        lines += 1
        local.reject(category: reason)
        try rejects.reject(file: name, location: "line \(line)", reason: reason)
    }
    try NDJSONReader(path: path).forEach(onInvalid: reject, selecting: selection) { value, line in
        let record: R
        do { record = try decode(value) } catch {
            try reject(line, "\(error)")
            return
        }
        lines += 1
        try body(record)
    }
    counts = local
    counts.input += lines
    counts.noteInput(path, output: output)
    try checkUpstreamCounts(of: path, read: lines)
}

/// The previous stage's counts must say it wrote exactly the records read; a mismatch means the
/// file was altered or cut after the stage wrote it, and nothing valid can come of it.
public func checkUpstreamCounts(of path: String, read: Int) throws {
    let countsPath = StageCounts.path(besides: path)
    guard FileManager.default.fileExists(atPath: countsPath) else {
        printError("warning: \(path): no counts file beside it (\(countsPath)); not written by the pipeline?")
        return
    }
    let upstream = try StageCounts.read(besides: path)
    guard upstream.output == read else {
        throw DivideError(file: path, reason: "holds \(read) records but \((countsPath as NSString).lastPathComponent) says \(upstream.output); delete it and rerun the stage that wrote it")
    }
}
