@testable import DivideClassify
import Foundation
import Testing

// ModelSector searches ASCII categories on their bytes; the answer must be Foundation's.

@Test func sectorWordSearchMatchesFoundation() {
    var state: UInt64 = 5
    func next() -> Int {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return Int(truncatingIfNeeded: (z ^ (z >> 31)) >> 1)
    }
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
