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

    /// Copies `snapshot/<folder>/**` (files only, sorted) to `destination/<source>/`. A payload's
    /// `fetched_at` is its snapshot file's modification time (when the snapshot captured it), so
    /// the same snapshot gives a byte-identical manifest on every run.
    public func fetch(source: String, folder: String) throws -> [FetchManifestEntry] {
        try SnapshotFetcher.validate(snapshot: snapshot)
        let root = snapshot + "/" + folder
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw DivideError(file: root, reason: "source folder '\(folder)' missing from the snapshot")
        }
        var files: [(relative: String, bytes: Int)] = []
        for case let relative as String in walker where !relative.hasSuffix("README.md") {
            var info = stat()
            if stat(root + "/" + relative, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
                files.append((relative, Int(info.st_size)))
            }
        }
        files.sort { $0.relative < $1.relative }
        guard !files.isEmpty else { throw DivideError(file: root, reason: "no files for source '\(source)'") }
        // Copying and hashing are independent per file. Files go in pairs of similar size, whose
        // hashes run interleaved on one core (SHA256.update(_:with:_:with:)); both cores take
        // pairs in turn, largest first so that they finish together. The manifest keeps the
        // sorted order.
        let largestFirst = files.indices.sorted { files[$0].bytes > files[$1].bytes }
        let pairs = stride(from: 0, to: largestFirst.count, by: 2).map { Array(largestFirst[$0..<min($0 + 2, largestFirst.count)]) }
        let delivered = try ParallelMap.map(count: pairs.count) { turn in
            try deliver(source: source, root: root, relatives: pairs[turn].map { files[$0].relative })
        }
        var entries = [FetchManifestEntry?](repeating: nil, count: files.count)
        for (pair, result) in zip(pairs, delivered) {
            for (index, entry) in zip(pair, result) { entries[index] = entry }
        }
        return entries.map { $0! }
    }

    /// Copies one or two snapshot files into place (atomically) and describes them for the manifest.
    private func deliver(source: String, root: String, relatives: [String]) throws -> [FetchManifestEntry] {
        let origins = relatives.map { root + "/" + $0 }
        let outs = try relatives.map { try AtomicFile(path: destination + "/" + source + "/" + $0) }
        let copies = try HashingCopy.copy(from: origins, to: outs.map(\.temporaryPath))
        for out in outs { try out.commit() }
        return zip(relatives, zip(origins, copies)).map { relative, copied in
            let (origin, (modified, sha, size)) = copied
            return FetchManifestEntry(
                source: source, path: source + "/" + relative,
                url: URL(fileURLWithPath: origin).standardizedFileURL.absoluteString,
                bytes: size, sha256: sha, fetchedAt: FetchClock.stamp(modified))
        }
    }
}

/// A file copy that hashes the bytes on their way through: each chunk is read once, hashed and
/// written, instead of copying in the kernel and reading the copy back to hash it. Two files are
/// copied in step so that their hashes run interleaved. Keeps the source's permission bits.
enum HashingCopy {
    static let chunkBytes = 1 << 20

    /// Copies each of `origins` (one or two) to the new file at the same place in `targets`;
    /// returns each origin's modification time and its copy's SHA-256 and size.
    static func copy(from origins: [String], to targets: [String]) throws -> [(modified: Date, sha256: String, bytes: Int)] {
        precondition((1...2).contains(origins.count) && origins.count == targets.count)
        let files = try zip(origins, targets).map { try OpenCopy(origin: $0, target: $1) }
        while files.contains(where: { !$0.finished }) {
            let chunks = try files.map { try $0.readChunk() }
            if files.count == 2 {
                SHA256.update(&files[0].hash, with: chunks[0], &files[1].hash, with: chunks[1])
            } else {
                files[0].hash.update(chunks[0])
            }
            for (file, chunk) in zip(files, chunks) { try file.write(chunk) }
        }
        return files.map { ($0.modified, $0.hash.finalize(), $0.total) }
    }
}

/// One file being copied by HashingCopy: both descriptors, a chunk buffer and the running hash.
private final class OpenCopy {
    let origin: String
    let target: String
    let input: Int32
    let output: Int32
    let modified: Date
    let buffer: UnsafeMutableRawBufferPointer
    var hash = SHA256()
    var total = 0
    var finished = false

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
        buffer = ChunkBuffers.shared.take()
    }

    deinit {
        close(input)
        close(output)
        ChunkBuffers.shared.give(buffer)
    }

    /// The next chunk of the origin; empty once it is finished.
    func readChunk() throws -> UnsafeRawBufferPointer {
        while !finished {
            let count = read(input, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw DivideError(file: origin, reason: "read failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 { finished = true; break }
            total += count
            return UnsafeRawBufferPointer(rebasing: buffer[0..<count])
        }
        return UnsafeRawBufferPointer(start: nil, count: 0)
    }

    func write(_ chunk: UnsafeRawBufferPointer) throws {
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

/// The copies' chunk buffers, reused: a fresh 1 MB allocation is a fresh mapping whose pages
/// fault in one by one, for every file (≈1 ms of a 20 ms fetch of the epoch snapshot). At most
/// two per core are ever made; they live as long as the process.
private final class ChunkBuffers: @unchecked Sendable {
    static let shared = ChunkBuffers()
    private var free: [UnsafeMutableRawBufferPointer] = []
    private let lock = NSLock()

    func take() -> UnsafeMutableRawBufferPointer {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast() ?? .allocate(byteCount: HashingCopy.chunkBytes, alignment: 64)
    }

    func give(_ buffer: UnsafeMutableRawBufferPointer) {
        lock.lock()
        free.append(buffer)
        lock.unlock()
    }
}
