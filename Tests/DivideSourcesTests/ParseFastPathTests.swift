import DivideCore
import DivideStats
@testable import DivideSources
@testable import DivideXML
import Foundation
import Testing

// Byte-level helpers on the parsers' hot paths, each pinned to what the straightforward version gives.

/// `TextBuffer.normalize` as it was: a byte at a time into an array, then a String.
private func referenceNormalize(_ input: [UInt8]) -> String {
    var out: [UInt8] = []
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

@Test func branchFreeNormalizeAgreesWithTheByteLoop() {
    var rng = SplitMix64(seed: 5)
    let pieces: [[UInt8]] = [[0x61], Array("word".utf8), [0x20], [0x20, 0x20], [0x09], [0x0A], [0x0D], [0x0B], [0x00], [0x21],
                             Array("é".utf8), Array("😀".utf8), [0xFF], [0xC3], Array("\u{A0}".utf8)]
    var samples: [[UInt8]] = [[], [0x20], [0x20, 0x61, 0x20], Array(repeating: 0x0A, count: 40)]
    for _ in 0..<3000 {
        var s: [UInt8] = []
        for _ in 0..<Int(rng.next() % 30) { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
        samples.append(s)
    }
    for s in samples {
        #expect(TextBuffer.normalize(s) == referenceNormalize(s), "\(s)")
        var buffer = TextBuffer()
        s.withUnsafeBufferPointer { buffer.append($0) }
        #expect(buffer.normalized == referenceNormalize(s))
    }
}

@Test func byteLevelHelpersAgreeWithTheGenericOnes() {
    var rng = SplitMix64(seed: 9)
    let pieces = ["a", "b;c", ";", ",", ", ", " ", "+", "é", "中;", "\u{2003}", "\t", "x@y.org", ""]
    for _ in 0..<2000 {
        var s = ""
        for _ in 0..<Int(rng.next() % 10) { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
        for separator: UInt8 in [59, 44, 43] {
            let generic = s.isEmpty ? [] : s.utf8.split(separator: separator, omittingEmptySubsequences: false).map { String(Substring($0)) }
            #expect(fields(s, separator) == generic)
            #expect(hasByte(s, separator) == s.utf8.contains(separator))
        }
        let scalars = s.unicodeScalars
        let trimmed = scalars.firstIndex { !$0.properties.isWhitespace }.map { String(scalars[$0...scalars.lastIndex { !$0.properties.isWhitespace }!]) } ?? ""
        #expect(s.trimmingWhitespace == trimmed)
        let parts = fields(s, 59)
        var seen = Set<String>()
        #expect(uniqued(parts) == parts.filter { seen.insert($0).inserted })
    }
    let many = (0..<40).map { "d\($0 % 13)" }
    var seen = Set<String>()
    #expect(uniqued(many) == many.filter { seen.insert($0).inserted })
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
