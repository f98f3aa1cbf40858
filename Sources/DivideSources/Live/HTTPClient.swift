import DivideCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// How politely and how persistently the live fetch talks to a server.
public struct HTTPPolicy: Sendable {
    /// Sent on every request; upstream operators ask for a contact (arXiv, OpenAlex "polite pool").
    public var userAgent: String
    /// Minimum time between the starts of two requests to the same host.
    public var minimumInterval: TimeInterval
    /// Tries per request, the first included.
    public var maxAttempts: Int
    /// Backoff before retry n (no Retry-After given): `baseBackoff * 2^(n-1)`, capped at `maxBackoff`.
    public var baseBackoff: TimeInterval
    public var maxBackoff: TimeInterval
    /// A request that sends nothing for this long fails (and is retried).
    public var timeout: TimeInterval
    /// A Retry-After longer than this is not waited out: the request fails with that reason
    /// (how a per-day quota announces itself).
    public var maxRetryAfter: TimeInterval
    /// Largest body (after gzip transfer decoding) accepted: past it the transfer is stopped as it
    /// arrives and the request fails without retry (the budget's MAX_FILE_BYTES).
    public var maxBodyBytes = InputBudget.current.maxFileBytes

    public init(contact: String, minimumInterval: TimeInterval = 3, maxAttempts: Int = 5, baseBackoff: TimeInterval = 2,
                maxBackoff: TimeInterval = 120, timeout: TimeInterval = 60, maxRetryAfter: TimeInterval = 600) {
        userAgent = HTTPPolicy.userAgent(contact: contact)
        self.minimumInterval = minimumInterval
        self.maxAttempts = max(1, maxAttempts)
        self.baseBackoff = baseBackoff
        self.maxBackoff = maxBackoff
        self.timeout = timeout
        self.maxRetryAfter = maxRetryAfter
    }

    public static func userAgent(contact: String) -> String {
        "compute-divide/1.0 (+https://github.com/compute-divide; mailto:\(contact))"
    }

    func backoff(afterAttempt attempt: Int) -> TimeInterval {
        min(maxBackoff, baseBackoff * pow(2, Double(attempt - 1)))
    }
}

/// A complete HTTP response (body already transfer-decoded: gzip is undone by the transport).
public struct HTTPResponse: Sendable {
    public let url: URL
    public let status: Int
    /// Header names lower-cased.
    public let headers: [String: String]
    public let body: [UInt8]

    public init(url: URL, status: Int, headers: [String: String], body: [UInt8]) {
        self.url = url
        self.status = status
        self.headers = headers
        self.body = body
    }

    public subscript(header name: String) -> String? { headers[name.lowercased()] }
}

/// Why a request failed for good; the description names the URL and the reason.
public struct HTTPFailure: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The server asked us to wait longer than the policy allows (quota used up).
        case retryAfterTooLong(TimeInterval)
        /// An HTTP status that retrying does not fix (404, 401, …) or that stayed after every retry.
        case status(Int)
        /// Transport failure (timeout, dropped connection, truncated transfer) after every retry.
        case transport
        /// The body arrived but failed verification (not gzip, XML or JSON it claims to be, …).
        case invalidPayload
        /// The host name does not resolve or nothing listens there: not transient, so not retried,
        /// and every other request to the same host would fail the same way.
        case unreachable(host: String)
    }

    public let url: String
    public let kind: Kind
    public let reason: String
    public let attempts: Int

    public var description: String {
        "GET \(url): \(reason)" + (attempts > 1 ? " (after \(attempts) attempts)" : "")
    }
}

