import Foundation

extension StageCounts {
    /// A reject reason's category (the reason without its specifics), so the report can list
    /// rejects by reason:
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
/// file the previous stage wrote beside it, and the file is noted as the run's input.
public func readStageInput<R: JSONRecord>(_ type: R.Type, path: String, run: StageRun, rejects: RejectsWriter) throws -> [R] {
    var records: [R] = []
    try forEachStageInput(path: path, run: run, rejects: rejects, decode: R.init(json:)) { records.append($0) }
    return records
}

/// The same, handing each decoded record to `body` as it is read instead of collecting them, for
/// stages whose memory must not grow with their input; `selecting` limits parsing to the members
/// `decode` reads, down to nested objects.
public func forEachStageInput<R>(
    path: String, run: StageRun, rejects: RejectsWriter,
    selecting selection: JSONParser.Members? = nil, decode: (JSONValue) throws -> R, _ body: (R) throws -> Void
) throws {
    var lines = 0
    let name = (path as NSString).lastPathComponent
    func reject(_ line: Int, _ reason: String) throws {
        lines += 1
        try rejects.reject(file: name, location: "line \(line)", reason: reason)
    }
    let reader = NDJSONReader(path: path)
    try reader.forEach(onInvalid: reject, selecting: selection, progress: run.progress) { value, line in
        let record: R
        do { record = try decode(value) } catch {
            try reject(line, "\(error)")
            return
        }
        lines += 1
        try body(record)
    }
    run.counts.input += lines
    run.noteInput(path)
    try run.checkUpstreamCounts(of: path, read: lines)
}

extension StageRun {
    /// The previous stage's counts must say it wrote exactly the records read; a mismatch means the
    /// file was altered or cut after the stage wrote it, and nothing valid can come of it.
    public func checkUpstreamCounts(of path: String, read: Int) throws {
        let countsPath = StageCounts.path(besides: path)
        guard FileManager.default.fileExists(atPath: countsPath) else {
            progress.printLine("warning: \(path): no counts file beside it (\(countsPath)); not written by the pipeline?")
            return
        }
        let upstream = try StageCounts.read(besides: path)
        guard upstream.output == read else {
            throw DivideError(file: path, reason: "holds \(read) records but \((countsPath as NSString).lastPathComponent) says \(upstream.output); delete it and rerun the stage that wrote it")
        }
    }
}
