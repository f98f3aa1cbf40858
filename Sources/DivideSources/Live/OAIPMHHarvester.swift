import DivideCore
import DivideXML
import Foundation

/// The control elements of one OAI-PMH response (the records themselves are the parser's job).
public struct OAIPage: Sendable {
    public struct ProtocolError: Sendable, Equatable {
        public let code: String
        public let message: String
    }

    public var responseDate: String?
    public var errors: [ProtocolError] = []
    /// nil or empty: the list is complete (OAI-PMH 2.0 §3.5).
    public var resumptionToken: String?
    public var completeListSize: Int?
    public var cursor: Int?
    /// `header/identifier` of every record on the page.
    public var identifiers: [String] = []

    /// Reads a response; throws when it is not well-formed XML or not an OAI-PMH response.
    public init(xml bytes: [UInt8]) throws {
        let elements = try XMLDocumentScan.scan(bytes, collecting: ["responseDate", "error", "resumptionToken", "identifier"])
        for element in elements {
            switch element.name {
            case "responseDate": responseDate = element.text.trimmingWhitespace
            case "error": errors.append(ProtocolError(code: element.attributes["code"] ?? "", message: element.text.trimmingWhitespace))
            case "resumptionToken":
                resumptionToken = element.text.trimmingWhitespace
                completeListSize = element.attributes["completeListSize"].flatMap { Int($0) }
                cursor = element.attributes["cursor"].flatMap { Int($0) }
            case "identifier": identifiers.append(element.text.trimmingWhitespace)
            default: break
            }
        }
        guard responseDate != nil else { throw PayloadProblem("not an OAI-PMH response (no responseDate)") }
    }

    public var isLastPage: Bool { (resumptionToken ?? "").isEmpty }
}

/// Shared by the live harvesters and downloaders: the client, the source's state, where payloads go.
public struct LiveContext: Sendable {
    public let client: HTTPClient
    public let state: FetchStateBox
    /// The fetch stage folder (`stages/fetch`); payloads go to `<folder>/<source>/…`.
    public let folder: String
    public let source: String
    public let log: @Sendable (String) -> Void

    public init(client: HTTPClient, state: FetchState, folder: String, source: String,
                log: @escaping @Sendable (String) -> Void = { printError($0) }) {
        self.client = client
        self.state = FetchStateBox(state)
        self.folder = folder
        self.source = source
        self.log = log
    }

    func absolute(_ relative: String) -> String { folder + "/" + relative }
}

/// Lets the state travel with the context across awaits; only one harvester uses it at a time.
public final class FetchStateBox: @unchecked Sendable {
    public let value: FetchState
    init(_ value: FetchState) { self.value = value }
}

/// Harvests `ListRecords` from an OAI-PMH endpoint (arXiv: metadataPrefix `arXiv`), one set at a
/// time, following resumption tokens. Each response is stored verbatim (gzip) as
/// `<source>/<set>-<start>/page-NNN.xml.gz`, the snapshot's layout, and the state is saved after
/// every page: an interrupted harvest resumes at the page after its last completed one. The pages
/// of a harvest join the manifest when its list is complete. Without an explicit `from`, a
/// harvest starts at the responseDate of the set's last successful harvest (incremental).
public struct OAIPMHHarvester: Sendable {
    public let endpoint: URL
    public let metadataPrefix: String
    public let sets: [String]
    public let from: String?
    public let until: String?

    public init(endpoint: URL, metadataPrefix: String = "arXiv", sets: [String], from: String? = nil, until: String? = nil) {
        self.endpoint = endpoint
        self.metadataPrefix = metadataPrefix
        self.sets = sets
        self.from = from
        self.until = until
    }

    public struct Summary: Sendable, Equatable {
        public var pages = 0
        public var records = 0
    }

    public func harvest(_ context: LiveContext) async throws -> Summary {
        var summary = Summary()
        for set in sets {
            let s = try await harvest(set: set, context)
            summary.pages += s.pages
            summary.records += s.records
        }
        return summary
    }

