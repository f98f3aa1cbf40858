import Foundation

/// `LineReader` with the decompression on a second thread: a background thread inflates the
/// gzip stream into 256 KB chunks (at most `depth` ahead) while the caller works through the
/// lines of the previous ones. For stages that read large stage files and do real work per line
/// (dedupe), this takes inflate off the critical path on a 2-core machine. Same contract as
/// `LineReader.forEachLine`: lines without their newline, pointers valid only inside the call.
public final class PrefetchingLineReader {
    public let path: String
    public private(set) var lineNumber = 0
    private let depth: Int

    public init(path: String, depth: Int = 8) {
        self.path = path
        self.depth = depth
    }

    private final class Channel: @unchecked Sendable {
        let lock = NSCondition()
        var chunks: [[UInt8]] = []
        var finished = false
        var failure: Error?
        var cancelled = false
    }

    public func forEachLine(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        let channel = Channel()
        let reader = try GzipReader(path: path)
        let depth = self.depth
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
                channel.chunks.append(Array(buffer[0..<n]))
                channel.lock.broadcast()
                channel.lock.unlock()
            }
        }
        producer.start()
        defer {
            channel.lock.lock(); channel.cancelled = true; channel.lock.broadcast()
            while !channel.finished { channel.lock.wait() }
            channel.lock.unlock()
        }
        var carry: [UInt8] = []
        while true {
            channel.lock.lock()
            while channel.chunks.isEmpty && !channel.finished { channel.lock.wait() }
            if let failure = channel.failure { channel.lock.unlock(); throw failure }
            if channel.chunks.isEmpty { channel.lock.unlock(); break }
            let chunk = channel.chunks.removeFirst()
            channel.lock.broadcast()
            channel.lock.unlock()
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
