import Foundation

/// How a stage run behaves beyond its inputs and outputs.
public struct StageOptions {
    /// Any rejected record or file fails the run (`StageFailure.strict`, exit status 3).
    public var strict: Bool
    /// Where written outputs' bytes go (gzip files; tests inject a failing sink).
    public var sink: SinkFactory

    public init(strict: Bool = false, sink: @escaping SinkFactory = { try GzipWriter(path: $0) }) {
        self.strict = strict
        self.sink = sink
    }
}

/// How a stage run ended when it did not succeed; `line` is what the stage prints on stderr.
public struct StageFailure: Error, CustomStringConvertible {
    public enum Kind { case error, strict }
    public let stage: String
    public let kind: Kind
    public let message: String

    public init(stage: String, kind: Kind = .error, message: String) {
        self.stage = stage
        self.kind = kind
        self.message = message
    }

    /// `<stage>: error: <file>: <reason>`, one line.
    public var line: String {
        kind == .strict ? "\(stage): STRICT: \(message)" : "\(stage): error: \(message)"
    }
    public var description: String { line }
    /// 1 for an error, 3 for rejects under STRICT.
    public var exitCode: Int32 { kind == .strict ? 3 : 1 }
}

/// One run of a stage: its counts (the ledger the engine keeps as records are read, rejected and
/// written), its outputs and its summary. Stage functions get one from `runStage`.
public final class StageRun {
    public let name: String
    /// The file Make takes for the stage; renamed into place after its counts file.
    public let target: String
    public var counts: StageCounts
    public let options: StageOptions
    /// Extra facts for the summary line (`merged by rule …`, `status …`).
    public var notes: [String] = []
    /// Progress on stderr (a terminal only).
    public let progress: Progress

    init(name: String, target: String, options: StageOptions) {
        self.name = name
        self.target = target
        self.options = options
        counts = StageCounts(stage: name)
        progress = Progress(label: name)
    }

    /// A gzip NDJSON output of this run.
    public func writer(_ path: String) throws -> NDJSONWriter { try NDJSONWriter(path: path, sink: options.sink) }

    /// The run's quarantine file; rejects written to it are counted in `counts`.
    public func rejects(_ path: String) throws -> RejectsWriter {
        let writer = RejectsWriter(writer: try self.writer(path), run: self)
        counts.rejectsFile = relativeToCounts(path)
        return writer
    }

    /// Records `path` as a 1:1 input of this run.
    public func noteInput(_ path: String) { counts.inputs.append(relativeToCounts(path)) }
    public func noteMerges(_ path: String) { counts.mergesFile = relativeToCounts(path) }

    private func relativeToCounts(_ path: String) -> String {
        relativePath(of: path, from: (StageCounts.path(besides: target) as NSString).deletingLastPathComponent)
    }

    /// Commits an output; the stage's main records count as its `output`.
    public func commit(_ writer: NDJSONWriter) throws {
        try writer.commit()
        if writer.path == target { counts.output = writer.count }
    }

    var summary: String {
        ([counts.summaryLine] + notes).joined(separator: "; ")
    }
}

/// Runs a stage's work the same way for every stage: times it, checks the counts reconcile,
/// writes them beside the target, renames the target into place last, and prints the one-line
/// summary on stderr. Any error ends the run as a `StageFailure` naming the file and the reason;
/// no target and no temporary file are left behind.
@discardableResult
public func runStage(_ name: String, target: String, options: StageOptions = StageOptions(), _ work: (StageRun) throws -> Void) throws -> StageCounts {
    let start = Date()
    let run = StageRun(name: name, target: target, options: options)
    StageTargets.shared.begin(target)
    do {
        try work(run)
        run.progress.finish()
        run.counts.seconds = Date().timeIntervalSince(start)
        let counts = run.counts
        guard counts.reconciles else {
            throw DivideError(file: target, reason: "counts do not reconcile: in \(counts.input) ≠ out \(counts.output) + rejected \(counts.rejected) + merged \(counts.merged) + excluded \(counts.excluded)")
        }
        // Counts first, the target last: Make never sees a target without its counts.
        try counts.write(besides: target)
        if let file = StageTargets.shared.end(target) { try StageTargets.commit(file) }
    } catch {
        run.progress.finish()
        _ = StageTargets.shared.end(target)
        throw StageFailure(stage: name, kind: .error, message: plainMessage(error))
    }
    printError(run.summary)
    if options.strict, run.counts.rejected > 0 {
        throw StageFailure(stage: name, kind: .strict, message: "\(run.counts.rejected) record(s) rejected; see the rejects file")
    }
    return run.counts
}

/// An error as `<file>: <reason>`, in plain words: Foundation's file errors
/// (`Error Domain=NSCocoaErrorDomain Code=260 …`) become `<file>: no such file or directory`.
public func plainMessage(_ error: Error) -> String {
    if let error = error as? DivideError { return error.description }
    let ns = error as NSError
    guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return "\(error)" }
    let file = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
    var code: Int32?
    if ns.domain == NSPOSIXErrorDomain { code = Int32(ns.code) }
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain { code = Int32(underlying.code) }
    if code == nil {
        switch CocoaError.Code(rawValue: ns.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: code = ENOENT
        case .fileReadNoPermission, .fileWriteNoPermission: code = EACCES
        case .fileWriteOutOfSpace: code = ENOSPC
        case .fileWriteFileExists: code = EEXIST
        case .fileWriteVolumeReadOnly: code = EROFS
        default: break
        }
    }
    let reason = code.map { String(cString: strerror($0)).lowercased() } ?? ns.localizedDescription
    return file.map { "\($0): \(reason)" } ?? reason
}
