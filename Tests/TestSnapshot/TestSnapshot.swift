import Foundation

/// Where the tests find the offline snapshot: `$SNAPSHOT`, else `../shared/snapshot` beside the
/// package. Tests that need it are enabled with `TestSnapshot.has(_:)`: without the snapshot
/// they are skipped on a developer's machine, but under CI=true they run and fail on the missing
/// file, so a CI without its data cannot pass silently.
public enum TestSnapshot {
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static let folder: String = {
        if let env = ProcessInfo.processInfo.environment["SNAPSHOT"], !env.isEmpty { return env }
        return URL(fileURLWithPath: packageRoot).deletingLastPathComponent().appendingPathComponent("shared/snapshot").path
    }()

    public static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Whether the tests that read `relative` (a path inside the snapshot) should run: the file
    /// exists, or this is CI (where a missing snapshot must fail, not skip).
    public static func has(_ relative: String) -> Bool {
        let path = folder + "/" + relative
        if FileManager.default.fileExists(atPath: path) { return true }
        if isCI {
            FileHandle.standardError.write(Data("error: CI=true but the snapshot file \(path) is missing (set SNAPSHOT)\n".utf8))
            return true
        }
        return false
    }
}
