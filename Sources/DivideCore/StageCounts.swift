import Foundation

/// What a stage read and wrote. The invariant every stage keeps, and the next one checks:
/// `input == output + rejected + merged + excluded`, where `excluded` counts records kept
/// out of an analysis population on purpose (not notable, withdrawn submissions, …).
public struct StageCounts: JSONRecord, Equatable {
    public var stage: String
    public var input: Int = 0
    public var output: Int = 0
    public var rejected: Int = 0
    public var merged: Int = 0
    public var excluded: Int = 0
    public var seconds: Double = 0
    /// Rejected records by reason, for the report's data-quality section.
    public var rejectReasons: [String: Int] = [:]
    /// Files whose records are this stage's `input` (1:1 links of the chain), relative to the
    /// folder of this counts file; `make check` checks their counts' `output` sum to `input`.
    public var inputs: [String] = []
    /// Number of upstream files read (parse: the fetch manifest's entries, rejected ones included).
    public var inputFiles: Int?
    /// The stage's quarantine and merge audit (relative to this counts file), one line per
    /// rejected or merged record.
    public var rejectsFile: String?
    public var mergesFile: String?

    public init(stage: String) { self.stage = stage }

    public var reconciles: Bool { input == output + rejected + merged + excluded }

    public mutating func reject(reason: String) {
        rejected += 1
        rejectReasons[reason, default: 0] += 1
    }

    public var summaryLine: String {
        var parts = ["in \(input.grouped)", "out \(output.grouped)", "rejected \(rejected.grouped)"]
        if merged > 0 { parts.append("merged \(merged.grouped)") }
        if excluded > 0 { parts.append("excluded \(excluded.grouped)") }
        return "\(stage): " + parts.joined(separator: ", ") + String(format: " (%.1f s)", seconds)
    }

    public init(json: JSONValue) throws {
        stage = try json.requireString("stage")
        input = json["input"]?.intValue ?? 0
        output = json["output"]?.intValue ?? 0
        rejected = json["rejected"]?.intValue ?? 0
        merged = json["merged"]?.intValue ?? 0
        excluded = json["excluded"]?.intValue ?? 0
        seconds = json["seconds"]?.doubleValue ?? 0
        for (k, v) in json["reject_reasons"]?.objectValue ?? [] { rejectReasons[k] = v.intValue ?? 0 }
        inputs = json["inputs"]?.stringArray ?? []
        inputFiles = json["input_files"]?.intValue
        rejectsFile = json["rejects_file"]?.stringValue
        mergesFile = json["merges_file"]?.stringValue
    }

    /// Timing is left out of the file so reruns stay byte-identical; it goes to stderr only.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("stage", .string(stage)),
            ("input", .int(input)),
            ("output", .int(output)),
            ("rejected", .int(rejected)),
            ("merged", .int(merged)),
            ("excluded", .int(excluded)),
            ("reject_reasons", .object(rejectReasons.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
        ]
        if !inputs.isEmpty { pairs.append(("inputs", .strings(inputs))) }
        if let inputFiles { pairs.append(("input_files", .int(inputFiles))) }
        if let rejectsFile { pairs.append(("rejects_file", .string(rejectsFile))) }
        if let mergesFile { pairs.append(("merges_file", .string(mergesFile))) }
        return .object(pairs)
    }

    /// The counts file written beside a stage output: `<output>.counts.json`.
    public static func path(besides output: String) -> String {
        var base = output
        for suffix in [".ndjson.gz", ".gz", ".csv", ".html"] where base.hasSuffix(suffix) {
            base.removeLast(suffix.count)
            break
        }
        return base + ".counts.json"
    }

    public func write(besides output: String) throws {
        try AtomicFile.write(JSONSerializer.serialize(json) + "\n", to: StageCounts.path(besides: output))
    }

    public static func read(besides output: String) throws -> StageCounts {
        let path = StageCounts.path(besides: output)
        return try StageCounts(json: JSONParser.parse(readFileBytes(path: path)))
    }
}

/// The quarantine of a stage: each bad record or file, where it came from, and why. Each reject
/// is counted in the run's ledger under its reason's category.
public final class RejectsWriter {
    private let writer: NDJSONWriter
    private unowned let run: StageRun
    public var count: Int { writer.count }
    /// The first rejects are also lines on stderr (`file: location: reason`), up to this many.
    public var echoLimit = 3

    init(writer: NDJSONWriter, run: StageRun) {
        self.writer = writer
        self.run = run
    }

    /// `excerpt` is kept short so a huge bad field cannot bloat the rejects file. `kind` is
    /// `record` (one bad record) or `file` (a whole input file quarantined); `category` is the
    /// reason counted (default: the reason without its specifics).
    public func reject(file: String, location: String?, reason: String, excerpt: String? = nil, kind: String = "record", category: String? = nil) throws {
        var pairs: [(String, JSONValue)] = [("file", .string(file)), ("kind", .string(kind))]
        if let location { pairs.append(("location", .string(location))) }
        pairs.append(("reason", .string(reason)))
        if let excerpt { pairs.append(("excerpt", .string(String(excerpt.prefix(300))))) }
        try writer.write(.object(pairs))
        run.counts.reject(reason: category ?? StageCounts.category(of: reason))
        if writer.count <= echoLimit {
            run.progress.printLine("rejected: " + DivideError(file: file, location: location, reason: reason).description)
        } else if writer.count == echoLimit + 1 {
            run.progress.printLine("rejected: … more rejects not shown; see \(writer.path)")
        }
    }

    /// The default quarantine beside an output: `x.ndjson.gz` → `x.rejects.ndjson.gz`.
    public static func path(besides output: String) -> String {
        var base = output
        for suffix in [".ndjson.gz", ".gz"] where base.hasSuffix(suffix) {
            base.removeLast(suffix.count)
            break
        }
        return base + ".rejects.ndjson.gz"
    }

    public func commit() throws { try writer.commit() }
}

extension Int {
    /// 12,345 — thousands separated, for stderr summaries.
    public var grouped: String {
        let digits = String(Swift.abs(self))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return self < 0 ? "-" + out : out
    }
}
