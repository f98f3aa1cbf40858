import CCurl
import DivideCore
import Foundation

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
/// 429 and 503. libcurl (`CurlTransfer`) does gzip, redirects and timeouts; it has no retry
/// logic, which is what this actor adds.
public actor HTTPClient {
    public let policy: HTTPPolicy
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
            } catch is CurlTransfer.TooLarge {
                throw HTTPFailure(url: url.redacted, kind: .invalidPayload,
                                  reason: "body larger than \(policy.maxBodyBytes) bytes (MAX_FILE_BYTES); transfer stopped", attempts: attempt)
            } catch let error as CurlTransfer.Failure {
                lastKind = .transport
                lastReason = HTTPClient.describe(error, timeout: policy.timeout)
                if HTTPClient.permanentCodes.contains(error.code) {
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

    /// The blocking transfer runs on a thread of its own, so the actor and the cooperative pool
    /// stay free while it waits on the network.
    private func send(_ url: URL, headers: [String: String]) async throws -> HTTPResponse {
        let policy = self.policy
        let (status, headers, body) = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try CurlTransfer.get(url, headers: headers, policy: policy) })
            }
        }
        return HTTPResponse(url: url, status: status, headers: headers, body: body)
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
    static let unreachableCodes: [CURLcode] = [CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT]
    /// A URL or a redirect chain that no retry can fix.
    static let permanentCodes: [CURLcode] = [CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_TOO_MANY_REDIRECTS]

    static func describe(_ error: CurlTransfer.Failure, timeout: TimeInterval) -> String {
        switch error.code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return "cannot resolve the host name"
        case CURLE_OPERATION_TIMEDOUT: return "timed out (no data for \(seconds(timeout)))"
        case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_SEND_ERROR: return "connection dropped before the response was complete"
        case CURLE_COULDNT_CONNECT: return "cannot connect to host"
        case CURLE_GOT_NOTHING, CURLE_WEIRD_SERVER_REPLY: return "bad or empty server response"
        case CURLE_BAD_CONTENT_ENCODING: return "body cannot be decoded (corrupt gzip transfer encoding)"
        default: return "transport error: \(error.message) (libcurl \(error.code.rawValue))"
        }
    }

    static func seconds(_ t: TimeInterval) -> String {
        t < 10 ? String(format: "%.1f s", t) : "\(Int(t.rounded())) s"
    }
}

/// One GET through libcurl's easy interface, run to completion on the calling thread. The body is
/// written to disk as it arrives (an unlinked temporary file, so nothing is left behind whatever
/// happens to the process) and read back whole at the end. libcurl undoes gzip/deflate transfer
/// encoding chunk by chunk and hands each inflated chunk to `writeBody` before it inflates the
/// next, so returning 0 there when `limit` is passed stops the transfer with at most one chunk
/// (CURL_MAX_WRITE_SIZE, 16 KiB) beyond it in memory, whatever the server sends.
final class CurlTransfer {
    struct TooLarge: Error {}
    /// libcurl's own failure, with its code kept for classification.
    struct Failure: Error {
        let code: CURLcode
        let message: String
    }

    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    let limit: Int
    private let file: FileHandle
    private var received = 0
    private var tooLarge = false
    private var writeError: Int32 = 0
    /// Headers of the last response (a redirect or a `100 Continue` starts a new set).
    private var headers: [String: String] = [:]

    private init(limit: Int, file: FileHandle) {
        self.limit = limit
        self.file = file
    }

    static func get(_ url: URL, headers: [String: String], policy: HTTPPolicy) throws -> (status: Int, headers: [String: String], body: [UInt8]) {
        _ = globalInit
        let transfer = CurlTransfer(limit: policy.maxBodyBytes, file: try unlinkedTemporaryFile())
        defer { try? transfer.file.close() }
        guard let handle = curl_easy_init() else { throw Failure(code: CURLE_FAILED_INIT, message: "cannot start libcurl") }
        defer { curl_easy_cleanup(handle) }
        var list: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(list) }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { list = curl_slist_append(list, "\(name): \(value)") }
        list = curl_slist_append(list, "User-Agent: \(policy.userAgent)")

        let timeout = max(1, Int(policy.timeout.rounded(.up)))
        let context = Unmanaged.passUnretained(transfer).toOpaque()
        var errorText = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = url.absoluteString.withCString { urlText in
            errorText.withUnsafeMutableBufferPointer { errorBuffer in
                var setup = [
                    cd_curl_setopt_string(handle, CURLOPT_URL, urlText),
                    cd_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(list)),
                    cd_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer.baseAddress),
                    // Threads: no SIGALRM for DNS timeouts.
                    cd_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
                    cd_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"),
                    cd_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"),
                    cd_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1),
                    cd_curl_setopt_long(handle, CURLOPT_MAXREDIRS, 10),
                    // "" = every encoding this libcurl can undo, announced and undone as the body arrives.
                    cd_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""),
                    // A request that sends nothing for `timeout` fails; the whole transfer gets 20×.
                    cd_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, timeout),
                    cd_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1),
                    cd_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, timeout),
                    cd_curl_setopt_long(handle, CURLOPT_TIMEOUT, max(timeout * 20, 600)),
                    // An announced Content-Length past the budget fails before the body is read.
                    cd_curl_setopt_offset(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(policy.maxBodyBytes)),
                    cd_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, { data, size, count, context in
                        Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue().writeBody(data!, size * count)
                    }),
                    cd_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context),
                    cd_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION, { data, size, count, context in
                        Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue().readHeader(data!, size * count)
                    }),
                    cd_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context),
                ]
                setup.removeAll { $0 == CURLE_OK }
                return setup.first ?? curl_easy_perform(handle)
            }
        }
        if transfer.tooLarge || code == CURLE_FILESIZE_EXCEEDED { throw TooLarge() }
        if transfer.writeError != 0 {
            throw DivideError(file: "HTTP body", reason: "cannot write the body to a temporary file: \(String(cString: strerror(transfer.writeError)))")
        }
        guard code == CURLE_OK else {
            let detail = String(cString: errorText)
            throw Failure(code: code, message: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        }
        var status = 0
        _ = cd_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return (status, transfer.headers, try transfer.readBack())
    }

    private func writeBody(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        if received + count > limit {
            tooLarge = true
            return 0
        }
        var done = 0
        while done < count {
            let n = Glibc.write(file.fileDescriptor, data + done, count - done)
            if n < 0, errno == EINTR { continue }
            if n <= 0 {
                writeError = n < 0 ? errno : ENOSPC
                return 0
            }
            done += n
        }
        received += count
        return count
    }

    private func readHeader(_ data: UnsafeMutablePointer<CChar>, _ count: Int) -> Int {
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: count), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers = [:]
        } else if let colon = line.firstIndex(of: ":") {
            headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...]).trimmingWhitespace
        }
        return count
    }

    private func readBack() throws -> [UInt8] {
        var body = [UInt8](repeating: 0, count: received)
        var done = 0
        while done < body.count {
            let n = body.withUnsafeMutableBytes { pread(file.fileDescriptor, $0.baseAddress! + done, $0.count - done, off_t(done)) }
            if n <= 0 { throw DivideError(file: "HTTP body", reason: "cannot read back the body: \(String(cString: strerror(errno)))") }
            done += n
        }
        return body
    }

    /// A file open for reading and writing whose name is already gone.
    static func unlinkedTemporaryFile() throws -> FileHandle {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("compute-divide-body-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw DivideError(file: NSTemporaryDirectory(), reason: "cannot create a file for an HTTP body: \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
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
