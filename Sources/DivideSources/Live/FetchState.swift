import DivideCore
import Foundation

/// Where a paged harvest (OAI-PMH list, OpenAlex cursor) stands: enough to resume after the last
/// completed page and to start the next incremental harvest where the last successful one began.
public struct HarvestProgress: Equatable, Sendable {
    /// Folder of this harvest's pages, relative to the source folder (`cs-20261129T023400Z`).
    public var folder: String
    /// Harvest window (`from` / `until`, `YYYY-MM-DD`), nil when open.
    public var from: String?
    public var until: String?
    /// Number of the next page to request (1-based); pages before it are on disk and verified.
    public var nextPage: Int
    /// Resumption token or cursor for `nextPage` (nil: start the list request from scratch).
    public var token: String?
    /// responseDate of the harvest's first response: the next incremental harvest's `from`.
    public var responseDate: String?
    /// Completed pages of this harvest (they join the manifest when the harvest completes).
    public var pages: [FetchManifestEntry]
    /// Records seen so far.
    public var records: Int

    public init(folder: String, from: String?, until: String?) {
        self.folder = folder
        self.from = from
        self.until = until
        nextPage = 1
        token = nil
        responseDate = nil
        pages = []
        records = 0
    }

    var json: JSONValue {
        .object([
            ("folder", .string(folder)), ("from", .optional(from)), ("until", .optional(until)),
            ("next_page", .int(nextPage)), ("token", .optional(token)), ("response_date", .optional(responseDate)),
            ("records", .int(records)), ("pages", .array(pages.map(\.json))),
        ])
    }

    init(json: JSONValue) throws {
        folder = try json.requireString("folder")
        from = json["from"]?.stringValue
        until = json["until"]?.stringValue
        nextPage = json["next_page"]?.intValue ?? 1
        token = json["token"]?.stringValue
        responseDate = json["response_date"]?.stringValue
        records = json["records"]?.intValue ?? 0
        pages = try (json["pages"]?.arrayValue ?? []).map(FetchManifestEntry.init(json:))
    }
}

/// The last harvest of a list that completed: its window and its first responseDate.
public struct CompletedHarvest: Equatable, Sendable {
    public var responseDate: String
    public var from: String?
    public var until: String?
    public var records: Int
    public var finishedAt: String

    var json: JSONValue {
        .object([
            ("response_date", .string(responseDate)), ("from", .optional(from)), ("until", .optional(until)),
            ("records", .int(records)), ("finished_at", .string(finishedAt)),
        ])
    }

    init(json: JSONValue) throws {
        responseDate = try json.requireString("response_date")
        from = json["from"]?.stringValue
        until = json["until"]?.stringValue
        records = json["records"]?.intValue ?? 0
        finishedAt = json["finished_at"]?.stringValue ?? ""
    }

    public init(responseDate: String, from: String?, until: String?, records: Int, finishedAt: String) {
        self.responseDate = responseDate
        self.from = from
        self.until = until
        self.records = records
        self.finishedAt = finishedAt
    }
}

/// Cache validators of a plain file, from its last 200 (sent back as If-None-Match / If-Modified-Since).
public struct Validators: Equatable, Sendable {
    public var etag: String?
    public var lastModified: String?
    public var checkedAt: String

    var json: JSONValue {
        .object([("etag", .optional(etag)), ("last_modified", .optional(lastModified)), ("checked_at", .string(checkedAt))])
    }
}

/// The live fetch's memory of one source, `stages/fetch/<source>.state.json`: every payload that
/// landed (the manifest is written from it), harvests in progress and completed, cache
/// validators, and the day's request count. Saved atomically after every page, so an interrupted
/// run loses at most the page it was fetching. Deleting it means: start over (full harvest).
public final class FetchState {
    public let path: String
    public let source: String
    /// Landed payloads by path (relative to the fetch folder): the next manifest.
    public var payloads: [String: FetchManifestEntry] = [:]
    public var inProgress: [String: HarvestProgress] = [:]
    public var completed: [String: CompletedHarvest] = [:]
    public var validators: [String: Validators] = [:]
    /// Requests made on `budgetDay` (UTC `YYYY-MM-DD`), for per-day quotas.
    public var budgetDay: String = ""
    public var budgetRequests: Int = 0

