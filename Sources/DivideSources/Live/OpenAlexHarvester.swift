import DivideCore
import Foundation

/// The harvest stopped on purpose: the day's request budget is used up. Progress is saved; the
/// next run (tomorrow's refresh) resumes at the next page.
public struct BudgetStop: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Harvests OpenAlex works (`/works?filter=…&cursor=…`), cursor paging through the filtered list
/// (ML concepts/topics and years). Each response page is stored verbatim (gzip) as
/// `openalex/works-<start>/page-NNN.json.gz` and the state saved after it, so an interrupted or
/// budget-stopped harvest resumes at the next cursor. The api_key comes from the environment (never
/// written to the manifest or logs); `mailto` puts the contact in OpenAlex's polite pool. Without
/// an explicit `from`, a harvest adds `from_created_date:` of the last successful harvest.
public struct OpenAlexHarvester: Sendable {
    public let endpoint: URL
    public let filter: String
    public let from: String?
    public let perPage: Int
    public let apiKey: String?
    public let contact: String
    /// Requests allowed per UTC day (retries count); nil for no limit.
    public let dailyBudget: Int?

    public init(endpoint: URL, filter: String, from: String? = nil, perPage: Int = 200, apiKey: String?, contact: String, dailyBudget: Int?) {
        self.endpoint = endpoint
        self.filter = filter
        self.from = from
        self.perPage = perPage
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.contact = contact
        self.dailyBudget = dailyBudget
    }

    public func harvest(_ context: LiveContext) async throws -> OAIPMHHarvester.Summary {
        let state = context.state.value
        let key = "openalex:works"
        var progress: HarvestProgress
        if let resumed = state.inProgress[key] {
            progress = resumed
            context.log("fetch \(context.source): resuming the works harvest at page \(progress.nextPage)")
        } else {
            let since = from ?? state.completed[key].map { String($0.responseDate.prefix(10)) }
            progress = HarvestProgress(folder: FetchClock.newFolder(prefix: "works", under: context.absolute(context.source)), from: since, until: nil)
            progress.responseDate = FetchClock.stamp()
        }
        var summary = OAIPMHHarvester.Summary()
        while true {
            if let budget = dailyBudget, state.requestsToday() >= budget {
                state.inProgress[key] = progress
                try state.save()
                throw BudgetStop(message: "OpenAlex daily request budget of \(budget) used up (OPENALEX_DAILY_BUDGET); \(progress.pages.count) page(s) saved, the next run resumes at page \(progress.nextPage)")
            }
            let url = requestURL(progress: progress)
            let before = await context.client.requestCount
            let response: HTTPResponse
            do {
                response = try await context.client.get(url) { response in
                    _ = try OpenAlexHarvester.page(PayloadCheck.content(of: response.body))
                }
            } catch let failure as HTTPFailure {
                let used = await context.client.requestCount - before
                for _ in 0..<used { state.countRequest() }
                state.inProgress[key] = progress
                try state.save()
                let redacted = failure.description
                switch failure.kind {
                case .retryAfterTooLong, .status(429):
                    throw BudgetStop(message: "OpenAlex refuses more requests today (\(redacted)); \(progress.pages.count) page(s) saved, the next run resumes at page \(progress.nextPage)")
                default:
                    throw DivideError(file: redact(url), reason: failure.reason)
                }
            }
            let used = await context.client.requestCount - before
            for _ in 0..<used { state.countRequest() }
            guard response.status == 200 else {
                state.inProgress[key] = progress
                try state.save()
                throw DivideError(file: redact(url), reason: "HTTP \(response.status)")
            }
            let content = try PayloadCheck.content(of: response.body)
            let (results, nextCursor) = try OpenAlexHarvester.page(content)
            if results > 0 {
                let relative = context.source + "/" + progress.folder + "/" + String(format: "page-%03d.json.gz", progress.nextPage)
                let (sha, bytes) = try PayloadStore.store(content: content, at: context.absolute(relative))
                progress.pages.append(FetchManifestEntry(
                    source: context.source, path: relative, url: redact(url), status: response.status,
                    etag: response[header: "etag"], lastModified: response[header: "last-modified"],
                    bytes: bytes, sha256: sha, fetchedAt: FetchClock.stamp()))
                progress.records += results
                summary.pages += 1
                summary.records += results
                progress.nextPage += 1
            }
            progress.token = nextCursor
            if results == 0 || nextCursor == nil {
                for page in progress.pages { state.payloads[page.path] = page }
                state.inProgress[key] = nil
                state.completed[key] = CompletedHarvest(responseDate: progress.responseDate ?? FetchClock.stamp(), from: progress.from,
                                                        until: nil, records: progress.records, finishedAt: FetchClock.stamp())
                try state.save()
                context.log("fetch \(context.source): works harvest complete: \(progress.pages.count) page(s), \(progress.records) work(s)"
                            + (progress.from.map { " created since \($0)" } ?? ""))
                return summary
            }
            state.inProgress[key] = progress
            try state.save()
        }
    }

    /// Reads a works list response: the number of results and the next cursor (nil at the end).
    static func page(_ content: [UInt8]) throws -> (results: Int, nextCursor: String?) {
        let json: JSONValue
        do { json = try JSONParser.parse(content) } catch { throw PayloadProblem("not well-formed JSON: \(error)") }
        guard let results = json["results"]?.arrayValue else {
            throw PayloadProblem("not an OpenAlex list response (no results array)")
        }
        let next = json["meta"]?["next_cursor"]?.stringValue
        return (results.count, (next?.isEmpty ?? true) ? nil : next)
    }

    func requestURL(progress: HarvestProgress) -> URL {
        var fullFilter = filter
        if let from = progress.from { fullFilter += (fullFilter.isEmpty ? "" : ",") + "from_created_date:" + from }
        var query: [(String, String)] = []
        if !fullFilter.isEmpty { query.append(("filter", fullFilter)) }
        query += [("per-page", String(perPage)), ("cursor", progress.token ?? "*"), ("mailto", contact)]
        if let apiKey { query.append(("api_key", apiKey)) }
        return endpoint.appendingPathComponent("works").appendingQuery(query)
    }

    /// The URL as recorded and logged: the api_key is a secret.
    func redact(_ url: URL) -> String { url.redacted }
}
