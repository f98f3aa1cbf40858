import DivideCore
import Foundation

/// Everything one live fetch of one source needs (the fetch executable fills it from its options).
public struct LiveFetchRequest: Sendable {
    public var source: String
    /// The fetch stage folder (`stages/fetch`).
    public var folder: String
    public var endpoint: URL
    public var policy: HTTPPolicy
    /// Plain-file sources: paths relative to `endpoint`.
    public var files: [String] = []
    /// OAI-PMH: sets to harvest; window (`YYYY-MM-DD`), nil for incremental/open.
    public var sets: [String] = []
    public var from: String?
    public var until: String?
    /// OpenAlex works.
    public var openAlexFilter: String = ""
    public var openAlexAPIKey: String?
    public var openAlexPerPage: Int = 200
    public var dailyBudget: Int?
    public var contact: String

    public init(source: String, folder: String, endpoint: URL, policy: HTTPPolicy, contact: String) {
        self.source = source
        self.folder = folder
        self.endpoint = endpoint
        self.policy = policy
        self.contact = contact
    }

    public var statePath: String { folder + "/" + source + ".state.json" }
    public var manifestPath: String { folder + "/" + source + ".manifest.ndjson.gz" }
    /// One line per payload that could not be fetched, written when any failed.
    public var failuresPath: String { folder + "/" + source + ".failures.txt" }
}

/// Runs one source's live fetch and writes its manifest (same layout as the snapshot fetch, so
/// parse reads live and snapshot payloads the same way). The manifest lists every payload that
/// landed, complete harvests only, sorted by path; it is rewritten only when its content changed.
public enum LiveFetcher {
    public struct Result: Sendable {
        public var entries: [FetchManifestEntry]
        public var manifestChanged: Bool
        /// One line per payload that could not be fetched (URL and reason); its previous copy stays.
        public var failures: [String]
        public var summary: String
        /// The run's one-line error when payloads failed (details in `failuresPath`); nil otherwise.
        public var failure: DivideError?
    }

    public static func run(_ request: LiveFetchRequest, log: @escaping @Sendable (String) -> Void = { printError($0) }) async throws -> Result {
        let state = try FetchState(path: request.statePath, source: request.source)
        let client = HTTPClient(policy: request.policy, log: log)
        let context = LiveContext(client: client, state: state, folder: request.folder, source: request.source, log: log)
        var failures: [String] = []
        var summary: String
        var failure: DivideError?
        var stopError: Error?
        switch request.source {
        case "arxiv":
            let harvester = OAIPMHHarvester(endpoint: request.endpoint, sets: request.sets, from: request.from, until: request.until)
            do {
                let s = try await harvester.harvest(context)
                summary = "\(s.pages) new page(s), \(s.records) record(s)"
            } catch {
                stopError = error
                summary = "stopped"
            }
        case "openalex":
            let harvester = OpenAlexHarvester(endpoint: request.endpoint, filter: request.openAlexFilter, from: request.from,
                                              perPage: request.openAlexPerPage, apiKey: request.openAlexAPIKey,
                                              contact: request.contact, dailyBudget: request.dailyBudget)
            do {
                let s = try await harvester.harvest(context)
                summary = "\(s.pages) new page(s), \(s.records) work(s)"
            } catch {
                stopError = error
                summary = "stopped"
            }
        default:
            guard !request.files.isEmpty else {
                throw DivideError(file: request.source, reason: "no files to fetch (see reference/live-files.txt)")
            }
            let s = await ConditionalDownloader(baseURL: request.endpoint, files: request.files).download(context)
            failures = s.failures
            if !failures.isEmpty {
                try AtomicFile.write(failures.joined(separator: "\n") + "\n", to: request.failuresPath)
                failure = LiveFetcher.failureLine(request, summary: s, files: request.files.count)
            }
            summary = "\(s.downloaded) downloaded, \(s.notModified) not modified (304), \(s.unchanged) unchanged"
                + (failures.isEmpty ? "" : ", \(failures.count) failed")
        }
        for entry in state.payloads.values where !FileManager.default.fileExists(atPath: request.folder + "/" + entry.path) {
            throw DivideError(file: request.folder + "/" + entry.path,
                              reason: "payload listed in \(request.statePath) is missing; delete the state file to fetch the source again")
        }
        let entries = state.payloads.keys.sorted().map { state.payloads[$0]! }
        let changed = try ManifestFile.writeIfChanged(entries, to: request.manifestPath)
        if let stopError {
            if let http = stopError as? HTTPFailure, case let .unreachable(host) = http.kind {
                try AtomicFile.write("\(http)\n", to: request.failuresPath)
                throw DivideError(file: host, reason: "\(http.reason): \(request.source) not fetched; \(LiveFetcher.snapshotHint); details in \(request.failuresPath)")
            }
            throw stopError
        }
        if failure == nil { try? FileManager.default.removeItem(atPath: request.failuresPath) }
        return Result(entries: entries, manifestChanged: changed, failures: failures,
                      summary: summary + (changed ? "; manifest updated" : "; manifest unchanged"), failure: failure)
    }

    static let snapshotHint = "FETCH=snapshot reads the local snapshot instead"

    /// One line for a plain-file source's failed payloads: the host when it could not be
    /// reached, what was kept, and where the per-file details are.
    static func failureLine(_ request: LiveFetchRequest, summary s: ConditionalDownloader.Summary, files: Int) -> DivideError {
        let failed = s.failures.count
        let kept = s.failuresWithPreviousCopy == 0 ? "no previous copies"
            : s.failuresWithPreviousCopy == failed ? "previous copies kept" : "previous copies kept of \(s.failuresWithPreviousCopy)"
        let details = "details in \(request.failuresPath)"
        if let unreachable = s.unreachable, case let .unreachable(host) = unreachable.kind {
            return DivideError(file: host, reason: "\(unreachable.reason): \(failed) of \(files) \(request.source) file(s) not fetched, \(kept); \(snapshotHint); \(details)")
        }
        return DivideError(file: request.manifestPath, reason: "\(failed) of \(files) payload(s) not fetched, \(kept) (first: \(s.failures[0])); \(details)")
    }

    /// Reads `source path` lines (`#` comments, blank lines skipped) and returns the paths of `source`.
    public static func files(for source: String, listedIn path: String) throws -> [String] {
        let text = String(decoding: try readFileBytes(path: path), as: UTF8.self)
        return text.split(separator: "\n").compactMap { line -> String? in
            let trimmed = String(line).trimmingWhitespace
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
            let parts = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            return parts.count == 2 && parts[0] == source ? parts[1] : nil
        }
    }
}
