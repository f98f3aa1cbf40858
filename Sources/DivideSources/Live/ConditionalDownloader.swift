import DivideCore
import Foundation

/// Downloads plain files (Epoch CSVs, conference list JSON, ACL Anthology XML, the ROR dump) with
/// conditional GET: the validators of the cached copy go out as If-None-Match / If-Modified-Since,
/// and 304 keeps the cached copy. A new copy replaces the old one only when complete and verified
/// (declared length, gzip integrity, well-formed for its format); a copy whose bytes did not
/// change keeps its manifest entry, so nothing downstream rebuilds.
public struct ConditionalDownloader: Sendable {
    public let baseURL: URL
    /// Paths relative to `baseURL` (`notable_ai_models.csv`, `nips/nips2023.json`, …).
    public let files: [String]

    public init(baseURL: URL, files: [String]) {
        self.baseURL = baseURL
        self.files = files
    }

    public struct Summary: Sendable, Equatable {
        public var downloaded = 0
        public var notModified = 0
        public var unchanged = 0
        public var failures: [String] = []
        /// Failed files that still have their previous copy.
        public var failuresWithPreviousCopy = 0
        /// Set when the server could not be reached at all: the remaining files were not tried.
        public var unreachable: HTTPFailure?
        /// Files not tried because the server was unreachable (also listed in `failures`).
        public var notTried = 0
    }

    /// Fetches every file; a failed file keeps its previous copy and is listed in `failures`
    /// (one line each: URL and reason) instead of stopping the others.
    public func download(_ context: LiveContext) async -> Summary {
        var summary = Summary()
        for (n, file) in files.enumerated() {
            do {
                switch try await download(file: file, context) {
                case .downloaded: summary.downloaded += 1
                case .notModified: summary.notModified += 1
                case .unchanged: summary.unchanged += 1
                }
            } catch {
                summary.failures.append("\(error)")
                if hasPreviousCopy(file, context) { summary.failuresWithPreviousCopy += 1 }
                if let failure = error as? HTTPFailure, case .unreachable = failure.kind {
                    summary.unreachable = failure
                    for rest in files[(n + 1)...] {
                        summary.notTried += 1
                        summary.failures.append("GET \(url(of: rest).redacted): not tried, \(failure.url) failed first: \(failure.reason)")
                        if hasPreviousCopy(rest, context) { summary.failuresWithPreviousCopy += 1 }
                    }
                    break
                }
            }
        }
        return summary
    }

    private func url(of file: String) -> URL {
        file.split(separator: "/").reduce(baseURL) { $0.appendingPathComponent(String($1)) }
    }

    private func relativePath(_ file: String, _ context: LiveContext) -> String {
        context.source + "/" + file + (file.hasSuffix(".gz") ? "" : ".gz")
    }

    private func hasPreviousCopy(_ file: String, _ context: LiveContext) -> Bool {
        let relative = relativePath(file, context)
        return context.state.value.payloads[relative] != nil && FileManager.default.fileExists(atPath: context.absolute(relative))
    }

    public enum Outcome: Sendable { case downloaded, notModified, unchanged }

    public func download(file: String, _ context: LiveContext) async throws -> Outcome {
        let state = context.state.value
        let url = url(of: file)
        let relative = relativePath(file, context)
        let target = context.absolute(relative)
        let cached = FileManager.default.fileExists(atPath: target) ? state.payloads[relative] : nil
        var headers: [String: String] = [:]
        if cached != nil, let validators = state.validators[relative] {
            if let etag = validators.etag { headers["If-None-Match"] = etag }
            if let modified = validators.lastModified { headers["If-Modified-Since"] = modified }
        }
        let format = PayloadFormat.of(path: file)
        let response = try await context.client.get(url, headers: headers) { response in
            try PayloadCheck.verify(response, format: format)
        }
        let now = FetchClock.stamp()
        switch response.status {
        case 304 where cached != nil:
            state.validators[relative]?.checkedAt = now
            try state.save()
            return .notModified
        case 200:
            let validators = Validators(etag: response[header: "etag"], lastModified: response[header: "last-modified"], checkedAt: now)
            let content = try PayloadCheck.content(of: response.body)
            if cached != nil, sameContent(cached: target, content: content) {
                state.validators[relative] = validators
                try state.save()
                return .unchanged
            }
            let (sha, bytes) = response.body.starts(with: PayloadCheck.gzipMagic)
                ? try PayloadStore.store(gzipBody: response.body, at: target)
                : try PayloadStore.store(content: content, at: target)
            state.payloads[relative] = FetchManifestEntry(
                source: context.source, path: relative, url: url.redacted, status: 200,
                etag: validators.etag, lastModified: validators.lastModified, bytes: bytes, sha256: sha, fetchedAt: now)
            state.validators[relative] = validators
            try state.save()
            return .downloaded
        default:
            throw HTTPFailure(url: url.redacted, kind: .status(response.status),
                              reason: "HTTP \(response.status)" + (response.status == 304 ? " but no cached copy" : "") + "; the previous copy (if any) stays",
                              attempts: 1)
        }
    }

    /// True when the cached payload already holds these bytes (compared decompressed, so a
    /// server that re-gzips differently does not count as a change).
    private func sameContent(cached path: String, content: [UInt8]) -> Bool {
        guard let old = try? GzipReader.readAll(path: path) else { return false }
        return old == content
    }
}
