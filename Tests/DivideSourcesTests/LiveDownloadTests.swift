import DivideCore
@testable import DivideSources
import Foundation
import Testing

/// OpenAlex cursor paging and plain-file conditional GET against the loopback server.
@Suite(.enabled(if: snapshotAvailable, "needs the snapshot (SNAPSHOT)"), .timeLimit(.minutes(2)))
struct LiveDownloadTests {
    func openAlexRequest(_ server: LiveTestServer, folder: String, budget: Int? = nil) -> LiveFetchRequest {
        var request = LiveFetchRequest(source: "openalex", folder: folder, endpoint: URL(string: server.base + "/openalex")!,
                                       policy: testPolicy(), contact: "live-tests@example.org")
        request.openAlexFilter = "concepts.id:C119857082,publication_year:2012-2024"
        request.openAlexAPIKey = "s3cret-key"
        request.dailyBudget = budget
        return request
    }

    @Test func openAlexCursorPagingHonours429AndKeepsTheKeySecret() async throws {
        let server = try LiveTestServer()
        let folder = try temporaryFetchFolder()
        defer { removeTemporary(folder) }
        try server.fault("openalex:1", "429")
        try server.fault("openalex:2", "truncate")
        let result = try await LiveFetcher.run(openAlexRequest(server, folder: folder), log: { _ in })
        #expect(result.entries.map(\.path).map { URL(fileURLWithPath: $0).lastPathComponent } == ["page-001.json.gz", "page-002.json.gz"])
        let log = try server.log()
        #expect(log.map(\.query).map { $0["cursor"] ?? "" } == ["*", "*", "c2", "c2", "c3"])
        #expect(log[1].time - log[0].time >= 0.95)  // Retry-After: 1
        #expect(log.allSatisfy { $0.query["api_key"] == "s3cret-key" && $0.query["mailto"] == "live-tests@example.org" })
        #expect(log[0].query["filter"] == "concepts.id:C119857082,publication_year:2012-2024")
        #expect(result.entries.allSatisfy { $0.url.contains("api_key=REDACTED") && !$0.url.contains("s3cret") })
        let state = String(decoding: try readFileBytes(path: folder + "/openalex.state.json"), as: UTF8.self)
        #expect(!state.contains("s3cret"))
        // The pages parse into the two real works.
        var ids: [String] = []
        for entry in result.entries {
            _ = try OpenAlexWorksParser().parse(path: folder + "/" + entry.path, displayName: entry.path,
                                                emit: { ids.append($0.id) }, reject: { _, _ in })
        }
        #expect(ids == ["openalex:W2741809807", "openalex:W2755950973"])
        // Incremental: the next harvest asks only for works created since this one started.
        _ = try server.control("reset")
        let again = try await LiveFetcher.run(openAlexRequest(server, folder: folder), log: { _ in })
        #expect(!again.manifestChanged)
        #expect(try server.log().first?.query["filter"]?.contains(",from_created_date:20") == true)
    }

    @Test func dailyBudgetStopsWithAClearMessageAndTheNextRunResumes() async throws {
        let server = try LiveTestServer()
        let folder = try temporaryFetchFolder()
        defer { removeTemporary(folder) }
        do {
            _ = try await LiveFetcher.run(openAlexRequest(server, folder: folder, budget: 1), log: { _ in })
            Issue.record("the budget should have stopped the harvest")
        } catch let stop as BudgetStop {
            #expect(stop.description.contains("daily request budget of 1 used up"))
            #expect(stop.description.contains("resumes at page 2"))
        }
        // The server's own daily limit (429 with a day-long Retry-After) stops it the same way.
        try server.fault("openalex:2", "429-day")
        do {
            _ = try await LiveFetcher.run(openAlexRequest(server, folder: folder, budget: 10), log: { _ in })
            Issue.record("the 429 should have stopped the harvest")
        } catch let stop as BudgetStop {
            #expect(stop.description.contains("refuses more requests today"))
            #expect(stop.description.contains("Retry-After 86400"))
            #expect(!stop.description.contains("s3cret"))
        }
        let result = try await LiveFetcher.run(openAlexRequest(server, folder: folder, budget: 10), log: { _ in })
        #expect(result.entries.count == 2)
        #expect(try server.log().map { $0.query["cursor"] ?? "" } == ["*", "c2", "c2", "c3"])
    }

