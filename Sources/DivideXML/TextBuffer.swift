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
    public var normalized: String { TextBuffer.normalize(bytes) }

    public static func normalize<C: Collection>(_ input: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var pendingSpace = false
        for b in input {
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
