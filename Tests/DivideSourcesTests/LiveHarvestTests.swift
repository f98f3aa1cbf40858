import DivideCore
@testable import DivideSources
import DivideXML
import Foundation
import Testing

/// The live fetch against a loopback server that serves the snapshot's real OAI-PMH pages and
/// OpenAlex works, with injected faults. Every test runs its own server and fetch folder.
@Suite(.enabled(if: snapshotAvailable, "needs the snapshot (SNAPSHOT)"), .timeLimit(.minutes(2)))
struct LiveHarvestTests {
    let snapshotPages = (1...3).map { liveSnapshot + String(format: "/arxiv-oai/cs-2016-03/page-%03d.xml.gz", $0) }

    func arxivRequest(_ server: LiveTestServer, folder: String, policy: HTTPPolicy = testPolicy()) -> LiveFetchRequest {
        var request = LiveFetchRequest(source: "arxiv", folder: folder, endpoint: URL(string: server.base + "/oai")!,
                                       policy: policy, contact: "live-tests@example.org")
        request.sets = ["cs"]
        return request
    }

    func manifestIdentifiers(_ result: LiveFetcher.Result, folder: String) throws -> [String] {
        try result.entries.flatMap { try oaiIdentifiers(folder + "/" + $0.path) }
    }

    func snapshotIdentifiers() throws -> [String] { try snapshotPages.flatMap(oaiIdentifiers) }

