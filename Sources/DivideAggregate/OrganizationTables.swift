import DivideClassify
import DivideCore
import Foundation

/// Which organizations train the models: per organization and year, the notable models, the
/// large-scale ones (both definitions) and the largest training compute. A model listed with
/// several organizations counts for each. An organization's sector comes from its own entry of
/// Epoch's `Organization categorization` (one entry per listed organization, same order).
public struct OrganizationTables {
    public let models: [ClassifiedModel]

    /// Notable models with a publication year, as in ModelTables.
    public init(models: [ClassifiedModel]) { self.models = models.filter { $0.notable && $0.model.year != nil } }

    struct Key: Hashable, Comparable {
        let organization: String, year: Int
        static func < (a: Key, b: Key) -> Bool { (a.organization, a.year) < (b.organization, b.year) }
    }

    /// The sector of the i-th listed organization of a model.
    static func sector(of model: ClassifiedModel, organization i: Int) -> Sector {
        let categories = model.model.organizationCategories
        if categories.count == model.model.organizations.count { return Sector(epochOrganizationCategories: [categories[i]]) }
        return model.model.organizations.count == 1 ? model.sector : .unknown
    }

    /// `organization,year,sector,notable_models,large_scale_1e23,large_scale_top_quartile,largest_training_compute_flop,largest_model`.
    public func organizationModelsByYear() -> Table {
        var table = Table(name: "organization_models_by_year",
                          columns: ["organization", "year", "sector", "notable_models", "large_scale_1e23", "large_scale_top_quartile",
                                    "largest_training_compute_flop", "largest_model"])
        var groups: [Key: [(model: ClassifiedModel, sector: Sector)]] = [:]
        for m in models {
            var seen = Set<String>()
            for (i, name) in m.model.organizations.enumerated() {
                let organization = name.trimmingCharacters(in: .whitespaces)
                guard !organization.isEmpty, seen.insert(organization).inserted else { continue }
                groups[Key(organization: organization, year: m.model.year!), default: []].append((m, OrganizationTables.sector(of: m, organization: i)))
            }
        }
        for key in groups.keys.sorted() {
            let members = groups[key]!
            // The organization's sector in that year: the most frequent among its entries.
            let sectors = Dictionary(grouping: members.map(\.sector), by: { $0 }).mapValues(\.count)
            let sector = sectors.max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }!.key
            let largest = members.filter { $0.model.model.trainingComputeFLOP != nil }
                .max { $0.model.model.trainingComputeFLOP! < $1.model.model.trainingComputeFLOP! }?.model
            table.append([.string(key.organization), .int(key.year), .string(sector.rawValue), .int(members.count),
                          .int(members.filter { $0.model.isLargeScale(.absolute1e23) }.count),
                          .int(members.filter { $0.model.isLargeScale(.topQuartile) }.count),
                          largest?.model.trainingComputeFLOP.map(JSONValue.double) ?? .null,
                          largest.map { .string($0.model.name) } ?? .null],
                         recordIDs: members.map(\.model.model.id))
        }
        return table
    }

    public var tableBuilders: [() -> Table] { [organizationModelsByYear] }
}
