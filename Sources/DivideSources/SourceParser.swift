import DivideCore
import DivideXML

/// One fetched file of a source: its name in rejects and reports, and where it is.
public struct SourceFile: Equatable, Sendable {
    public let name: String
    public let path: String
    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }
}

/// What a source adds to `parse`: which of the manifest's files it reads and how one file turns
/// into records. The loop over the files, the quarantine of a damaged file, the outputs and the
/// counts are `ParseStage.run`'s, the same for every source; a new source is a new conformance.
public protocol SourceParser {
    associatedtype Record: JSONRecord
    /// What one file held beyond its records (pages, layouts, statuses), for the file report.
    associatedtype FileSummary

    /// The stage name on stderr and in the counts (`parse arxiv`).
    var stage: String { get }

    /// The files to parse, in output order.
    func files(in manifest: [(entry: FetchManifestEntry, absolutePath: String)]) -> [SourceFile]

    /// Called once before any file is parsed (to find the records a later file supersedes, say).
    mutating func prepare(files: [SourceFile]) throws

    /// One file's records, rejects and merges into `sink`. Files are parsed side by side, so this
    /// touches no shared mutable state; a thrown error quarantines the whole file.
    func parse(_ file: SourceFile, into sink: FileQuarantine<Record>.Sink) throws -> FileSummary

    /// Called after each readable file, in file order: its line of the file report (nil: none).
    mutating func finished(_ file: SourceFile, _ summary: FileSummary) throws -> JSONValue?

    /// Called after the last file: notes for the summary line (`run.notes`) and warnings.
    mutating func finish(_ run: StageRun)
}

extension SourceParser {
    public mutating func prepare(files: [SourceFile]) throws {}
    public mutating func finished(_ file: SourceFile, _ summary: FileSummary) throws -> JSONValue? { nil }
    public mutating func finish(_ run: StageRun) {}

    /// The manifest's files whose path ends in one of `suffixes`, named by their path inside the
    /// source folder (`paperlists/cvpr/cvpr2023.json.gz` → `cvpr/cvpr2023.json.gz`), sorted by it.
    public static func sourceFiles(_ manifest: [(entry: FetchManifestEntry, absolutePath: String)], suffixes: [String]) -> [SourceFile] {
        manifest.compactMap { entry, path in
            guard suffixes.contains(where: { entry.path.hasSuffix($0) }) else { return nil }
            let parts = entry.path.split(separator: "/")
            let name = parts.count > 1 && parts[0] == Substring(entry.source) ? parts.dropFirst().joined(separator: "/") : entry.path
            return SourceFile(name: name, path: path)
        }.sorted { $0.name < $1.name }
    }
}

/// The paths of one `parse <source>` run. `fileReport`: one line per input file (gzip NDJSON).
public struct ParseOutputs {
    public var manifest: String
    public var output: String
    public var rejects: String
    public var fileReport: String?
    public init(manifest: String, output: String, rejects: String, fileReport: String? = nil) {
        self.manifest = manifest
        self.output = output
        self.rejects = rejects
        self.fileReport = fileReport
    }
}

public enum ParseStage {
    /// `parse <source>`: every file of the manifest through `parser`, damaged files quarantined
    /// whole, records in file order. A file the manifest lists but that is missing or unreadable
    /// ends the run at once: the fetch stage's folder is incomplete, not the upstream data bad.
    @discardableResult
    public static func run<P: SourceParser>(_ parser: P, _ paths: ParseOutputs, options: StageOptions = StageOptions()) throws -> StageCounts {
        var parser = parser
        return try runStage(parser.stage, target: paths.output, options: options) { run in
            let files = parser.files(in: try FetchManifestEntry.read(manifest: paths.manifest))
            for file in files { _ = try checkReadable(file.path) }
            try parser.prepare(files: files)
            let writer = try run.writer(paths.output)
            let rejects = try run.rejects(paths.rejects)
            let report = try paths.fileReport.map(run.writer)
            SAXPushParser.prepareForThreads()
            try FileQuarantine<P.Record>.run(
                files: files.map { ($0.name, $0.path) }, run: run, writer: writer, rejects: rejects
            ) { path, name, sink in
                try parser.parse(SourceFile(name: name, path: path), into: sink)
            } then: { index, summary in
                if let line = try parser.finished(files[index], summary) { try report?.write(line) }
            }
            parser.finish(run)
            run.noteInput(paths.manifest)
            try report?.commit()
            try rejects.commit()
            try run.commit(writer)
        }
    }
}
