import DivideCore
@testable import DivideDedupe
import Testing

/// 20,000 records of one paper whose first author has a different affiliation in each: the
/// merged author keeps every affiliation once, in member order (this shape was quadratic).
@Test func largeClusterMergesEveryAffiliationOnce() {
    let members = (0..<20_000).map { i -> PaperRecord in
        var record = PaperRecord(id: "paperlists:x2020:\(i)", source: "paperlists", title: "One Title")
        var author = PaperAuthor(name: "Ann Ray")
        author.affiliations = ["Lab \(i)", "Shared University"]
        record.authors = [author]
        return record
    }
    let merged = PaperDeduplicator.combine(members)
    #expect(merged.sources.count == 20_000)
    #expect(merged.authors.count == 1)
    #expect(merged.authors[0].affiliations.count == 20_001)
    #expect(merged.authors[0].affiliations.prefix(3) == ["Lab 0", "Shared University", "Lab 1"])
    #expect(merged.authors[0].affiliations.last == "Lab 19999")
}
