import DivideCore

/// Whether a foundation-model paper develops foundation models or uses existing ones (`fm_role`).
public enum FMRole: String, CaseIterable, Sendable {
    case developing, using
}

/// Scores a foundation-model paper's title and abstract with the phrases of
/// `reference/fm-role-rules.tsv` (definitions and scoring in that file): each phrase found adds
/// its weight to its role, doubled in the title; the higher score wins, ties → `using`. Phrases
/// and texts are tokenized as the topic rules are (`ScannedText`: TextNormalizer's tokens,
/// lower-cased, `TextNormalizer.stem`), so a paper is tokenized once for topics, model mentions
/// and its role.
public struct FMRoleClassifier: Sendable {
    struct Rule: Sendable {
        let role: FMRole
        /// Hashes of the phrase's stemmed tokens, as in `ScannedText.stem`.
        let stems: [UInt64]
        let weight: Double
    }

    let rules: [Rule]
    public static let columns = ["role", "phrase", "weight"]

    public init(path: String) throws {
        try self.init(table: ReferenceTable(path: path, requiredColumns: FMRoleClassifier.columns))
    }

    public init(text: String, path: String = "fm-role-rules.tsv") throws {
        try self.init(table: ReferenceTable(text: text, path: path, requiredColumns: FMRoleClassifier.columns))
    }

    init(table: ReferenceTable) throws {
        let normalizer = TextNormalizer(keepsDecimalPoints: true)
        rules = try table.rows.map { row in
            guard let role = FMRole(rawValue: row["role"]) else {
                throw DivideError(file: table.path, location: "line \(row.line)", reason: "role must be developing or using, not '\(row["role"])'")
            }
            guard let weight = Double(row["weight"]), weight > 0 else {
                throw DivideError(file: table.path, location: "line \(row.line)", reason: "weight must be a positive number")
            }
            let stems = normalizer.lowercaseTokens(row["phrase"]).map { ScannedText.hash(TextNormalizer.stem($0)) }
            guard !stems.isEmpty else { throw DivideError(file: table.path, location: "line \(row.line)", reason: "empty phrase") }
            return Rule(role: role, stems: stems, weight: weight)
        }
    }

    public func scores(title: ScannedText, abstract: ScannedText) -> [FMRole: Double] {
        var score: [FMRole: Double] = [.developing: 0, .using: 0]
        for rule in rules {
            let hits = (SectorClassifier.contains(title.stem, rule.stems) ? 2 : 0) + (SectorClassifier.contains(abstract.stem, rule.stems) ? 1 : 0)
            score[rule.role, default: 0] += Double(hits) * rule.weight
        }
        return score
    }

    public func classify(title: ScannedText, abstract: ScannedText) -> FMRole {
        let s = scores(title: title, abstract: abstract)
        return s[.developing]! > s[.using]! ? .developing : .using
    }

    public func classify(title: String, abstract: String) -> FMRole {
        let normalizer = TextNormalizer(keepsDecimalPoints: true)
        return classify(title: ScannedText(title, normalizer: normalizer), abstract: ScannedText(abstract, normalizer: normalizer))
    }
}
