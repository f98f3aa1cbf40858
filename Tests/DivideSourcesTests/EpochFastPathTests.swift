import DivideCore
import DivideStats
@testable import DivideSources
import Foundation
import Testing

// `parse epoch` decides ASCII cells on their bytes (trimming, list splitting, the model key) and
// copies CSV runs in bulk. These tests pin each fast path to the character-by-character code it
// stands in for, on random text that mixes ASCII, whitespace of both kinds and combining marks.

private extension SplitMix64 {
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func text(from pieces: [String], maxLength: Int) -> String {
        (0..<below(maxLength + 1)).map { _ in pieces[below(pieces.count)] }.joined()
    }
}

private let asciiPieces = [" ", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "a", "B", "z", "Q", "7", ",", "-", "(", "\""]
private let mixedPieces = asciiPieces + ["é", "\u{301}", "\u{A0}", "\u{2003}", "\u{85}", "日", "İ", "ß"]

private func referenceTrimmed(_ s: String) -> String {
    let scalars = s.unicodeScalars
    guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
    let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
    return String(scalars[first...last])
}

@Test func trimmingWhitespaceMatchesTheScalarWalk() {
    var random = SplitMix64(seed: 1)
    for pieces in [asciiPieces, mixedPieces] {
        for _ in 0..<20_000 {
            let s = random.text(from: pieces, maxLength: 12)
            #expect(s.trimmingWhitespace == referenceTrimmed(s), "\(Array(s.unicodeScalars))")
        }
    }
}

@Test func listItemsMatchCharacterSplitting() {
    var random = SplitMix64(seed: 2)
    for pieces in [asciiPieces, mixedPieces] {
        for _ in 0..<20_000 {
            let s = random.text(from: pieces, maxLength: 14)
            let expected = s.split(separator: ",").map { referenceTrimmed(String($0)) }.filter { !$0.isEmpty }
            #expect(EpochCSVParser.listItems(s) == expected, "\(Array(s.unicodeScalars))")
        }
    }
}

@Test func modelIdentifierMatchesCharacterFolding() {
    var random = SplitMix64(seed: 3)
    for pieces in [asciiPieces, mixedPieces] {
        for _ in 0..<20_000 {
            let s = random.text(from: pieces, maxLength: 12)
            let expected = "model:" + s.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(ModelRecord.identifier(forName: s) == expected, "\(Array(s.unicodeScalars))")
        }
    }
}

@Test func csvRowsRoundTripRandomFields() throws {
    var random = SplitMix64(seed: 4)
    let cellPieces = ["a", "b", " ", "é", "\"", ",", "\n", "\r", "x y"]
    for _ in 0..<2_000 {
        let columns = 1 + random.below(5)
        var rows: [[String]] = []
        var text = ""
        for _ in 0..<(1 + random.below(6)) {
            var row: [String] = []
            var cells: [String] = []
            for _ in 0..<columns {
                let cell = random.text(from: cellPieces, maxLength: 6)
                let mustQuote = cell.contains(",") || cell.contains("\n") || cell.contains("\r") || cell.hasPrefix("\"")
                if mustQuote || random.below(3) == 0 {
                    cells.append("\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
                } else {
                    cells.append(cell)  // any quote in it is past the start: literal
                }
                row.append(cell)
            }
            // A row of one empty cell is a blank line, which the reader skips.
            if row == [""] { continue }
            rows.append(row)
            text += cells.joined(separator: ",") + "\n"
        }
        let parsed = try CSVReader.rows(of: Array(text.utf8))
        #expect(parsed.map(\.fields) == rows, "\(text.debugDescription)")
        #expect(parsed.allSatisfy { !$0.unterminatedQuote && !$0.invalidUTF8 })
    }
}
