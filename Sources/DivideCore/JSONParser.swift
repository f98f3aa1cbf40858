/// A strict RFC 8259 parser over UTF-8 bytes. Errors carry the byte offset so a caller can name
/// the record; nesting depth is bounded so hostile input cannot exhaust the stack.
public struct JSONParser {
    public struct SyntaxError: Error, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    public static let maxDepth = 512

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.pos != bytes.count { throw parser.error("trailing characters after the value") }
        return value
    }

    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { try parse($0) }
    }

    /// A top-level JSON array read one element at a time, so one bad element costs one record: an
    /// element longer than `maxElementBytes` (the budget's record size) is skipped unparsed and
    /// handed over as nil with its size. A syntax error ends the read (thrown, offset in `bytes`).
    /// False when the document is valid JSON but not an array.
    public static func forEachElement(
        ofArray bytes: [UInt8], maxElementBytes: Int = InputBudget.current.maxRecordBytes,
        _ body: (_ index: Int, _ element: JSONValue?, _ size: Int) throws -> Void
    ) throws -> Bool {
        try bytes.withUnsafeBufferPointer { all in
            var parser = JSONParser(bytes: all)
            parser.skipWhitespace()
            guard parser.pos < all.count, all[parser.pos] == UInt8(ascii: "[") else {
                _ = try parse(all)
                return false
            }
            try parser.elements(maxElementBytes: maxElementBytes, body)
            parser.skipWhitespace()
            if parser.pos != all.count { throw parser.error("trailing characters after the value") }
            return true
        }
    }

    /// The same for the array under `key` of a top-level object (an OpenAlex list response's
    /// `results`): its elements go to `body` one at a time; the object's other members are parsed
    /// whole and returned as `rest`, with `iterated` true. A `key` that is absent or not an array
    /// stays in `rest` and `body` is never called. Nil when the document is not an object.
    public static func forEachElement(
        ofMember key: String, in bytes: [UInt8], maxElementBytes: Int = InputBudget.current.maxRecordBytes,
        _ body: (_ index: Int, _ element: JSONValue?, _ size: Int) throws -> Void
    ) throws -> (rest: JSONValue, iterated: Bool)? {
        try bytes.withUnsafeBufferPointer { all in
            var parser = JSONParser(bytes: all)
            parser.skipWhitespace()
            guard parser.pos < all.count, all[parser.pos] == UInt8(ascii: "{") else {
                _ = try parse(all)
                return nil
            }
            parser.pos += 1
            var pairs: [(String, JSONValue)] = []
            var iterated = false
            parser.skipWhitespace()
            if parser.pos < all.count, all[parser.pos] == UInt8(ascii: "}") { parser.pos += 1 } else {
                while true {
                    parser.skipWhitespace()
                    guard parser.pos < all.count, all[parser.pos] == UInt8(ascii: "\"") else { throw parser.error("expected a string key") }
                    let name = try parser.parseString()
                    parser.skipWhitespace()
                    guard parser.pos < all.count, all[parser.pos] == UInt8(ascii: ":") else { throw parser.error("expected ':'") }
                    parser.pos += 1
                    parser.skipWhitespace()
                    if name == key, !iterated, parser.pos < all.count, all[parser.pos] == UInt8(ascii: "[") {
                        try parser.elements(maxElementBytes: maxElementBytes, body)
                        iterated = true
                    } else {
                        pairs.append((name, try parser.parseValue(depth: 1)))
                    }
                    parser.skipWhitespace()
                    guard parser.pos < all.count else { throw parser.error("unexpected end of input in object") }
                    if all[parser.pos] == UInt8(ascii: ",") { parser.pos += 1; continue }
                    if all[parser.pos] == UInt8(ascii: "}") { parser.pos += 1; break }
                    throw parser.error("expected ',' or '}'")
                }
            }
            parser.skipWhitespace()
            if parser.pos != all.count { throw parser.error("trailing characters after the value") }
            return (.object(pairs), iterated)
        }
    }

    /// The array at `pos` (its `[`), element by element, as `forEachElement` describes.
    private mutating func elements(
        maxElementBytes: Int, _ body: (_ index: Int, _ element: JSONValue?, _ size: Int) throws -> Void
    ) throws {
        pos += 1
        skipWhitespace()
        var index = 0
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; return }
        while true {
            skipWhitespace()
            let start = pos
            try skipValue(depth: 1)
            let size = pos - start
            if size > maxElementBytes {
                try body(index, nil, size)
            } else {
                var element = JSONParser(bytes: UnsafeBufferPointer(rebasing: bytes[start..<pos]))
                let value: JSONValue
                do { value = try element.parseValue(depth: 1) } catch let error as SyntaxError {
                    throw SyntaxError(offset: start + error.offset, reason: error.reason)
                }
                try body(index, value, size)
            }
            index += 1
            skipWhitespace()
            guard pos < bytes.count else { throw error("unexpected end of input in array") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return }
            throw error("expected ',' or ']'")
        }
    }

    public static func parse(_ text: String) throws -> JSONValue {
        try parse(Array(text.utf8))
    }

    private mutating func skipValue(depth: Int) throws {
        guard depth < JSONParser.maxDepth else { throw error("nesting deeper than \(JSONParser.maxDepth)") }
        guard pos < bytes.count else { throw error("unexpected end of input") }
        switch bytes[pos] {
        case UInt8(ascii: "\""):
            pos += 1
            while pos < bytes.count {
                let c = bytes[pos]
                if c == UInt8(ascii: "\"") { pos += 1; return }
                pos += c == UInt8(ascii: "\\") ? 2 : 1
            }
            throw error("unterminated string")
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = bytes[pos] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            pos += 1
            skipWhitespace()
            if pos < bytes.count, bytes[pos] == close { pos += 1; return }
            while true {
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard pos < bytes.count else { throw error("unexpected end of input") }
                if bytes[pos] == UInt8(ascii: ":") && close == UInt8(ascii: "}") { pos += 1; continue }
                if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                if bytes[pos] == close { pos += 1; return }
                throw error("expected ',' or a closing bracket")
            }
        default:
            _ = try parseValue(depth: depth)
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    /// Longest string accepted (the budget's record size): a hostile field cannot make a record
    /// unboundedly large.
    private let maxStringBytes = InputBudget.current.maxRecordBytes
    private var pos = 0
    private var scratch: [UInt8] = []

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private func error(_ reason: String) -> SyntaxError { SyntaxError(offset: pos, reason: reason) }

    private mutating func skipWhitespace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x0A, 0x0D, 0x09: pos += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws -> JSONValue {
        guard depth < JSONParser.maxDepth else { throw error("nesting deeper than \(JSONParser.maxDepth)") }
        guard pos < bytes.count else { throw error("unexpected end of input") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character '\(Character(Unicode.Scalar(bytes[pos])))'")
        }
    }

    private mutating func expect(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard pos + count <= bytes.count else { throw error("unexpected end of input") }
        for i in 0..<count where bytes[pos + i] != word.utf8Start[i] {
            throw error("invalid literal")
        }
        pos += count
    }

    private mutating func parseObject(depth: Int) throws -> JSONValue {
        pos += 1
        var pairs: [(String, JSONValue)] = []
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(pairs) }
        while true {
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw error("expected ':'") }
            pos += 1
            skipWhitespace()
            pairs.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            guard pos < bytes.count else { throw error("unexpected end of input in object") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(pairs) }
            throw error("expected ',' or '}'")
        }
    }

    private mutating func parseArray(depth: Int) throws -> JSONValue {
        pos += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard pos < bytes.count else { throw error("unexpected end of input in array") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
            throw error("expected ',' or ']'")
        }
    }

    private mutating func parseNumber() throws -> JSONValue {
        let start = pos
        var isInteger = true
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        while pos < bytes.count {
            let c = bytes[pos]
            if c >= 0x30 && c <= 0x39 { pos += 1; continue }
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                isInteger = false
                pos += 1
                continue
            }
            break
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
        if isInteger, let i = Int(text) { return .int(i) }
        guard let d = Double(text), text != "-" else {
            pos = start
            throw error("invalid number '\(text.prefix(40))'")
        }
        return .double(d)
    }

    private mutating func parseString() throws -> String {
        pos += 1
        let start = pos
        // Fast path: no escapes.
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                guard pos - start <= maxStringBytes else { throw error("string longer than \(maxStringBytes) bytes") }
                let s = try validatedString(UnsafeBufferPointer(rebasing: bytes[start..<pos]))
                pos += 1
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw error("control character in string") }
            pos += 1
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<pos]))
        while pos < bytes.count {
            let c = bytes[pos]
            if c == UInt8(ascii: "\"") {
                guard scratch.count <= maxStringBytes else { throw error("string longer than \(maxStringBytes) bytes") }
                pos += 1
                return try scratch.withUnsafeBufferPointer { try validatedString($0) }
            }
            if c < 0x20 { throw error("control character in string") }
            if c != UInt8(ascii: "\\") { scratch.append(c); pos += 1; continue }
            pos += 1
            guard pos < bytes.count else { break }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by its low half; a lone one becomes U+FFFD.
                    if pos + 6 <= bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") {
                        pos += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalar = 0xFFFD
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00..<0xE000).contains(scalar) {
                    scalar = 0xFFFD
                }
                scratch.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
            default:
                throw error("invalid escape")
            }
        }
        throw error("unterminated string")
    }

    private mutating func hex4() throws -> UInt32 {
        guard pos + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw error("invalid \\u escape")
            }
            v = v << 4 | d
            pos += 1
        }
        return v
    }

    private func validatedString(_ raw: UnsafeBufferPointer<UInt8>) throws -> String {
        // ASCII (most keys and values) is valid UTF-8 as it stands; `String(decoding:)` takes it
        // without the generic validating path.
        if JSONParser.isASCII(raw) { return String(decoding: raw, as: UTF8.self) }
        guard let s = String(validating: raw, as: UTF8.self) else { throw error("invalid UTF-8 in string") }
        return s
    }

    /// True when no byte has its high bit set (eight bytes at a time).
    @usableFromInline static func isASCII(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = raw.baseAddress else { return true }
        let count = raw.count
        var i = 0
        let raw8 = UnsafeRawPointer(base)
        while i + 8 <= count {
            if raw8.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < count {
            if base[i] & 0x80 != 0 { return false }
            i += 1
        }
        return true
    }
}

