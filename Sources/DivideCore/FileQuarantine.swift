/// Parses a stage's upstream files one at a time, so that one damaged file never costs the
/// others: a file's records and rejects are held back until the whole file has been read; if
/// reading it fails (truncated gzip, no header, not well-formed, …) none of its records are
/// kept and the file goes to the rejects as one `file` reject (counted as one rejected input).
/// The stage fails only when no file at all could be read: then there is no valid output.
public struct FileQuarantine<R: JSONRecord> {
    /// What a parser hands back for one file; kept until the file has been read to the end.
    /// Records are serialized as they arrive (while they are still in cache) and the file's lines
    /// go to the writer in one piece, so its compression overlaps the parsing of the next file.
    public final class Sink {
        fileprivate var lines = NDJSONLines()
        fileprivate var bad: [(location: String, reason: String, excerpt: String)] = []
        fileprivate var mergedCount = 0

        /// A good record.
        public func emit(_ record: R) { lines.append(record.json) }
        /// A bad record, with where it is in the file and why.
        public func reject(_ location: String, _ reason: String, _ excerpt: String) { bad.append((location, reason, excerpt)) }
        /// A record dropped because another copy of it is kept (counted as merged).
        public func merged() { mergedCount += 1 }
    }

    public let stage: String

    public init(stage: String) { self.stage = stage }

    public func run(
        files: [(name: String, path: String)],
        writer: NDJSONWriter,
        rejects: RejectsWriter,
        counts: inout StageCounts,
        parse: (_ path: String, _ name: String, _ sink: Sink) throws -> Void
    ) throws {
        guard !files.isEmpty else { throw DivideError(file: stage, reason: "no input files") }
        var readable = 0
        counts.inputFiles = (counts.inputFiles ?? 0) + files.count
        for (name, path) in files {
            let sink = Sink()
            do {
                try parse(path, name, sink)
            } catch {
                let reason = (error as? DivideError)?.located ?? "\(error)"
                counts.input += 1
                counts.reject(reason: "whole file rejected: " + StageCounts.category(of: (error as? DivideError)?.reason ?? reason))
                try rejects.reject(file: name, location: nil, reason: reason, kind: "file")
                continue
            }
            readable += 1
            try writer.write(sink.lines)
            for r in sink.bad {
                counts.reject(category: r.reason)
                try rejects.reject(file: name, location: r.location, reason: r.reason, excerpt: r.excerpt)
            }
            counts.input += sink.lines.count + sink.bad.count + sink.mergedCount
            counts.output += sink.lines.count
            counts.merged += sink.mergedCount
        }
        guard readable > 0 else {
            throw DivideError(file: stage, reason: "none of the \(files.count) input file(s) could be read (see the rejects file); no valid output")
        }
    }
}

extension DivideError {
    /// The error without the file name (for a reject line that names the file already).
    public var located: String { location.map { "\($0): \(reason)" } ?? reason }
}
