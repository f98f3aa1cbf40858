// seeds: Tests/Fixtures/bad-input/csv Tests/DivideSourcesTests/Fixtures/epoch Fuzz/Seeds/empty
import DivideCore
import DivideSources
import FuzzSupport

// CSVReader rows, then the Epoch table parser on the same bytes as a file.
fuzz { bytes in
    _ = try? CSVReader.rows(of: bytes)
    try fuzzFile(bytes, named: "table.csv") { path in
        _ = try EpochCSVParser().parse(path: path, displayName: "table.csv", emit: { _ in }, reject: { _, _, _ in })
    }
}
