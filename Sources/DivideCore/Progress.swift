import Foundation

/// Progress on stderr, only when stderr is a terminal and the work runs longer than a moment
/// (logs and CI output stay clean): what is done, the rate, and the time left when the total
/// is known. One per stage run (`StageRun.progress`).
public final class Progress {
    private let label: String
    private let start = Date()
    private var last = Date()
    private let enabled: Bool
    private var shown = false
    private var calls = 0

    public init(label: String, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.enabled = enabled
    }

    /// Called per record: looks at the clock only every 1024 calls. `bytes` of `total` (the
    /// input file's compressed size) give the rate and the time left.
    public func update(records: Int, bytes: Int, of total: Int) {
        guard enabled else { return }
        calls &+= 1
        guard calls & 1023 == 0 else { return }
        show(records, unit: "records", done: bytes, of: total)
    }

    /// Called per file (or other coarse step): shows the count at most twice a second; `done`
    /// of `total` (files, bytes) give the time left.
    public func show(_ count: Int, unit: String = "records", done: Int? = nil, of total: Int? = nil) {
        guard enabled else { return }
        let now = Date()
        let elapsed = now.timeIntervalSince(start)
        guard now.timeIntervalSince(last) > 0.5, elapsed > 2 else { return }
        last = now
        shown = true
        var text = "\(label): \(count.grouped) \(unit), \(Int(Double(count) / elapsed).grouped)/s"
        if let done, let total, total > 0, done > 0 {
            let left = elapsed * Double(max(0, total - done)) / Double(done)
            text += String(format: ", %d%%, %.0f s left", 100 * done / total, left)
        }
        FileHandle.standardError.write(Data("\r\(text)\u{1B}[K".utf8))
    }

    /// Writes `line` to stderr on a line of its own (`printError`): a progress line being shown
    /// is cleared first and drawn again at the next update.
    public func printLine(_ line: String) {
        finish()
        printError(line)
    }

    public func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
    }
}

/// Writes one line to stderr. Control characters (upstream text can carry terminal escape
/// sequences or newlines) are shown as `?`, so a message is always exactly one line.
public func printError(_ line: String) {
    let safe = String(String.UnicodeScalarView(line.unicodeScalars.map { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F ? "?" : $0 }))
    FileHandle.standardError.write(Data((safe + "\n").utf8))
}