/// The one HTTP client of the live fetch: a User-Agent with a contact, a minimum spacing between
/// requests to the same host, bounded retries with exponential backoff, and Retry-After honoured on
/// 429 and 503. FoundationNetworking (libcurl) does gzip, redirects and timeouts; it has no retry
/// logic, which is what this actor adds.
public actor HTTPClient {
    public let policy: HTTPPolicy
    private let session: URLSession
    private let bodies: CappedBodies
    /// When the next request to each host may start (slots are reserved before sleeping, so
    /// concurrent callers queue up instead of all waking at once).
    private var nextSlot: [String: Date] = [:]
    private let log: @Sendable (String) -> Void
    public private(set) var requestCount = 0

    /// Statuses worth retrying: throttling and transient server trouble.
    public static let retryableStatuses: Set<Int> = [408, 425, 429, 500, 502, 503, 504]

    public init(policy: HTTPPolicy, log: @escaping @Sendable (String) -> Void = { printError($0) }) {
        self.policy = policy
        self.log = log
        let configuration = URLSessionConfiguration.ephemeral
        // Conditional GET is ours to do (we keep the cache in stages/fetch), so no URL cache.
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = policy.timeout
        configuration.timeoutIntervalForResource = max(policy.timeout * 20, 600)
        configuration.httpAdditionalHeaders = ["User-Agent": policy.userAgent]
        bodies = CappedBodies(limit: policy.maxBodyBytes)
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        session = URLSession(configuration: configuration, delegate: bodies, delegateQueue: queue)
    }

    /// GETs `url`, retrying transient failures. Returns any final response that is not a retryable
    /// status (200, 304, 404, …: the caller decides); `verify` runs on 2xx bodies and a thrown
    /// error there counts as a failed attempt (a truncated body is retried like a dropped connection).
    public func get(_ url: URL, headers: [String: String] = [:],
                    verify: @Sendable (HTTPResponse) throws -> Void = { _ in }) async throws -> HTTPResponse {
        var lastReason = "no attempt made"
        var lastKind = HTTPFailure.Kind.transport
        for attempt in 1...policy.maxAttempts {
            await waitForSlot(host: url.host ?? "")
            requestCount += 1
            var wait = policy.backoff(afterAttempt: attempt)
            do {
                let response = try await send(url, headers: headers)
                if HTTPClient.retryableStatuses.contains(response.status) {
                    lastKind = .status(response.status)
                    lastReason = "HTTP \(response.status)"
                    if let retryAfter = HTTPClient.retryAfter(response[header: "retry-after"]) {
                        if retryAfter > policy.maxRetryAfter {
                            throw HTTPFailure(url: url.redacted, kind: .retryAfterTooLong(retryAfter),
                                              reason: "HTTP \(response.status) with Retry-After \(Int(retryAfter)) s, longer than the \(Int(policy.maxRetryAfter)) s this fetch waits",
                                              attempts: attempt)
                        }
                        wait = retryAfter
                        lastReason += " (Retry-After \(Int(retryAfter.rounded(.up))) s)"
                    }
                } else {
                    if (200..<300).contains(response.status) {
                        do { try verify(response) } catch {
                            lastKind = .invalidPayload
                            lastReason = "\(error)"
                            if attempt < policy.maxAttempts { log("fetch: GET \(url.redacted): \(lastReason); retrying in \(HTTPClient.seconds(wait)) (attempt \(attempt + 1)/\(policy.maxAttempts))") }
                            try await sleep(wait, unlessLast: attempt)
                            continue
                        }
                    }
                    return response
                }
            } catch let failure as HTTPFailure {
                throw failure
            } catch is CappedBodies.TooLarge {
                throw HTTPFailure(url: url.redacted, kind: .invalidPayload,
                                  reason: "body larger than \(policy.maxBodyBytes) bytes (MAX_FILE_BYTES); transfer stopped", attempts: attempt)
            } catch let error as URLError {
                lastKind = .transport
                lastReason = HTTPClient.describe(error, timeout: policy.timeout)
                if [.badURL, .unsupportedURL, .cancelled].contains(error.code) {
                    throw HTTPFailure(url: url.redacted, kind: .transport, reason: lastReason, attempts: attempt)
                }
                if HTTPClient.unreachableCodes.contains(error.code) {
                    throw HTTPFailure(url: url.redacted, kind: .unreachable(host: url.host ?? url.redacted), reason: lastReason, attempts: attempt)
                }
            } catch {
                lastKind = .transport
                lastReason = "\(error)"
            }
            if attempt < policy.maxAttempts {
                log("fetch: GET \(url.redacted): \(lastReason); retrying in \(HTTPClient.seconds(wait)) (attempt \(attempt + 1)/\(policy.maxAttempts))")
            }
            try await sleep(wait, unlessLast: attempt)
        }
        throw HTTPFailure(url: url.redacted, kind: lastKind, reason: lastReason, attempts: policy.maxAttempts)
    }

    private func sleep(_ seconds: TimeInterval, unlessLast attempt: Int) async throws {
        guard attempt < policy.maxAttempts, seconds > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
    }

    private func waitForSlot(host: String) async {
        let now = Date()
        let slot = max(now, nextSlot[host] ?? now)
        nextSlot[host] = slot.addingTimeInterval(policy.minimumInterval)
        let delay = slot.timeIntervalSince(now)
        if delay > 0 { try? await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
    }

    private func send(_ url: URL, headers: [String: String]) async throws -> HTTPResponse {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: policy.timeout)
        request.httpMethod = "GET"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (body, response) = try await bodies.fetch(request, in: session)
        guard let http = response as? HTTPURLResponse else {
            throw URLError(.badServerResponse)
        }
        var lowered: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let k = key as? String, let v = value as? String { lowered[k.lowercased()] = v }
        }
        return HTTPResponse(url: url, status: http.statusCode, headers: lowered, body: body)
    }

    /// Retry-After as seconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
    public static func retryAfter(_ value: String?, now: Date = Date()) -> TimeInterval? {
        guard let value = value?.trimmingWhitespace, !value.isEmpty else { return nil }
        if let seconds = Double(value) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// A host that does not resolve, a refused connection, no network at all: retrying in a few
    /// seconds does not change these.
    static let unreachableCodes: Set<URLError.Code> = [.cannotFindHost, .dnsLookupFailed, .cannotConnectToHost, .notConnectedToInternet]

    static func describe(_ error: URLError, timeout: TimeInterval) -> String {
        switch error.code {
        case .cannotFindHost, .dnsLookupFailed: return "cannot resolve the host name"
        case .notConnectedToInternet: return "no network connection"
        case .timedOut: return "timed out (no data for \(seconds(timeout)))"
        case .networkConnectionLost: return "connection dropped before the response was complete"
        case .cannotConnectToHost: return "cannot connect to host"
        case .badServerResponse, .cannotParseResponse, .zeroByteResource: return "bad or empty server response"
        case .cannotDecodeContentData, .cannotDecodeRawData: return "body cannot be decoded (corrupt gzip transfer encoding)"
        default: return "transport error: \(error.localizedDescription) (\(error.code.rawValue))"
        }
    }

    static func seconds(_ t: TimeInterval) -> String {
        t < 10 ? String(format: "%.1f s", t) : "\(Int(t.rounded())) s"
    }
}