extension JSONParser {
    /// Which members of an object to build: all of them, or only the named ones, each with its own
    /// selection for its value (applied to every element when the value is an array; ignored for
    /// scalars). The members left out are checked for structure and skipped without building their
    /// values or validating their UTF-8.
    public indirect enum Selection: Sendable {
        case all
        case members(Members)
    }

    /// Named members and their selections. The names are kept as UTF-8 bytes too, so an object's
    /// keys are matched without building a String for each.
    public struct Members: ExpressibleByDictionaryLiteral, Sendable {
        let names: [String]
        let utf8: [[UInt8]]
        let selections: [Selection]

        public init(_ members: [(String, Selection)]) {
            precondition(Set(members.map(\.0)).count == members.count, "a member named twice")
            names = members.map(\.0)
            utf8 = members.map { Array($0.0.utf8) }
            selections = members.map(\.1)
        }

        public init(dictionaryLiteral elements: (String, Selection)...) { self.init(elements) }

        /// Every member in `keys`, each whole.
        public init(keeping keys: Set<String>) { self.init(keys.map { ($0, .all) }) }

        func index(ofUTF8 key: UnsafeBufferPointer<UInt8>) -> Int? {
            for (i, name) in utf8.enumerated() where name.count == key.count && name.elementsEqual(key) { return i }
            return nil
        }
    }

