import DivideCore
import Foundation

/// Classifies a stream of papers on every core while keeping input order. The caller hands in
/// raw NDJSON lines; workers parse them, classify, and serialize the output line, so only
/// decompression and compression stay on the calling thread. Each worker owns a
/// `PaperClassifier` (classifiers keep per-instance caches; the organization registry and the
/// compute table they share are read-only).
public final class ParallelPaperClassification {
    /// What a worker hands back for one input line.
    public enum Outcome {
        case classified(line: [UInt8], paper: ClassifiedPaper)
        case invalid(reason: String)
    }

    private let workers: [PaperClassifier]
    private var batch: [[UInt8]] = []
    private var lineNumbers: [Int] = []
    private let batchSize: Int
    private let emit: (Outcome, Int) throws -> Void

    /// `makeClassifier` is called once per worker; `emit` gets each outcome with its line number,
    /// in input order, on the calling thread.
    public init(workers: Int = ProcessInfo.processInfo.activeProcessorCount, batchSize: Int = 4096,
                makeClassifier: () throws -> PaperClassifier, emit: @escaping (Outcome, Int) throws -> Void) rethrows {
        self.workers = try (0..<max(1, workers)).map { _ in try makeClassifier() }
        self.batchSize = batchSize
        self.emit = emit
        batch.reserveCapacity(batchSize)
    }

    public func add(line: UnsafeBufferPointer<UInt8>, number: Int) throws {
        if line.isEmpty { return }
        batch.append(Array(line))
        lineNumbers.append(number)
        if batch.count >= batchSize { try flush() }
    }

    /// Processes what is buffered and emits it in input order.
    public func flush() throws {
        guard !batch.isEmpty else { return }
        let lines = batch
        let n = lines.count
        let chunks = workers.count
        var results = [Outcome?](repeating: nil, count: n)
        results.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunks) { w in
                let lo = n * w / chunks, hi = n * (w + 1) / chunks
                let classifier = workers[w]
                var serializer = JSONSerializer()
                for i in lo..<hi {
                    let outcome: Outcome
                    do {
                        let json = try JSONParser.parse(lines[i])
                        let paper = try PaperRecord(json: json)
                        // Read by key: the parse stage's paper-level lists are not PaperRecord fields everywhere.
                        let classified = classifier.classify(paper,
                                                             unassignedAffiliations: json["unassigned_affiliations"]?.stringArray ?? [],
                                                             unassignedDomains: json["unassigned_domains"]?.stringArray ?? [])
                        serializer.reset()
                        serializer.write(classified.json)
                        outcome = .classified(line: serializer.bytes, paper: classified)
                    } catch {
                        outcome = .invalid(reason: "\(error)")
                    }
                    (base + i).initialize(to: outcome)
                }
            }
        }
        let numbers = lineNumbers
        batch.removeAll(keepingCapacity: true)
        lineNumbers.removeAll(keepingCapacity: true)
        for (r, line) in zip(results, numbers) { try emit(r!, line) }
    }
}