    @Test func conditionalGetKeepsTheCachedCopyOn304AndNeverLandsABadDownload() async throws {
        let server = try LiveTestServer()
        let folder = try temporaryFetchFolder()
        defer { removeTemporary(folder) }
        let files = ["frontier_ai_models.2026-02-01.csv", "large_scale_ai_models.2026-02-01.csv"]
        var request = LiveFetchRequest(source: "epoch", folder: folder, endpoint: URL(string: server.base + "/files/epoch")!,
                                       policy: testPolicy(attempts: 2), contact: "live-tests@example.org")
        request.files = files
        let first = try await LiveFetcher.run(request, log: { _ in })
        #expect(first.entries.map(\.path) == files.map { "epoch/" + $0 + ".gz" })
        #expect(first.entries.allSatisfy { $0.status == 200 && $0.etag != nil && $0.lastModified == "Mon, 26 Jan 2026 00:00:00 GMT" })
        // Same content as the snapshot file, decompressed.
        for file in files {
            #expect(try readFileBytes(path: folder + "/epoch/" + file + ".gz") == (try readFileBytes(path: liveSnapshot + "/epoch/" + file + ".gz")))
        }
        // Second run: conditional GET, 304, nothing rewritten.
        _ = try server.control("reset")
        let second = try await LiveFetcher.run(request, log: { _ in })
        let log = try server.log()
        #expect(log.map(\.status) == [304, 304])
        #expect(log.allSatisfy { $0.headers["if-none-match"] != nil && $0.headers["if-modified-since"] != nil })
        #expect(!second.manifestChanged)
        #expect(second.summary.contains("2 not modified"))

        // A download that fails verification on every attempt keeps the previous copy and names URL and reason.
        try FileManager.default.removeItem(atPath: folder + "/epoch.state.json")  // forget validators: force a 200
        let cached = try SHA256.hashFile(path: folder + "/epoch/" + files[0] + ".gz")
        try server.fault("files:epoch/" + files[0], "truncate", "truncate-nolength")
        let third = try await LiveFetcher.run(request, log: { _ in })
        #expect(third.failures.count == 1)
        #expect(third.failures.first?.contains(server.base + "/files/epoch/" + files[0]) == true)
        #expect(third.failures.first?.contains("after 2 attempts") == true)
        #expect(try SHA256.hashFile(path: folder + "/epoch/" + files[0] + ".gz") == cached)
        #expect(third.entries.count == 1)  // the state was reset: only the good file is known again
    }

    @Test func gzipFilesAreCheckedForIntegrityAndFormat() async throws {
        let server = try LiveTestServer()
        let folder = try temporaryFetchFolder()
        defer { removeTemporary(folder) }
        let client = HTTPClient(policy: testPolicy(attempts: 2), log: { _ in })
        let context = LiveContext(client: client, state: try FetchState(path: folder + "/samples.state.json", source: "samples"),
                                  folder: folder, source: "samples", log: { _ in })
        let downloader = ConditionalDownloader(baseURL: URL(string: server.base + "/files/openalex")!, files: ["W2741809807.json.gz"])
        #expect(try await downloader.download(file: "W2741809807.json.gz", context) == .downloaded)
        let stored = try readFileBytes(path: folder + "/samples/W2741809807.json.gz")
        #expect(stored == (try readFileBytes(path: liveSnapshot + "/openalex/W2741809807.json.gz")))
        // A truncated gzip body (no Content-Length to catch it) fails the gzip check, every time.
        try FileManager.default.removeItem(atPath: folder + "/samples/W2741809807.json.gz")
        try server.fault("files:openalex/W2741809807.json.gz", "truncate-nolength", "truncate-nolength")
        await #expect(throws: HTTPFailure.self) { try await downloader.download(file: "W2741809807.json.gz", context) }
        #expect(!FileManager.default.fileExists(atPath: folder + "/samples/W2741809807.json.gz"))
    }
}

