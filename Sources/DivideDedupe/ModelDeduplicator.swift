import DivideCore

/// Merges the rows of all Epoch tables into one record per model (same normalized name).
///
/// Tables are ranked: the notable-models table first, then large-scale, frontier, and the
/// all-models exports, newer vintages before older ones. A field takes the value of the
/// highest-ranked row that has one; `provenance` lists every row, highest-ranked first.
public struct ModelDeduplicator {
    public struct Merge: Equatable {
        public let kept: String
        public let mergedRow: Provenance
    }

    public init() {}

    /// Rank of a table by its file name (lower is preferred); unknown tables rank last.
    public static func rank(ofTable file: String) -> (Int, String) {
        let kinds = ["notable_ai_models", "large_scale_ai_models", "frontier_ai_models", "all_ai_models", "all_ml_systems"]
        let kind = kinds.firstIndex { file.hasPrefix($0) } ?? kinds.count
        // Newer vintage first: invert the date embedded in the name by sorting descending.
        let vintage = file.split(separator: ".").dropFirst().first.map(String.init) ?? ""
        return (kind, String(vintage.reversed().map { c -> Character in
            guard let d = c.wholeNumberValue else { return c }
            return Character(String(9 - d))
        }))
    }

    /// Deduplicates `records`; returns unique records sorted by id, and the merges made.
    public func deduplicate(_ records: [ModelRecord]) -> (unique: [ModelRecord], merges: [Merge]) {
        // Rank each table once, not inside the comparator (a few tables, many rows).
        var ranks: [String: (Int, String)] = [:]
        for file in Set(records.map { $0.provenance.first?.file ?? "" }) { ranks[file] = ModelDeduplicator.rank(ofTable: file) }
        let ordered = records.sorted { a, b in
            let ra = ranks[a.provenance.first?.file ?? ""]!, rb = ranks[b.provenance.first?.file ?? ""]!
            if ra != rb { return ra < rb }
            return (a.provenance.first?.line ?? 0) < (b.provenance.first?.line ?? 0)
        }
        var byID: [String: ModelRecord] = [:]
        var merges: [Merge] = []
        for record in ordered {
            guard var kept = byID[record.id] else {
                byID[record.id] = record
                continue
            }
            kept.fillGaps(from: record)
            merges.append(Merge(kept: kept.id, mergedRow: record.provenance.first ?? Provenance(file: "?", line: 0)))
            byID[record.id] = kept
        }
        return (byID.values.sorted { $0.id < $1.id }, merges)
    }
}

extension ModelRecord {
    /// Takes from `other` (a lower-ranked row of the same model) only what this record lacks.
    mutating func fillGaps(from other: ModelRecord) {
        if organizations.isEmpty { organizations = other.organizations }
        if organizationCategories.isEmpty { organizationCategories = other.organizationCategories }
        if publicationDate == nil { publicationDate = other.publicationDate }
        if domains.isEmpty { domains = other.domains }
        if tasks.isEmpty { tasks = other.tasks }
        if parameters == nil { parameters = other.parameters }
        if trainingComputeFLOP == nil { trainingComputeFLOP = other.trainingComputeFLOP }
        if notabilityCriteria.isEmpty { notabilityCriteria = other.notabilityCriteria }
        if accessibility == nil { accessibility = other.accessibility }
        if baseModel == nil { baseModel = other.baseModel }
        if countries.isEmpty { countries = other.countries }
        if reference == nil { reference = other.reference }
        if abstract == nil { abstract = other.abstract }
        if link == nil { link = other.link }
        provenance.append(contentsOf: other.provenance)
    }
}
