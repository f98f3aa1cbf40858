@testable import DivideCore
import DivideStats
import Foundation
import Testing

// The serializer copies unescaped runs in bulk and the parser skips UTF-8 validation for ASCII:
// known answers around the 8-byte ASCII check, and round trips of mixed strings.

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

@Test func serializerEscapesKnownStrings() throws {
    var cases: [(String, String)] = [
        ("", #""""#), ("plain ascii only", #""plain ascii only""#), ("say \"hi\"", #""say \"hi\"""#),
        ("back\\slash", #""back\\slash""#), ("a\nb\rc\td", #""a\nb\rc\td""#), ("\u{00}", #""\u0000""#),
        ("\u{01}\u{1F}", #""\u0001\u001f""#), ("\u{7F}/", "\"\u{7F}/\""),
        ("é Ł 中文 😀 \u{2028} \u{FFFD}", "\"é Ł 中文 😀 \u{2028} \u{FFFD}\""),
    ]
    // An escape just before, at and after each 8-byte boundary of a long ASCII run.
    for length in [6, 7, 8, 9, 15, 16, 17, 1000] {
        let run = String(repeating: "x", count: length)
        cases.append((run + "\"" + run, "\"" + run + "\\\"" + run + "\""))
        cases.append((run + "\n", "\"" + run + "\\n\""))
    }
    for (input, expected) in cases {
        var serializer = JSONSerializer()
        serializer.writeString(input)
        #expect(String(decoding: serializer.bytes, as: UTF8.self) == expected, "string \(input.debugDescription)")
    }
}

@Test func serializedStringsParseBack() throws {
    for s in corpus() {
        var serializer = JSONSerializer()
        serializer.writeString(s)
        #expect(try JSONParser.parse(serializer.bytes) == .string(s), "string \(s.debugDescription)")
    }
}

@Test func serializedRecordsAreByteIdentical() throws {
    var record = ModelRecord(id: "model:gpt-\"x\"", name: "GPT \"x\"\tv2 é 😀")
    record.organizations = ["Open\\AI", "Lab\n(Zürich)"]
    record.abstract = String(repeating: "long abstract, no escapes ", count: 50) + "\u{01}end"
    record.trainingComputeFLOP = 3.5e24
    record.provenance = [Provenance(file: "notable_ai_models.2026-01-26.csv.gz", line: 12)]
    let line = JSONSerializer.serialize(record.json)
    #expect(line.hasPrefix(#"{"id":"model:gpt-\"x\"","name":"GPT \"x\"\tv2 é 😀""#))
    #expect(line.contains(#""organizations":["Open\\AI","Lab\n(Zürich)"]"#))
    #expect(line.contains(#"end""#) && line.contains(#"\u0001end"#))
    #expect(try ModelRecord(json: JSONParser.parse(line)) == record)
}

@Test func asciiCheckFindsANonASCIIByteAtEveryLengthAndOffset() {
    let base: [UInt8] = Array(repeating: UInt8(ascii: "a"), count: 40)
    for length in 0...40 {
        for position in -1..<length {  // -1: all ASCII
            var bytes = Array(base[0..<length])
            if position >= 0 { bytes[position] = 0xC3 }
            #expect(bytes.withUnsafeBufferPointer { JSONParser.isASCII($0) } == (position < 0))
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


/// The one tokenizer and the dedupe keys built on it, ASCII bytes and Unicode scalars alike.
@Test func tokensAndKeysKnownAnswers() {
    let plain = TextNormalizer()
    let versions = TextNormalizer(keepsDecimalPoints: true)
    #expect(plain.tokens("O'Brien") == ["O", "Brien"])
    #expect(plain.titleKey("O'Brien’s <i>Models</i>") == "obriens models")
    #expect(plain.surnameKey("Conan O’Brien") == "obrien" && plain.surnameKey("Conan OBrien") == "obrien")
    #expect(plain.tokens("").isEmpty && plain.titleKey("").isEmpty && plain.surnameKey("").isEmpty)
    #expect(plain.tokens("  ,;- ").isEmpty && plain.titleKey("''").isEmpty)
    #expect(plain.tokens("GPT-3.5") == ["GPT", "3", "5"])
    #expect(versions.tokens("GPT-3.5 v2. 1.x .5") == ["GPT", "3.5", "v2", "1", "x", "5"])
    #expect(versions.tokens("Llama 3.1 405B") == ["Llama", "3.1", "405B"])
    #expect(plain.titleKey("深度学习 for NLP") == "深 度 学 习 for nlp")
    #expect(plain.titleKey("Łódź, Søgaard & Straße") == "lodz sogaard strasse")
    #expect(plain.titleKey("a < b") == "a b")
    let huge = String(repeating: "word ", count: 100_000)
    #expect(plain.tokens(huge).count == 100_000)
    #expect(plain.titleKey(huge + "É") == huge + "e")
}
