import CZlib
import Foundation

/// Streams the decompressed bytes of a gzip file (several concatenated members are one stream).
/// A file that is not gzip, or a truncated or corrupt member, is an error, never a silently
/// short (or verbatim) read.
public final class GzipReader {
    public let path: String
    private var file: gzFile?
    public private(set) var compressedBytesRead: Int = 0
    /// Size of the compressed file, for progress.
    public let fileBytes: Int

    public init(path: String) throws {
        self.path = path
        fileBytes = try checkReadable(path)
        guard let handle = gzopen(path, "rb") else { throw DivideError(errno: errno, file: path) }
        gzbuffer(handle, 256 * 1024)
        file = handle
        // zlib passes non-gzip bytes through verbatim; a .gz file that is not gzip is damaged.
        // (`gzdirect` right after opening reads the header.)
        if fileBytes > 0 && gzdirect(handle) != 0 { throw DivideError(file: path, reason: "not gzip data (bad header)") }
    }

    deinit { if let file { gzclose_r(file) } }

    /// Reads up to `buffer.count` bytes; 0 means end of stream.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let file else { return 0 }
        let n = gzread(file, buffer.baseAddress, UInt32(buffer.count))
        if n < 0 || (n == 0 && gzeof(file) == 0) || (n < buffer.count && hasError(file)) {
            var code: Int32 = 0
            var message = gzerror(file, &code).map { String(cString: $0) } ?? "read error"
            // zlib puts the path in front of its message; the error names the file once.
            if message.hasPrefix(path + ": ") { message.removeFirst(path.count + 2) }
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

    /// Reads the whole decompressed content (for small inputs: JSON arrays, reference lists); past
    /// the budget's `maxFileBytes` inflated bytes it stops with an error (a gzip bomb costs at most that).
    public static func readAll(path: String, budget: InputBudget = .current) throws -> [UInt8] {
        let reader = try GzipReader(path: path)
        var out: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let n = try reader.read(into: chunk)
            if n == 0 { break }
            guard out.count + n <= budget.maxFileBytes else { throw budget.fileTooLarge(path) }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }
}

/// Reads a file that may or may not be gzip-compressed (decided by the `.gz` suffix), within the
/// budget's `maxFileBytes`.
public func readFileBytes(path: String, budget: InputBudget = .current) throws -> [UInt8] {
    if path.hasSuffix(".gz") { return try GzipReader.readAll(path: path, budget: budget) }
    let size = try checkReadable(path)
    guard size <= budget.maxFileBytes else { throw budget.fileTooLarge(path) }
    // FileManager leaks its read buffer on an empty file (found by fuzzing, LeakSanitizer).
    if size == 0 { return [] }
    guard let data = FileManager.default.contents(atPath: path) else { throw DivideError(errno: errno, file: path) }
    return [UInt8](data)
}

/// Writes gzip (level 1 by default: between stages speed matters more than size). zlib's gzip
/// header carries no timestamp, so the same bytes in give the same file out.
public final class GzipWriter: ByteSink {
    public let path: String
    private var file: gzFile?

    public init(path: String, level: Int = 1) throws {
        self.path = path
        guard let handle = gzopen(path, "wb\(level)") else {
            throw DivideError(errno: errno, file: path)
        }
        gzbuffer(handle, 256 * 1024)
        file = handle
    }

    deinit { if let file { gzclose_w(file) } }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let file, bytes.count > 0 else { return }
        let n = gzwrite(file, bytes.baseAddress, UInt32(bytes.count))
        if n != bytes.count { throw errno != 0 ? DivideError(errno: errno, file: path) : DivideError(file: path, reason: "write failed") }
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

/// Where a stage writes bytes: a gzip file, or (in tests) a sink that fails like a full disk.
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    func close() throws
}

/// Compresses on its own thread: `write` hands each buffer over and returns, so deflate overlaps
/// the work that produces the next records. Buffers reach the sink in the order written; at
/// most `maxQueuedBytes` wait (one larger buffer at most). A failed sink write is thrown by the
/// next `write` or by `close`; dropped without `close`, the thread stops after its current buffer.
public final class BackgroundWriter {
    public let path: String
    private let queue: BlockingQueue<[UInt8]>
    private let done = BlockingQueue<Error?>(capacity: 1)
    private let failure = FailureBox()
    private let sink: ByteSink
    private var closed = false

    public init(sink: ByteSink, path: String, maxQueuedBytes: Int = 1 << 20) {
        self.path = path
        self.sink = sink
        let queue = BlockingQueue<[UInt8]>(capacity: maxQueuedBytes, weight: { $0.count })
        self.queue = queue
        let (done, failure) = (self.done, self.failure)
        let box = UncheckedSendable(sink)
        startThread(named: "gzip") {
            var error: Error?
            do {
                while let chunk = try queue.take() { try chunk.withUnsafeBytes { try box.value.write($0) } }
            } catch let thrown {
                error = thrown
                failure.set(thrown)
                queue.cancel()
            }
            done.put(error)
            done.finish()
        }
    }

    deinit { if !closed { queue.cancel() } }

    public func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        if let error = failure.value { throw error }
        if !queue.put(bytes) { throw failure.value ?? DivideError(file: path, reason: "write after close") }
    }

    /// Writes what is queued, then closes the sink.
    public func close() throws {
        guard !closed else { return }
        closed = true
        queue.finish()
        if let error = try done.take() ?? nil { throw error }
        try sink.close()
    }
}

