/// RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and newlines; a UTF-8 byte
/// order mark before the header is dropped. Rows stream one at a time with the line they start on.
///
/// Damaged input never swallows the rest of a file. A quote opens a quoted field only at the
/// start of a field (elsewhere it is a literal character, as in Python's csv module). A quoted
/// field still open at the end of the input, or longer than `maxQuotedLines` lines or
/// `maxQuotedBytes` bytes, is given back as a row flagged `unterminatedQuote` that covers only
/// its first line; the lines after it are read again as fresh rows. Likewise, once the header
/// has fixed the field count, a row spanning several lines with the wrong number of fields is
/// given back for its first line only and the rest is read again, so an unbalanced quote that a
/// later quote happens to close costs one row, not two. A line read again is one row on its own
/// (a quote it leaves open cuts it there), so no line is read more than twice: linear time
/// whatever the quotes.
public struct CSVReader {
    public struct Row {
        public let fields: [String]
        /// 1-based line on which the row starts (quoted newlines make rows span lines).
        public let line: Int
        /// Set when the row's quoted field was never closed (the row is cut at its first line).
        public let unterminatedQuote: Bool
        /// Set when a field was not valid UTF-8 (the bytes were replaced by U+FFFD).
        public let invalidUTF8: Bool

        public init(fields: [String], line: Int, unterminatedQuote: Bool = false, invalidUTF8: Bool = false) {
            self.fields = fields
            self.line = line
            self.unterminatedQuote = unterminatedQuote
            self.invalidUTF8 = invalidUTF8
        }
    }

    /// Longest quoted field accepted (the Epoch tables' longest spans 52 lines, 5 KB).
    public static let maxQuotedLines = 256
    public static let maxQuotedBytes = 1 << 20

    public let path: String

    public init(path: String) { self.path = path }

    public func forEachRow(_ body: (Row) throws -> Void) throws {
        let lines = try LineReader(path: path)
        var machine = CSVRowMachine()
        try lines.forEachLine { raw in try machine.feed(raw, emit: body) }
        try machine.finish(emit: body)
    }

    /// Parses CSV held in memory (tests, fuzzing).
    public static func rows(of bytes: [UInt8]) throws -> [Row] {
        var machine = CSVRowMachine()
        var out: [Row] = []
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            if end == bytes.count && start == bytes.count { break }
            try bytes.withUnsafeBufferPointer { all in
                try machine.feed(UnsafeBufferPointer(rebasing: all[start..<end])) { out.append($0) }
            }
            start = end + 1
        }
        try machine.finish { out.append($0) }
        return out
    }
}

/// The CSV state machine, fed one line at a time; keeps the raw lines of an open multi-line row
/// so they can be read again if the row turns out to be damaged.
struct CSVRowMachine {
    private var fields: [String] = []
    private var field: [UInt8] = []
    private var inQuotes = false
    /// The current field has had a quoted section (a later quote is literal).
    private var fieldQuoted = false
    private var invalidUTF8 = false
    private var rowStart = 1
    private var line = 0
    private var first = true
    /// Raw lines after `rowStart` of the row being read (only while it spans lines).
    private var continuation: [(Int, [UInt8])] = []
    private var continuationBytes = 0
    private var expectedFields: Int?

