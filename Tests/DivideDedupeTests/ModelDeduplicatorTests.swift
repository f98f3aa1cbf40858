import DivideCore
@testable import DivideDedupe
import Testing

func model(_ name: String, file: String, line: Int, compute: Double? = nil, categories: [String] = [], date: String? = nil) -> ModelRecord {
    var m = ModelRecord(id: ModelRecord.identifier(forName: name), name: name)
    m.trainingComputeFLOP = compute
    m.organizationCategories = categories
    m.publicationDate = date
    m.provenance = [Provenance(file: file, line: line)]
    return m
}

@Test func notableTableWinsAndGapsAreFilledFromOlderTables() {
    let rows = [
        model("GPT-3 175B (davinci)", file: "all_ml_systems.2023-12-14.csv.gz", line: 9, compute: 3.1e23, categories: ["Industry"], date: "2020-05-28"),
        model("GPT-3  175B (Davinci)", file: "notable_ai_models.2026-01-26.csv.gz", line: 40, compute: 3.14e23),
        model("GPT-3 175B (davinci)", file: "all_ai_models.2025-08-07.csv.gz", line: 7, compute: 3.0e23, categories: ["Industry", "Academia"]),
        model("AlexNet", file: "all_ai_models.2025-03-11.csv.gz", line: 3),
    ]
    let (unique, merges) = ModelDeduplicator().deduplicate(rows)
    #expect(unique.count == 2)
    #expect(merges.count == 2)
    let gpt3 = unique.first { $0.id == "model:gpt-3 175b (davinci)" }!
    #expect(gpt3.trainingComputeFLOP == 3.14e23)  // from the notable table
    #expect(gpt3.organizationCategories == ["Industry", "Academia"])  // newest table that has it
    #expect(gpt3.publicationDate == "2020-05-28")  // only the 2023 table has it
    #expect(gpt3.provenance.map(\.file) == ["notable_ai_models.2026-01-26.csv.gz", "all_ai_models.2025-08-07.csv.gz", "all_ml_systems.2023-12-14.csv.gz"])
}

@Test func tableRankPrefersNotableThenNewerVintages() {
    let files = ["all_ml_systems.2023-12-14.csv.gz", "all_ai_models.2025-03-11.csv.gz", "frontier_ai_models.2026-02-01.csv.gz",
                 "all_ai_models.2025-08-07.csv.gz", "notable_ai_models.2026-01-26.csv.gz", "large_scale_ai_models.2026-02-01.csv.gz"]
    #expect(files.sorted { ModelDeduplicator.rank(ofTable: $0) < ModelDeduplicator.rank(ofTable: $1) } == [
        "notable_ai_models.2026-01-26.csv.gz", "large_scale_ai_models.2026-02-01.csv.gz", "frontier_ai_models.2026-02-01.csv.gz",
        "all_ai_models.2025-08-07.csv.gz", "all_ai_models.2025-03-11.csv.gz", "all_ml_systems.2023-12-14.csv.gz",
    ])
}

/// Tables of equal rank interleave by line, and equal lines keep their input order.
@Test func equalRankTablesOrderRowsByLineThenInput() {
    let rows = [
        model("X", file: "all_ai_models.2025-03-11.csv", line: 5, categories: ["Academia"]),
        model("X", file: "all_ai_models.2025-03-11.csv.gz", line: 2, compute: 1e20),
        model("X", file: "all_ai_models.2025-03-11.csv", line: 2, compute: 2e20),
    ]
    let (unique, merges) = ModelDeduplicator().deduplicate(rows)
    #expect(unique.count == 1)
    #expect(unique[0].trainingComputeFLOP == 1e20)
    #expect(unique[0].organizationCategories == ["Academia"])
    #expect(unique[0].provenance == [Provenance(file: "all_ai_models.2025-03-11.csv.gz", line: 2),
                                     Provenance(file: "all_ai_models.2025-03-11.csv", line: 2),
                                     Provenance(file: "all_ai_models.2025-03-11.csv", line: 5)])
    #expect(merges.map(\.mergedRow.line) == [2, 5])
}

@Test func permuteByCyclesEqualsMapping() {
    let records = (0..<50).map { model("m\($0)", file: "t.csv", line: $0) }
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<20 {
        let order = Array(records.indices).shuffled(using: &generator)
        var permuted = records
        ModelDeduplicator.permute(&permuted, into: order)
        #expect(permuted == order.map { records[$0] })
    }
}
