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
        var files: [String] = []
        for case let relative as String in walker {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue,
               !relative.hasSuffix("README.md") {
                files.append(relative)
            }
        }
        files.sort()
        guard !files.isEmpty else { throw DivideError(file: root, reason: "no files for source '\(source)'") }
        return try files.map { relative in
            let target = destination + "/" + source + "/" + relative
            let out = try AtomicFile(path: target)
            try? FileManager.default.removeItem(atPath: out.temporaryPath)
            try FileManager.default.copyItem(atPath: root + "/" + relative, toPath: out.temporaryPath)
            try out.commit()
            let (sha, size) = try SHA256.hashFile(path: target)
            let modified = (try? FileManager.default.attributesOfItem(atPath: root + "/" + relative)[.modificationDate] as? Date) ?? nil
            let stamp = FetchClock.stamp(modified ?? Date(timeIntervalSince1970: 0))
            return FetchManifestEntry(
                source: source, path: source + "/" + relative,
                url: URL(fileURLWithPath: root + "/" + relative).standardizedFileURL.absoluteString,
                bytes: size, sha256: sha, fetchedAt: stamp)
        }
    }
}
