@testable import DivideCore
import Foundation
import Testing

@Test func selectiveObjectParseKeepsOnlyNamedKeys() throws {
    let line = #"{"id":"a","abstract":"long \" text \\ with escapes","authors":[{"name":"X","affiliations":["A","B"]}],"nested":{"k":[1,{"z":null}]},"year":2020}"#
    let value = try Array(line.utf8).withUnsafeBufferPointer { try JSONParser.parseObject($0, selecting: JSONParser.Members(keeping: ["id", "year", "authors"])) }
    #expect(value == .object([("id", .string("a")), ("authors", .array([.object([("name", .string("X")), ("affiliations", .array([.string("A"), .string("B")]))])])), ("year", .int(2020))]))
    #expect(throws: JSONParser.SyntaxError.self) { try Array(#"{"id":"a","x":"unterminated}"#.utf8).withUnsafeBufferPointer { try JSONParser.parseObject($0, selecting: JSONParser.Members(keeping: ["id"])) } }
}

@Test func nestedSelectionKeepsOnlyNamedMembersAtEveryLevel() throws {
    let line = #"{"id":"a","title":"skip \" me","authors":[{"name":"X","sectors":["academia",{"sector":"industry"}],"evidence":[{"k":1}]},{"sectors":[]}],"mentions":[],"meta":{"a":1,"b":{"c":2}},"year":2020}"#
    let selection: JSONParser.Members = [
        "id": .all, "year": .all, "authors": .members(["sectors": .all]), "mentions": .members(["model": .all]), "meta": .members(["b": .all]),
    ]
    let value = try Array(line.utf8).withUnsafeBufferPointer { try JSONParser.parseObject($0, selecting: selection) }
    // The same as parsing everything and dropping what the selection leaves out.
    let full = try JSONParser.parse(line)
    let authors = full["authors"]!.arrayValue!.map { author in JSONValue.object(author.objectValue!.filter { $0.0 == "sectors" }) }
    #expect(value == .object([("id", full["id"]!), ("authors", .array(authors)), ("mentions", .array([])),
                              ("meta", .object([("b", full["meta"]!["b"]!)])), ("year", .int(2020))]))
    // Keys that are not plain ASCII (escapes, other scripts) are matched by their parsed text.
    let keys = #"{"\u00e9":1,"é":2,"a\"b":3,"ab":4,"\u0061b":5}"#
    let picked = try Array(keys.utf8).withUnsafeBufferPointer { try JSONParser.parseObject($0, selecting: ["é": .all, "ab": .all]) }
    #expect(picked == .object([("é", .int(1)), ("é", .int(2)), ("ab", .int(4)), ("ab", .int(5))]))
    // Members left out are still checked: a malformed one fails the line, and so does a key with
    // a control character or invalid UTF-8.
    let bad: [[UInt8]] = [#"{"id":"a","authors":[{"name":"unterminated}]}"#, #"{"id":"a","authors":[{"sectors":[],"x":tru}]}"#,
                          #"["id"]"#, #"{"id":"a","bad\#u{01}key":1}"#].map { Array($0.utf8) }
        + [Array(#"{"id":"a",""#.utf8) + [0xFF] + Array(#"":1}"#.utf8)]
    for line in bad {
        #expect(throws: JSONParser.SyntaxError.self) { try line.withUnsafeBufferPointer { try JSONParser.parseObject($0, selecting: selection) } }
    }
}

@Test func serializerEscapesInRuns() {
    #expect(JSONSerializer.serialize(.string("plain")) == #""plain""#)
    #expect(JSONSerializer.serialize(.string("a\"b\\c\nd\u{01}é")) == #""a\"b\\c\nd\u0001é""#)
    #expect(JSONSerializer.serialize(.string("")) == #""""#)
}

/// The byte fast path for bare new-style arXiv ids agrees with the general path around its edges.
@Test func bareArxivIDFastPathMatchesTheGeneralPath() {
    let cases: [(String, String?)] = [
        ("1706.03762", "1706.03762"), ("1706.03762v5", "1706.03762"), ("0704.0001v12", "0704.0001"),
        ("1706.037625", nil), ("1706.03762v", nil), ("1706.03762v2a", nil),
        ("1706.03762 ", "1706.03762"), ("arXiv:1706.03762v1", "1706.03762"), ("170.603762", nil), ("cs/0501001v2", "cs/0501001"),
    ]
    for (raw, expected) in cases {
        #expect(PaperIdentifiers.normalizeArxivID(raw) == expected, "\(raw)")
    }
    #expect(PaperIdentifiers.bareNewStyleID("1706.03762 ") == nil)  // left to the general path
    #expect(PaperIdentifiers.bareNewStyleID("1706.03762v3") == "1706.03762")
}

@Test func surnameKeyTakesTheLastWordThatIsNotAGenerationalSuffix() {
    #expect(TextNormalizer().surnameKey("Martin Luther King Jr") == "king")
    #expect(TextNormalizer().surnameKey("Henry Ford II Jr.") == "ford")
    #expect(TextNormalizer().surnameKey("Jr") == "jr")
    #expect(TextNormalizer().surnameKey("III Jr") == "jr")
    #expect(TextNormalizer().surnameKey("  ") == "")
    #expect(TextNormalizer().surnameKey("José  Álvarez-Núñez") == "nunez")
}

@Test func rawWritesMatchTheTreeSerializer() {
    var streamed = JSONSerializer()
    streamed.writeRaw("{\"k\":")
    streamed.writeString("v\"")
    streamed.writeRaw(",\"n\":")
    streamed.write(.int(3))
    streamed.writeRaw("}")
    #expect(String(decoding: streamed.bytes, as: UTF8.self) == JSONSerializer.serialize(.object([("k", .string("v\"")), ("n", .int(3))])))
}
