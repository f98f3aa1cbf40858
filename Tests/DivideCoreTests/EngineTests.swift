@testable import DivideCore
import Foundation
import Testing

struct ParallelMapTests {
    @Test func resultsComeInInputOrderWithEveryWorkerCount() throws {
        for workers in [1, 2, 4] {
            var seen: [Int] = []
            var next = 0
            try ParallelMap.run(workers: workers, window: 3, next: { () -> Int? in
                guard next < 500 else { return nil }
                next += 1
                return next - 1
            }, transform: { _, i in
                if i % 7 == 0 { usleep(200) }  // later items finish first
                return i * i
            }, consume: { seen.append($0) })
            #expect(seen == (0..<500).map { $0 * $0 })
        }
    }

    @Test func theWindowBoundsItemsTakenButNotConsumed() throws {
        let lock = NSLock()
        var taken = 0, consumed = 0, most = 0
        try ParallelMap.run(workers: 4, window: 5, next: { () -> Int? in
            lock.lock(); defer { lock.unlock() }
            guard taken < 200 else { return nil }
            taken += 1
            most = max(most, taken - consumed)
            return taken
        }, transform: { _, i in i }, consume: { _ in
            lock.lock(); consumed += 1; lock.unlock()
        })
        #expect(consumed == 200)
        #expect(most <= 5)
    }

    struct Boom: Error, Equatable { let at: Int }

    @Test func anErrorFromAWorkerStopsTheRunAndIsThrown() {
        var consumed: [Int] = []
        #expect(throws: Boom(at: 50)) {
            try ParallelMap.run(count: 10_000, workers: 2, transform: { _, i in
                if i == 50 { throw Boom(at: i) }
                return i
            }, consume: { _, i in consumed.append(i) })
        }
        #expect(consumed.count < 100 && consumed == Array(0..<consumed.count))
    }

    @Test func anErrorFromTheConsumerStopsTheRunAndIsThrown() {
        var transformed = 0
        let lock = NSLock()
        #expect(throws: Boom(at: 3)) {
            try ParallelMap.run(count: 10_000, workers: 2, window: 4, transform: { _, i in
                lock.lock(); transformed += 1; lock.unlock()
                return i
            }, consume: { _, i in if i == 3 { throw Boom(at: i) } })
        }
        #expect(transformed < 20)
    }

    @Test func anErrorFromTheInputStopsTheRun() {
        var n = 0
        #expect(throws: Boom(at: 9)) {
            try ParallelMap.run(workers: 2, next: { () -> Int? in
                n += 1
                if n == 9 { throw Boom(at: 9) }
                return n
            }, transform: { _, i in i }, consume: { _ in })
        }
    }
}

struct BlockingQueueTests {
    @Test func aCancelledQueueReleasesTheProducer() throws {
        let queue = BlockingQueue<Int>(capacity: 1)
        #expect(queue.put(1))
        let done = BlockingQueue<Bool>(capacity: 1)
        Thread { done.put(queue.put(2)); done.finish() }.start()  // waits: the queue is full
        usleep(10_000)
        queue.cancel()
        #expect(try done.take() == false)
    }

    @Test func theProducersErrorFollowsItsElements() throws {
        let queue = BlockingQueue<Int>(capacity: 4)
        queue.put(1)
        queue.finish(throwing: ParallelMapTests.Boom(at: 1))
        #expect(try queue.take() == 1)
        #expect(throws: ParallelMapTests.Boom(at: 1)) { try queue.take() }
    }

    @Test func heavyElementsWaitForAnEmptyQueue() throws {
        let queue = BlockingQueue<[UInt8]>(capacity: 10, weight: { $0.count })
        #expect(queue.put([UInt8](repeating: 0, count: 100)))  // alone: taken in
        let done = BlockingQueue<Bool>(capacity: 1)
        Thread { done.put(queue.put([1])); done.finish() }.start()
        usleep(10_000)
        #expect(try queue.take()?.count == 100)
        #expect(try done.take() == true)
    }
}

struct LineReaderFailureTests {
    @Test func aMissingFileThrowsAtOnceAndStartsNoThread() {
        #expect(throws: DivideError(file: "/nonexistent/x.ndjson.gz", reason: "no such file or directory")) {
            try LineReader(path: "/nonexistent/x.ndjson.gz")
        }
    }

    @Test func aFileThatIsNotGzipIsAnError() throws {
        let path = temporaryPath("plain.ndjson.gz")
        _ = FileManager.default.createFile(atPath: path, contents: Data("{\"a\":1}\n".utf8))
        #expect(throws: DivideError(file: path, reason: "not gzip data (bad header)")) { try LineReader(path: path) }
    }

    @Test func aReaderDroppedMidFileDoesNotHang() throws {
        let path = temporaryPath("many.ndjson.gz")
        let writer = try NDJSONWriter(path: path)
        for i in 0..<100_000 { try writer.write(.int(i)) }
        try writer.commit()
        struct Stop: Error {}
        var seen = 0
        #expect(throws: Stop.self) { try LineReader(path: path, readAhead: 1).forEachLine { _ in seen += 1; if seen == 10 { throw Stop() } } }
        var lines = 0
        try LineReader(path: path).forEachLine { _ in lines += 1 }
        #expect(lines == 100_000)
    }
}

/// A sink that fails after `after` writes, as a full disk does.
final class FailingSink: ByteSink {
    var after: Int
    init(after: Int) { self.after = after }
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if after == 0 { throw DivideError(errno: ENOSPC, file: "sink") }
        after -= 1
    }
    func close() throws {}
}

struct WriterFailureTests {
    @Test func aFailingSinkIsThrownAndLeavesNoFile() throws {
        let path = temporaryPath("disk-full.ndjson.gz")
        let writer = try NDJSONWriter(path: path, sink: { _ in FailingSink(after: 2) })
        #expect(throws: DivideError(file: "sink", reason: "no space left on device")) {
            for i in 0..<100_000 { try writer.write(.string("record \(i)")) }
            try writer.commit()
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func moreThanSixtyFourTemporaryFilesAreAllRegistered() throws {
        let files = try (0..<150).map { try AtomicFile(path: temporaryPath("many-\($0).txt")) }
        #expect(files.allSatisfy { TemporaryFileRegistry.shared.contains($0.temporaryPath) })
    }
}
