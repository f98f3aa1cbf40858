/// Gathers the character data of one element as raw UTF-8 bytes (no `String` per callback).
public struct TextBuffer {
    public private(set) var bytes: [UInt8] = []

    public init() { bytes.reserveCapacity(4096) }

    public var isEmpty: Bool { bytes.isEmpty }

    @inline(__always) public mutating func append(_ chunk: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: chunk)
    }

    @inline(__always) public mutating func append(_ byte: UInt8) { bytes.append(byte) }

    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// The text as is.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// The text with every run of XML whitespace (space, tab, CR, LF) made one space, and
    /// leading and trailing whitespace removed.
    public var normalized: String { bytes.withUnsafeBufferPointer(TextBuffer.normalize) }

    public static func normalize<C: Collection>(_ input: C) -> String where C.Element == UInt8 {
        input.withContiguousStorageIfAvailable(normalize) ?? Array(input).withUnsafeBufferPointer(normalize)
    }

    /// Collapses straight into the string's storage (no intermediate array); invalid UTF-8 is
    /// repaired as `String(decoding:as:)` does.
    static func normalize(_ input: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: input.count) { out in
            var n = 0
            var pendingSpace = false
            for b in input {
                // Every XML whitespace byte is <= 0x20: one compare settles almost every byte.
                if b <= 0x20 && (b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D) {
                    pendingSpace = n > 0
                } else {
                    if pendingSpace {
                        out[n] = 0x20
                        n += 1
                        pendingSpace = false
                    }
                    out[n] = b
                    n += 1
                }
            }
            return n
        }
    }
}
