import DivideCore
@testable import DivideSources
@testable import DivideXML
import Foundation
import Testing

// Byte-level helpers on the parsers' hot paths: known answers.

@Test func xmlTextNormalizeKnownAnswers() {
    let cases: [([UInt8], String)] = [
        ([], ""), ([0x20], ""), ([0x20, 0x61, 0x20], "a"), (Array(repeating: 0x0A, count: 40), ""),
        (Array(" Deep \t\n Learning\r\n".utf8), "Deep Learning"), (Array("a\u{0B}b\u{0C}".utf8), "a\u{0B}b\u{0C}"),
        ([0x61, 0x00, 0x21], "a\u{00}!"), (Array("é  😀\u{A0}x".utf8), "é 😀\u{A0}x"), ([0x61, 0x20, 0xFF], "a \u{FFFD}"),
        ([0xC3, 0x20, 0x20], "\u{FFFD}"),
        (Array((String(repeating: "word ", count: 1000) + "end").utf8), String(repeating: "word ", count: 1000) + "end"),
    ]
    for (input, expected) in cases {
        #expect(TextBuffer.normalize(input) == expected, "\(input)")
        var buffer = TextBuffer()
        input.withUnsafeBufferPointer { buffer.append($0) }
        #expect(buffer.normalized == expected, "\(input)")
    }
}

@Test func byteLevelHelpersKnownAnswers() {
    #expect(fields("", 59).isEmpty)
    #expect(fields("a", 59) == ["a"])
    #expect(fields("a;b;;c;", 59) == ["a", "b", "", "c", ""])
    #expect(fields("中;é, x", 59) == ["中", "é, x"] && fields("中;é, x", 44) == ["中;é", " x"])
    #expect(fields("+", 43) == ["", ""])
    #expect(hasByte("x@y.org;z", 59) && !hasByte("x@y.org", 59) && !hasByte("", 59))
    #expect(uniqued(["b", "a", "b", "", "a", ""]) == ["b", "a", ""])
    let many = (0..<40).map { "d\($0 % 13)" }
    #expect(uniqued(many) == (0..<13).map { "d\($0)" })
}

/// An OAI page of `count` copies of the fixture's first record (different ids): several 256 KB chunks.
private func largeArxivPage(count: Int) throws -> [UInt8] {
    let page = try String(contentsOfFile: fixtures + "/arxiv-oai/cs-fixture/page-001.xml", encoding: .utf8)
    let start = page.range(of: "<record>")!.lowerBound, end = page.range(of: "</record>")!.upperBound
    let record = String(page[start..<end])
    var body = String(page[..<start])
    for i in 0..<count { body += record.replacingOccurrences(of: "1512.03385", with: "1512.\(10000 + i)") + "\n" }
    body += "</ListRecords>\n</OAI-PMH>\n"
    return Array(body.utf8)
}

private func parseArxiv(_ parse: (ArxivOAIParser, (PaperRecord) -> Void) throws -> ArxivOAIParser.PageResult) -> Result<([PaperRecord], ArxivOAIParser.PageResult), DivideError> {
    var records: [PaperRecord] = []
    do {
        let page = try parse(ArxivOAIParser()) { records.append($0) }
        return .success((records, page))
    } catch {
        return .failure(error as! DivideError)
    }
}
