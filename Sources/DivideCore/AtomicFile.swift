import Foundation

/// A file that appears under its final name only when complete: content goes to a temporary
/// file in the same folder and is renamed over the target on `commit()`. An interrupted run
/// (error, SIGINT, SIGTERM) removes its temporary files; after SIGKILL only a `.tmp-` file is
/// left, which Make never takes for the target and the next run writing into that folder
/// cleans. A temporary file is locked (flock) while its writer lives, so a stale one is told
/// apart by its free lock, not by its pid (pids are reused).
public final class AtomicFile {
    public let path: String
    public let temporaryPath: String
    private var committed = false
    /// Holds the temporary file's lock until commit or drop.
    private var lock: Int32 = -1

    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        AtomicFile.removeStaleTemporaries(folder: folder)
        temporaryPath = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        TemporaryFileRegistry.shared.add(temporaryPath)
        lock = open(temporaryPath, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        if lock >= 0 { _ = flock(lock, LOCK_EX | LOCK_NB) }
    }

    deinit {
        if !committed { unlink(temporaryPath) }
        if lock >= 0 { close(lock) }
        TemporaryFileRegistry.shared.remove(temporaryPath)
    }

    public func commit() throws {
        guard !committed else { return }
        if StageTargets.shared.hold(self) { return }
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
            throw DivideError(errno: errno, file: path)
        }
        try file.commit()
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    /// Removes the folder's temporary files (`.<name>.tmp-<pid>`) that no live writer holds: the
    /// lock is free and the pid is gone or the file has not changed for a minute (a pid reused by
    /// another process; a file just created, not yet locked, is younger than that).
    static func removeStaleTemporaries(folder: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for entry in entries where entry.hasPrefix(".") {
            guard let marker = entry.range(of: ".tmp-", options: .backwards),
                  let pid = Int32(entry[marker.upperBound...]) else { continue }
            let path = folder + "/" + entry
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }
            var info = stat()
            let age = fstat(fd, &info) == 0 ? time(nil) - info.st_mtim.tv_sec : 0
            if kill(pid, 0) != 0 || age > 60 { unlink(path) }
        }
    }
}

/// Temporary files of this process, removed by the SIGINT/SIGTERM handler. Paths are kept as C
/// strings in blocks of slots that are never freed (a new block is linked in when all are
/// taken), so the handler only reads pointers and calls async-signal-safe `unlink`, however
/// many files are open.
final class TemporaryFileRegistry: @unchecked Sendable {
    static let shared = TemporaryFileRegistry()
    static let blockSize = 64
    /// A block: `blockSize` path slots, then one pointer to the next block.
    private typealias Slot = UnsafeMutablePointer<CChar>?
    private let first: UnsafeMutablePointer<Slot>
    private let lock = NSLock()

    private init() {
        first = TemporaryFileRegistry.newBlock()
        installHandlers()
    }

    private static func newBlock() -> UnsafeMutablePointer<Slot> {
        let block = UnsafeMutablePointer<Slot>.allocate(capacity: blockSize + 1)
        block.initialize(repeating: nil, count: blockSize + 1)
        return block
    }

    private static func next(_ block: UnsafeMutablePointer<Slot>) -> UnsafeMutablePointer<Slot>? {
        block[blockSize].map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Slot.self) }
    }

    func add(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        var block = first
        while true {
            for i in 0..<TemporaryFileRegistry.blockSize where block[i] == nil {
                block[i] = strdup(path)
                return
            }
            if let next = TemporaryFileRegistry.next(block) {
                block = next
            } else {
                let fresh = TemporaryFileRegistry.newBlock()
                block[TemporaryFileRegistry.blockSize] = UnsafeMutableRawPointer(fresh).assumingMemoryBound(to: CChar.self)
                block = fresh
            }
        }
    }

    func remove(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        var block: UnsafeMutablePointer<Slot>? = first
        while let current = block {
            for i in 0..<TemporaryFileRegistry.blockSize {
                if let p = current[i], String(cString: p) == path {
                    current[i] = nil
                    free(p)
                    return
                }
            }
            block = TemporaryFileRegistry.next(current)
        }
    }

    /// Whether `path` would be removed on SIGINT (tests).
    func contains(_ path: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        var block: UnsafeMutablePointer<Slot>? = first
        while let current = block {
            for i in 0..<TemporaryFileRegistry.blockSize { if let p = current[i], String(cString: p) == path { return true } }
            block = TemporaryFileRegistry.next(current)
        }
        return false
    }

    private func installHandlers() {
        TemporaryFileRegistry.signalBlocks = first
        // A parent may hand down these signals blocked (test runners, some supervisors); then a
        // kill would wait until exit and the run would finish instead of stopping clean.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblock, sig) }
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { received in
                var block = TemporaryFileRegistry.signalBlocks
                while let current = block {
                    for i in 0..<TemporaryFileRegistry.blockSize { if let p = current[i] { unlink(p) } }
                    block = TemporaryFileRegistry.next(current)
                }
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    nonisolated(unsafe) static var signalBlocks: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
}

/// The targets of the stages running in this process. A target (the file Make takes for the
/// stage) is renamed into place last, after its counts file, with SIGINT/SIGTERM/SIGHUP held
/// back: a run interrupted at any point (SIGKILL included) never leaves a target without its
/// counts. Each run registers its own target, so runs in one process (tests) keep apart.
final class StageTargets: @unchecked Sendable {
    static let shared = StageTargets()
    private let lock = NSLock()
    private var pending: [String: AtomicFile?] = [:]

    private static func key(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    func begin(_ path: String) {
        lock.lock(); pending[StageTargets.key(path)] = .some(nil); lock.unlock()
    }

    /// True when `file` is a running stage's target: its rename waits for `commit(_:)`.
    func hold(_ file: AtomicFile) -> Bool {
        lock.lock(); defer { lock.unlock() }
        let key = StageTargets.key(file.path)
        guard pending[key] != nil else { return false }
        pending[key] = .some(file)
        return true
    }

    /// Ends the run of `path`, returning its held target file (nil when never committed).
    func end(_ path: String) -> AtomicFile? {
        lock.lock(); defer { lock.unlock() }
        return pending.removeValue(forKey: StageTargets.key(path)) ?? nil
    }

    /// Renames a held target into place with the interrupting signals blocked.
    static func commit(_ file: AtomicFile) throws {
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&blocked, sig) }
        sigprocmask(SIG_BLOCK, &blocked, &previous)
        defer { sigprocmask(SIG_SETMASK, &previous, nil) }
        try file.commitNow()
    }
}
