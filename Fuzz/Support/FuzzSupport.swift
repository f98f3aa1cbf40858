import CLibFuzzer
import Foundation

/// The input handler of this process's fuzz run (libFuzzer's callback cannot capture it).
nonisolated(unsafe) private var handler: ([UInt8]) throws -> Void = { _ in }

/// Runs libFuzzer with the command line, handing each generated input to `body`, then exits
/// with libFuzzer's status. A thrown error is the parser refusing the input (expected); a trap,
/// a sanitizer report, a hang past `-timeout` or memory past `-rss_limit_mb` is a finding.
public func fuzz(_ body: @escaping ([UInt8]) throws -> Void) -> Never {
    handler = body
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        _ = try? handler(bytes)
        return 0
    }
    exit(status)
}

/// For parsers that read a path: the input written to a scratch file named `name` first (one
/// per process, rewritten for each input).
public func fuzzFile(_ bytes: [UInt8], named name: String, _ body: (String) throws -> Void) throws {
    let folder = NSTemporaryDirectory() + "divide-fuzz-\(getpid())"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/" + name
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
    try body(path)
}
