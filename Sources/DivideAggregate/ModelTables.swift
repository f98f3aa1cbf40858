import DivideClassify
import Foundation
import DivideCore
import DivideStats

/// The model-level compute divide: who trains notable models, and how fast their compute grows.
public struct ModelTables {
    public static let sectorOrder = Sector.modelSectors
    /// Regressions start here: the deep-learning era in which the paper fits compute trends.
    public static let trendStart = "2010-01-01"
    /// "all" models, then each of these sectors.
    public static let trendSectors = ["all"] + [Sector.industry, .academia, .collaboration].map(\.rawValue)

    /// The study's population: notable models with a publication year.
    public let models: [ClassifiedModel]
    /// Every classified model (all Epoch tables), for base-model lineage.
    public let allModels: [ClassifiedModel]

    public init(models: [ClassifiedModel]) {
        self.models = models.filter { $0.notable && $0.model.year != nil }
        allModels = models
    }

    private func population(filtered: Bool) -> [ClassifiedModel] {
        filtered ? models.filter(\.passesNotabilityFilter) : models
    }

    /// `year,sector,models,share,ci_low,ci_high`: each sector's share of the year's notable
    /// models (denominator: all of that year's notable models, unknown sector included).
    public func sectorShares(filtered: Bool) -> Table {
        var table = Table(name: filtered ? "model_sector_shares_filtered" : "model_sector_shares",
                          columns: ["year", "sector", "models", "share", "ci_low", "ci_high"])
        for (year, group) in Dictionary(grouping: population(filtered: filtered), by: { $0.model.year! }).sorted(by: { $0.key < $1.key }) {
            ModelTables.appendShares(to: &table, prefix: [.int(year)], group: group)
        }
        return table
    }

    /// `year,definition,sector,models,share,ci_low,ci_high`: the same among large-scale models.
    public func largeScaleShares(filtered: Bool) -> Table {
        var table = Table(name: filtered ? "large_scale_sector_shares_filtered" : "large_scale_sector_shares",
                          columns: ["year", "definition", "sector", "models", "share", "ci_low", "ci_high"])
        let byYear = Dictionary(grouping: population(filtered: filtered), by: { $0.model.year! })
        for (year, group) in byYear.sorted(by: { $0.key < $1.key }) {
            for definition in LargeScaleDefinition.allCases {
                let large = group.filter { $0.isLargeScale(definition) }
                if large.isEmpty { continue }
                ModelTables.appendShares(to: &table, prefix: [.int(year), .string(definition.rawValue)], group: large)
            }
        }
        return table
    }

    static func appendShares(to table: inout Table, prefix: [JSONValue], group: [ClassifiedModel]) {
        for sector in sectorOrder {
            let members = group.filter { $0.sector == sector }
            let ci = WilsonInterval(successes: members.count, trials: group.count)
            table.append(prefix + [.string(sector.rawValue), .int(members.count), rounded(ci.share, 4),
                                   rounded(ci.low, 4), rounded(ci.high, 4)],
                         recordIDs: members.map(\.model.id))
        }
    }

    /// `sector,from_year,n,doublings_per_year,doubling_months,ci_low_months,ci_high_months`:
    /// OLS of log2(training FLOP) on fractional publication year, notable models with known
    /// compute published on or after 2010-01-01; 90% percentile-bootstrap interval (2,000
    /// resamples, fixed seed). Months = 12 / slope, so the slope's upper bound gives the lower
    /// bound in months.
    public func computeTrends() -> Table {
        var table = Table(name: "compute_trends",
                          columns: ["sector", "from_year", "n", "doublings_per_year", "doubling_months", "ci_low_months", "ci_high_months"])
        let eligible = models.filter {
            ($0.model.trainingComputeFLOP ?? 0) > 0 && ($0.model.publicationDate ?? "") >= ModelTables.trendStart
        }
        for sector in ModelTables.trendSectors {
            let group = sector == "all" ? eligible : eligible.filter { $0.sector.rawValue == sector }
            let x = group.map { $0.model.fractionalYear! }
            let y = group.map { log2($0.model.trainingComputeFLOP!) }
            let ids = group.map(\.model.id)
            guard let fit = LinearRegression(x: x, y: y) else {
                table.append([.string(sector), .int(2010), .int(group.count), .null, .null, .null, .null], recordIDs: ids)
                continue
            }
            let boot = BootstrapSlopeInterval(x: x, y: y)
            func months(_ slope: Double?) -> JSONValue {
                guard let slope, slope > 0 else { return .null }
                return rounded(12 / slope, 2)
            }
            table.append([.string(sector), .int(2010), .int(group.count), rounded(fit.slope, 3), months(fit.slope),
                          months(boot?.high), months(boot?.low)], recordIDs: ids)
        }
        return table
    }

    /// `year,sector,with_base_model,industry_open_base,share,ci_low,ci_high`: models of every
    /// Epoch table (with a year) that name a base model found in the tables, by the fine-tuned
    /// model's sector; share of those built on an industry-developed open-weights base model.
    public func openBaseModelLineage() -> Table {
        var table = Table(name: "open_base_model_lineage",
                          columns: ["year", "sector", "with_base_model", "industry_open_base", "share", "ci_low", "ci_high"])
        let byID = Dictionary(allModels.map { ($0.model.id, $0) }, uniquingKeysWith: { a, _ in a })
        var derived: [(model: ClassifiedModel, bases: [ClassifiedModel])] = []
        for m in allModels where m.model.year != nil {
            let names = (m.model.baseModel ?? "").split(separator: ",").map { String($0) }
            let bases = names.compactMap { byID[ModelRecord.identifier(forName: $0)] }
            if !bases.isEmpty { derived.append((m, bases)) }
        }
        let byYear = Dictionary(grouping: derived) { $0.model.model.year! }
        for (year, group) in byYear.sorted(by: { $0.key < $1.key }) {
            for sector in ModelTables.sectorOrder {
                let members = group.filter { $0.model.sector == sector }
                if members.isEmpty { continue }
                let open = members.filter { $0.bases.contains { $0.sector == .industry && ModelAccessibility.isOpenWeights($0.model.accessibility) } }
                let ci = WilsonInterval(successes: open.count, trials: members.count)
                table.append([.int(year), .string(sector.rawValue), .int(members.count), .int(open.count),
                              rounded(ci.share, 4), rounded(ci.low, 4), rounded(ci.high, 4)],
                             recordIDs: open.map(\.model.model.id))
            }
        }
        return table
    }

    /// Every table, each built when asked for (see `writeTables`).
    public var tableBuilders: [() -> Table] {
        [{ sectorShares(filtered: false) }, { sectorShares(filtered: true) },
         { largeScaleShares(filtered: false) }, { largeScaleShares(filtered: true) }, computeTrends, openBaseModelLineage]
    }
}
