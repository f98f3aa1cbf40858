import ArgumentParser
import DivideCore
import DivideSources
import Foundation

@main
struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Deliver upstream payloads into the fetch stage folder, with a manifest.",
        discussion: """
        Snapshot mode copies <snapshot>/<folder>/ of each source verbatim into <output>/<source>/ and
        writes <output>/<source>.manifest.ndjson.gz: one line per file with source, path (relative to
        the manifest), url, bytes, sha256, fetched_at. The snapshot is never modified.

        Live mode (--mode live, one source) fetches from --url: arxiv harvests OAI-PMH ListRecords
        (resumption tokens, incremental from the last successful harvest, resumable), openalex
        cursor-pages the works list, other sources download the files listed in --files-list with
        conditional GET. Payloads land only when complete and verified; the manifest adds status,
        etag and last_modified, and is rewritten only when its content changed. Progress is kept in
        <output>/<source>.state.json.

        Sources: \(SourceCatalog.all.map { "\($0.name) (\($0.description))" }.joined(separator: ", ")).
        """)

    enum Mode: String, ExpressibleByArgument { case snapshot, live }

    @Option(help: "snapshot (offline copy) or live (HTTP; Make variable FETCH).")
    var mode: Mode = .snapshot

    @Option(help: "The offline snapshot folder (Make variable SNAPSHOT).")
    var snapshot = "../shared/snapshot"

    @Option(help: "Source to fetch (repeatable; live mode: exactly one).")
    var source: [String]

    @Option(help: "The fetch stage folder.")
    var output = "stages/fetch"

    @OptionGroup var live: LiveOptions

    func validate() throws {
        for name in source where SourceCatalog.named(name) == nil {
            throw ValidationError("unknown source '\(name)'; known: \(SourceCatalog.all.map(\.name).joined(separator: ", "))")
        }
        if source.isEmpty { throw ValidationError("name at least one --source") }
        if mode == .live {
            if source.count != 1 { throw ValidationError("live mode fetches one --source at a time") }
            if live.url == nil { throw ValidationError("live mode needs --url (Make: ARXIV_OAI_URL, OPENALEX_URL, EPOCH_URL, …)") }
            if live.contact.isEmpty || !live.contact.contains("@") {
                throw ValidationError("live mode needs --contact with an e-mail address (Make variable CONTACT): upstream operators ask for one")
            }
        }
    }

    func run() throws {
        let manifest = output + "/" + source.joined(separator: "+") + ".manifest.ndjson.gz"
        runStage("fetch", output: manifest) { counts in
            if mode == .live {
                let result = try blockingAwait { [request = try live.request(source: source[0], output: output)] in
                    try await LiveFetcher.run(request)
                }
                counts.input = result.entries.count
                counts.output = result.entries.count
                printError("fetch \(source[0]): \(result.summary)")
                if let failure = result.failure { throw failure }
                return
            }
            let fetcher = SnapshotFetcher(snapshot: snapshot, destination: output)
            var entries: [FetchManifestEntry] = []
            for name in source {
                entries += try fetcher.fetch(source: name, folder: SourceCatalog.named(name)!.snapshotFolder)
            }
            counts.input = entries.count
            counts.output = entries.count
            try ManifestFile.writeIfChanged(entries, to: manifest)
        }
    }
}

/// Runs async work from the synchronous command and waits for it.
func blockingAwait<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await work()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}
