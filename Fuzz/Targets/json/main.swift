// seeds: Tests/Fixtures/bad-input/json Tests/DivideSourcesTests/Fixtures/openalex Fuzz/Seeds/empty
import DivideCore
import FuzzSupport

// JSONParser: whole documents, and top-level arrays one element at a time (paper lists).
fuzz { bytes in
    _ = try? JSONParser.parse(bytes)
    _ = try JSONParser.forEachElement(ofArray: bytes, maxElementBytes: 1 << 12) { _, _, _ in }
}
