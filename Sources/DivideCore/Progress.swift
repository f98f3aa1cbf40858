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

    public func update(_ count: Int, unit: String = "records") {
        guard enabled, count & 1023 == 0 else { return }
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

/// Writes one line to stderr.
public func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
