import DivideCore
import DivideSources
import Foundation
import Testing

/// Tests/Fixtures/bad-input: one hostile case per file.
let badInput = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/bad-input").path

/// The stage executables: `DIVIDE_BIN` (set by `make test`), else the build folder this test
/// bundle was built into (`swift test` builds the executables beside it).
let stageBinaries: String = {
    if let bin = ProcessInfo.processInfo.environment["DIVIDE_BIN"], !bin.isEmpty { return bin }
    return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
}()

struct StageResult {
    let status: Int32
    let signalled: Bool
    let stderr: String
    let seconds: Double
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// Runs a stage binary to completion (under `wrapper`, a command such as GNU time, if given).
func runTool(_ tool: String, _ arguments: [String], environment: [String: String] = [:], under wrapper: [String] = []) throws -> StageResult {
    let path = stageBinaries + "/" + tool
    guard FileManager.default.isExecutableFile(atPath: path) else {
        Issue.record("stage binary \(path) not built; run `swift build` or set DIVIDE_BIN")
        throw DivideError(file: path, reason: "not built")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: wrapper.first ?? path)
    process.arguments = wrapper.isEmpty ? arguments : Array(wrapper.dropFirst()) + [path] + arguments
    var env = ProcessInfo.processInfo.environment
    env["STRICT"] = nil
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let errPipe = Pipe()
    process.standardError = errPipe
    process.standardOutput = FileHandle.nullDevice
    let start = Date()
    try process.run()
    let errData = errPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return StageResult(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                       stderr: String(decoding: errData, as: UTF8.self), seconds: Date().timeIntervalSince(start))
}

/// Runs a tool and returns its stdout too.
func runToolOutput(_ tool: String, _ arguments: [String]) throws -> (status: Int32, stdout: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: stageBinaries + "/" + tool)
    process.arguments = arguments
    let outPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = outPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// A fresh empty folder for one test.
func scratchFolder(_ name: String) -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("divide-reliability-\(getpid())/\(name)-\(UUID().uuidString.prefix(8))").path
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Lays out `files` as the fetch stage would (folder/epoch/<name> + epoch.manifest.ndjson.gz).
func fetchLayout(_ folder: String, source: String = "epoch", files: [(name: String, bytes: [UInt8])]) throws -> String {
    let fm = FileManager.default
    try fm.createDirectory(atPath: folder + "/" + source, withIntermediateDirectories: true)
    let manifest = folder + "/" + source + ".manifest.ndjson.gz"
    let writer = try NDJSONWriter(path: manifest)
    for file in files {
        _ = fm.createFile(atPath: folder + "/" + source + "/" + file.name, contents: Data(file.bytes))
        try writer.write(FetchManifestEntry(source: source, path: source + "/" + file.name, url: "file:///fixture/" + file.name,
                                            bytes: file.bytes.count, sha256: SHA256.hex(of: file.bytes), fetchedAt: "2026-01-01T00:00:00Z"))
    }
    try writer.commit()
    return manifest
}

func fixtureBytes(_ relative: String) -> [UInt8] {
    [UInt8](FileManager.default.contents(atPath: badInput + "/" + relative) ?? Data())
}

func readLines(_ path: String) throws -> [JSONValue] {
    var out: [JSONValue] = []
    try NDJSONReader(path: path).forEach { v, _ in out.append(v) }
    return out
}

/// A tiny deterministic PRNG (SplitMix64) so fuzz cases are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A stage run under GNU time, with its peak resident memory (%M, in KB; 0 without GNU time).
func measuredRun(_ tool: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (result: StageResult, peakKB: Int) {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else { return (try runTool(tool, arguments, environment: environment), 0) }
    let run = try runTool(tool, arguments, environment: environment, under: ["/usr/bin/time", "-f", "peak-rss-kb %M"])
    var lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let peak = lines.last { $0.hasPrefix("peak-rss-kb ") }.flatMap { Int($0.dropFirst(12)) } ?? .max
    lines.removeAll { $0.hasPrefix("peak-rss-kb ") || $0.hasPrefix("Command exited with non-zero status") }
    return (StageResult(status: run.status, signalled: run.signalled, stderr: lines.joined(separator: "\n"), seconds: run.seconds), peak)
}
