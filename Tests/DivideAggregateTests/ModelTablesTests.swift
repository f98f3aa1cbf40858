import DivideAggregate
import DivideClassify
import DivideCore
import Testing

func classified(_ name: String, year: Int, sector: Sector, compute: Double? = nil, date: String? = nil) -> ClassifiedModel {
    var m = ModelRecord(id: "model:" + name, name: name)
    m.publicationDate = date ?? "\(year)-07-01"
    m.trainingComputeFLOP = compute
    m.provenance = [Provenance(file: "notable_ai_models.x.csv.gz", line: 1)]
    return ClassifiedModel(model: m, sector: sector, notable: true, passesNotabilityFilter: sector != .other,
                           largeScale1e23: (compute ?? 0) >= 1e23, largeScaleTopQuartile: (compute ?? 0) >= 1e22)
}

@Test func sectorSharesCountEverySectorAgainstTheYearTotal() {
    let models = [
        classified("a1", year: 2015, sector: .academia), classified("a2", year: 2015, sector: .academia),
        classified("i1", year: 2015, sector: .industry), classified("u1", year: 2015, sector: .unknown),
        classified("i2", year: 2016, sector: .industry),
    ]
    let table = ModelTables(models: models).sectorShares(filtered: false)
    #expect(table.columns == ["year", "sector", "models", "share", "ci_low", "ci_high"])
    #expect(table.rows.count == 10)  // 2 years × 5 sectors, zero rows included
    let academia2015 = table.rows[0]
    #expect(academia2015[0] == .int(2015) && academia2015[1] == .string("academia") && academia2015[2] == .int(2))
    #expect(academia2015[3] == .double(0.5))
    // Wilson 95% for 2 of 4: 0.1500 to 0.8500
    #expect(academia2015[4] == .double(0.15) && academia2015[5] == .double(0.85))
    #expect(table.recordIDs[0] == ["model:a1", "model:a2"])
    let totals = Dictionary(grouping: table.rows, by: { $0[0].intValue! }).mapValues { $0.reduce(0) { $0 + $1[2].intValue! } }
    #expect(totals == [2015: 4, 2016: 1])
}

@Test func filteredViewDropsWeakCriteriaModels() {
    let models = [classified("a", year: 2020, sector: .academia), classified("o", year: 2020, sector: .other)]
    #expect(ModelTables(models: models).sectorShares(filtered: true).rows.map { $0[2] }.contains(.int(1)))
    #expect(ModelTables(models: models).sectorShares(filtered: true).rows.reduce(0) { $0 + $1[2].intValue! } == 1)
}

@Test func computeTrendRecoversAKnownDoublingTime() {
    // Compute doubles every 6 months exactly: log2 FLOP = 2 × (year − 2010) + 60.
    var models: [ClassifiedModel] = []
    for (i, year) in (2010...2020).enumerated() {
        models.append(classified("m\(i)", year: year, sector: .industry, compute: Double.pow2(2 * Double(year - 2010) + 60), date: "\(year)-01-01"))
    }
    let trends = ModelTables(models: models).computeTrends()
    let all = trends.rows.first { $0[0] == .string("all") }!
    #expect(all[2] == .int(11))
    #expect(abs(all[3].doubleValue! - 2.0) < 0.01)
    #expect(abs(all[4].doubleValue! - 6.0) < 0.05)
    let academia = trends.rows.first { $0[0] == .string("academia") }!
    #expect(academia[2] == .int(0) && academia[4] == .null)
}

extension Double {
    static func pow2(_ e: Double) -> Double { Foundation_exp2(e) }
}

import Foundation
func Foundation_exp2(_ e: Double) -> Double { exp2(e) }
