import DivideCore
import Foundation

/// Classifies a stream of papers on every core while keeping input order. The caller hands in
/// raw NDJSON lines; workers parse them, classify, and serialize the output line, so only
/// decompression and compression stay on the calling thread. Each worker owns a
/// `PaperClassifier` (classifiers keep per-instance caches; the organization registry and the
/// compute table they share are read-only).
public final class ParallelPaperClassification {
    /// What a worker hands back for one input line. The line's bytes are valid only inside `emit`.
    public enum Outcome {
        case classified(line: UnsafeBufferPointer<UInt8>, rates: UnknownRates.Entry)
        case invalid(reason: String)
    }

    /// The top-level keys classification reads; the rest of a record (ids, sources, extras) is
    /// checked for structure and skipped.
    static let keys = JSONParser.Members(keeping: [
        "id", "source", "title", "year", "venue", "abstract", "authors", "unassigned_affiliations", "unassigned_domains",
        "categories", "keywords", "status",
    ])

    private enum LineResult {
        case classified(Range<Int>, UnknownRates.Entry)
        case invalid(String)
    }

    private let workers: [PaperClassifier]
    /// The buffered input lines back to back; line i is `ends[i - 1]..<ends[i]`.
    private var text: [UInt8] = []
    private var ends: [Int] = []
    private var lineNumbers: [Int] = []
    /// Each worker's serialized output lines, back to back (capacity kept from batch to batch).
    private var serializers: [JSONSerializer]
    private let batchSize: Int
    private let emit: (Outcome, Int) throws -> Void

    /// `makeClassifier` is called once per worker; `emit` gets each outcome with its line number,
    /// in input order, on the calling thread.
    public init(workers: Int = ProcessInfo.processInfo.activeProcessorCount, batchSize: Int = 4096,
                makeClassifier: () throws -> PaperClassifier, emit: @escaping (Outcome, Int) throws -> Void) rethrows {
        self.workers = try (0..<max(1, workers)).map { _ in try makeClassifier() }
        self.batchSize = batchSize
        self.emit = emit
        serializers = Array(repeating: JSONSerializer(), count: self.workers.count)
        ends.reserveCapacity(batchSize)
        lineNumbers.reserveCapacity(batchSize)
    }

    public func add(line: UnsafeBufferPointer<UInt8>, number: Int) throws {
        if line.isEmpty { return }
        text.append(contentsOf: line)
        ends.append(text.count)
        lineNumbers.append(number)
        if ends.count >= batchSize { try flush() }
    }

    /// Processes what is buffered and emits it in input order.
    public func flush() throws {
        guard !ends.isEmpty else { return }
        let n = ends.count
        let chunks = workers.count
        var results = [LineResult?](repeating: nil, count: n)
        let ends = self.ends
        text.withUnsafeBufferPointer { all in
            results.withUnsafeMutableBufferPointer { resultBuffer in
                serializers.withUnsafeMutableBufferPointer { serializerBuffer in
                    let results = resultBuffer.baseAddress!
                    let serializers = serializerBuffer.baseAddress!
                    DispatchQueue.concurrentPerform(iterations: chunks) { w in
                        let lo = n * w / chunks, hi = n * (w + 1) / chunks
                        let classifier = workers[w]
                        let serializer = serializers + w
                        serializer.pointee.reset()
                        for i in lo..<hi {
                            let line = UnsafeBufferPointer(rebasing: all[(i == 0 ? 0 : ends[i - 1])..<ends[i]])
                            let result: LineResult
                            do {
                                let paper = try PaperRecord(json: JSONParser.parseObject(line, selecting: ParallelPaperClassification.keys))
                                let classified = classifier.classify(paper, unassignedAffiliations: paper.unassignedAffiliations,
                                                                     unassignedDomains: paper.unassignedDomains)
                                let start = serializer.pointee.bytes.count
                                classified.write(to: &serializer.pointee)
                                result = .classified(start..<serializer.pointee.bytes.count, UnknownRates.Entry(classified))
                            } catch {
                                result = .invalid("\(error)")
                            }
                            (results + i).initialize(to: result)
                        }
                    }
                }
            }
        }
        let numbers = lineNumbers
        text.removeAll(keepingCapacity: true)
        self.ends.removeAll(keepingCapacity: true)
        lineNumbers.removeAll(keepingCapacity: true)
        for w in 0..<chunks {
            let lo = n * w / chunks, hi = n * (w + 1) / chunks
            try serializers[w].bytes.withUnsafeBufferPointer { bytes in
                for i in lo..<hi {
                    switch results[i]! {
                    case let .classified(range, entry):
                        try emit(.classified(line: UnsafeBufferPointer(rebasing: bytes[range]), rates: entry), numbers[i])
                    case let .invalid(reason):
                        try emit(.invalid(reason: reason), numbers[i])
                    }
                }
            }
        }
    }
}
