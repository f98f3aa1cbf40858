import DivideCore
@testable import DivideSources
import Foundation
import Testing

/// `make all FETCH=live` without a network: a host that does not resolve or refuses the
/// connection fails the source at once (no retries with backoff), in one line that names the
/// host and the way back to the snapshot, with the per-file details in a file.
@Suite(.timeLimit(.minutes(1)))
struct UnreachableHostTests {
    /// The live defaults' retries: five attempts with 2 s, 4 s, 8 s, 16 s backoff (30 s a file).
    func request(_ endpoint: String, folder: String) -> LiveFetchRequest {
        var request = LiveFetchRequest(source: "epoch", folder: folder, endpoint: URL(string: endpoint)!,
                                       policy: HTTPPolicy(contact: "live-tests@example.org", minimumInterval: 0.05, timeout: 10),
                                       contact: "live-tests@example.org")
        request.files = ["notable_ai_models.csv", "all_ai_models.csv", "large_scale_ai_models.csv", "frontier_ai_models.csv"]
        return request
    }

    func check(_ endpoint: String, host: String, reason: String) async throws {
        let folder = try temporaryFetchFolder()
        defer { removeTemporary(folder) }
        let started = Date()
        let result = try await LiveFetcher.run(request(endpoint, folder: folder), log: { _ in })
        #expect(Date().timeIntervalSince(started) < 5)
        let failure = try #require(result.failure)
        #expect(failure.file == host)
        #expect(failure.description.contains(reason))
        #expect(failure.description.contains("4 of 4 epoch file(s) not fetched, no previous copies"))
        #expect(failure.description.contains("FETCH=snapshot reads the local snapshot"))
        #expect(!failure.description.contains("previous copies kept"))
        #expect(!failure.description.contains("\n"))
        #expect(failure.description.hasSuffix("details in \(folder)/epoch.failures.txt"))
        let details = String(decoding: try readFileBytes(path: folder + "/epoch.failures.txt"), as: UTF8.self)
        #expect(details.split(separator: "\n").count == 4)
        #expect(details.contains("frontier_ai_models.csv: not tried"))
    }

    @Test func anUnresolvableHostFailsAtOnce() async throws {
        try await check("http://nonexistent.invalid/", host: "nonexistent.invalid", reason: "cannot resolve the host name")
    }

    @Test func aClosedPortFailsAtOnce() async throws {
        try await check("http://127.0.0.1:9/", host: "127.0.0.1", reason: "cannot connect to host")
    }
}
