// seeds: Tests/DivideSourcesTests/Fixtures/paperlists/cvpr Tests/DivideSourcesTests/Fixtures/paperlists/iclr Tests/DivideSourcesTests/Fixtures/paperlists/acl Tests/DivideSourcesTests/Fixtures/paperlists/coling Fuzz/Seeds/empty
import DivideSources
import FuzzSupport

// The paper-list parser (layout detection, per-author and unique affiliation lists).
fuzz { bytes in
    _ = try PaperListParser().parse(reading: { bytes }, displayName: "cvpr/cvpr2023.json", emit: { _ in }, reject: { _, _, _ in })
}
