import ArgumentParser
import DivideCore
import DivideDedupe

struct DedupePapers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "papers",
        abstract: "One record per paper across arXiv, the conference lists and the ACL Anthology.",
        discussion: """
        Two streaming passes over the inputs: the first builds the match index and the clusters, the \
        second merges each cluster as its records go by. Rules, strongest first: arxiv_id, doi \
        (case-folded; 10.48550/arXiv.<id> counts as the arXiv id), title_year_author (normalized \
        title + first-author surname + year ±1). Rejected and withdrawn submissions are excluded. \
        Every merge, and every refused one, is a line of the audit file.
        """)

    @Option(help: "Parsed paper records (repeatable; order sets the output order).")
    var input: [String]

    @Option(help: "Unique paper records out (the analysis set).")
    var output: String

    @Option(help: "Audit of every merge and refused merge: {action, rule, key, a, b, reason?}.")
    var merges: String

    func validate() throws {
        if input.isEmpty { throw ValidationError("name at least one --input") }
    }

    func run() throws {
        runStage("dedupe papers", output: output) { counts in
            let deduplicator = PaperDeduplicator()
            // A line that does not decode, or repeats an id, is quarantined (not fatal); pass 2 skips it.
            let rejectsPath = RejectsWriter.path(besides: output)
            let rejects = try RejectsWriter(path: rejectsPath)
            var rejectedLines: Set<[Int]> = []
            for (fileIndex, path) in input.enumerated() {
                let name = String(path.split(separator: "/").last ?? "")
                let lines = PrefetchingLineReader(path: path)
                var read = 0
                try lines.forEachLine { line in
                    guard !line.isEmpty else { return }
                    counts.input += 1
                    read += 1
                    let duplicatesBefore = deduplicator.duplicateIDs
                    do { try deduplicator.index(line: line) } catch {
                        rejectedLines.insert([fileIndex, lines.lineNumber])
                        counts.reject(category: "\(error)")
                        try rejects.reject(file: name, location: "line \(lines.lineNumber)", reason: "\(error)")
                        return
                    }
                    if deduplicator.duplicateIDs > duplicatesBefore {
                        counts.reject(reason: "duplicate id (same source record twice)")
                        try rejects.reject(file: name, location: "line \(lines.lineNumber)", reason: "duplicate id (same source record twice)")
                    }
                }
                try checkUpstreamCounts(of: path, read: read)
                counts.noteInput(path, output: output)
            }
            deduplicator.cluster()
            let writer = try NDJSONWriter(path: output)
            for (fileIndex, path) in input.enumerated() {
                let lines = PrefetchingLineReader(path: path)
                try lines.forEachLine { line in
                    guard !line.isEmpty, !rejectedLines.contains([fileIndex, lines.lineNumber]) else { return }
                    let outcome: PaperDeduplicator.LineOutcome
                    do { outcome = try deduplicator.merge(line: line) } catch {
                        throw DivideError(file: path, location: "line \(lines.lineNumber)", reason: "\(error)")
                    }
                    switch outcome {
                    case let .serialized(bytes): try bytes.withUnsafeBufferPointer { try writer.writeSerialized($0) }
                    case let .record(paper): try writer.write(paper)
                    case .none: break
                    }
                }
            }
            guard deduplicator.unfinishedClusters == 0 else {
                throw DivideError(file: output, reason: "\(deduplicator.unfinishedClusters) clusters incomplete: an input changed between the two passes")
            }
            let audit = try NDJSONWriter(path: merges)
            for entry in deduplicator.audit { try audit.write(entry.json) }
            try audit.commit()
            try rejects.commit()
            try writer.commit()
            counts.output = writer.count
            counts.merged = deduplicator.mergedCount
            counts.excluded = deduplicator.excludedByStatus.values.reduce(0, +)
            counts.noteRejects(rejectsPath, output: output)
            let rules = PaperDeduplicator.Rule.allCases
            printError("dedupe papers: merged by rule " + rules.map { "\($0.rawValue) \((deduplicator.mergesByRule[$0] ?? 0).grouped)" }.joined(separator: ", ")
                + "; refused " + rules.map { "\($0.rawValue) \((deduplicator.blockedByRule[$0] ?? 0).grouped)" }.joined(separator: ", ")
                + "; excluded " + deduplicator.excludedByStatus.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.grouped)" }.joined(separator: ", "))
        }
    }
}
