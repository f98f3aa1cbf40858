import ArgumentParser
import DivideCore
import DivideSources

public struct FetchCommand: StageCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fetch",
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
    public init() {}

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
    @OptionGroup public var flags: StageFlags

    public func validate() throws {
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

    public func run(options: StageOptions) throws {
        if mode == .live {
            try FetchStage.live(try live.request(source: source[0], output: output), options: options)
        } else {
            try FetchStage.snapshot(snapshot, sources: source, output: output, options: options)
        }
    }
}
