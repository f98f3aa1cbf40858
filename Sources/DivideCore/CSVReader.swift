/// RFC 4180 CSV: quoted fields may hold commas, quotes (doubled) and newlines; a UTF-8 byte
/// order mark before the header is dropped. Rows stream one at a time with the line they start on.
public struct CSVReader {
    public struct Row {
        public let fields: [String]
        /// 1-based line on which the row starts (quoted newlines make rows span lines).
        public let line: Int
        /// Set when the input ended inside a quoted field.
        public let unterminatedQuote: Bool
    }

    public let path: String

    public init(path: String) { self.path = path }

    public func forEachRow(_ body: (Row) throws -> Void) throws {
        let lines = try LineReader(path: path)
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var rowStart = 1
        var first = true
        var line = 0
        try lines.forEachLine { raw in
            line += 1
            var bytes = raw
            if first {
                first = false
                if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
                    bytes = UnsafeBufferPointer(rebasing: bytes[3...])
                }
            }
            if !inQuotes {
                rowStart = line
                if bytes.isEmpty { return }  // blank line between rows
            } else {
                field.append(0x0A)  // the newline inside the quoted field
            }
            var i = 0
            let count = bytes.count
            // A CR before the line feed belongs to the CRLF line ending, not the data.
            let end = (!bytes.isEmpty && bytes[count - 1] == 0x0D) ? count - 1 : count
            while i < end {
                let c = bytes[i]
                if inQuotes {
                    if c == 0x22 {
                        if i + 1 < end && bytes[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                        inQuotes = false
                    } else {
                        field.append(c)
                    }
                } else if c == 0x22 {
                    inQuotes = true
                } else if c == 0x2C {
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                } else {
                    field.append(c)
                }
                i += 1
            }
            if inQuotes {
                if end < count { field.append(0x0D) }
                return
            }
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            try body(Row(fields: fields, line: rowStart, unterminatedQuote: false))
            fields.removeAll(keepingCapacity: true)
        }
        if inQuotes {
            fields.append(String(decoding: field, as: UTF8.self))
            try body(Row(fields: fields, line: rowStart, unterminatedQuote: true))
        }
    }
}
