import Foundation

/// Tests/DivideSourcesTests/Fixtures/live/gzip_bomb_server.py on a loopback port, for the HTTP
/// body budget tests of two test targets: started with `arguments`, stopped (stdin closed, then
/// terminated) by `stop()`.
public final class BombServer {
    public let port: Int
    private let process = Process()
    private let stdin = Pipe()

    /// Waits up to `timeout` for the script's "PORT <n>" line (building its default bomb takes a
    /// few seconds); throws with what it printed when none comes.
    public init(arguments: [String] = [], timeout: TimeInterval = 30) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DivideSourcesTests/Fixtures/live/gzip_bomb_server.py").path
        let stdout = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        var banner = ""
        let deadline = Date().addingTimeInterval(timeout)
        while !banner.contains("\n"), Date() < deadline {
            let data = stdout.fileHandleForReading.availableData
            if data.isEmpty { break }  // end of file: the script exited
            banner += String(decoding: data, as: UTF8.self)
        }
        guard banner.hasPrefix("PORT "), let port = Int(banner.dropFirst(5).prefix { $0.isNumber }) else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "gzip_bomb_server.py printed no port: '\(banner)'"])
        }
        self.port = port
    }

    public func stop() {
        try? stdin.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}
