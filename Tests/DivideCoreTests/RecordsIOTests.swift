@testable import DivideCore
import Foundation
import Testing

func temporaryPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("divide-core-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}

@Test func jsonRoundTripKeepsKeyOrderAndEscapes() throws {
    let text = #"{"b":1,"a":[true,false,null],"s":"quote \" slash \\ nl \n tab \t é 😀 \u0001","d":1.5e+23,"n":-0.25}"#
    let value = try JSONParser.parse(text)
    #expect(value["s"]?.stringValue == "quote \" slash \\ nl \n tab \t é 😀 \u{01}")
    #expect(value["d"]?.doubleValue == 1.5e23)
    let back = JSONSerializer.serialize(value)
    #expect(try JSONParser.parse(back) == value)
    #expect(back.hasPrefix(#"{"b":1,"a":[true,false,null]"#))
}

@Test func jsonRejectsMalformedInput() {
    for bad in ["{", "[1,]", #"{"a" 1}"#, "tru", "\"abc", "01x", #""\ud800""# + "x", "[" + String(repeating: "[", count: 600)] {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(bad) }
    }
}

@Test func surrogatePairsDecode() throws {
    #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
}

@Test func ndjsonGzipRoundTripIsDeterministic() throws {
    let a = temporaryPath("a.ndjson.gz"), b = temporaryPath("b.ndjson.gz")
    for path in [a, b] {
        let writer = try NDJSONWriter(path: path)
        for i in 0..<5000 { try writer.write(.object([("i", .int(i)), ("t", .string("row \(i)"))])) }
        try writer.commit()
    }
    #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b))
    var seen: [Int] = []
    try NDJSONReader(path: a).forEach { v, line in
        seen.append(v["i"]!.intValue!)
        #expect(line == seen.count)
    }
    #expect(seen == Array(0..<5000))
}

@Test func uncommittedWriterLeavesNoFile() throws {
    let path = temporaryPath("never.ndjson.gz")
    do {
        let writer = try NDJSONWriter(path: path)
        try writer.write(.int(1))
    }
    #expect(!FileManager.default.fileExists(atPath: path))
    let folder = (path as NSString).deletingLastPathComponent
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.contains("never.ndjson.gz.tmp") })
}

@Test func truncatedGzipIsAnErrorNotAShortRead() throws {
    let path = temporaryPath("full.ndjson.gz")
    let writer = try NDJSONWriter(path: path)
    for i in 0..<20000 { try writer.write(.object([("i", .int(i)), ("pad", .string(String(repeating: "x", count: i % 97)))])) }
    try writer.commit()
    let bytes = FileManager.default.contents(atPath: path)!
    let cut = temporaryPath("cut.ndjson.gz")
    _ = FileManager.default.createFile(atPath: cut, contents: bytes.prefix(bytes.count / 2))
    do {
        try NDJSONReader(path: cut).forEach { _, _ in }
        Issue.record("expected an error")
    } catch let error as DivideError {
        // One line that names the file once (zlib's own message starts with the path too).
        #expect(error.description == "\(cut): corrupt or truncated gzip data (unexpected end of file)")
    }
}

@Test func invalidLineNamesFileAndLine() throws {
    let path = temporaryPath("bad.ndjson")
    try "{\"a\":1}\n{\"a\":\n".write(toFile: path, atomically: true, encoding: .utf8)
    do {
        try NDJSONReader(path: path).forEach { _, _ in }
        Issue.record("expected an error")
    } catch let error as DivideError {
        #expect(error.description.hasPrefix("\(path): line 2: invalid JSON"))
    }
}

@Test func csvFollowsRFC4180() throws {
    let path = temporaryPath("t.csv")
    try "\u{FEFF}a,b,c\r\n\"x, y\",\"he said \"\"hi\"\"\",\"multi\nline\"\r\n\n1,,3\n\"open".write(toFile: path, atomically: true, encoding: .utf8)
    var rows: [CSVReader.Row] = []
    try CSVReader(path: path).forEachRow { rows.append($0) }
    #expect(rows.map(\.fields) == [["a", "b", "c"], ["x, y", "he said \"hi\"", "multi\nline"], ["1", "", "3"], ["open"]])
    #expect(rows.map(\.line) == [1, 2, 5, 6])
    #expect(rows.map(\.unterminatedQuote) == [false, false, false, true])
}

@Test func countsReconcileAndRoundTrip() throws {
    var counts = StageCounts(stage: "x")
    counts.input = 10
    counts.output = 6
    counts.reject(reason: "bad")
    counts.merged = 2
    counts.excluded = 1
    #expect(counts.reconciles)
    let out = temporaryPath("x.ndjson.gz")
    try counts.write(besides: out)
    #expect(try StageCounts.read(besides: out) == counts)
}
