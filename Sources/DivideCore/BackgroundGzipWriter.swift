import Foundation

/// A `GzipWriter` whose compression runs on its own thread: `write` hands each buffer over and
/// returns, so deflate (a third of a stage's time when it writes large NDJSON) overlaps with the
/// work that produces the next records, on the second core. Buffers are compressed in the order
/// they were written, with the same `gzwrite` calls a `GzipWriter` would make, so the file is
/// byte-identical. At most `maxQueuedBytes` wait, which bounds memory; a larger buffer (a whole
/// file's records, say) waits until the queue is empty, so at most one such buffer is queued.
public final class BackgroundGzipWriter {
    public let path: String
    private let worker: Worker

    public init(path: String, level: Int = 1, maxQueuedBytes: Int = 1 << 20) throws {
        self.path = path
        worker = Worker(gzip: try GzipWriter(path: path, level: level), maxQueuedBytes: maxQueuedBytes)
        let worker = self.worker
        let thread = Thread { worker.run() }
        thread.name = "gzip"
        thread.start()
    }

    /// Dropped without `close()` (an error elsewhere): the thread finishes what is queued and ends.
    deinit { worker.stop() }

    /// Queues `bytes` for compression; throws the error of an earlier failed write.
    public func write(_ bytes: [UInt8]) throws { try worker.enqueue(bytes) }

    /// Compresses what is queued, then closes the gzip stream.
    public func close() throws {
        worker.stop()
        if let failure = worker.failed { throw failure }
        try worker.gzip.close()
    }

    private final class Worker: @unchecked Sendable {
        let gzip: GzipWriter
        private let maxQueuedBytes: Int
        private let condition = NSCondition()
        private var queue: [[UInt8]] = []
        private var queuedBytes = 0
        private var head = 0
        private var closing = false
        private var finished = false
        private var failure: Error?

        init(gzip: GzipWriter, maxQueuedBytes: Int) {
            self.gzip = gzip
            self.maxQueuedBytes = maxQueuedBytes
        }

        var failed: Error? {
            condition.lock()
            defer { condition.unlock() }
            return failure
        }

        func enqueue(_ bytes: [UInt8]) throws {
            guard !bytes.isEmpty else { return }
            condition.lock()
            defer { condition.unlock() }
            while queuedBytes > 0 && queuedBytes + bytes.count > maxQueuedBytes && !finished { condition.wait() }
            if let failure { throw failure }
            if finished { throw DivideError(file: gzip.path, reason: "write after close") }
            queue.append(bytes)
            queuedBytes += bytes.count
            condition.broadcast()
        }

        func stop() {
            condition.lock()
            closing = true
            condition.broadcast()
            while !finished { condition.wait() }
            condition.unlock()
        }

        func run() {
            while true {
                condition.lock()
                while queue.count == head && !closing { condition.wait() }
                if queue.count == head {
                    finished = true
                    condition.broadcast()
                    condition.unlock()
                    return
                }
                let chunk = queue[head]
                queue[head] = []
                queuedBytes -= chunk.count
                head += 1
                if head >= 64 {
                    queue.removeFirst(head)
                    head = 0
                }
                condition.broadcast()
                condition.unlock()
                do {
                    try gzip.write(chunk)
                } catch {
                    condition.lock()
                    failure = error
                    finished = true
                    condition.broadcast()
                    condition.unlock()
                    return
                }
            }
        }
    }
}