    @Test func harvestSurvivesEveryFaultWithEachRecordExactlyOnce() async throws {
        let server = try LiveTestServer()
        let folder = try temporaryFetchFolder()
        defer { removeTemporary(folder) }
        try server.fault("oai:1", "503")
        try server.fault("oai:2", "drop", "truncate")
        try server.fault("oai:3", "slow", "truncate-nolength", "500")
        var policy = testPolicy()
        policy.minimumInterval = 0.2
        let result = try await LiveFetcher.run(arxivRequest(server, folder: folder, policy: policy), log: { _ in })
        #expect(result.failures.isEmpty)
        #expect(result.entries.count == 3)
        let ids = try manifestIdentifiers(result, folder: folder)
        #expect(ids.count == 3000)
        #expect(Set(ids).count == ids.count)
        #expect(ids == (try snapshotIdentifiers()))

        let log = try server.log()
        #expect(log.map(\.fault) == ["503", nil, "drop", "truncate", nil, "slow", "truncate-nolength", "500", nil])
        // Retry-After: 1 on the 503 was honoured before the next try.
        #expect(log[1].time - log[0].time >= 0.95)
        // The per-host spacing holds between requests; every request names the contact. (After a
        // reused keep-alive connection is dropped unanswered, libcurl itself resends the GET at
        // once on a new connection: that resend is the one exception.)
        for (a, b) in zip(log, log.dropFirst()) where a.fault != "drop" { #expect(b.time - a.time >= 0.15) }
        #expect(log.allSatisfy { $0.headers["user-agent"]?.contains("mailto:live-tests@example.org") == true })
        #expect(log.allSatisfy { $0.headers["accept-encoding"]?.contains("gzip") == true })
        // Manifest entries carry URL, status, bytes and sha256 of what is on disk.
        for entry in result.entries {
            #expect(entry.status == 200)
            #expect(entry.url.hasPrefix(server.base + "/oai?verb=ListRecords"))
            let (sha, bytes) = try SHA256.hashFile(path: folder + "/" + entry.path)
            #expect(entry.sha256 == sha && entry.bytes == bytes)
        }
    }

    @Test func interruptedHarvestStopsWithAClearErrorAndResumesAtTheNextPage() async throws {
        let server = try LiveTestServer()
        let folder = try temporaryFetchFolder()
        defer { removeTemporary(folder) }
        try server.fault("oai:3", "truncate", "truncate")
        let request = arxivRequest(server, folder: folder, policy: testPolicy(attempts: 2))
        do {
            _ = try await LiveFetcher.run(request, log: { _ in })
            Issue.record("the harvest should have stopped")
        } catch let failure as HTTPFailure {
            #expect(failure.description.contains(server.base + "/oai?verb=ListRecords&resumptionToken=tok-1-3"))
            #expect((failure.description.contains("bytes remaining") || failure.description.contains("connection dropped")) && failure.description.contains("after 2 attempts"), "\(failure)")
        }
        // The incomplete harvest is not in the manifest yet; its two pages and token are saved.
        #expect(try NDJSONReader(path: request.manifestPath).readAll(FetchManifestEntry.self).isEmpty)
        let saved = try FetchState(path: request.statePath, source: "arxiv").inProgress["oai:cs"]
        #expect(saved?.nextPage == 3)
        #expect(saved?.token == "tok-1-3")

        _ = try server.control("reset")
        let result = try await LiveFetcher.run(request, log: { _ in })
        #expect(try server.log().map(\.query) == [["verb": "ListRecords", "resumptionToken": "tok-1-3"]])
        let ids = try manifestIdentifiers(result, folder: folder)
        #expect(ids == (try snapshotIdentifiers()))
        #expect(try FetchState(path: request.statePath, source: "arxiv").inProgress.isEmpty)
    }

    @Test func expiredResumptionTokenRestartsTheListWithoutDuplicates() async throws {
        let server = try LiveTestServer()
        let folder = try temporaryFetchFolder()
        defer { removeTemporary(folder) }
        try server.fault("oai:3", "badResumptionToken")
        let result = try await LiveFetcher.run(arxivRequest(server, folder: folder), log: { _ in })
        let log = try server.log()
        #expect(log.filter { $0.query["metadataPrefix"] == "arXiv" }.count == 2)
        #expect(result.entries.count == 3)
        let ids = try manifestIdentifiers(result, folder: folder)
        #expect(ids == (try snapshotIdentifiers()))
        // No stray pages from the abandoned pass.
        let pages = try FileManager.default.subpathsOfDirectory(atPath: folder + "/arxiv").filter { $0.hasSuffix(".xml.gz") }
        #expect(pages.count == 3)
    }

    @Test func incrementalHarvestAsksFromTheLastResponseDateAndChangesNothing() async throws {
        let server = try LiveTestServer()
        let folder = try temporaryFetchFolder()
        defer { removeTemporary(folder) }
        let request = arxivRequest(server, folder: folder)
        let first = try await LiveFetcher.run(request, log: { _ in })
        #expect(first.manifestChanged)
        let before = try FileManager.default.attributesOfItem(atPath: request.manifestPath)[.modificationDate] as? Date
        _ = try server.control("reset")
        let second = try await LiveFetcher.run(request, log: { _ in })
        #expect(try server.log().map(\.query) == [["verb": "ListRecords", "metadataPrefix": "arXiv", "set": "cs", "from": "2016-03-09"]])
        #expect(!second.manifestChanged)
        #expect(second.entries == first.entries)
        let after = try FileManager.default.attributesOfItem(atPath: request.manifestPath)[.modificationDate] as? Date
        #expect(before == after)
    }

    @Test func liveModeStoresTheSameRecordsAsSnapshotMode() async throws {
        let server = try LiveTestServer()
        let folder = try temporaryFetchFolder()
        defer { removeTemporary(folder) }
        let result = try await LiveFetcher.run(arxivRequest(server, folder: folder), log: { _ in })
        // Snapshot mode on a snapshot holding the same three pages.
        let snapshot = try temporaryFetchFolder()
        defer { removeTemporary(snapshot) }
        try FileManager.default.createDirectory(atPath: snapshot + "/arxiv-oai/cs-2016-03", withIntermediateDirectories: true)
        for page in snapshotPages {
            try FileManager.default.createSymbolicLink(atPath: snapshot + "/arxiv-oai/cs-2016-03/" + URL(fileURLWithPath: page).lastPathComponent,
                                                       withDestinationPath: page)
        }
        let offline = try temporaryFetchFolder()
        defer { removeTemporary(offline) }
        let snapshotEntries = try SnapshotFetcher(snapshot: snapshot, destination: offline).fetch(source: "arxiv", folder: "arxiv-oai").entries
        #expect(snapshotEntries.count == result.entries.count)
        for (live, stored) in zip(result.entries, snapshotEntries) {
            // Same layout rule (<source>/<harvest>/page-NNN.xml.gz) and the same page content
            // byte for byte, apart from the server's own resumption tokens.
            #expect(live.path.hasPrefix("arxiv/cs-") && URL(fileURLWithPath: live.path).lastPathComponent == URL(fileURLWithPath: stored.path).lastPathComponent)
            let a = try readFileBytes(path: folder + "/" + live.path), b = try readFileBytes(path: offline + "/" + stored.path)
            #expect(withoutToken(a) == withoutToken(b))
            #expect(try oaiIdentifiers(folder + "/" + live.path) == (try oaiIdentifiers(offline + "/" + stored.path)))
            // And the arXiv parser makes the same paper records of both.
            let name = URL(fileURLWithPath: stored.path).lastPathComponent
            #expect(try papers(folder + "/" + live.path, name) == (try papers(offline + "/" + stored.path, name)))
        }
    }

    func papers(_ path: String, _ name: String) throws -> [JSONValue] {
        var records: [JSONValue] = []
        let page = try ArxivOAIParser().parse(path: path, displayName: name, emit: { records.append($0.json) }, reject: { _, _, _ in })
        #expect(page.records == 1000 && records.count == 1000)
        return records
    }

    /// The page without the elements that carry the server's own tokens (`<request>`, `<resumptionToken>`).
    func withoutToken(_ bytes: [UInt8]) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        for (open, close) in [("<request", "</request>"), ("<resumptionToken", "</resumptionToken>")] {
            guard let start = text.range(of: open), let end = text.range(of: close, range: start.upperBound..<text.endIndex) else { continue }
            text = String(text[..<start.lowerBound]) + String(text[end.upperBound...])
        }
        return text
    }
}

