@testable import DivideCore
import DivideStats
import Foundation
import Testing

// The serializer copies unescaped runs in bulk and the parser skips UTF-8 validation for ASCII.
// These tests pin the output to what the straightforward byte-at-a-time versions produce.

/// The escaping the serializer had before the bulk-copy fast path, byte at a time.
private func referenceEscaped(_ s: String) -> [UInt8] {
    let hex = Array("0123456789abcdef".utf8)
    var out: [UInt8] = [34]
    for byte in s.utf8 {
        switch byte {
        case 34: out += [92, 34]
        case 92: out += [92, 92]
        case 0x0A: out += [92, UInt8(ascii: "n")]
        case 0x0D: out += [92, UInt8(ascii: "r")]
        case 0x09: out += [92, UInt8(ascii: "t")]
        case 0..<0x20: out += [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
        default: out.append(byte)
        }
    }
    out.append(34)
    return out
}

/// Deterministic strings mixing plain ASCII runs, every character that needs escaping, and
/// multi-byte UTF-8, at lengths that straddle the 8-byte ASCII check.
private func corpus() -> [String] {
    var rng = SplitMix64(seed: 7)
    let pieces: [String] = ["a", "Zebra ", "\"", "\\", "\n", "\r", "\t", "\u{01}", "\u{1F}", "\u{7F}", "é", "Ł", "中文",
                            "😀", "/", " ", "0123456789", "\u{2028}", "\u{FFFD}"]
    var out = ["", "plain ascii only", String(repeating: "x", count: 1000), "ends with quote\"", "\"starts",
               String(repeating: "\\", count: 9), "\u{00}"]
    for _ in 0..<2000 {
        let n = Int(rng.next() % 40)
        var s = ""
        for _ in 0..<n { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
        out.append(s)
    }
    return out
}

@Test func serializerStringsAreByteIdenticalToTheByteAtATimeEscaper() throws {
    for s in corpus() {
        var serializer = JSONSerializer()
        serializer.writeString(s)
        #expect(serializer.bytes == referenceEscaped(s), "string \(s.debugDescription)")
        // …and the parser reads back the same string (ASCII fast path or validating path).
        #expect(try JSONParser.parse(serializer.bytes) == .string(s))
    }
}

@Test func serializedRecordsAreByteIdentical() throws {
    var record = ModelRecord(id: "model:gpt-\"x\"", name: "GPT \"x\"\tv2 é 😀")
    record.organizations = ["Open\\AI", "Lab\n(Zürich)"]
    record.abstract = String(repeating: "long abstract, no escapes ", count: 50) + "\u{01}end"
    record.trainingComputeFLOP = 3.5e24
    record.provenance = [Provenance(file: "notable_ai_models.2026-01-26.csv.gz", line: 12)]
    let line = JSONSerializer.serialize(record.json)
    var expected = "{\"id\":" + String(decoding: referenceEscaped(record.id), as: UTF8.self)
    expected += ",\"name\":" + String(decoding: referenceEscaped(record.name), as: UTF8.self)
    #expect(line.hasPrefix(expected))
    #expect(line.contains(#""organizations":["Open\\AI","Lab\n(Zürich)"]"#))
    #expect(line.contains(#"end""#) && line.contains(#"\u0001end"#))
    #expect(try ModelRecord(json: JSONParser.parse(line)) == record)
}

@Test func asciiCheckAgreesWithAByteLoopAtEveryLengthAndOffset() {
    let base: [UInt8] = Array(repeating: UInt8(ascii: "a"), count: 40)
    for length in 0...40 {
        for position in -1..<length {  // -1: all ASCII
            var bytes = Array(base[0..<length])
            if position >= 0 { bytes[position] = 0xC3 }
            let expected = bytes.allSatisfy { $0 < 0x80 }
            #expect(bytes.withUnsafeBufferPointer { JSONParser.isASCII($0) } == expected)
        }
    }
}

@Test func invalidUTF8IsStillRejectedAfterAnASCIIPrefix() {
    for prefix in [0, 3, 8, 15, 16, 100] {
        let bad: [UInt8] = [34] + Array(repeating: UInt8(ascii: "b"), count: prefix) + [0xC3, 0x28, 34]
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(bad) }
        let lone: [UInt8] = [34] + Array(repeating: UInt8(ascii: "b"), count: prefix) + [0xFF, 34]
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(lone) }
    }
}

