import DivideCore
@testable import DivideSources
import Foundation
import TestSnapshot
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The snapshot the live tests serve.
let liveSnapshot = TestSnapshot.folder

let snapshotAvailable = TestSnapshot.has("arxiv-oai/cs-2016-03/page-003.xml.gz")

/// The loopback test server (Fixtures/live/live_test_server.py), started on an ephemeral
/// 127.0.0.1 port for one test and stopped at its end (or when this process exits: the server
/// quits when its stdin closes).
final class LiveTestServer {
    let process = Process()
    private let stdin = Pipe()
    let port: Int

    init(pages: Int = 3, slow: Double = 4.5) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/live/live_test_server.py").path
        let stdout = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--snapshot", liveSnapshot, "--pages", String(pages), "--slow", String(slow)]
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while !text.contains("\n"), Date() < deadline {
            let data = stdout.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5).prefix { $0.isNumber }) else {
            process.terminate()
            throw DivideError(file: script, reason: "test server did not start: \(text)")
        }
        self.port = port
    }

    deinit { stop() }

    func stop() {
        if process.isRunning {
            try? stdin.fileHandleForWriting.close()
            process.terminate()
            process.waitUntilExit()
        }
    }

    var base: String { "http://127.0.0.1:\(port)" }

    func control(_ path: String) throws -> [UInt8] {
        let done = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var data: Data? }
        let box = Box()
        URLSession.shared.dataTask(with: URL(string: base + "/_control/" + path)!) { data, _, _ in
            box.data = data
            done.signal()
        }.resume()
        done.wait()
        guard let data = box.data else { throw DivideError(file: path, reason: "control request failed") }
        return [UInt8](data)
    }

    /// Queues faults for a route key (`oai:2`, `openalex:1`, `files:epoch/…`).
    func fault(_ key: String, _ actions: String...) throws {
        _ = try control("fault?key=\(key.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&actions=\(actions.joined(separator: ","))")
    }

    struct Request {
        let key: String
        let query: [String: String]
        let headers: [String: String]
        let time: Double
        let status: Int
        let fault: String?
    }

    func log() throws -> [Request] {
        let json = try JSONParser.parse(control("log"))
        return (json.arrayValue ?? []).map { entry in
            Request(key: entry["key"]?.stringValue ?? "",
                    query: Dictionary(uniqueKeysWithValues: (entry["query"]?.objectValue ?? []).map { ($0.0, $0.1.stringValue ?? "") }),
                    headers: Dictionary(uniqueKeysWithValues: (entry["headers"]?.objectValue ?? []).map { ($0.0, $0.1.stringValue ?? "") }),
                    time: entry["time"]?.doubleValue ?? 0, status: entry["status"]?.intValue ?? 0,
                    fault: entry["fault"]?.stringValue)
        }
    }
}

/// A fresh fetch folder per test.
func temporaryFetchFolder() throws -> String {
    let path = NSTemporaryDirectory() + "compute-divide-live-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func removeTemporary(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

/// A quick policy for loopback tests: short spacing, backoff and timeout.
func testPolicy(attempts: Int = 4, timeout: Double = 2.0) -> HTTPPolicy {
    HTTPPolicy(contact: "live-tests@example.org", minimumInterval: 0.05, maxAttempts: attempts, baseBackoff: 0.05,
               maxBackoff: 0.5, timeout: timeout, maxRetryAfter: 5)
}

/// Record identifiers of an OAI-PMH page (gzip or plain), in order.
func oaiIdentifiers(_ path: String) throws -> [String] {
    try OAIPage(xml: readFileBytes(path: path)).identifiers
}
