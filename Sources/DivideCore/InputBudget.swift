/// The one budget every input is read under, so hostile upstream data cannot exhaust memory: the
/// inflated size of a file read whole (JSON documents, reference lists, XML pages, an HTTP body as
/// it arrives), the size of one record (a line, a JSON array element, an XML element's text, a
/// JSON string) and a paper's number of authors. A file over its cap is rejected; a record over
/// its cap is rejected, never its whole file. The stage commands set `current` from their
/// `--max-file-bytes`, `--max-record-bytes` and `--max-authors` options (Make: MAX_FILE_BYTES,
/// MAX_RECORD_BYTES, MAX_AUTHORS) before any input is read.
public struct InputBudget: Equatable, Sendable {
    public var maxFileBytes: Int
    public var maxRecordBytes: Int
    public var maxAuthors: Int

    public init(maxFileBytes: Int, maxRecordBytes: Int, maxAuthors: Int) {
        self.maxFileBytes = maxFileBytes
        self.maxRecordBytes = maxRecordBytes
        self.maxAuthors = maxAuthors
    }

    /// 256 MiB per whole file (the snapshot's largest file read whole inflates to 4 MB), 16 MiB
    /// per record and 10,000 authors (the longest real author lists, in physics, have about 5,000).
    public static let defaults = InputBudget(maxFileBytes: 256 << 20, maxRecordBytes: 16 << 20, maxAuthors: 10_000)

    /// The budget of this process; written once, before the stage's threads start.
    nonisolated(unsafe) public static var current = defaults

    /// The reason a file that inflates past `maxFileBytes` is rejected.
    public func fileTooLarge(_ path: String) -> DivideError {
        DivideError(file: path, reason: "larger than \(maxFileBytes) bytes inflated (MAX_FILE_BYTES)")
    }

    public var recordTooLarge: String { "record larger than \(maxRecordBytes) bytes (MAX_RECORD_BYTES)" }
    public var tooManyAuthors: String { "more than \(maxAuthors) authors (MAX_AUTHORS)" }
}

/// One record's use of the budget, counted as its parts arrive: once over a cap the parser keeps
/// no more of the record's parts and rejects it with `problem`, so memory stays bounded.
public struct RecordAllowance {
    public let budget: InputBudget
    public private(set) var bytes = 0
    public private(set) var authors = 0

    public init(budget: InputBudget = .current) { self.budget = budget }

    public mutating func reset() {
        bytes = 0
        authors = 0
    }

    /// Counts `count` more bytes of the record.
    public mutating func add(bytes count: Int) { bytes = bytes > budget.maxRecordBytes ? bytes : bytes + count }

    /// Counts one more author; false once there are more than the budget allows (keep no more).
    public mutating func addAuthor() -> Bool {
        authors += 1
        return authors <= budget.maxAuthors
    }

    /// Why the record is rejected, or nil while it is within the budget.
    public var problem: String? {
        if bytes > budget.maxRecordBytes { return budget.recordTooLarge }
        if authors > budget.maxAuthors { return budget.tooManyAuthors }
        return nil
    }
}
