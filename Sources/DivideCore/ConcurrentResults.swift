import Foundation

/// Runs `body` for every index in `0..<count` on all cores (`concurrentPerform`) and returns
/// each index's value or error, in index order.
public func concurrentResults<Value>(count: Int, _ body: (Int) throws -> Value) -> [Result<Value, Error>] {
    let slots = ResultSlots<Value>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { index in
        slots.set(index, Result { try body(index) })
    }
    return slots.results
}

/// One result per index, filled from several threads.
private final class ResultSlots<Value>: @unchecked Sendable {
    private var slots: [Result<Value, Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<Value, Error>) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    var results: [Result<Value, Error>] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}
