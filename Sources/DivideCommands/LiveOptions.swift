import ArgumentParser
import DivideCore
import DivideSources
import Foundation

/// Options of live mode (ignored in snapshot mode). Each has a Make variable of the same role.
struct LiveOptions: ParsableArguments {
    @Option(help: "Endpoint or base URL of the source (ARXIV_OAI_URL, OPENALEX_URL, EPOCH_URL, PAPERLISTS_URL, ACL_ANTHOLOGY_URL, ROR_URL, …).")
    var url: String?

    @Option(help: "Contact e-mail sent in the User-Agent and as OpenAlex mailto (CONTACT).")
    var contact = ""

    @Option(help: "Plain-file sources: the list of `source path` lines to download (relative to --url).")
    var filesList = "reference/live-files.txt"

    @Option(name: .customLong("set"), help: "OAI-PMH set to harvest (repeatable; ARXIV_SETS).")
    var sets: [String] = []

    @Option(help: "Harvest from this date (YYYY-MM-DD); default: since the last successful harvest (ARXIV_FROM / OPENALEX_FROM).")
    var from: String?

    @Option(help: "Harvest until this date (YYYY-MM-DD; ARXIV_UNTIL).")
    var until: String?

    @Option(help: "OpenAlex works filter (OPENALEX_FILTER).")
    var openalexFilter = ""

    @Option(help: "OpenAlex results per page (max 200).")
    var openalexPerPage = 200

    @Option(help: "Environment variable holding the OpenAlex api_key.")
    var apiKeyEnv = "OPENALEX_API_KEY"

    @Option(help: "Requests allowed per UTC day for OpenAlex, retries included (OPENALEX_DAILY_BUDGET; 0: no limit).")
    var dailyBudget = 0

    @Option(help: "Minimum seconds between requests to the same host (REQUEST_INTERVAL).")
    var minInterval: Double = 3

    @Option(help: "Tries per request, the first included (MAX_ATTEMPTS).")
    var maxAttempts = 5

    @Option(help: "First retry backoff in seconds, doubled each retry.")
    var backoff: Double = 2

    @Option(help: "Seconds without data before a request fails and is retried (TIMEOUT).")
    var timeout: Double = 60

    @Option(help: "Longest Retry-After (seconds) waited out; a longer one stops the fetch (quota).")
    var maxRetryAfter: Double = 600

    func request(source: String, output: String) throws -> LiveFetchRequest {
        guard let url, let endpoint = URL(string: url), endpoint.scheme != nil else {
            throw DivideError(file: url ?? "", reason: "not a URL")
        }
        let policy = HTTPPolicy(contact: contact, minimumInterval: minInterval, maxAttempts: maxAttempts, baseBackoff: backoff,
                                timeout: timeout, maxRetryAfter: maxRetryAfter)
        var request = LiveFetchRequest(source: source, folder: output, endpoint: endpoint, policy: policy, contact: contact)
        request.sets = sets.isEmpty ? ["cs", "stat"] : sets
        request.from = from
        request.until = until
        request.openAlexFilter = openalexFilter
        request.openAlexPerPage = openalexPerPage
        request.openAlexAPIKey = ProcessInfo.processInfo.environment[apiKeyEnv]
        request.dailyBudget = dailyBudget > 0 ? dailyBudget : nil
        if source != "arxiv" && source != "openalex" {
            request.files = try LiveFetcher.files(for: source, listedIn: filesList)
        }
        return request
    }
}
