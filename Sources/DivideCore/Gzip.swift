import CZlib
import Foundation

/// Streams the decompressed bytes of a gzip file (several concatenated members are one stream).
/// A truncated or corrupt member is an error, never a silently short read.
public final class GzipReader {
    public let path: String
    private var file: gzFile?
    public private(set) var compressedBytesRead: Int = 0

    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw DivideError(file: path, reason: "no such file")
        }
        guard let handle = gzopen(path, "rb") else {
            throw DivideError(file: path, reason: "cannot open for reading")
        }
        gzbuffer(handle, 256 * 1024)
        file = handle
    }

    deinit { if let file { gzclose_r(file) } }

    /// Reads up to `buffer.count` bytes; 0 means end of stream.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let file else { return 0 }
        let n = gzread(file, buffer.baseAddress, UInt32(buffer.count))
        if n < 0 || (n == 0 && gzeof(file) == 0) || (n < buffer.count && hasError(file)) {
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? "read error"
            throw DivideError(file: path, reason: "corrupt or truncated gzip data (\(message))")
        }
        compressedBytesRead = Int(gzoffset(file))
        return Int(n)
    }

    private func hasError(_ file: gzFile) -> Bool {
        var code: Int32 = 0
        _ = gzerror(file, &code)
        return code != Z_OK && code != Z_STREAM_END
    }

    /// Reads the whole decompressed content (for small inputs: JSON arrays, reference lists).
    public static func readAll(path: String) throws -> [UInt8] {
        let reader = try GzipReader(path: path)
        var out: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let n = try reader.read(into: chunk)
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }
}

/// Reads a file that may or may not be gzip-compressed (decided by the `.gz` suffix).
public func readFileBytes(path: String) throws -> [UInt8] {
    if path.hasSuffix(".gz") { return try GzipReader.readAll(path: path) }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw DivideError(file: path, reason: "cannot read file")
    }
    return [UInt8](data)
}

/// Writes gzip (level 1 by default: between stages speed matters more than size). zlib's gzip
/// header carries no timestamp, so the same bytes in give the same file out.
public final class GzipWriter {
    public let path: String
    private var file: gzFile?

    public init(path: String, level: Int = 1) throws {
        self.path = path
        guard let handle = gzopen(path, "wb\(level)") else {
            throw DivideError(file: path, reason: "cannot open for writing")
        }
        gzbuffer(handle, 256 * 1024)
        file = handle
    }

    deinit { if let file { gzclose_w(file) } }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let file, bytes.count > 0 else { return }
        let n = gzwrite(file, bytes.baseAddress, UInt32(bytes.count))
        if n != bytes.count { throw DivideError(file: path, reason: "write failed (disk full?)") }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    public func close() throws {
        guard let handle = file else { return }
        file = nil
        if gzclose_w(handle) != Z_OK { throw DivideError(file: path, reason: "closing gzip stream failed") }
    }
}

/// Yields the lines of a gzip (or plain) text file without holding the file in memory. A gzip
/// file is inflated on a second thread (`GzipPrefetcher`) while the caller works on the lines.
public final class LineReader {
    public let path: String
    private let gzip: GzipPrefetcher?
    private let plain: FileHandle?
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    public private(set) var lineNumber = 0
    /// Set once `forEachLine` has given a last line that had no newline after it.
    public private(set) var lastLineUnterminated = false

    public init(path: String) throws {
        self.path = path
        if path.hasSuffix(".gz") {
            gzip = try GzipPrefetcher(path: path, depth: 4)
            plain = nil
        } else {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw DivideError(file: path, reason: "no such file")
            }
            gzip = nil
            plain = handle
        }
    }

    public var compressedBytesRead: Int { gzip?.compressedBytesRead ?? 0 }

    private func fill() throws {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        if let gzip {
            let next = try gzip.next()
            if next.isEmpty { eof = true } else { buffer.append(contentsOf: next) }
        } else if let plain {
            let data = plain.readData(ofLength: 1 << 18)
            if data.isEmpty { eof = true } else { buffer.append(contentsOf: data) }
        }
    }

    /// Longest line read by default: a longer one is skipped without being held in memory.
    public static let defaultMaxLineBytes = 16 << 20

    /// Calls `body` with each line (without its newline); the pointer is valid only inside the call.
    /// A line longer than `maxLineBytes` is streamed past (memory stays bounded) and reported to
    /// `onOversize` with its number and length, or, without a handler, stops with an error.
    public func forEachLine(
        maxLineBytes: Int = LineReader.defaultMaxLineBytes,
        onOversize: ((_ line: Int, _ bytes: Int) throws -> Void)? = nil,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws {
        var skipped = 0  // bytes of an oversize line already discarded
        func oversize(_ length: Int) throws {
            if let onOversize { try onOversize(lineNumber, length); return }
            throw DivideError(file: path, location: "line \(lineNumber)",
                              reason: "line of \(length) bytes is longer than the limit of \(maxLineBytes)")
        }
        while true {
            let found: Int? = buffer.withUnsafeBufferPointer { all in
                guard start < all.count, let base = all.baseAddress else { return nil }
                guard let hit = memchr(base + start, 0x0A, all.count - start) else { return nil }
                return (base + start).distance(to: hit.assumingMemoryBound(to: UInt8.self)) + start
            }
            if let end = found {
                lineNumber += 1
                let length = skipped + end - start
                if length > maxLineBytes {
                    skipped = 0
                    start = end + 1
                    try oversize(length)
                    continue
                }
                try buffer.withUnsafeBufferPointer { all in
                    try body(UnsafeBufferPointer(rebasing: all[start..<end]))
                }
                start = end + 1
                continue
            }
            // Inside an oversize line, or once the partial line passes the limit: drop what is
            // buffered (it holds no newline) so memory stays at one chunk plus the limit.
            if skipped > 0 || buffer.count - start > maxLineBytes {
                skipped += buffer.count - start
                buffer.removeAll(keepingCapacity: true)
                start = 0
            }
            if eof {
                if start < buffer.count || skipped > 0 {
                    lineNumber += 1
                    lastLineUnterminated = true
                    let length = skipped + buffer.count - start
                    if length > maxLineBytes {
                        try oversize(length)
                    } else {
                        try buffer.withUnsafeBufferPointer { all in
                            try body(UnsafeBufferPointer(rebasing: all[start..<all.count]))
                        }
                    }
                }
                buffer.removeAll()
                start = 0
                return
            }
            try fill()
        }
    }
}
