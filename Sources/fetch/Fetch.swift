import ArgumentParser
import DivideCore
import DivideSources

@main
struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Deliver upstream payloads into the fetch stage folder, with a manifest.",
        discussion: """
        Snapshot mode copies <snapshot>/<folder>/ of each source verbatim into <output>/<source>/ and
        writes <output>/<source>.manifest.ndjson.gz: one line per file with source, path (relative to
        the manifest), url, bytes, sha256, fetched_at. The snapshot is never modified.

        Sources: \(SourceCatalog.all.map { "\($0.name) (\($0.description))" }.joined(separator: ", ")).
        """)

    @Option(help: "The offline snapshot folder (Make variable SNAPSHOT).")
    var snapshot = "../shared/snapshot"

    @Option(help: "Source to fetch (repeatable).")
    var source: [String]

    @Option(help: "The fetch stage folder.")
    var output = "stages/fetch"

    func validate() throws {
        for name in source where SourceCatalog.named(name) == nil {
            throw ValidationError("unknown source '\(name)'; known: \(SourceCatalog.all.map(\.name).joined(separator: ", "))")
        }
        if source.isEmpty { throw ValidationError("name at least one --source") }
    }

    func run() throws {
        let manifest = output + "/" + source.joined(separator: "+") + ".manifest.ndjson.gz"
        runStage("fetch", output: manifest) { counts in
            let fetcher = SnapshotFetcher(snapshot: snapshot, destination: output)
            let writer = try NDJSONWriter(path: manifest)
            for name in source {
                for entry in try fetcher.fetch(source: name, folder: SourceCatalog.named(name)!.snapshotFolder) {
                    counts.input += 1
                    counts.output += 1
                    try writer.write(entry)
                }
            }
            try writer.commit()
        }
    }
}
