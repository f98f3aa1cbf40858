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

    /// With `concurrently`, the files are parsed on all cores and each file's records are
    /// serialized there too; they are still written in file order, byte for byte as one at a
    /// time, but every file's records are held until all are parsed (for a stage with few,
    /// small files).
    public func run(
        files: [(name: String, path: String)],
        writer: NDJSONWriter,
        rejects: RejectsWriter,
        counts: inout StageCounts,
        concurrently: Bool = false,
        parse: (_ path: String, _ name: String, _ sink: Sink) throws -> Void
    ) throws {
        guard !files.isEmpty else { throw DivideError(file: stage, reason: "no input files") }
        var readable = 0
        counts.inputFiles = (counts.inputFiles ?? 0) + files.count
        func record(_ name: String, _ outcome: Result<Sink, Error>) throws {
            let sink: Sink
            do {
                sink = try outcome.get()
            } catch {
                let reason = (error as? DivideError)?.located ?? "\(error)"
                counts.input += 1
                counts.reject(reason: "whole file rejected: " + StageCounts.category(of: (error as? DivideError)?.reason ?? reason))
                try rejects.reject(file: name, location: nil, reason: reason, kind: "file")
                return
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
        func parsed(_ file: (name: String, path: String)) throws -> Sink {
            let sink = Sink()
            try parse(file.path, file.name, sink)
            return sink
        }
        if concurrently {
            let outcomes = concurrentResults(count: files.count) { index in try parsed(files[index]) }
            for (file, outcome) in zip(files, outcomes) { try record(file.name, outcome) }
        } else {
            for file in files { try record(file.name, Result { try parsed(file) }) }
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
