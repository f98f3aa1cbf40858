import DivideCore
import DivideStats
@testable import DivideSources
import Foundation
import Testing

// `parse epoch` decides ASCII cells on their bytes (trimming, list splitting, the model key) and
// copies CSV runs in bulk: known answers for ASCII, Unicode whitespace and combining marks.

private extension SplitMix64 {
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func text(from pieces: [String], maxLength: Int) -> String {
        (0..<below(maxLength + 1)).map { _ in pieces[below(pieces.count)] }.joined()
    }
}

@Test func trimmingWhitespaceKnownAnswers() {
    let cases: [(String, String)] = [
        ("", ""), ("   ", ""), ("a", "a"), (" a ", "a"), ("\t\na b\r\n", "a b"), ("\u{0B}\u{0C}Q\u{0C}", "Q"),
        ("\u{A0}é\u{2003}", "é"), ("\u{85}x\u{3000}", "x"), ("e\u{301} ", "e\u{301}"), (" \u{301}", "\u{301}"),
        ("日本 ", "日本"), ("\u{200B}x", "\u{200B}x"), (" İß ", "İß"), ("\r\n", ""),
        (" " + String(repeating: "y", count: 10_000) + " ", String(repeating: "y", count: 10_000)),
    ]
    for (input, expected) in cases {
        #expect(input.trimmingWhitespace == expected, "\(Array(input.unicodeScalars))")
    }
}

@Test func listItemsKnownAnswers() {
    let cases: [(String, [String])] = [
        ("", []), ("a", ["a"]), ("a, b ,c", ["a", "b", "c"]), (" , ,", []), ("x,,y", ["x", "y"]), ("\r\n,z", ["z"]),
        ("Google DeepMind,OpenAI", ["Google DeepMind", "OpenAI"]), ("a\"b,(c)", ["a\"b", "(c)"]),
        ("é ,\u{A0}日\u{2003},", ["é", "日"]), ("e\u{301}, \u{85}", ["e\u{301}"]),
    ]
    for (input, expected) in cases {
        #expect(EpochCSVParser.listItems(input) == expected, "\(Array(input.unicodeScalars))")
    }
}

@Test func modelIdentifierKnownAnswers() {
    let cases: [(String, String)] = [
        ("GPT-4", "model:gpt-4"), ("  Big   Model\t2 ", "model:big model 2"), ("", "model:"), ("\n", "model:"),
        ("ÉLAN  Model", "model:élan model"), ("Straße\u{A0}LM", "model:straße lm"), ("日本 GPT\u{3000}", "model:日本 gpt"),
    ]
    for (input, expected) in cases {
        #expect(ModelRecord.identifier(forName: input) == expected, "\(Array(input.unicodeScalars))")
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
