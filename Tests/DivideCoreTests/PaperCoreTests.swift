@testable import DivideCore
import Foundation
import Testing

@Test func prefetchingLineReaderMatchesLineReader() throws {
    let path = temporaryPath("prefetch.ndjson.gz")
    let writer = try GzipWriter(path: path)
    var expected: [String] = []
    for i in 0..<6000 {
        // Lines of varied length so that many straddle the 256 KB chunk boundaries.
        let line = "{\"i\":\(i),\"pad\":\"" + String(repeating: "x", count: (i * 37) % 700) + "\"}"
        expected.append(line)
        try writer.write(Array((line + (i == 5999 ? "" : "\n")).utf8))  // no newline after the last
    }
    try writer.close()
    var viaPrefetch: [String] = []
    let reader = PrefetchingLineReader(path: path, depth: 2)
    try reader.forEachLine { viaPrefetch.append(String(decoding: $0, as: UTF8.self)) }
    var viaPlain: [String] = []
    try LineReader(path: path).forEachLine { viaPlain.append(String(decoding: $0, as: UTF8.self)) }
    #expect(viaPrefetch == expected)
    #expect(viaPlain == expected)
    #expect(reader.lineNumber == 6000)
    // An error thrown by the caller stops the reader (and its thread) cleanly.
    struct Stop: Error {}
    var seen = 0
    #expect(throws: Stop.self) { try PrefetchingLineReader(path: path).forEachLine { _ in seen += 1; if seen == 10 { throw Stop() } } }
}

@Test func selectiveObjectParseKeepsOnlyNamedKeys() throws {
    let line = #"{"id":"a","abstract":"long \" text \\ with escapes","authors":[{"name":"X","affiliations":["A","B"]}],"nested":{"k":[1,{"z":null}]},"year":2020}"#
    let value = try Array(line.utf8).withUnsafeBufferPointer { try JSONParser.parseObject($0, keeping: ["id", "year", "authors"]) }
    #expect(value == .object([("id", .string("a")), ("authors", .array([.object([("name", .string("X")), ("affiliations", .array([.string("A"), .string("B")]))])])), ("year", .int(2020))]))
    #expect(throws: JSONParser.SyntaxError.self) { try Array(#"{"id":"a","x":"unterminated}"#.utf8).withUnsafeBufferPointer { try JSONParser.parseObject($0, keeping: ["id"]) } }
}

@Test func serializerEscapesInRuns() {
    #expect(JSONSerializer.serialize(.string("plain")) == #""plain""#)
    #expect(JSONSerializer.serialize(.string("a\"b\\c\nd\u{01}é")) == #""a\"b\\c\nd\u0001é""#)
    #expect(JSONSerializer.serialize(.string("")) == #""""#)
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
