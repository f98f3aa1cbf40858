import DivideCore
import DivideSources
import Foundation
import Testing

/// arXiv author fields whose parentheses hold a name or a role are not affiliations (issue 16):
/// the fixture is an OAI-PMH ListRecords page in arXiv's format, read with the curated notes.
@Suite struct ArxivAuthorNotesTests {
    static let notesPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../reference/arxiv-author-notes.tsv").standardized.path

    func parse(notes: ArxivAuthorNotes) throws -> ([PaperRecord], ArxivOAIParser.PageResult) {
        var records: [PaperRecord] = []
        let page = try ArxivOAIParser(authorNotes: notes).parse(
            path: fixtures + "/arxiv-oai/author-notes/page-001.xml", displayName: "page-001.xml",
            emit: { records.append($0) }, reject: { _, reason, _ in Issue.record("unexpected reject: \(reason)") })
        return (records, page)
    }

    @Test func namesAndRolesAreCountedNotKept() throws {
        let (records, page) = try parse(notes: try ArxivAuthorNotes(path: Self.notesPath))
        #expect(records.count == 2)
        let affiliations = records.flatMap { $0.authors.flatMap(\.affiliations) }
        for note in ["Shitz", "Sherman", "Gene", "Amy", "Senior Member, IEEE", "Editors"] {
            #expect(!affiliations.contains(note), "\(note) kept as an affiliation")
        }
        // Real affiliations beside a nickname, and ones that only contain a role word, stay.
        #expect(records[0].authors[2].affiliations == ["University of Waterloo"])
        #expect(affiliations.contains("Google"))
        #expect(affiliations.contains("IEEE Computer Society"))
        #expect(page.authorNotes[.name] == 5)  // Shitz ×2, Sherman, Gene, Amy
        #expect(page.authorNotes[.role] == 2)  // Senior Member, IEEE; Editors
    }

    @Test func withoutNotesEveryFieldIsAnAffiliation() throws {
        let (records, page) = try parse(notes: ArxivAuthorNotes())
        #expect(records.flatMap { $0.authors.flatMap(\.affiliations) }.contains("Shitz"))
        #expect(page.authorNotes.isEmpty)
    }

    @Test func aBadRowNamesItsLine() {
        #expect(throws: DivideError.self) {
            try ArxivAuthorNotes(text: "kind\tpattern\tnote\nnickname\tShitz\t\n", path: "notes.tsv")
        }
        let notes = try? ArxivAuthorNotes(text: "# c\nkind\tpattern\tnote\nname\tShitz\t\nrole\tmember\t\nrole\tieee\t\n", path: "notes.tsv")
        #expect(notes?.kind(of: " shitz ") == .name)
        #expect(notes?.kind(of: "Member, IEEE") == .role)
        #expect(notes?.kind(of: "IEEE Signal Processing Society") == nil)
    }
}
