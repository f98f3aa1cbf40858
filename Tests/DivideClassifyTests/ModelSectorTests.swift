import DivideClassify
import DivideCore
import Testing

@Test func sectorRulesFollowTheCategorizationSet() {
    #expect(Sector(epochOrganizationCategories: ["Academia"]) == .academia)
    #expect(Sector(epochOrganizationCategories: ["Academia", "Academia"]) == .academia)
    #expect(Sector(epochOrganizationCategories: ["Industry"]) == .industry)
    #expect(Sector(epochOrganizationCategories: ["Industry", "Academia"]) == .collaboration)
    #expect(Sector(epochOrganizationCategories: ["Industry", "Academia", "Government"]) == .collaboration)
    #expect(Sector(epochOrganizationCategories: ["Industry - Academia Collaboration (Industry leaning)"]) == .collaboration)
    #expect(Sector(epochOrganizationCategories: []) == .unknown)
    #expect(Sector(epochOrganizationCategories: ["Government"]) == .other)
    #expect(Sector(epochOrganizationCategories: ["Research collective"]) == .other)
    #expect(Sector(epochOrganizationCategories: ["Academia", "Government"]) == .other)
    // Case and surrounding words do not matter; the word must be there whole.
    #expect(Sector(epochOrganizationCategories: ["ACADEMIA"]) == .academia)
    #expect(Sector(epochOrganizationCategories: ["Academia (university lab)", "industry"]) == .collaboration)
    #expect(Sector(epochOrganizationCategories: ["Acad", "Indus"]) == .other)
    // Non-ASCII text takes the general search.
    #expect(Sector(epochOrganizationCategories: ["Académie"]) == .other)
    #expect(Sector(epochOrganizationCategories: ["Industry – Academia Collaboration"]) == .collaboration)
}

@Test func sectorSetsRoundTripThroughTheirField() throws {
    #expect(Sector.joined([]) == "unknown")
    #expect(Sector.joined([.academia, .industry]) == "academia+industry")
    #expect(Sector.split("academia+industry") == [.academia, .industry])
    #expect(Sector.split("unknown") == [])
    #expect(try Sector.parseSet("industry + academia", file: "t.tsv", line: 3) == [.academia, .industry])
    // A group's sector is not an organization's.
    #expect(throws: DivideError.self) { try Sector.parseSet("collaboration", file: "t.tsv", line: 3) }
}

func notable(_ name: String, year: Int, compute: Double?, criteria: [String] = ["Highly cited"]) -> ModelRecord {
    var m = ModelRecord(id: ModelRecord.identifier(forName: name), name: name)
    m.publicationDate = "\(year)-06-01"
    m.trainingComputeFLOP = compute
    m.notabilityCriteria = criteria
    m.provenance = [Provenance(file: "notable_ai_models.2026-01-26.csv.gz", line: 2)]
    return m
}

@Test func largeScaleFlagsAndNotabilityFilter() {
    let models = [
        notable("a", year: 2021, compute: 1e20), notable("b", year: 2021, compute: 2e20),
        notable("c", year: 2021, compute: 3e20), notable("d", year: 2021, compute: 5e23, criteria: ["Training cost"]),
        notable("e", year: 2021, compute: nil, criteria: ["Significant use", "SOTA improvement"]),
    ]
    let classified = Dictionary(uniqueKeysWithValues: ModelClassifier().classify(models).map { ($0.model.name, $0) })
    // Q3 of [1e20, 2e20, 3e20, 5e23] by linear interpolation = 3e20 + 0.25 * (5e23 - 3e20)
    #expect(classified["c"]!.largeScaleTopQuartile == false)
    #expect(classified["d"]!.largeScaleTopQuartile == true)
    #expect(classified["d"]!.largeScale1e23 == true)
    #expect(classified["c"]!.largeScale1e23 == false)
    #expect(classified["e"]!.largeScaleTopQuartile == false)
    #expect(classified["d"]!.passesNotabilityFilter == false)
    #expect(classified["e"]!.passesNotabilityFilter == true)
    #expect(classified.values.allSatisfy { $0.notable })
}
