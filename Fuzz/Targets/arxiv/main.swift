// seeds: Tests/Fixtures/bad-input/xml Tests/DivideSourcesTests/Fixtures/arxiv-oai/cs-fixture Tests/DivideSourcesTests/Fixtures/arxiv-oai/author-notes Fuzz/Seeds/empty
import DivideSources
import FuzzSupport

// The arXiv OAI-PMH page handler (SAX push parser), with the author-notes table the pipeline
// passes (make fuzz runs from the checkout's root), so the name/role check is fuzzed too.
guard let notes = try? ArxivAuthorNotes(path: "reference/arxiv-author-notes.tsv") else {
    fatalError("fuzz-arxiv: run from the checkout's root (reads reference/arxiv-author-notes.tsv)")
}
let parser = ArxivOAIParser(authorNotes: notes)

fuzz { bytes in
    _ = try parser.parse(bytes: bytes, displayName: "page.xml", emit: { _ in }, reject: { _, _, _ in })
}
