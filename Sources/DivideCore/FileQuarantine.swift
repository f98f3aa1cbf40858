import Foundation

/// Parses a stage's upstream files one at a time, so that one damaged file never costs the
/// others: a file's records and rejects are held back until the whole file has been read; if
/// reading it fails (truncated gzip, no header, not well-formed, …) none of its records are
/// kept and the file goes to the rejects as one `file` reject (counted as one rejected input).
/// The stage fails only when no file at all could be read: then there is no valid output.
public enum FileQuarantine<R: JSONRecord> {
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

    /// Parses the files and writes each readable file's records, rejects and counts, then hands
    /// its `parse` result to `then`, always in file order and on one thread at a time, so the
    /// outputs are byte for byte those of a serial run. Files are parsed side by side on all
    /// cores by the engine's `ParallelMap` (`parse` must touch no shared mutable state; `then`
    /// may): memory is bounded by its window, not by the number of files.
    public static func run<Summary>(
        files: [(name: String, path: String)],
        run: StageRun,
        writer: NDJSONWriter,
        rejects: RejectsWriter,
        parse: (_ path: String, _ name: String, _ sink: Sink) throws -> Summary,
        then: (_ index: Int, _ summary: Summary) throws -> Void
    ) throws {
        guard !files.isEmpty else { throw DivideError(file: run.name, reason: "no input files") }
        var readable = 0
        var done = 0
        run.counts.inputFiles = (run.counts.inputFiles ?? 0) + files.count
        try ParallelMap.run(count: files.count, transform: { _, index in
            Result { () throws -> (Sink, Summary) in
                let sink = Sink()
                let summary = try parse(files[index].path, files[index].name, sink)
                return (sink, summary)
            }
        }, consume: { index, outcome in
            let name = files[index].name
            done += 1
            defer { run.progress.show(done, unit: "files", done: done, of: files.count) }
            let sink: Sink
            let summary: Summary
            do {
                (sink, summary) = try outcome.get()
            } catch {
                let reason = (error as? DivideError)?.located ?? "\(error)"
                run.counts.input += 1
                try rejects.reject(file: name, location: nil, reason: reason, kind: "file",
                                   category: "whole file rejected: " + StageCounts.category(of: (error as? DivideError)?.reason ?? reason))
                return
            }
            readable += 1
            try writer.write(sink.lines)
            for r in sink.bad { try rejects.reject(file: name, location: r.location, reason: r.reason, excerpt: r.excerpt) }
            run.counts.input += sink.lines.count + sink.bad.count + sink.mergedCount
            run.counts.merged += sink.mergedCount
            try then(index, summary)
        })
        guard readable > 0 else {
            throw DivideError(file: run.name, reason: "none of the \(files.count) input file(s) could be read (see the rejects file); no valid output")
        }
    }
}

extension DivideError {
    /// The error without the file name (for a reject line that names the file already).
    public var located: String { location.map { "\($0): \(reason)" } ?? reason }
}
