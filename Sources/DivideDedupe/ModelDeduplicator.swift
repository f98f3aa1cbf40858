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
        // Rows in table rank order, then line, then input order. Each table's rank is computed
        // once and stands for its place among the tables' ranks (a few tables, many rows), and
        // row numbers are sorted, not the records (large structs, each move retains their fields).
        let tableOf = records.map { $0.provenance.first?.file ?? "" }
        let ranks = Set(tableOf).map { (table: $0, rank: ModelDeduplicator.rank(ofTable: $0)) }.sorted { $0.rank < $1.rank }
        var place: [String: Int] = [:]
        for (i, table) in ranks.enumerated() {
            place[table.table] = i > 0 && ranks[i - 1].rank == table.rank ? place[ranks[i - 1].table]! : i
        }
        let keys = records.indices.map { (place[tableOf[$0]]!, records[$0].provenance.first?.line ?? 0, $0) }
        let ordered = records.indices.sorted { keys[$0] < keys[$1] }
        var unique: [ModelRecord] = []
        var uniqueIndex: [String: Int] = [:]
        var merges: [Merge] = []
        for i in ordered {
            guard let k = uniqueIndex[records[i].id] else {
                uniqueIndex[records[i].id] = unique.count
                unique.append(records[i])
                continue
            }
            unique[k].fillGaps(from: records[i])
            merges.append(Merge(kept: records[i].id, mergedRow: records[i].provenance.first ?? Provenance(file: "?", line: 0)))
        }
        ModelDeduplicator.permute(&unique, into: unique.indices.sorted { unique[$0].id < unique[$1].id })
        return (unique, merges)
    }

    /// Reorders `records` so that position k holds the record that was at `order[k]`, by swaps
    /// (a swap moves two records; a copy would retain every field of one).
    static func permute(_ records: inout [ModelRecord], into order: [Int]) {
        var placed = [Bool](repeating: false, count: records.count)
        for start in records.indices where !placed[start] {
            // Follow the cycle through `start`: each swap puts one record in its place and carries
            // the record that was at `start` along to the cycle's last position.
            var k = start
            placed[k] = true
            while order[k] != start {
                records.swapAt(k, order[k])
                k = order[k]
                placed[k] = true
            }
        }
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
