@testable import DivideClassify
import DivideStats
import Foundation
import Testing

// ModelSector searches ASCII categories on their bytes; the answer must be Foundation's.

@Test func sectorWordSearchMatchesFoundation() {
    var random = SplitMix64(seed: 5)
    func next() -> Int { Int(truncatingIfNeeded: random.next() >> 1) }
    let pieces = ["academia", "industry", "acad", "emia", "indus", "try", "a", "y", " ", ",", "é", "\u{301}", "İ", "research collective"]
    for _ in 0..<20_000 {
        let text = (0..<(next() % 5)).map { _ in pieces[next() % pieces.count] }.joined().lowercased()
        for word in ["academia", "industry"] {
            #expect(ModelSector.text(text, contains: word) == text.contains(word), "\(text.debugDescription) \(word)")
        }
    }
    #expect(ModelSector(organizationCategories: ["Academia", "Industry"]) == .collaboration)
    #expect(ModelSector(organizationCategories: ["Industry", "Research collective"]) == .other)
}