/// The session's delegate: writes each response's body to disk as it arrives (an unlinked
/// temporary file, so nothing is left behind whatever happens to the process) and cancels the
/// transfer as soon as it passes `limit` bytes (or announces more), so a body never costs more
/// than the budget, whatever the server sends or its gzip encoding inflates to. The body is read
/// into memory once, whole, when the transfer completes.
final class CappedBodies: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    struct TooLarge: Error {}
    private struct Transfer {
        var continuation: CheckedContinuation<([UInt8], URLResponse), Error>
        /// The body so far.
        var file: FileHandle
        var received = 0
        var response: URLResponse?
        var tooLarge = false
        var writeError: Error?
    }
    let limit: Int
    private let lock = NSLock()
    private var transfers: [Int: Transfer] = [:]

    init(limit: Int) { self.limit = limit }

    func fetch(_ request: URLRequest, in session: URLSession) async throws -> ([UInt8], URLResponse) {
        let file = try CappedBodies.unlinkedTemporaryFile()
        return try await withCheckedThrowingContinuation { continuation in
            let task = session.dataTask(with: request)
            lock.lock()
            transfers[task.taskIdentifier] = Transfer(continuation: continuation, file: file)
            lock.unlock()
            task.resume()
        }
    }

    /// A file open for reading and writing whose name is already gone.
    static func unlinkedTemporaryFile() throws -> FileHandle {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("compute-divide-body-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw DivideError(file: NSTemporaryDirectory(), reason: "cannot create a file for an HTTP body: \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        lock.lock()
        transfers[dataTask.taskIdentifier]?.response = response
        let announced = response.expectedContentLength
        if announced > limit { transfers[dataTask.taskIdentifier]?.tooLarge = true }
        lock.unlock()
        completionHandler(announced > limit ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let id = dataTask.taskIdentifier
        lock.lock()
        var stop = false
        if let transfer = transfers[id], !transfer.tooLarge, transfer.writeError == nil {
            if transfer.received + data.count > limit {
                transfers[id]!.tooLarge = true
                stop = true
            } else {
                do {
                    try transfer.file.write(contentsOf: data)
                    transfers[id]!.received += data.count
                } catch {
                    transfers[id]!.writeError = error
                    stop = true
                }
            }
        }
        lock.unlock()
        if stop { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.lock()
        let transfer = transfers.removeValue(forKey: task.taskIdentifier)
        lock.unlock()
        guard let transfer else { return }
        defer { try? transfer.file.close() }
        if transfer.tooLarge {
            transfer.continuation.resume(throwing: TooLarge())
        } else if let failure = transfer.writeError ?? error {
            transfer.continuation.resume(throwing: failure)
        } else if let response = transfer.response {
            let fd = transfer.file.fileDescriptor
            var body = [UInt8](repeating: 0, count: transfer.received)
            var done = 0
            while done < body.count {
                let n = body.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, $0.count - done, off_t(done)) }
                if n <= 0 { break }
                done += n
            }
            if done < body.count {
                transfer.continuation.resume(throwing: DivideError(file: "HTTP body", reason: "cannot read back the body: \(String(cString: strerror(errno)))"))
            } else {
                transfer.continuation.resume(returning: (body, response))
            }
        } else {
            transfer.continuation.resume(throwing: URLError(.badServerResponse))
        }
    }
}

extension URL {
    /// The URL as logged and recorded: secrets in the query (`api_key=`) replaced.
    public var redacted: String {
        var text = absoluteString
        for name in ["api_key=", "apikey="] {
            guard let hit = text.range(of: name) else { continue }
            let end = text[hit.upperBound...].firstIndex(of: "&") ?? text.endIndex
            text.replaceSubrange(hit.upperBound..<end, with: "REDACTED")
        }
        return text
    }
}
