import DivideCore
import Foundation

/// One payload the fetch stage delivered: what, from where, and its fingerprint.
public struct FetchManifestEntry: JSONRecord, Equatable, Sendable {
    public var source: String
    /// Path of the payload relative to the manifest's folder.
    public var path: String
    /// Where it came from: a `file://` URL in snapshot mode, the HTTP URL in live mode.
    public var url: String
    /// Live mode: the HTTP status the payload arrived with (200); nil in snapshot mode.
    public var status: Int?
    /// Live mode: the cache validators the server sent with the payload.
    public var etag: String?
    public var lastModified: String?
    public var bytes: Int
    public var sha256: String
    public var fetchedAt: String

    public init(source: String, path: String, url: String, status: Int? = nil, etag: String? = nil, lastModified: String? = nil,
                bytes: Int, sha256: String, fetchedAt: String) {
        self.source = source
        self.path = path
        self.url = url
        self.status = status
        self.etag = etag
        self.lastModified = lastModified
        self.bytes = bytes
        self.sha256 = sha256
        self.fetchedAt = fetchedAt
    }

    /// The live-only fields are written only when set, so snapshot manifests keep their shape.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [("source", .string(source)), ("path", .string(path)), ("url", .string(url))]
        if let status { pairs.append(("status", .int(status))) }
        if let etag { pairs.append(("etag", .string(etag))) }
        if let lastModified { pairs.append(("last_modified", .string(lastModified))) }
        pairs += [("bytes", .int(bytes)), ("sha256", .string(sha256)), ("fetched_at", .string(fetchedAt))]
        return .object(pairs)
    }

    public init(json: JSONValue) throws {
        source = try json.requireString("source")
        path = try json.requireString("path")
        url = json["url"]?.stringValue ?? ""
        status = json["status"]?.intValue
        etag = json["etag"]?.stringValue
        lastModified = json["last_modified"]?.stringValue
        bytes = json["bytes"]?.intValue ?? 0
        sha256 = json["sha256"]?.stringValue ?? ""
        fetchedAt = json["fetched_at"]?.stringValue ?? ""
    }

    /// Reads a manifest and resolves each entry's path against the manifest's folder.
    public static func read(manifest: String) throws -> [(entry: FetchManifestEntry, absolutePath: String)] {
        let folder = URL(fileURLWithPath: manifest).deletingLastPathComponent().path
        return try NDJSONReader(path: manifest).readAll(FetchManifestEntry.self).map { ($0, folder + "/" + $0.path) }
    }
}

/// The offline fetch: copies a source's folder of the snapshot into the fetch stage folder,
/// verbatim, and records each file in the manifest. The snapshot itself is never modified.
public struct SnapshotFetcher {
    public let snapshot: String
    public let destination: String

    public init(snapshot: String, destination: String) {
        self.snapshot = snapshot
        self.destination = destination
    }

