import DivideCore

/// Gathers the character data of one element as raw UTF-8 bytes (no `String` per callback).
/// It holds at most `limit` bytes (the budget's record size): past it the text is counted in
/// `count` but not kept, and the parser rejects the record (`count > limit`).
public struct TextBuffer {
    public private(set) var bytes: [UInt8] = []
    /// Bytes appended since `removeAll`, kept or not.
    public private(set) var count = 0
    public let limit: Int

    public init(limit: Int = InputBudget.current.maxRecordBytes) {
        self.limit = limit
        bytes.reserveCapacity(4096)
    }

    public var isEmpty: Bool { bytes.isEmpty }

    @inline(__always) public mutating func append(_ chunk: UnsafeBufferPointer<UInt8>) {
        count += chunk.count
        if count <= limit { bytes.append(contentsOf: chunk) }
    }

    @inline(__always) public mutating func append(_ byte: UInt8) {
        count += 1
        if count <= limit { bytes.append(byte) }
    }

    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: bytes.capacity <= 1 << 20)
        count = 0
    }

    /// The text as is.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// The text with every run of XML whitespace (space, tab, CR, LF) made one space, and
    /// leading and trailing whitespace removed.
    public var normalized: String { bytes.withUnsafeBufferPointer(TextBuffer.normalize) }

    public static func normalize<C: Collection>(_ input: C) -> String where C.Element == UInt8 {
        input.withContiguousStorageIfAvailable(normalize) ?? Array(input).withUnsafeBufferPointer(normalize)
    }

    /// Collapses straight into the string's storage (no intermediate array); invalid UTF-8 is
    /// repaired as `String(decoding:as:)` does. Branch-free per byte: words in text are short,
    /// so a branch on "is this whitespace" would be mispredicted every few bytes.
    static func normalize(_ input: UnsafeBufferPointer<UInt8>) -> String {
        guard let source = input.baseAddress, input.count > 0 else { return "" }
        return String(unsafeUninitializedCapacity: input.count) { out in
            let target = out.baseAddress!
            // Bits 0x09, 0x0A, 0x0D and 0x20: the whitespace bytes XML allows.
            let whitespaceBits: UInt64 = 1 << 0x09 | 1 << 0x0A | 1 << 0x0D | 1 << 0x20
            var n = 0
            var pendingSpace = 0
            // Writes stay below input.count: a byte is written at n <= i, and a pending space
            // means an earlier byte was dropped, so n < i when the space is written too.
            for i in 0..<input.count {
                let b = source[i]
                let isSpace = b <= 0x20 ? Int(truncatingIfNeeded: whitespaceBits &>> UInt64(b)) & 1 : 0
                target[n] = 0x20
                n += pendingSpace & (1 - isSpace)
                target[n] = b
                n += 1 - isSpace
                pendingSpace = isSpace & (n > 0 ? 1 : 0)
            }
            return n
        }
    }
}
