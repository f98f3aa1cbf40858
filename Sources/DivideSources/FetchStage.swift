import DivideCore

/// The fetch stage: snapshot copies or a live fetch, and the manifest (the target).
public enum FetchStage {
    /// Copies each source's snapshot folder into `output` and writes the manifest, rewritten
    /// only when its content changed.
    @discardableResult
    public static func snapshot(_ snapshot: String, sources: [String], output: String, options: StageOptions = StageOptions()) throws -> StageCounts {
        let manifest = manifestPath(sources: sources, output: output)
        return try runStage("fetch", target: manifest, options: options) { run in
            try SnapshotFetcher.validate(snapshot: snapshot)
            let fetcher = SnapshotFetcher(snapshot: snapshot, destination: output)
            var entries: [FetchManifestEntry] = []
            // Snapshot entries that are not readable files, listed and counted.
            let rejects = try run.rejects(output + "/" + sources.joined(separator: "+") + ".rejects.ndjson.gz")
            for name in sources {
                guard let source = SourceCatalog.named(name) else { throw DivideError(file: snapshot, reason: "unknown source '\(name)'") }
                let delivery = try fetcher.fetch(source: name, folder: source.snapshotFolder)
                entries += delivery.entries
                for (path, reason) in delivery.rejected { try rejects.reject(file: path, location: nil, reason: reason, kind: "file") }
            }
            try rejects.commit()
            // Make runs fetch once a source: the summary line names which.
            run.notes.append((sources.count == 1 ? "source " : "sources ") + sources.joined(separator: ", "))
            run.counts.input = entries.count + run.counts.rejected
            run.counts.output = entries.count
            try ManifestFile.writeIfChanged(entries, to: manifest)
        }
    }

    /// Fetches one source over HTTP (`LiveFetcher`); payloads not fetched fail the run (their
    /// previous copies, if any, kept).
    @discardableResult
    public static func live(_ request: LiveFetchRequest, options: StageOptions = StageOptions()) throws -> StageCounts {
        let manifest = manifestPath(sources: [request.source], output: request.folder)
        return try runStage("fetch", target: manifest, options: options) { run in
            let result = try waitFor { try await LiveFetcher.run(request) }
            run.counts.input = result.entries.count
            run.counts.output = result.entries.count
            run.notes.append("\(request.source): \(result.summary)")
            // One line naming the host (or the count), details in the failures file.
            if let failure = result.failure { throw failure }
        }
    }

    public static func manifestPath(sources: [String], output: String) -> String {
        output + "/" + sources.joined(separator: "+") + ".manifest.ndjson.gz"
    }
}
