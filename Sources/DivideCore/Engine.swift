import Foundation

/// The one hand-off between threads: a FIFO bounded by the total `weight` of what it holds. A
/// producer `put`s until it is told to stop, a consumer `take`s until the end or the producer's
/// error. Either side can end it at any time, so neither can be left waiting for the other.
public final class BlockingQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private var held = 0
    private var finished = false
    private var cancelled = false
    private var failure: Error?
    private let capacity: Int
    private let weight: (Element) -> Int

    /// An element heavier than `capacity` waits until the queue is empty, so one such element at
    /// most is held.
    public init(capacity: Int, weight: @escaping (Element) -> Int = { _ in 1 }) {
        self.capacity = max(1, capacity)
        self.weight = weight
    }

    /// Waits for room; false when the consumer has cancelled (the producer should stop).
    @discardableResult
    public func put(_ element: Element) -> Bool {
        let w = weight(element)
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && held > 0 && held + w > capacity { condition.wait() }
        guard !cancelled else { return false }
        items.append(element)
        held += w
        condition.broadcast()
        return true
    }

    /// The producer is done; with an error, `take` throws it once the elements before it are taken.
    public func finish(throwing error: Error? = nil) {
        condition.lock()
        if failure == nil { failure = error }
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer gives up: `put` returns false from now on and what is held is dropped.
    public func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        head = 0
        held = 0
        condition.broadcast()
        condition.unlock()
    }

    /// The next element; nil at the end (or after `cancel`).
    public func take() throws -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !finished && !cancelled { condition.wait() }
        if head == items.count {
            if let failure, !cancelled { throw failure }
            return nil
        }
        let element = items[head]
        head += 1
        held -= weight(element)
        if head >= 64 || head == items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return element
    }

    /// Waits until the consumer has taken everything or cancelled (for a writer's close).
    public func waitUntilDrained() {
        condition.lock()
        while head < items.count && !cancelled { condition.wait() }
        condition.unlock()
    }
}

/// Starts `body` on a new thread; the one place the engine makes a thread of its own.
func startThread(named name: String, _ body: @escaping @Sendable () -> Void) {
    let thread = Thread(block: body)
    thread.name = name
    thread.start()
}

/// The one parallel map of the engine: items from `next` are transformed on `workers` threads
/// and handed to `consume` in input order, one at a time, as if the work were done serially.
/// At most `window` items are taken but not yet consumed, which bounds memory. The first error
/// from `next`, `transform` or `consume` stops the run (no new items are taken) and is rethrown
/// once the workers have finished their current item.
public enum ParallelMap {
    public static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `next` is called on one thread at a time; `transform` gets the number of the worker
    /// (0..<workers) calling it, so a worker can use state of its own.
    public static func run<Input, Output>(
        workers: Int = cores, window: Int = 2 * cores,
        next: () throws -> Input?,
        transform: (_ worker: Int, Input) throws -> Output,
        consume: (Output) throws -> Void
    ) throws {
        let workers = max(1, workers)
        if workers == 1 {
            while let input = try next() { try consume(try transform(0, input)) }
            return
        }
        let state = MapState<Output>(window: max(1, window))
        withoutActuallyEscaping(next) { next in
            withoutActuallyEscaping(transform) { transform in
                withoutActuallyEscaping(consume) { consume in
                    DispatchQueue.concurrentPerform(iterations: workers) { worker in
                        state.work(worker: worker, next: next, transform: transform, consume: consume)
                    }
                }
            }
        }
        if let failure = state.failure { throw failure }
    }

    /// The same over `0..<count`: `transform` gets each index.
    public static func run<Output>(
        count: Int, workers: Int = cores, window: Int = 2 * cores,
        transform: (_ worker: Int, _ index: Int) throws -> Output,
        consume: (_ index: Int, Output) throws -> Void
    ) throws {
        var index = 0
        try run(workers: min(workers, max(1, count)), window: window, next: { () -> Int? in
            guard index < count else { return nil }
            index += 1
            return index - 1
        }, transform: { worker, i in (i, try transform(worker, i)) }, consume: { pair in try consume(pair.0, pair.1) })
    }

    /// `transform` of every index, in index order.
    public static func map<Output>(count: Int, workers: Int = cores, _ transform: (Int) throws -> Output) throws -> [Output] {
        var out: [Output] = []
        out.reserveCapacity(count)
        try run(count: count, workers: workers, window: max(1, count), transform: { _, i in try transform(i) }) { _, value in out.append(value) }
        return out
    }
}

private final class MapState<Output>: @unchecked Sendable {
    private let window: Int
    private let condition = NSCondition()
    private let input = NSLock()
    private var reserved = 0          // items taken (or being taken) and not yet consumed
    private var nextIndex = 0         // index the next taken item gets
    private var consumed = 0          // index of the next item to consume
    private var exhausted = false
    private var consuming = false
    private var done: [Int: Output] = [:]
    private(set) var failure: Error?

    init(window: Int) { self.window = window }

    private func fail(_ error: Error) {
        condition.lock()
        if failure == nil { failure = error }
        condition.broadcast()
        condition.unlock()
    }

    func work<Input>(worker: Int, next: () throws -> Input?, transform: (Int, Input) throws -> Output, consume: (Output) throws -> Void) {
        while true {
            condition.lock()
            while failure == nil && !exhausted && reserved >= window { condition.wait() }
            if failure != nil || exhausted { condition.unlock(); return }
            reserved += 1
            condition.unlock()

            input.lock()
            let item: Input?
            let index = nextIndex
            do { item = try next() } catch {
                input.unlock()
                fail(error)
                return
            }
            if item != nil { nextIndex += 1 }
            input.unlock()
            guard let item else {
                condition.lock()
                exhausted = true
                reserved -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let output: Output
            do { output = try transform(worker, item) } catch {
                fail(error)
                return
            }
            condition.lock()
            done[index] = output
            drain(consume)
            condition.unlock()
        }
    }

    /// Consumes the finished items next in order; called and returning with the lock held, which
    /// is released while consuming so the others can hand in their items.
    private func drain(_ consume: (Output) throws -> Void) {
        guard !consuming else { return }
        consuming = true
        while failure == nil, let output = done.removeValue(forKey: consumed) {
            condition.unlock()
            var error: Error?
            do { try consume(output) } catch let thrown { error = thrown }
            condition.lock()
            if let error, failure == nil { failure = error }
            consumed += 1
            reserved -= 1
            condition.broadcast()
        }
        consuming = false
    }
}

/// Runs async work from synchronous code (a stage's `run`) and waits for its result.
public func waitFor<T>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let result = BlockingQueue<Result<T, Error>>(capacity: 1)
    Task {
        do { result.put(.success(try await work())) } catch { result.put(.failure(error)) }
        result.finish()
    }
    return try result.take()!.get()
}