    /// Parses a top-level object keeping only the members `selection` names, down to nested
    /// objects: for scans that need a few fields of the sub-records of large records.
    public static func parseObject(_ bytes: UnsafeBufferPointer<UInt8>, selecting selection: Members) throws -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        guard parser.pos < bytes.count, bytes[parser.pos] == UInt8(ascii: "{") else { throw parser.error("expected an object") }
        let value = try parser.parseObject(depth: 0, selecting: selection)
        parser.skipWhitespace()
        if parser.pos != bytes.count { throw parser.error("trailing characters after the value") }
        return value
    }

    private mutating func parseValue(depth: Int, selecting selection: Selection) throws -> JSONValue {
        guard case let .members(members) = selection, pos < bytes.count else { return try parseValue(depth: depth) }
        guard depth < JSONParser.maxDepth else { throw error("nesting deeper than \(JSONParser.maxDepth)") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth, selecting: members)
        case UInt8(ascii: "["): return try parseArray(depth: depth, selecting: selection)
        default: return try parseValue(depth: depth)
        }
    }

    /// The member a key names, if selected. A plain key (ASCII, no escape or control character)
    /// is compared as bytes; any other goes through `parseString`, with its checks.
    private mutating func selectedMember(of members: Members) throws -> Int? {
        let start = pos + 1
        var end = start
        while end < bytes.count {
            let c = bytes[end]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 || c >= 0x80 { break }
            end += 1
        }
        if end < bytes.count, bytes[end] == UInt8(ascii: "\""), end - start <= maxStringBytes {
            pos = end + 1
            return members.index(ofUTF8: UnsafeBufferPointer(rebasing: bytes[start..<end]))
        }
        let key = try parseString()
        return members.names.firstIndex(of: key)
    }

    private mutating func parseObject(depth: Int, selecting members: Members) throws -> JSONValue {
        pos += 1
        var pairs: [(String, JSONValue)] = []
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(pairs) }
        while true {
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let member = try selectedMember(of: members)
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw error("expected ':'") }
            pos += 1
            skipWhitespace()
            if let member {
                pairs.append((members.names[member], try parseValue(depth: depth + 1, selecting: members.selections[member])))
            } else {
                try skipValue(depth: depth + 1)
            }
            skipWhitespace()
            guard pos < bytes.count else { throw error("unexpected end of input in object") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(pairs) }
            throw error("expected ',' or '}'")
        }
    }
    private mutating func parseArray(depth: Int, selecting selection: Selection) throws -> JSONValue {
        pos += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1, selecting: selection))
            skipWhitespace()
            guard pos < bytes.count else { throw error("unexpected end of input in array") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
            throw error("expected ',' or ']'")
        }
    }
}
