@testable import DivideDedupe
import Testing

/// Numbers follow first insertion, lookups find exactly what was inserted, and a hash that makes
/// every string collide changes nothing (the bytes decide, never the hash).
@Test(arguments: [UInt32.max, 0])
func internTableNumbersStringsInInsertionOrder(hashMask: UInt32) {
    var table = InternTable(hashMask: hashMask)
    let words = (0..<500).map { "w\($0 * 7919 % 500)" } + ["", "é", "e\u{301}"]
    for (n, word) in words.enumerated() {
        #expect(table.insert(word) == (n, true))
    }
    #expect(table.count == words.count)
    for (n, word) in words.enumerated() {
        #expect(table.insert(word) == (n, false))
        #expect(table.find(word) == n)
        #expect(table.string(n) == word)
    }
    #expect(table.find("w500") == nil)
    #expect(table.find("w") == nil)
    // Byte strings, not Swift's canonical equivalence: "é" precomposed and decomposed are two.
    #expect(table.find("é") != table.find("e\u{301}"))
    let bytes: [UInt8] = Array("w42".utf8)
    #expect(bytes.withUnsafeBufferPointer { table.find($0) } == table.find("w42"))
}
