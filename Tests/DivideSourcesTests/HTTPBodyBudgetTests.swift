import DivideCore
@testable import DivideSources
import Foundation
import TestSnapshot
import Testing

/// Issue 18, case 3 (live fetch): a body that gzip transfer decoding inflates past the budget's
/// MAX_FILE_BYTES is stopped as it arrives and fails at once, without retries; a small body
/// through the same client is unaffected.
@Test func httpBodyOverTheBudgetIsStoppedAsItArrives() async throws {
    let server = try BombServer()  // compressing the default bomb takes a few seconds
    defer { server.stop() }
    let port = server.port
    var policy = testPolicy(attempts: 3)
    policy.maxBodyBytes = 8 << 20
    let client = HTTPClient(policy: policy, log: { _ in })
    do {
        _ = try await client.get(URL(string: "http://127.0.0.1:\(port)/bomb")!)
        Issue.record("a 256 MiB body passed an 8 MiB budget")
    } catch let failure as HTTPFailure {
        #expect(failure.kind == .invalidPayload)
        #expect(failure.attempts == 1)
        #expect(failure.description == "GET http://127.0.0.1:\(port)/bomb: body larger than 8388608 bytes (MAX_FILE_BYTES); transfer stopped")
    }
    // A plain body with no Content-Length is counted as it arrives too.
    do {
        _ = try await client.get(URL(string: "http://127.0.0.1:\(port)/stream")!)
        Issue.record("a 64 MiB chunked body passed an 8 MiB budget")
    } catch let failure as HTTPFailure {
        #expect(failure.attempts == 1)
        #expect(failure.description.hasSuffix("body larger than 8388608 bytes (MAX_FILE_BYTES); transfer stopped"))
    }
    // A body under the budget comes back from its file byte for byte.
    let medium = try await client.get(URL(string: "http://127.0.0.1:\(port)/medium")!)
    #expect(medium.body.count == 4 << 20)
    #expect(medium.body.enumerated().allSatisfy { $0.element == UInt8($0.offset & 0xFF) })
    let small = try await client.get(URL(string: "http://127.0.0.1:\(port)/small")!)
    #expect(small.status == 200 && small.body == Array("small body\n".utf8))
}