    public init(path: String, source: String) throws {
        self.path = path
        self.source = source
        guard FileManager.default.fileExists(atPath: path) else { return }
        let json: JSONValue
        do { json = try JSONParser.parse(readFileBytes(path: path)) } catch {
            throw DivideError(file: path, reason: "unreadable fetch state (\(error)); delete it to start the source over")
        }
        for entry in try (json["payloads"]?.arrayValue ?? []).map(FetchManifestEntry.init(json:)) { payloads[entry.path] = entry }
        for (key, value) in json["in_progress"]?.objectValue ?? [] { inProgress[key] = try HarvestProgress(json: value) }
        for (key, value) in json["completed"]?.objectValue ?? [] { completed[key] = try CompletedHarvest(json: value) }
        for (key, value) in json["validators"]?.objectValue ?? [] {
            validators[key] = Validators(etag: value["etag"]?.stringValue, lastModified: value["last_modified"]?.stringValue,
                                         checkedAt: value["checked_at"]?.stringValue ?? "")
        }
        budgetDay = json["budget"]?["day"]?.stringValue ?? ""
        budgetRequests = json["budget"]?["requests"]?.intValue ?? 0
    }

    public var json: JSONValue {
        .object([
            ("source", .string(source)),
            ("payloads", .array(payloads.keys.sorted().map { payloads[$0]!.json })),
            ("in_progress", .object(inProgress.keys.sorted().map { ($0, inProgress[$0]!.json) })),
            ("completed", .object(completed.keys.sorted().map { ($0, completed[$0]!.json) })),
            ("validators", .object(validators.keys.sorted().map { ($0, validators[$0]!.json) })),
            ("budget", .object([("day", .string(budgetDay)), ("requests", .int(budgetRequests))])),
        ])
    }

    public func save() throws {
        try AtomicFile.write(JSONSerializer.serialize(json) + "\n", to: path)
    }

    /// Counts one request against today's budget (the day rolls over at 00:00 UTC).
    public func countRequest(now: Date = Date()) {
        let day = String(FetchClock.stamp(now).prefix(10))
        if day != budgetDay { budgetDay = day; budgetRequests = 0 }
        budgetRequests += 1
    }

    public func requestsToday(now: Date = Date()) -> Int {
        String(FetchClock.stamp(now).prefix(10)) == budgetDay ? budgetRequests : 0
    }
}

/// ISO 8601 UTC timestamps to the second (`2026-11-29T02:34:00Z`).
public enum FetchClock {
    /// FoundationEssentials' format style, not ISO8601DateFormatter: the same text without
    /// loading ICU and building a formatter per call (the snapshot fetch stamps every file).
    /// The time is rounded to the millisecond first, then cut to the second, as ICU does.
    public static func stamp(_ date: Date = Date()) -> String {
        let seconds = ((date.timeIntervalSince1970 * 1000).rounded() / 1000).rounded(.down)
        return Date(timeIntervalSince1970: seconds).formatted(.iso8601)
    }

    /// A new harvest folder `<prefix>-<stamp>` under `parent` that does not exist yet (a second
    /// harvest started within the same second gets `-2`, `-3`, …).
    public static func newFolder(prefix: String, under parent: String, now: Date = Date()) -> String {
        let base = prefix + "-" + compact(now)
        var name = base
        var n = 1
        while FileManager.default.fileExists(atPath: parent + "/" + name) {
            n += 1
            name = base + "-\(n)"
        }
        return name
    }

    /// A folder-safe stamp: `20261129T023400Z`.
    public static func compact(_ date: Date = Date()) -> String {
        stamp(date).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
    }
}
