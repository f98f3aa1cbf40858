import DivideCore

/// The dedupe stage's two runs: their inputs, outputs, audit files and counts.
public enum DedupeStage {
    /// `dedupe models`: one record per model (same normalized name), each merge audited.
    @discardableResult
    public static func models(input: String, output: String, merges: String, options: StageOptions = StageOptions()) throws -> StageCounts {
        try runStage("dedupe models", target: output, options: options) { run in
            let rejects = try run.rejects(RejectsWriter.path(besides: output))
            let records = try readStageInput(ModelRecord.self, path: input, run: run, rejects: rejects)
            let (unique, merged) = ModelDeduplicator().deduplicate(records)
            let writer = try run.writer(output)
            for record in unique { try writer.write(record) }
            let audit = try run.writer(merges)
            for merge in merged {
                try audit.write(.object([("kept", .string(merge.kept)), ("rule", .string("same normalized name")),
                                         ("merged_row", merge.mergedRow.json)]))
            }
            run.counts.merged = merged.count
            run.noteMerges(merges)
            try audit.commit()
            try rejects.commit()
            try run.commit(writer)
        }
    }

    static let duplicateID = "duplicate id (same source record twice)"

    /// `dedupe papers`: two streaming passes over the inputs. The first builds the match index
    /// and the clusters (a line that does not decode, or repeats an id, is quarantined and
    /// skipped by the second); the second merges each cluster as its records go by.
    @discardableResult
    public static func papers(inputs: [String], output: String, merges: String, options: StageOptions = StageOptions()) throws -> StageCounts {
        try runStage("dedupe papers", target: output, options: options) { run in
            guard !inputs.isEmpty else { throw DivideError(file: output, reason: "no input files") }
            for path in inputs { _ = try checkReadable(path) }
            let deduplicator = PaperDeduplicator()
            let rejects = try run.rejects(RejectsWriter.path(besides: output))
            var rejectedLines: Set<[Int]> = []
            for (fileIndex, path) in inputs.enumerated() {
                let name = String(path.split(separator: "/").last ?? "")
                let lines = try LineReader(path: path)
                var read = 0
                try lines.forEachLine { line in
                    guard !line.isEmpty else { return }
                    run.progress.update(records: lines.lineNumber, bytes: lines.compressedBytesRead, of: lines.fileBytes)
                    read += 1
                    let duplicatesBefore = deduplicator.duplicateIDs
                    do { try deduplicator.index(line: line) } catch {
                        rejectedLines.insert([fileIndex, lines.lineNumber])
                        try rejects.reject(file: name, location: "line \(lines.lineNumber)", reason: "\(error)")
                        return
                    }
                    if deduplicator.duplicateIDs > duplicatesBefore {
                        try rejects.reject(file: name, location: "line \(lines.lineNumber)", reason: duplicateID, category: duplicateID)
                    }
                }
                run.counts.input += read
                try run.checkUpstreamCounts(of: path, read: read)
                run.noteInput(path)
            }
            deduplicator.cluster()
            let writer = try run.writer(output)
            for (fileIndex, path) in inputs.enumerated() {
                let lines = try LineReader(path: path)
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
            let audit = try run.writer(merges)
            for entry in deduplicator.audit { try audit.write(entry.json) }
            run.counts.merged = deduplicator.mergedCount
            run.counts.excluded = deduplicator.excludedByStatus.values.reduce(0, +)
            let rules = PaperDeduplicator.joinRules
            run.notes.append("merged by rule " + rules.map { "\($0.rawValue) \((deduplicator.mergesByRule[$0] ?? 0).grouped)" }.joined(separator: ", ")
                + "; refused " + rules.map { "\($0.rawValue) \((deduplicator.blockedByRule[$0] ?? 0).grouped)" }.joined(separator: ", ")
                + "; excluded " + deduplicator.excludedByStatus.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.grouped)" }.joined(separator: ", "))
            try audit.commit()
            try rejects.commit()
            try run.commit(writer)
        }
    }
}
