import DivideCore
import DivideStats

extension Sector {
    /// The sectors a model's developers can have (`init(epochOrganizationCategories:)`).
    public static let modelSectors: [Sector] = [.academia, .industry, .collaboration, .other, .unknown]

    /// Sector of a model's developers, from Epoch's `Organization categorization` (one entry per
    /// listed organization):
    /// - only `Academia` → academia; only `Industry` → industry;
    /// - both `Academia` and `Industry` (with or without others) → collaboration;
    /// - none listed → unknown; anything else (Government, Research collective, their mixes) → other.
    /// The 2023 export's combined entries ("Industry - Academia Collaboration (Industry leaning)")
    /// count as both Academia and Industry.
    public init(epochOrganizationCategories organizationCategories: [String]) {
        var hasAcademia = false, hasIndustry = false, hasOther = false
        for entry in organizationCategories {
            let e = entry.lowercased()
            let academia = Sector.text(e, contains: Sector.academia.rawValue)
            let industry = Sector.text(e, contains: Sector.industry.rawValue)
            if academia { hasAcademia = true }
            if industry { hasIndustry = true }
            if !academia && !industry && !e.isEmpty { hasOther = true }
        }
        switch (hasAcademia, hasIndustry) {
        case (true, true): self = .collaboration
        case (true, false): self = hasOther ? .other : .academia
        case (false, true): self = hasOther ? .other : .industry
        case (false, false): self = hasOther ? .other : .unknown
        }
    }

    /// `text.contains(word)` for an ASCII `word`. An ASCII text (every Epoch category) is
    /// searched on its bytes.
    static func text(_ text: String, contains word: String) -> Bool {
        let found = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            let pattern = Array(word.utf8)
            guard pattern.count <= bytes.count else { return pattern.isEmpty }
            return (0...(bytes.count - pattern.count)).contains { start in
                pattern.indices.allSatisfy { bytes[start + $0] == pattern[$0] }
            }
        }
        if let found = found ?? nil { return found }
        return text.contains(word)
    }
}

/// Large-scale definitions: an absolute threshold, and the top quartile of its year.
public enum LargeScaleDefinition: String, CaseIterable, Sendable {
    /// Training compute ≥ 1e23 FLOP (Epoch's large-scale table uses the same bar).
    case absolute1e23 = "1e23"
    /// Training compute ≥ the 75th percentile (linear interpolation between order statistics,
    /// as numpy's default) of the same publication year's notable models with known compute.
    case topQuartile = "top-quartile"
}

/// Epoch notability criteria that on their own do not make a model notable in the paper's
/// filtered view (the paper keeps models notable for citations, state of the art or
/// historical significance).
public let weakNotabilityCriteria: Set<String> = ["Significant use", "Training cost", "Discretionary"]

/// A deduplicated model with the classifications the aggregates need.
public struct ClassifiedModel: JSONRecord, Equatable {
    public var model: ModelRecord
    /// One of `Sector.modelSectors`.
    public var sector: Sector
    /// Listed in Epoch's notable-models table (the study's population).
    public var notable: Bool
    /// False when every notability criterion is one of `weakNotabilityCriteria`.
    public var passesNotabilityFilter: Bool
    public var largeScale1e23: Bool
    public var largeScaleTopQuartile: Bool

    public init(model: ModelRecord, sector: Sector, notable: Bool, passesNotabilityFilter: Bool,
                largeScale1e23: Bool, largeScaleTopQuartile: Bool) {
        self.model = model
        self.sector = sector
        self.notable = notable
        self.passesNotabilityFilter = passesNotabilityFilter
        self.largeScale1e23 = largeScale1e23
        self.largeScaleTopQuartile = largeScaleTopQuartile
    }

    public func isLargeScale(_ definition: LargeScaleDefinition) -> Bool {
        switch definition {
        case .absolute1e23: return largeScale1e23
        case .topQuartile: return largeScaleTopQuartile
        }
    }

    public var json: JSONValue {
        guard case var .object(pairs) = model.json else { return model.json }
        pairs.append(contentsOf: [
            ("sector", .string(sector.rawValue)),
            ("notable", .bool(notable)),
            ("passes_notability_filter", .bool(passesNotabilityFilter)),
            ("large_scale_1e23", .bool(largeScale1e23)),
            ("large_scale_top_quartile", .bool(largeScaleTopQuartile)),
        ])
        return .object(pairs)
    }

    public init(json: JSONValue) throws {
        model = try ModelRecord(json: json)
        guard let s = json["sector"]?.stringValue, let sector = Sector(rawValue: s), Sector.modelSectors.contains(sector) else {
            throw RecordFieldError(field: "sector", expected: "one of \(Sector.modelSectors.map(\.rawValue))")
        }
        self.sector = sector
        notable = json["notable"]?.boolValue ?? false
        passesNotabilityFilter = json["passes_notability_filter"]?.boolValue ?? false
        largeScale1e23 = json["large_scale_1e23"]?.boolValue ?? false
        largeScaleTopQuartile = json["large_scale_top_quartile"]?.boolValue ?? false
    }
}

/// Classifies the deduplicated models: sector, notability, the two large-scale flags.
public struct ModelClassifier {
    public static let absoluteThresholdFLOP = 1e23

    public init() {}

    public static func isNotable(_ model: ModelRecord) -> Bool {
        model.provenance.contains { $0.file.hasPrefix("notable_ai_models") }
    }

    public static func passesNotabilityFilter(_ model: ModelRecord) -> Bool {
        model.notabilityCriteria.isEmpty || !model.notabilityCriteria.allSatisfy(weakNotabilityCriteria.contains)
    }

    public func classify(_ models: [ModelRecord]) -> [ClassifiedModel] {
        var classified: [ClassifiedModel] = []
        classified.reserveCapacity(models.count)
        classify(models) { classified.append($0) }
        return classified
    }

    /// Hands each model, classified, to `body` in input order, without collecting them: the
    /// classify stage writes each as it comes (the top-quartile thresholds need every model
    /// first, the rest does not).
    public func classify(_ models: [ModelRecord], each body: (ClassifiedModel) throws -> Void) rethrows {
        var computeByYear: [Int: [Double]] = [:]
        for m in models where ModelClassifier.isNotable(m) {
            if let y = m.year, let c = m.trainingComputeFLOP { computeByYear[y, default: []].append(c) }
        }
        let thresholds = computeByYear.mapValues { Quantile.linear($0, 0.75) }
        for m in models {
            let compute = m.trainingComputeFLOP
            let q3 = m.year.flatMap { thresholds[$0] }
            try body(ClassifiedModel(
                model: m,
                sector: Sector(epochOrganizationCategories: m.organizationCategories),
                notable: ModelClassifier.isNotable(m),
                passesNotabilityFilter: ModelClassifier.passesNotabilityFilter(m),
                largeScale1e23: (compute ?? 0) >= ModelClassifier.absoluteThresholdFLOP,
                largeScaleTopQuartile: compute != nil && q3 != nil && compute! >= q3!))
        }
    }
}

/// Epoch's `Model accessibility` values that mean anyone can download the weights.
public enum ModelAccessibility {
    public static func isOpenWeights(_ accessibility: String?) -> Bool {
        guard let a = accessibility?.lowercased() else { return false }
        return a.hasPrefix("open weights") || a == "fully open-source" || a == "permissive license"
    }
}
