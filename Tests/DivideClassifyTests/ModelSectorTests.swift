import DivideClassify
import DivideCore
import Testing

@Test func sectorRulesFollowTheCategorizationSet() {
    #expect(ModelSector(organizationCategories: ["Academia"]) == .academia)
    #expect(ModelSector(organizationCategories: ["Academia", "Academia"]) == .academia)
    #expect(ModelSector(organizationCategories: ["Industry"]) == .industry)
    #expect(ModelSector(organizationCategories: ["Industry", "Academia"]) == .collaboration)
    #expect(ModelSector(organizationCategories: ["Industry", "Academia", "Government"]) == .collaboration)
    #expect(ModelSector(organizationCategories: ["Industry - Academia Collaboration (Industry leaning)"]) == .collaboration)
    #expect(ModelSector(organizationCategories: []) == .unknown)
    #expect(ModelSector(organizationCategories: ["Government"]) == .other)
    #expect(ModelSector(organizationCategories: ["Research collective"]) == .other)
    #expect(ModelSector(organizationCategories: ["Academia", "Government"]) == .other)
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
