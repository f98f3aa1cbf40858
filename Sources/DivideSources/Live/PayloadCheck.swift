import DivideCore
import DivideXML
import Foundation

/// What a downloaded payload must be before it may replace the cached copy: complete (the
/// declared length, an intact gzip stream) and well-formed for its format.
public enum PayloadFormat: String, Sendable {
    case xml, json, jsonLines, csv, opaque

    /// By file name (a trailing `.gz` is ignored): `.xml`, `.json`, `.jsonl`/`.ndjson`, `.csv`.
    public static func of(path: String) -> PayloadFormat {
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".xml") { return .xml }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return .jsonLines }
        if name.hasSuffix(".json") { return .json }
        if name.hasSuffix(".csv") { return .csv }
        return .opaque
    }
}

public struct PayloadProblem: Error, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

public enum PayloadCheck {
    /// A body cut short where no length was declared (gzip transfer encoding over a closed
    /// connection; libcurl does not notice a truncated gzip stream) usually ends inside a quoted
    /// field or a row: quotes must balance and the last row must have the header's field count.
    static func checkCSVEnding(_ bytes: [UInt8]) throws {
        var inQuotes = false
        var fields = 1
        var headerFields: Int?
        var rowHasBytes = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle(); rowHasBytes = true; continue }
            if inQuotes { continue }
            if byte == UInt8(ascii: ",") { fields += 1; rowHasBytes = true }
            else if byte == 0x0A {
                if headerFields == nil { headerFields = fields }
                fields = 1
                rowHasBytes = false
            } else if byte != 0x0D { rowHasBytes = true }
        }
        if inQuotes { throw PayloadProblem("CSV ends inside a quoted field (truncated?)") }
        if rowHasBytes || fields > 1, let header = headerFields, fields != header {
            throw PayloadProblem("CSV's last row has \(fields) fields, the header \(header) (truncated?)")
        }
    }

    static let gzipMagic: [UInt8] = [0x1F, 0x8B]

    /// The payload's content: the body itself, or its decompressed bytes when the body is a gzip
    /// file (a `.gz` download, not transfer encoding). Throws when a gzip body is corrupt or truncated.
    public static func content(of body: [UInt8]) throws -> [UInt8] {
        guard body.starts(with: gzipMagic) else { return body }
        let scratch = NSTemporaryDirectory() + "compute-divide-gz-\(getpid())-\(UUID().uuidString).gz"
        defer { unlink(scratch) }
        guard FileManager.default.createFile(atPath: scratch, contents: Data(body)) else {
            throw PayloadProblem("cannot write a temporary file to check the gzip stream")
        }
        do { return try GzipReader.readAll(path: scratch) } catch let error as DivideError {
            throw PayloadProblem("gzip stream is \(error.reason.hasPrefix("corrupt") ? "corrupt or truncated" : error.reason)")
        }
    }

    /// Verifies a 2xx response: length as declared, gzip intact, well-formed as `format`.
    public static func verify(_ response: HTTPResponse, format: PayloadFormat) throws {
        if response[header: "content-encoding"] == nil, let declared = response[header: "content-length"].flatMap(Int.init),
           declared != response.body.count {
            throw PayloadProblem("truncated body: \(response.body.count) of \(declared) bytes")
        }
        try verify(content: content(of: response.body), format: format)
    }

    public static func verify(content bytes: [UInt8], format: PayloadFormat) throws {
        guard !bytes.isEmpty else { throw PayloadProblem("empty body") }
        switch format {
        case .xml:
            do { _ = try XMLDocumentScan.scan(bytes) } catch { throw PayloadProblem("\(error)") }
        case .json:
            do { _ = try JSONParser.parse(bytes) } catch { throw PayloadProblem("not well-formed JSON: \(error)") }
        case .jsonLines:
            var line = 0
            var start = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
                line += 1
                if i > start {
                    do { _ = try JSONParser.parse(Array(bytes[start..<i])) } catch {
                        throw PayloadProblem("not well-formed JSON lines: line \(line): \(error)")
                    }
                }
                start = i + 1
            }
        case .csv:
            guard String(validating: bytes, as: UTF8.self) != nil else { throw PayloadProblem("CSV is not valid UTF-8") }
            let head = String(decoding: bytes.prefix(200), as: UTF8.self).lowercased()
            if head.contains("<!doctype html") || head.contains("<html") { throw PayloadProblem("an HTML page where CSV was expected") }
            guard bytes.contains(0x0A) else { throw PayloadProblem("CSV has no complete line") }
            try checkCSVEnding(bytes)
        case .opaque:
            break
        }
    }
}

/// Writes a manifest only when its content changed, so an unchanged fetch leaves the file (and
/// its modification time) alone and Make rebuilds nothing downstream.
public enum ManifestFile {
    /// Returns true when the file was (re)written.
    @discardableResult
    public static func writeIfChanged(_ entries: [FetchManifestEntry], to path: String) throws -> Bool {
        var serializer = JSONSerializer()
        var fresh: [UInt8] = []
        for entry in entries {
            serializer.reset()
            serializer.write(entry.json)
            fresh += serializer.bytes
            fresh.append(0x0A)
        }
        if FileManager.default.fileExists(atPath: path), let old = try? GzipReader.readAll(path: path), old == fresh {
            return false
        }
        let writer = try NDJSONWriter(path: path)
        for entry in entries { try writer.write(entry) }
        try writer.commit()
        return true
    }
}

/// Stores a verified payload gzip-compressed (as the snapshot does), atomically.
public enum PayloadStore {
    /// Writes `content` to `path` (which ends in `.gz`); returns (sha256, bytes) of the stored file.
    public static func store(content: [UInt8], at path: String) throws -> (sha256: String, bytes: Int) {
        let file = try AtomicFile(path: path)
        let gzip = try GzipWriter(path: file.temporaryPath, level: 6)
        try gzip.write(content)
        try gzip.close()
        try file.commit()
        return try SHA256.hashFile(path: path)
    }

    /// Stores a body that is already a gzip file byte for byte.
    public static func store(gzipBody body: [UInt8], at path: String) throws -> (sha256: String, bytes: Int) {
        try AtomicFile.write(body, to: path)
        return (SHA256.hex(of: body), body.count)
    }
}
