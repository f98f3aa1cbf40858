// seeds: Tests/Fixtures/bad-input/xml Tests/DivideSourcesTests/Fixtures/arxiv-oai/cs-fixture Fuzz/Seeds/empty
import DivideSources
import FuzzSupport

// The arXiv OAI-PMH page handler (SAX push parser).
fuzz { bytes in
    _ = try ArxivOAIParser().parse(bytes: bytes, displayName: "page.xml", emit: { _ in }, reject: { _, _, _ in })
}