extension LiveHarvestTests {
    /// Two harvests holding the same records (a re-harvest from an early `from`): parsing keeps
    /// each record once, the copy from the latest harvest.
    @Test func overlappingHarvestsKeepEachRecordOnceFromTheLatest() async throws {
        let server = try LiveTestServer()
        let folder = try temporaryFetchFolder()
        defer { removeTemporary(folder) }
        var request = arxivRequest(server, folder: folder)
        _ = try await LiveFetcher.run(request, log: { _ in })
        request.from = "2000-01-01"
        let result = try await LiveFetcher.run(request, log: { _ in })
        #expect(result.entries.count == 6)
        let pages = result.entries.map { (name: String($0.path.dropFirst("arxiv/".count)), path: folder + "/" + $0.path) }
        let folders = Set(pages.map { $0.name.split(separator: "/")[0] })
        #expect(folders.count == 2)
        let latest = try #require(folders.max { HarvestOverlap.stamp(String($0)) < HarvestOverlap.stamp(String($1)) })
        let overlap = try HarvestOverlap(pages: pages)
        #expect(overlap.harvests == 2)
        var kept: [String] = []
        for page in pages {
            _ = try ArxivOAIParser().parse(path: page.path, displayName: page.name, emit: { record in
                if !overlap.isSuperseded(arxivID: record.arxivID, on: page.name) {
                    kept.append(record.arxivID ?? "")
                    #expect(page.name.hasPrefix(latest + "/"))
                }
            }, reject: { _, _, _ in })
        }
        #expect(kept.count == 3000 && Set(kept).count == 3000)
        // One harvest (the snapshot's layout): nothing is read, nothing superseded.
        let single = try HarvestOverlap(pages: pages.filter { $0.name.hasPrefix(latest + "/") })
        #expect(single.harvests == 1 && !single.isSuperseded(arxivID: kept[0], on: pages[0].name))
    }
}