    mutating func feed(_ raw: UnsafeBufferPointer<UInt8>, emit: (CSVReader.Row) throws -> Void) throws {
        line += 1
        var bytes = raw
        if first {
            first = false
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
                bytes = UnsafeBufferPointer(rebasing: bytes[3...])
            }
        }
        if let replay = try step(bytes, number: line, replayed: false, emit: emit) { try drain(replay, emit: emit) }
    }

    mutating func finish(emit: (CSVReader.Row) throws -> Void) throws {
        if inQuotes {
            let replay = try abandon(emit: emit)
            try drain(replay, emit: emit)
        }
    }

    /// Reads the lines of an abandoned row again, each as a row of its own (none spans lines, so
    /// none gives lines back).
    private mutating func drain(_ lines: [(Int, [UInt8])], emit: (CSVReader.Row) throws -> Void) throws {
        for (number, bytes) in lines {
            _ = try bytes.withUnsafeBufferPointer { try step($0, number: number, replayed: true, emit: emit) }
        }
    }

    /// Reads one line; returns lines to read again when the row it was in had to be abandoned.
    private mutating func step(_ bytes: UnsafeBufferPointer<UInt8>, number: Int, replayed: Bool,
                               emit: (CSVReader.Row) throws -> Void) throws -> [(Int, [UInt8])]? {
        if !inQuotes {
            rowStart = number
            if bytes.isEmpty { return nil }  // blank line between rows
        } else {
            continuation.append((number, Array(bytes)))
            continuationBytes += bytes.count
            if continuation.count > CSVReader.maxQuotedLines || continuationBytes > CSVReader.maxQuotedBytes {
                return try abandon(emit: emit)
            }
            field.append(0x0A)  // the newline inside the quoted field
        }
        let count = bytes.count
        // A CR before the line feed belongs to the CRLF line ending, not the data.
        let end = (count > 0 && bytes[count - 1] == 0x0D) ? count - 1 : count
        // Runs of ordinary bytes are copied in one append: up to the next quote inside quotes,
        // up to the next comma outside (once a field has begun, a quote in it is literal).
        var i = 0
        while i < end {
            if inQuotes {
                var j = i
                while j < end && bytes[j] != 0x22 { j += 1 }
                field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j]))
                if j == end { break }
                if j + 1 < end && bytes[j + 1] == 0x22 {
                    field.append(0x22)
                    i = j + 2
                } else {
                    inQuotes = false
                    i = j + 1
                }
                continue
            }
            let c = bytes[i]
            if c == 0x22 && field.isEmpty && !fieldQuoted {
                inQuotes = true
                fieldQuoted = true
                i += 1
            } else if c == 0x2C {
                endField()
                i += 1
            } else {
                var j = i + 1
                while j < end && bytes[j] != 0x2C { j += 1 }
                field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j]))
                i = j
            }
        }
        if inQuotes {
            if replayed { return try abandon(emit: emit) }
            if end < count { field.append(0x0D) }
            return nil
        }
        endField()
        let row = CSVReader.Row(fields: fields, line: rowStart, invalidUTF8: invalidUTF8)
        if expectedFields == nil { expectedFields = row.fields.count }
        if let expected = expectedFields, row.fields.count != expected, !continuation.isEmpty {
            // A damaged multi-line row: give it back (the consumer rejects it for its field
            // count) and read the lines after its first again.
            let replay = continuation
            resetRow()
            try emit(row)
            return replay
        }
        resetRow()
        try emit(row)
        return nil
    }

    /// Gives back the open quoted row (cut at its first line) and returns its other lines.
    private mutating func abandon(emit: (CSVReader.Row) throws -> Void) throws -> [(Int, [UInt8])] {
        // Only what the first line held: the continuation is read again as rows.
        if let newline = field.firstIndex(of: 0x0A) { field.removeSubrange(newline...) }
        endField()
        let row = CSVReader.Row(fields: fields, line: rowStart, unterminatedQuote: true, invalidUTF8: invalidUTF8)
        let replay = continuation
        inQuotes = false
        resetRow()
        try emit(row)
        return replay
    }

    private mutating func endField() {
        // Most fields are ASCII, valid as they stand: `String(decoding:)` takes them without the
        // generic validating path.
        let ascii = field.withUnsafeBufferPointer { JSONParser.isASCII($0) }
        if ascii {
            fields.append(String(decoding: field, as: UTF8.self))
        } else if let s = String(validating: field, as: UTF8.self) {
            fields.append(s)
        } else {
            invalidUTF8 = true
            fields.append(String(decoding: field, as: UTF8.self))
        }
        field.removeAll(keepingCapacity: true)
        fieldQuoted = false
    }

    private mutating func resetRow() {
        fields.removeAll(keepingCapacity: true)
        field.removeAll(keepingCapacity: true)
        fieldQuoted = false
        invalidUTF8 = false
        continuation.removeAll()
        continuationBytes = 0
    }
}
