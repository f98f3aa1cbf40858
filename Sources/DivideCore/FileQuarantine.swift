import Foundation

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

    /// With `concurrently`, the files are parsed on all cores (see `run(files:…:then:)`).
    public func run(
        files: [(name: String, path: String)],
        writer: NDJSONWriter,
        rejects: RejectsWriter,
        counts: inout StageCounts,
        concurrently: Bool = false,
        parse: (_ path: String, _ name: String, _ sink: Sink) throws -> Void
    ) throws {
        try run(files: files, writer: writer, rejects: rejects, counts: &counts,
                window: concurrently ? FileQuarantine.concurrentWindow : nil, parse: parse, then: { _, _ in })
    }

    /// Files parsed side by side: twice the cores, so a core that finishes a file finds the next
    /// one ready to take while the earlier ones are still being written.
    public static var concurrentWindow: Int { 2 * max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Parses the files and writes each readable file's records, rejects and counts, then hands
    /// its `parse` result to `then`, always in file order and on one thread at a time, so the
    /// outputs are byte for byte those of a serial run. With a `window`, up to that many files
    /// are parsed at once on all cores (`parse` must then touch no shared mutable state; `then`
    /// may): memory is bounded by the window, not by the number of files.
    public func run<Summary>(
        files: [(name: String, path: String)],
        writer: NDJSONWriter,
        rejects: RejectsWriter,
        counts: inout StageCounts,
        window: Int?,
        parse: (_ path: String, _ name: String, _ sink: Sink) throws -> Summary,
        then: (_ name: String, _ summary: Summary) throws -> Void
    ) throws {
        guard !files.isEmpty else { throw DivideError(file: stage, reason: "no input files") }
        var readable = 0
        counts.inputFiles = (counts.inputFiles ?? 0) + files.count
        func record(_ name: String, _ outcome: Result<(Sink, Summary), Error>) throws {
            let sink: Sink
            let summary: Summary
            do {
                (sink, summary) = try outcome.get()
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
            try then(name, summary)
        }
        func parsed(_ index: Int) -> Result<(Sink, Summary), Error> {
            Result {
                let sink = Sink()
                let summary = try parse(files[index].path, files[index].name, sink)
                return (sink, summary)
            }
        }
        if let window {
            let pipeline = OrderedWindow<(Sink, Summary)>(count: files.count, window: max(1, window))
            let workers = min(files.count, max(1, ProcessInfo.processInfo.activeProcessorCount))
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                pipeline.work(parse: parsed) { index, outcome in try record(files[index].name, outcome) }
            }
            if let failure = pipeline.failure { throw failure }
        } else {
            for index in files.indices { try record(files[index].name, parsed(index)) }
        }
        guard readable > 0 else {
            throw DivideError(file: stage, reason: "none of the \(files.count) input file(s) could be read (see the rejects file); no valid output")
        }
    }
}

/// Work shared by the threads of a windowed run: each thread takes the next file (never more
/// than `window` ahead of the first one not yet written), parses it, and whoever holds the
/// oldest parsed files writes them, in order, one writer at a time.
private final class OrderedWindow<Value>: @unchecked Sendable {
    private let count: Int
    private let window: Int
    private let condition = NSCondition()
    private var next = 0
    private var written = 0
    private var writing = false
    private var parsed: [Int: Result<Value, Error>] = [:]
    private(set) var failure: Error?

    init(count: Int, window: Int) {
        self.count = count
        self.window = window
    }

    func work(parse: (Int) -> Result<Value, Error>, write: (Int, Result<Value, Error>) throws -> Void) {
        while let index = take() {
            let outcome = parse(index)
            condition.lock()
            parsed[index] = outcome
            drain(write)
            condition.unlock()
        }
    }

    /// The next file to parse, waiting while the window is full; nil when there is none left
    /// (or writing failed).
    private func take() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while failure == nil, next < count, next >= written + window { condition.wait() }
        guard failure == nil, next < count else { return nil }
        next += 1
        return next - 1
    }

    /// Writes the parsed files that are next in order (called and returning with the lock held;
    /// the lock is released while writing so the other threads can hand in their files).
    private func drain(_ write: (Int, Result<Value, Error>) throws -> Void) {
        guard !writing else { return }
        writing = true
        while failure == nil, let outcome = parsed.removeValue(forKey: written) {
            let index = written
            condition.unlock()
            var error: Error?
            do { try write(index, outcome) } catch let thrown { error = thrown }
            condition.lock()
            if let error { failure = error }
            written += 1
            condition.broadcast()
        }
        writing = false
    }
}

extension DivideError {
    /// The error without the file name (for a reject line that names the file already).
    public var located: String { location.map { "\($0): \(reason)" } ?? reason }
}