@Test func ndjsonWriterOutputIsByteIdenticalAcrossRuns() throws {
    let paths = [temporaryPath("run1.ndjson.gz"), temporaryPath("run2.ndjson.gz")]
    for path in paths {
        let writer = try NDJSONWriter(path: path)
        for i in 0..<50_000 {
            try writer.write(.object([("i", .int(i)), ("s", .string("record \(i) \"quoted\" é")), ("d", .double(Double(i) / 7))]))
        }
        try writer.commit()
    }
    #expect(FileManager.default.contents(atPath: paths[0]) == FileManager.default.contents(atPath: paths[1]))
    var n = 0
    try NDJSONReader(path: paths[0]).forEach { value, _ in
        #expect(value["i"]?.intValue == n)
        n += 1
    }
    #expect(n == 50_000)
}

/// Unicode's White_Space scalars: the one definition of whitespace (TextNormalizer).
private let whiteSpaceScalars: Set<UInt32> = Set(Array(0x09...0x0D) + [0x20, 0x85, 0xA0, 0x1680] + Array(0x2000...0x200A)
                                                 + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000])

@Test func whitespaceIsUnicodeWhiteSpaceEverywhere() {
    for v in UInt32(0)..<0x3100 where !(0xD800..<0xE000).contains(v) {
        let scalar = Unicode.Scalar(v)!
        let expected = whiteSpaceScalars.contains(v)
        let s = String(scalar)
        #expect(TextNormalizer.isWhitespace(scalar) == expected, "U+\(String(v, radix: 16))")
        #expect(TextNormalizer.isBlank(s) == expected && TextNormalizer.isBlank(" " + s + "\u{2002}") == expected)
        #expect(TextNormalizer.collapseWhitespace("a" + s + "b") == (expected ? "a b" : "a" + s + "b"), "U+\(String(v, radix: 16))")
        #expect(("x" + s).trimmingWhitespace == (expected ? "x" : "x" + s), "U+\(String(v, radix: 16))")
    }
    #expect(TextNormalizer.isBlank(""))
    #expect(!TextNormalizer.isBlank("\u{200B}"))  // zero-width space is a format character
}

@Test func collapseWhitespaceKnownAnswers() {
    let cases: [(String, String)] = [
        ("", ""), ("   ", ""), ("a", "a"), (" a", "a"), ("a ", "a"), ("a b", "a b"), ("a  b", "a b"),
        ("\tDeep\n\nLearning\r\n", "Deep Learning"), ("x\u{3000}y", "x y"), ("x\u{A0}\u{2003} y", "x y"),
        ("line\u{2028}break", "line break"), ("Zürich  中文 😀", "Zürich 中文 😀"), ("a\u{200B}b", "a\u{200B}b"),
        ("\u{01}", "\u{01}"), ("a - b", "a - b"),
    ]
    for (input, expected) in cases {
        #expect(TextNormalizer.collapseWhitespace(input) == expected, "\(input.debugDescription)")
    }
}

@Test func ndjsonLinesWrittenInOnePieceAreByteIdenticalToLineByLine() throws {
    let values: [JSONValue] = (0..<20_000).map { .object([("i", .int($0)), ("s", .string("record \($0) \"q\" é\n"))]) }
    let linePath = temporaryPath("line-by-line.ndjson.gz"), blockPath = temporaryPath("blocks.ndjson.gz")
    let lineWriter = try NDJSONWriter(path: linePath)
    for v in values { try lineWriter.write(v) }
    try lineWriter.commit()
    let blockWriter = try NDJSONWriter(path: blockPath)
    var lines = NDJSONLines()
    for (i, v) in values.enumerated() {
        lines.append(v)
        if i % 7_000 == 6_999 { try blockWriter.write(lines); lines = NDJSONLines() }
    }
    try blockWriter.write(lines)
    try blockWriter.commit()
    #expect(lineWriter.count == blockWriter.count)
    #expect(try readFileBytes(path: linePath) == readFileBytes(path: blockPath))
    #expect(FileManager.default.contents(atPath: linePath) == FileManager.default.contents(atPath: blockPath))
}

