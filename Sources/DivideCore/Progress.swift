import Foundation

/// Progress on stderr, only when stderr is a terminal and the work runs longer than a moment;
/// logs and CI output stay clean.
public final class Progress {
    private let label: String
    private let start = Date()
    private var last = Date()
    private let enabled: Bool
    private var shown = false

    public init(label: String) {
        self.label = label
        enabled = isatty(STDERR_FILENO) == 1
    }

    public var elapsed: Double { Date().timeIntervalSince(start) }

    /// Called per record: looks at the clock only every 1024 records.
    public func update(_ count: Int, unit: String = "records") {
        guard enabled, count & 1023 == 0 else { return }
        show(count, unit: unit)
    }

    /// Called per file (or other coarse step): shows the count at most twice a second.
    public func show(_ count: Int, unit: String = "records") {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(last) > 0.5, now.timeIntervalSince(start) > 2 else { return }
        last = now
        shown = true
        FileHandle.standardError.write(Data("\r\(label): \(count.grouped) \(unit)…\u{1B}[K".utf8))
    }

    public func finish() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// Writes one line to stderr. Control characters (upstream text can carry terminal escape
/// sequences or newlines) are shown as `?`, so a message is always exactly one line.
public func printError(_ line: String) {
    let safe = String(String.UnicodeScalarView(line.unicodeScalars.map { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F ? "?" : $0 }))
    FileHandle.standardError.write(Data((safe + "\n").utf8))
}