final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?
    var value: Error? { lock.lock(); defer { lock.unlock() }; return error }
    func set(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }
}

struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Yields the lines of a gzip (or plain) text file without holding the file in memory. A gzip
/// file is inflated on a thread of its own, a few chunks ahead of the caller.
public final class LineReader {
    public let path: String
    private let chunks: BlockingQueue<(bytes: [UInt8], offset: Int)>?
    private let plain: FileHandle?
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    public private(set) var lineNumber = 0
    /// Set once `forEachLine` has given a last line that had no newline after it.
    public private(set) var lastLineUnterminated = false
    /// Compressed bytes consumed so far, and the file's size (for progress).
    public private(set) var compressedBytesRead = 0
    public let fileBytes: Int

    /// Longest line read by default (the budget's record size): a longer one is skipped without
    /// being held in memory.
    public static var defaultMaxLineBytes: Int { InputBudget.current.maxRecordBytes }

    public init(path: String, readAhead depth: Int = 8) throws {
        self.path = path
        if path.hasSuffix(".gz") {
            // Opened here, so a missing or unreadable file throws before any thread exists.
            let reader = try GzipReader(path: path)
            fileBytes = reader.fileBytes
            let queue = BlockingQueue<(bytes: [UInt8], offset: Int)>(capacity: depth)
            chunks = queue
            plain = nil
            let box = UncheckedSendable(reader)
            startThread(named: "inflate") {
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
                defer { buffer.deallocate() }
                do {
                    while true {
                        let n = try box.value.read(into: buffer)
                        if n == 0 { break }
                        if !queue.put((Array(buffer[0..<n]), box.value.compressedBytesRead)) { return }
                    }
                    queue.finish()
                } catch {
                    queue.finish(throwing: error)
                }
            }
        } else {
            fileBytes = try checkReadable(path)
            guard let handle = FileHandle(forReadingAtPath: path) else { throw DivideError(errno: errno, file: path) }
            chunks = nil
            plain = handle
        }
    }

    /// The inflating thread stops at its next chunk when the reader is dropped early.
    deinit { chunks?.cancel() }

    private func fill() throws {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        if let chunks {
            if let next = try chunks.take() {
                buffer.append(contentsOf: next.bytes)
                compressedBytesRead = next.offset
            } else {
                eof = true
            }
        } else if let plain {
            let data = plain.readData(ofLength: 1 << 18)
            if data.isEmpty { eof = true } else { buffer.append(contentsOf: data) }
            compressedBytesRead += data.count
        }
    }

    /// Calls `body` with each line (without its newline); the pointer is valid only inside the call.
    /// A line longer than `maxLineBytes` is streamed past (memory stays bounded) and reported to
    /// `onOversize` with its number and length, or, without a handler, stops with an error.
    public func forEachLine(
        maxLineBytes: Int = LineReader.defaultMaxLineBytes,
        onOversize: ((_ line: Int, _ bytes: Int) throws -> Void)? = nil,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws {
        while try nextLine(maxLineBytes: maxLineBytes, onOversize: onOversize, body) {}
    }

    private var skipped = 0  // bytes of an oversize line already discarded

    /// Reads one line as `forEachLine` does (`body` or `onOversize`); false at the end of the file.
    public func nextLine(
        maxLineBytes: Int = LineReader.defaultMaxLineBytes,
        onOversize: ((_ line: Int, _ bytes: Int) throws -> Void)? = nil,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws -> Bool {
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
                    return true
                }
                try buffer.withUnsafeBufferPointer { all in
                    try body(UnsafeBufferPointer(rebasing: all[start..<end]))
                }
                start = end + 1
                return true
            }
            // Inside an oversize line, or once the partial line passes the limit: drop what is
            // buffered (it holds no newline) so memory stays at one chunk plus the limit.
            if skipped > 0 || buffer.count - start > maxLineBytes {
                skipped += buffer.count - start
                buffer.removeAll(keepingCapacity: true)
                start = 0
            }
            if eof {
                guard start < buffer.count || skipped > 0 else { return false }
                lineNumber += 1
                lastLineUnterminated = true
                let length = skipped + buffer.count - start
                skipped = 0
                defer {
                    buffer.removeAll()
                    start = 0
                }
                if length > maxLineBytes {
                    try oversize(length)
                } else {
                    try buffer.withUnsafeBufferPointer { all in
                        try body(UnsafeBufferPointer(rebasing: all[start..<all.count]))
                    }
                }
                return true
            }
            try fill()
        }
    }
}

/// The size of a regular file that can be opened for reading, or the reason it cannot (a missing
/// or unreadable input ends a stage at once).
public func checkReadable(_ path: String) throws -> Int {
    var info = stat()
    guard stat(path, &info) == 0 else { throw DivideError(errno: errno, file: path) }
    if (info.st_mode & S_IFMT) == S_IFDIR { throw DivideError(errno: EISDIR, file: path) }
    // A FIFO or a device (/dev/zero) would block or never end: only regular files are inputs.
    guard (info.st_mode & S_IFMT) == S_IFREG else { throw DivideError(file: path, reason: "not a regular file") }
    guard access(path, R_OK) == 0 else { throw DivideError(errno: errno, file: path) }
    return Int(info.st_size)
}

extension DivideError {
    /// `no such file or directory`, `permission denied`, … for a failed system call on `file`.
    public init(errno code: Int32, file: String) {
        self.init(file: file, reason: String(cString: strerror(code)).lowercased())
    }
}