    /// Checks the snapshot folder exists, with a message that says what to set.
    public static func validate(snapshot: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: snapshot, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DivideError(file: snapshot, reason: "snapshot folder not found; set SNAPSHOT=/path/to/snapshot (make) or --snapshot (fetch)")
        }
    }

    /// What one source's folder gave: the payloads copied, and the entries that are not files
    /// that can be read (path inside the snapshot, reason), which fetch rejects and lists.
    public struct Delivery {
        public var entries: [FetchManifestEntry] = []
        public var rejected: [(path: String, reason: String)] = []
    }

    /// Copies `snapshot/<folder>/**` (regular files, sorted) to `destination/<source>/`. A
    /// payload's `fetched_at` is its snapshot file's modification time (when the snapshot
    /// captured it), so the same snapshot gives a byte-identical manifest on every run. A FIFO,
    /// device or socket, a dangling symbolic link or a link loop, or a folder that cannot be
    /// read is rejected, never skipped in silence.
    public func fetch(source: String, folder: String) throws -> Delivery {
        try SnapshotFetcher.validate(snapshot: snapshot)
        let root = snapshot + "/" + folder
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw DivideError(file: root, reason: "source folder '\(folder)' missing from the snapshot")
        }
        var files: [String] = []
        var delivery = Delivery()
        for case let relative as String in walker where !relative.hasSuffix("README.md") {
            if let problem = SnapshotFetcher.problem(root + "/" + relative) {
                delivery.rejected.append((folder + "/" + relative, problem))
            } else if SnapshotFetcher.isRegularFile(root + "/" + relative) {
                files.append(relative)
            }
        }
        files.sort()
        delivery.rejected.sort { $0.path < $1.path }
        guard !files.isEmpty else { throw DivideError(file: root, reason: "no files for source '\(source)'") }
        delivery.entries = try files.map { try deliver(source: source, root: root, relative: $0) }
        return delivery
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Why a snapshot entry cannot be a payload (nil for a regular file or a readable folder).
    static func problem(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            return code == ENOENT ? "dangling symbolic link" : String(cString: strerror(code)).lowercased()
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return access(path, R_OK | X_OK) == 0 ? nil : "folder cannot be read: permission denied"
        case S_IFIFO: return "not a regular file (FIFO)"
        default: return "not a regular file"
        }
    }

    /// Copies one snapshot file into place (atomically), hashing it on the way, and describes it
    /// for the manifest.
    private func deliver(source: String, root: String, relative: String) throws -> FetchManifestEntry {
        let origin = root + "/" + relative
        let out = try AtomicFile(path: destination + "/" + source + "/" + relative)
        let (modified, sha, size) = try HashingCopy(origin: origin, target: out.temporaryPath).run()
        try out.commit()
        return FetchManifestEntry(
            source: source, path: source + "/" + relative,
            url: URL(fileURLWithPath: origin).standardizedFileURL.absoluteString,
            bytes: size, sha256: sha, fetchedAt: FetchClock.stamp(modified))
    }
}

/// A file copy that hashes the bytes on their way through: each chunk is read once, hashed and
/// written, instead of copying in the kernel and reading the copy back to hash it. Keeps the
/// origin's permission bits.
private final class HashingCopy {
    let origin: String
    let target: String
    let input: Int32
    let output: Int32
    let modified: Date

    init(origin: String, target: String) throws {
        self.origin = origin
        self.target = target
        input = open(origin, O_RDONLY)
        guard input >= 0 else { throw DivideError(file: origin, reason: "cannot open: \(String(cString: strerror(errno)))") }
        var info = stat()
        guard fstat(input, &info) == 0 else {
            close(input)
            throw DivideError(file: origin, reason: "cannot stat: \(String(cString: strerror(errno)))")
        }
        unlink(target)
        output = open(target, O_WRONLY | O_CREAT | O_EXCL | O_TRUNC, 0o666)
        guard output >= 0 else {
            close(input)
            throw DivideError(file: target, reason: "cannot create: \(String(cString: strerror(errno)))")
        }
        fchmod(output, info.st_mode & 0o7777)
        modified = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
    }

    deinit {
        close(input)
        close(output)
    }

    /// Copies the whole file; returns the origin's modification time, the SHA-256 and the size.
    func run() throws -> (modified: Date, sha256: String, bytes: Int) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var hash = SHA256()
        var total = 0
        while true {
            let count = read(input, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw DivideError(file: origin, reason: "read failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            total += count
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            hash.update(chunk)
            try write(chunk)
        }
        return (modified, hash.finalize(), total)
    }

    private func write(_ chunk: UnsafeRawBufferPointer) throws {
        var written = 0
        while written < chunk.count {
            let sent = Glibc.write(output, chunk.baseAddress! + written, chunk.count - written)
            if sent < 0 {
                if errno == EINTR { continue }
                throw DivideError(file: target, reason: "write failed: \(String(cString: strerror(errno)))")
            }
            written += sent
        }
    }
}
