import Foundation

/// A file that appears under its final name only when complete: content goes to a temporary
/// file in the same folder and is renamed over the target on `commit()`. An interrupted run
/// (error, SIGINT, SIGTERM) removes its temporary files; after SIGKILL only a `.tmp-` file is
/// left, which Make never takes for the target and the next run cleans.
public final class AtomicFile {
    public let path: String
    public let temporaryPath: String
    private var committed = false

    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        AtomicFile.removeStaleTemporaries(folder: folder, name: url.lastPathComponent)
        temporaryPath = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        TemporaryFileRegistry.shared.add(temporaryPath)
    }

    deinit {
        if !committed { unlink(temporaryPath) }
        TemporaryFileRegistry.shared.remove(temporaryPath)
    }

    public func commit() throws {
        guard !committed else { return }
        if PrimaryOutput.defer(self) { return }
        try commitNow()
    }

    func commitNow() throws {
        guard !committed else { return }
        guard rename(temporaryPath, path) == 0 else {
            throw DivideError(file: path, reason: "cannot move temporary file into place: \(String(cString: strerror(errno)))")
        }
        committed = true
    }

    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let file = try AtomicFile(path: path)
        guard FileManager.default.createFile(atPath: file.temporaryPath, contents: Data(bytes)) else {
            throw DivideError(file: path, reason: "cannot write temporary file")
        }
        try file.commit()
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    private static func removeStaleTemporaries(folder: String, name: String) {
        let prefix = "." + name + ".tmp-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count)), kill(pid, 0) != 0 else { continue }
            unlink(folder + "/" + entry)
        }
    }
}

/// Temporary files of this process, removed by the SIGINT/SIGTERM handler. Paths are kept as C
/// strings so the handler only calls async-signal-safe `unlink`.
final class TemporaryFileRegistry: @unchecked Sendable {
    static let shared = TemporaryFileRegistry()
    private static let capacity = 64
    private let slots = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
    private let lock = NSLock()

    private init() {
        slots.initialize(repeating: nil, count: TemporaryFileRegistry.capacity)
        installHandlers()
    }

    func add(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        for i in 0..<TemporaryFileRegistry.capacity where slots[i] == nil {
            slots[i] = strdup(path)
            return
        }
    }

    func remove(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        for i in 0..<TemporaryFileRegistry.capacity {
            if let p = slots[i], String(cString: p) == path {
                slots[i] = nil
                free(p)
            }
        }
    }

    private func installHandlers() {
        TemporaryFileRegistry.signalSlots = slots
        // A parent may hand down these signals blocked (test runners, some supervisors); then a
        // kill would wait until exit and the run would finish instead of stopping clean.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblock, sig) }
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { received in
                if let slots = TemporaryFileRegistry.signalSlots {
                    for i in 0..<TemporaryFileRegistry.capacity { if let p = slots[i] { unlink(p) } }
                }
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    nonisolated(unsafe) static var signalSlots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
}

/// The file Make takes as a stage's target is renamed into place last, after the counts file,
/// with SIGINT/SIGTERM/SIGHUP held back: a run interrupted at any point (SIGKILL included)
/// never leaves a target without its counts, and a target is never newer than an unfinished run.
public enum PrimaryOutput {
    nonisolated(unsafe) static var path: String?
    nonisolated(unsafe) static var pending: AtomicFile?

    /// Marks `path` as the stage's target: its `commit()` waits for `commitDeferred()`.
    public static func begin(_ path: String) {
        self.path = URL(fileURLWithPath: path).standardizedFileURL.path
        pending = nil
    }

    static func `defer`(_ file: AtomicFile) -> Bool {
        guard let path, URL(fileURLWithPath: file.path).standardizedFileURL.path == path else { return false }
        pending = file
        return true
    }

    /// Renames the target into place (no-op when the stage never committed it).
    public static func commitDeferred() throws {
        defer { path = nil; pending = nil }
        guard let file = pending else { return }
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&blocked, sig) }
        sigprocmask(SIG_BLOCK, &blocked, &previous)
        defer { sigprocmask(SIG_SETMASK, &previous, nil) }
        try file.commitNow()
    }

    /// Drops an uncommitted target (its temporary file is removed).
    public static func discard() {
        path = nil
        pending = nil
    }
}
