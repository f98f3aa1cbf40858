// seeds: Tests/DivideSourcesTests/Fixtures/openalex Fuzz/Seeds/empty
import DivideSources
import FuzzSupport

// The OpenAlex works parser (list responses and single works).
fuzz { bytes in
    try fuzzFile(bytes, named: "works.json") { path in
        _ = try OpenAlexWorksParser().parse(path: path, displayName: "works.json", emit: { _ in }, reject: { _, _ in })
    }
}
