import Foundation

/// A record type with a stable JSON form: `json` writes keys in a fixed order so output is
/// byte-identical run to run.
public protocol JSONRecord {
    init(json: JSONValue) throws
    var json: JSONValue { get }
}

/// Where an output's bytes go, given the temporary file's path: gzip by default; tests pass a
/// sink that fails as a full disk would.
public typealias SinkFactory = (_ temporaryPath: String) throws -> ByteSink

/// Writes gzip-compressed NDJSON atomically: nothing appears under `path` until `commit()`.
/// Compression runs on the writer's own thread (`BackgroundWriter`).
public final class NDJSONWriter {
    public let path: String
    private let file: AtomicFile
    private let gzip: BackgroundWriter
    private var serializer = JSONSerializer()
    private var pending: [UInt8] = []
    public private(set) var count = 0

    public init(path: String, sink: SinkFactory = { try GzipWriter(path: $0) }) throws {
        self.path = path
        file = try AtomicFile(path: path)
        gzip = BackgroundWriter(sink: try sink(file.temporaryPath), path: path)
        pending.reserveCapacity(1 << 17)
    }

    public func write(_ value: JSONValue) throws {
        serializer.reset()
        serializer.write(value)
        pending.append(contentsOf: serializer.bytes)
        pending.append(0x0A)
        count += 1
        if pending.count >= 1 << 17 { try flush() }
    }

    public func write<R: JSONRecord>(_ record: R) throws { try write(record.json) }

    /// Writes lines serialized earlier, in one piece (no copy into the pending buffer).
    public func write(_ lines: NDJSONLines) throws {
        try flush()
        try gzip.write(lines.bytes)
        count += lines.count
    }

    /// Writes one line that is already serialized JSON (a record passed through unchanged or
    /// patched at the byte level); the caller guarantees it is one valid JSON value, no newline.
    public func writeSerialized(_ line: UnsafeBufferPointer<UInt8>) throws {
        pending.append(contentsOf: line)
        pending.append(0x0A)
        count += 1
        if pending.count >= 1 << 17 { try flush() }
    }

    private func flush() throws {
        try gzip.write(pending)
        pending.removeAll(keepingCapacity: true)
    }

    public func commit() throws {
        try flush()
        try gzip.close()
        try file.commit()
    }
}

/// NDJSON lines serialized in memory, to be written later in one piece with
/// `NDJSONWriter.write(_:)`: the same bytes `NDJSONWriter.write` would produce for each value.
public struct NDJSONLines {
    public private(set) var bytes: [UInt8] = []
    public private(set) var count = 0
    private var serializer = JSONSerializer()

    public init() {}

    public mutating func append(_ value: JSONValue) {
        serializer.reset()
        serializer.write(value)
        bytes.append(contentsOf: serializer.bytes)
        bytes.append(0x0A)
        count += 1
    }
}

/// Reads gzip-compressed NDJSON one line at a time.
public struct NDJSONReader {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Calls `body` with each parsed line and its line number. A line that is not valid JSON
    /// goes to `onInvalid` (default: stop with an error naming file and line). With `selecting`,
    /// only those members are built (the rest is checked and skipped), for readers that need a
    /// few fields of large records.
    public func forEach(
        onInvalid: ((Int, String) throws -> Void)? = nil,
        selecting selection: JSONParser.Members? = nil,
        progress: Progress? = nil,
        _ body: (JSONValue, Int) throws -> Void
    ) throws {
        let lines = try LineReader(path: path)
        let oversize: ((Int, Int) throws -> Void)? = onInvalid.map { handler in
            { line, bytes in try handler(line, "line of \(bytes) bytes is longer than the limit of \(LineReader.defaultMaxLineBytes)") }
        }
        try lines.forEachLine(onOversize: oversize) { line in
            progress?.update(records: lines.lineNumber, bytes: lines.compressedBytesRead, of: lines.fileBytes)
            if line.isEmpty { return }
            let value: JSONValue
            do {
                value = try selection.map { try JSONParser.parseObject(line, selecting: $0) } ?? JSONParser.parse(line)
            } catch let error as JSONParser.SyntaxError {
                if let onInvalid { try onInvalid(lines.lineNumber, error.description); return }
                throw DivideError(file: path, location: "line \(lines.lineNumber)", reason: error.description)
            }
            try body(value, lines.lineNumber)
        }
    }

    /// Decodes each line as `R`; a line that does not parse or decode goes to `onReject` with its
    /// line number and reason (default: stop with an error naming file and line).
    public func forEachRecord<R: JSONRecord>(
        _ type: R.Type,
        onReject: ((_ line: Int, _ reason: String) throws -> Void)? = nil,
        _ body: (R) throws -> Void
    ) throws {
        try forEach(onInvalid: onReject) { value, line in
            let record: R
            do { record = try R(json: value) } catch {
                if let onReject { try onReject(line, "\(error)"); return }
                throw DivideError(file: path, location: "line \(line)", reason: "\(error)")
            }
            try body(record)
        }
    }

    public func readAll<R: JSONRecord>(_ type: R.Type) throws -> [R] {
        var out: [R] = []
        try forEachRecord(type) { out.append($0) }
        return out
    }
}

/// Missing or mistyped field in a record read back from a stage file.
public struct RecordFieldError: Error, CustomStringConvertible {
    public let field: String
    public let expected: String
    public init(field: String, expected: String) {
        self.field = field
        self.expected = expected
    }
    public var description: String { "field '\(field)' missing or not \(expected)" }
}

extension JSONValue {
    /// A required string field, or a `RecordFieldError`.
    public func requireString(_ key: String) throws -> String {
        guard let s = self[key]?.stringValue else { throw RecordFieldError(field: key, expected: "a string") }
        return s
    }
}
