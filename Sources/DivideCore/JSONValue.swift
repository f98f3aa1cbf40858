/// A JSON document. Objects keep their key order, so what we write is what we read back, byte for byte.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.int(a), .double(b)), let (.double(b), .int(a)): return Double(a) == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public subscript(key: String) -> JSONValue? {
        guard case let .object(pairs) = self else { return nil }
        for (k, v) in pairs where k == key { return v }
        return nil
    }

    /// The text of a JSON string, nil for any other value: for ids and titles, where a number is
    /// a broken record rather than a name.
    public var exactString: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    public var stringValue: String? {
        switch self {
        case let .string(s): return s
        case let .int(i): return String(i)
        case let .double(d): return JSONValue.format(d)
        default: return nil
        }
    }

    public var intValue: Int? {
        switch self {
        case let .int(i): return i
        case let .double(d) where d.rounded() == d && abs(d) < 1e15: return Int(d)
        case let .string(s): return Int(s)
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case let .int(i): return Double(i)
        case let .double(d): return d
        case let .string(s): return Double(s)
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case let .bool(b) = self { return b }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case let .array(a) = self { return a }
        return nil
    }

    public var objectValue: [(String, JSONValue)]? {
        if case let .object(o) = self { return o }
        return nil
    }

    /// Strings of an array value (non-string members are skipped).
    public var stringArray: [String] { arrayValue?.compactMap(\.stringValue) ?? [] }

    // MARK: building

    public static func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
    public static func optional(_ i: Int?) -> JSONValue { i.map(JSONValue.int) ?? .null }
    public static func optional(_ d: Double?) -> JSONValue { d.map(JSONValue.double) ?? .null }
    public static func strings(_ a: [String]) -> JSONValue { .array(a.map(JSONValue.string)) }

    /// Shortest round-tripping decimal; integers within 2^53 print without a fraction.
    public static func format(_ d: Double) -> String {
        if d.isNaN || d.isInfinite { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return "\(d)"
    }
}

/// Serializes JSON compactly and deterministically (key order as given, no whitespace).
public struct JSONSerializer {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: bytes.append(contentsOf: "null".utf8)
        case let .bool(b): bytes.append(contentsOf: (b ? "true" : "false").utf8)
        case let .int(i): bytes.append(contentsOf: String(i).utf8)
        case let .double(d): bytes.append(contentsOf: JSONValue.format(d).utf8)
        case let .string(s): writeString(s)
        case let .array(items):
            bytes.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                write(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case let .object(pairs):
            bytes.append(UInt8(ascii: "{"))
            for (i, (key, item)) in pairs.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(key)
                bytes.append(UInt8(ascii: ":"))
                write(item)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends text that is already JSON (punctuation, a quoted key with its colon), for writers
    /// that stream a record's fields without building a `JSONValue` first.
    public mutating func writeRaw(_ json: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: json.utf8Start, count: json.utf8CodeUnitCount))
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    public mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            // Copy runs of bytes that need no escaping in one go; escape the rest one by one.
            var runStart = 0
            var i = 0
            while i < utf8.count {
                // Skip 8 bytes at a time while none of them needs escaping.
                while i + 8 <= utf8.count, !JSONSerializer.needsEscape(UnsafeRawPointer(utf8.baseAddress! + i).loadUnaligned(as: UInt64.self)) { i += 8 }
                guard i < utf8.count else { break }
                let byte = utf8[i]
                i += 1
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                if runStart < i - 1 { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<(i - 1)])) }
                runStart = i
                switch byte {
                case 0x22: bytes.append(contentsOf: [92, 34])
                case 0x5C: bytes.append(contentsOf: [92, 92])
                case 0x0A: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
                default:
                    bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48])
                    bytes.append(JSONSerializer.hex[Int(byte >> 4)])
                    bytes.append(JSONSerializer.hex[Int(byte & 0xF)])
                }
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether any of the 8 bytes of `word` is below 0x20, `"` or `\\` (exact as a yes/no answer).
    @inline(__always) static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
        let below = (word &- ones &* 0x20) & ~word
        let zeroQuote = (quote &- ones) & ~quote
        let zeroBackslash = (backslash &- ones) & ~backslash
        return (below | zeroQuote | zeroBackslash) & highs != 0
    }

    public static func serialize(_ value: JSONValue) -> String {
        var s = JSONSerializer()
        s.write(value)
        return String(decoding: s.bytes, as: UTF8.self)
    }
}
