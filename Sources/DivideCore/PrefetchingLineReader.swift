import Foundation

/// Inflates a gzip file on a background thread into 256 KB chunks, at most `depth` ahead of the
/// consumer, so decompression overlaps the work done on the previous chunks (on the second core).
/// Chunks come out in file order; an inflate error is thrown where it occurred in the stream.
public final class GzipPrefetcher {
    private final class Channel: @unchecked Sendable {
        let lock = NSCondition()
        var chunks: [(bytes: [UInt8], compressedOffset: Int)] = []
        var finished = false
        var failure: Error?
        var cancelled = false
    }

    private let channel = Channel()
    /// Compressed bytes consumed up to the end of the last chunk returned.
    public private(set) var compressedBytesRead = 0

    public init(path: String, depth: Int = 8) throws {
        let reader = try GzipReader(path: path)
        let channel = self.channel
        let producer = Thread {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let n: Int
                do { n = try reader.read(into: buffer) } catch {
                    channel.lock.lock(); channel.failure = error; channel.finished = true; channel.lock.broadcast(); channel.lock.unlock()
                    return
                }
                channel.lock.lock()
                while channel.chunks.count >= depth && !channel.cancelled { channel.lock.wait() }
                if channel.cancelled || n == 0 {
                    channel.finished = true
                    channel.lock.broadcast()
                    channel.lock.unlock()
                    return
                }
                channel.chunks.append((Array(buffer[0..<n]), reader.compressedBytesRead))
                channel.lock.broadcast()
                channel.lock.unlock()
            }
        }
        producer.start()
    }

    /// Stops the background thread (waiting for it), if the stream was not read to its end.
    deinit { stop() }

    /// The next chunk of decompressed bytes; empty at the end of the stream.
    public func next() throws -> [UInt8] {
        channel.lock.lock()
        defer { channel.lock.unlock() }
        while channel.chunks.isEmpty && !channel.finished { channel.lock.wait() }
        if let failure = channel.failure { throw failure }
        if channel.chunks.isEmpty { return [] }
        let chunk = channel.chunks.removeFirst()
        compressedBytesRead = chunk.compressedOffset
        channel.lock.broadcast()
        return chunk.bytes
    }

    public func stop() {
        channel.lock.lock()
        channel.cancelled = true
        channel.lock.broadcast()
        while !channel.finished { channel.lock.wait() }
        channel.lock.unlock()
    }
}

/// `LineReader` for stages that read large stage files and do real work per line (dedupe): the
/// gzip stream is inflated by a `GzipPrefetcher`. Same contract as `LineReader.forEachLine`:
/// lines without their newline, pointers valid only inside the call.
public final class PrefetchingLineReader {
    public let path: String
    public private(set) var lineNumber = 0
    private let depth: Int

    public init(path: String, depth: Int = 8) {
        self.path = path
        self.depth = depth
    }

    public func forEachLine(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        let chunks = try GzipPrefetcher(path: path, depth: depth)
        defer { chunks.stop() }
        var carry: [UInt8] = []
        while true {
            let chunk = try chunks.next()
            if chunk.isEmpty { break }
            try chunk.withUnsafeBufferPointer { all in
                var start = 0
                while start < all.count {
                    guard let hit = memchr(all.baseAddress! + start, 0x0A, all.count - start) else { break }
                    let end = all.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    lineNumber += 1
                    if carry.isEmpty {
                        try body(UnsafeBufferPointer(rebasing: all[start..<end]))
                    } else {
                        carry.append(contentsOf: all[start..<end])
                        try carry.withUnsafeBufferPointer { try body($0) }
                        carry.removeAll(keepingCapacity: true)
                    }
                    start = end + 1
                }
                if start < all.count { carry.append(contentsOf: all[start...]) }
            }
        }
        if !carry.isEmpty {
            lineNumber += 1
            try carry.withUnsafeBufferPointer { try body($0) }
        }
    }
}