    func harvest(set: String, _ context: LiveContext) async throws -> Summary {
        let state = context.state.value
        let key = "oai:" + set
        var progress: HarvestProgress
        if let resumed = state.inProgress[key] {
            progress = resumed
            context.log("fetch \(context.source): resuming the \(set) harvest at page \(progress.nextPage)")
        } else {
            let incremental = from ?? state.completed[key].map { String($0.responseDate.prefix(10)) }
            let folder = FetchClock.newFolder(prefix: set.replacingOccurrences(of: ":", with: "_"), under: context.absolute(context.source))
            progress = HarvestProgress(folder: folder, from: incremental, until: until)
        }
        var summary = Summary()
        var restarted = false
        while true {
            let url = requestURL(set: set, progress: progress)
            let response = try await context.client.get(url) { response in
                _ = try OAIPage(xml: PayloadCheck.content(of: response.body))
            }
            guard response.status == 200 else {
                throw HTTPFailure(url: url.absoluteString, kind: .status(response.status), reason: "HTTP \(response.status)", attempts: 1)
            }
            let content = try PayloadCheck.content(of: response.body)
            let page = try OAIPage(xml: content)
            if progress.responseDate == nil { progress.responseDate = page.responseDate }
            if let error = page.errors.first {
                switch error.code {
                case "noRecordsMatch":
                    // Nothing (more) in the window: the harvest is complete (§3.6).
                    break
                case "badResumptionToken" where !restarted && progress.token != nil:
                    // The token expired (§3.5): the list request must start over; pages fetched
                    // under the old token are dropped so no record is stored twice.
                    context.log("fetch \(context.source): \(url.absoluteString): badResumptionToken (\(error.message)); restarting the \(set) harvest")
                    for stale in progress.pages { unlink(context.absolute(stale.path)) }
                    progress = HarvestProgress(folder: progress.folder, from: progress.from, until: progress.until)
                    restarted = true
                    state.inProgress[key] = progress
                    try state.save()
                    continue
                default:
                    throw DivideError(file: url.absoluteString, reason: "OAI-PMH error \(error.code)\(error.message.isEmpty ? "" : ": " + error.message)")
                }
                try complete(key: key, progress: progress, context)
                return summary
            }
            let relative = context.source + "/" + progress.folder + "/" + String(format: "page-%03d.xml.gz", progress.nextPage)
            let (sha, bytes) = try PayloadStore.store(content: content, at: context.absolute(relative))
            progress.pages.append(FetchManifestEntry(
                source: context.source, path: relative, url: url.absoluteString, status: response.status,
                etag: response[header: "etag"], lastModified: response[header: "last-modified"],
                bytes: bytes, sha256: sha, fetchedAt: FetchClock.stamp()))
            progress.records += page.identifiers.count
            summary.pages += 1
            summary.records += page.identifiers.count
            progress.nextPage += 1
            progress.token = page.isLastPage ? nil : page.resumptionToken
            if page.isLastPage {
                try complete(key: key, progress: progress, context)
                return summary
            }
            state.inProgress[key] = progress
            try state.save()
        }
    }

    private func complete(key: String, progress: HarvestProgress, _ context: LiveContext) throws {
        let state = context.state.value
        for page in progress.pages { state.payloads[page.path] = page }
        state.inProgress[key] = nil
        state.completed[key] = CompletedHarvest(responseDate: progress.responseDate ?? FetchClock.stamp(), from: progress.from,
                                                until: progress.until, records: progress.records, finishedAt: FetchClock.stamp())
        try state.save()
        context.log("fetch \(context.source): \(key.dropFirst(4)) harvest complete: \(progress.pages.count) page(s), \(progress.records) record(s)"
                    + (progress.from.map { " since \($0)" } ?? ""))
    }

    func requestURL(set: String, progress: HarvestProgress) -> URL {
        if let token = progress.token {
            return endpoint.appendingQuery([("verb", "ListRecords"), ("resumptionToken", token)])
        }
        var query = [("verb", "ListRecords"), ("metadataPrefix", metadataPrefix), ("set", set)]
        if let from = progress.from { query.append(("from", from)) }
        if let until = progress.until { query.append(("until", until)) }
        return endpoint.appendingQuery(query)
    }
}

extension URL {
    /// This URL with query parameters added, every value percent-encoded except unreserved characters.
    public func appendingQuery(_ items: [(String, String)]) -> URL {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = items.map { name, value in
            name + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
        }.joined(separator: "&")
        let text = absoluteString
        return URL(string: text + (text.contains("?") ? "&" : "?") + encoded)!
    }
}