@Suite struct LivePieces {
    @Test func retryAfterInSecondsOrAsAnHTTPDate() {
        #expect(HTTPClient.retryAfter("120") == 120)
        #expect(HTTPClient.retryAfter(" 3 ") == 3)
        #expect(HTTPClient.retryAfter(nil) == nil)
        #expect(HTTPClient.retryAfter("soon") == nil)
        let now = Date(timeIntervalSince1970: 1_700_000_000)  // Tue, 14 Nov 2023 22:13:20 GMT
        #expect(HTTPClient.retryAfter("Tue, 14 Nov 2023 22:14:20 GMT", now: now) == 60)
    }

    @Test func payloadsMustBeWellFormedForTheirFormat() throws {
        #expect(PayloadFormat.of(path: "data/xml/2020.acl.xml") == .xml)
        #expect(PayloadFormat.of(path: "ror-records.jsonl.gz") == .jsonLines)
        #expect(PayloadFormat.of(path: "nips/nips2023.json") == .json)
        #expect(PayloadFormat.of(path: "notable_ai_models.csv") == .csv)
        try PayloadCheck.verify(content: Array("<a><b>x</b></a>".utf8), format: .xml)
        #expect(throws: PayloadProblem.self) { try PayloadCheck.verify(content: Array("<a><b>x</b>".utf8), format: .xml) }
        #expect(throws: PayloadProblem.self) { try PayloadCheck.verify(content: Array("[1,2".utf8), format: .json) }
        #expect(throws: PayloadProblem.self) { try PayloadCheck.verify(content: Array("{\"a\":1}\n{\"b\":".utf8), format: .jsonLines) }
        #expect(throws: PayloadProblem.self) { try PayloadCheck.verify(content: Array("<!DOCTYPE html><html>".utf8), format: .csv) }
        #expect(throws: PayloadProblem.self) { try PayloadCheck.verify(content: [], format: .opaque) }
        try PayloadCheck.verify(content: Array("Model,Year\nX,2020\n".utf8), format: .csv)
        try PayloadCheck.verify(content: Array("Model,Year\n\"X, \"\"Y\"\"\",2020".utf8), format: .csv)  // no final newline is fine
        #expect(throws: PayloadProblem.self) { try PayloadCheck.verify(content: Array("Model,Year\n\"X,20".utf8), format: .csv) }
        #expect(throws: PayloadProblem.self) { try PayloadCheck.verify(content: Array("Model,Year,Org\nX,2020,A\nY,20".utf8), format: .csv) }
    }

    @Test func secretsNeverReachLogsOrManifests() {
        let url = URL(string: "https://api.openalex.org/works?filter=x&api_key=abc123&cursor=*")!
        #expect(url.redacted == "https://api.openalex.org/works?filter=x&api_key=REDACTED&cursor=*")
        #expect(URL(string: "http://h/oai?verb=ListRecords&resumptionToken=t1")!.redacted.hasSuffix("resumptionToken=t1"))
    }

    @Test func oaiControlElementsAreRead() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-01-02T03:04:05Z</responseDate>
        <request verb="ListRecords">x</request><ListRecords>
        <record><header><identifier>oai:arXiv.org:1</identifier></header></record>
        <record><header status="deleted"><identifier>oai:arXiv.org:2</identifier></header></record>
        <resumptionToken cursor="0" completeListSize="5">abc|1001</resumptionToken></ListRecords></OAI-PMH>
        """
        let page = try OAIPage(xml: Array(xml.utf8))
        #expect(page.responseDate == "2024-01-02T03:04:05Z")
        #expect(page.identifiers == ["oai:arXiv.org:1", "oai:arXiv.org:2"])
        #expect(page.resumptionToken == "abc|1001" && page.completeListSize == 5 && !page.isLastPage)
        let error = try OAIPage(xml: Array("<OAI-PMH><responseDate>d</responseDate><error code=\"noRecordsMatch\">none</error></OAI-PMH>".utf8))
        #expect(error.errors == [OAIPage.ProtocolError(code: "noRecordsMatch", message: "none")])
        #expect(error.isLastPage)
        #expect(throws: (any Error).self) { try OAIPage(xml: Array("<html>busy</html>".utf8)) }
    }
}
