import DivideCore

/// Whether a foundation-model paper develops foundation models or uses existing ones (`fm_role`).
public enum FMRole: String, CaseIterable, Sendable {
    case developing, using
}

/// Scores a foundation-model paper's title and abstract with the phrases of
/// `reference/fm-role-rules.tsv` (definitions and scoring in that file): each phrase found adds
/// its weight to its role, doubled in the title; the higher score wins, ties → `using`.
public struct FMRoleClassifier: Sendable {
    struct Rule: Sendable {
        let role: FMRole
        let tokens: [String]
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
        rules = try table.rows.map { row in
            guard let role = FMRole(rawValue: row["role"]) else {
                throw DivideError(file: table.path, location: "line \(row.line)", reason: "role must be developing or using, not '\(row["role"])'")
            }
            guard let weight = Double(row["weight"]), weight > 0 else {
                throw DivideError(file: table.path, location: "line \(row.line)", reason: "weight must be a positive number")
            }
            let tokens = FMRoleClassifier.tokens(row["phrase"])
            guard !tokens.isEmpty else { throw DivideError(file: table.path, location: "line \(row.line)", reason: "empty phrase") }
            return Rule(role: role, tokens: tokens, weight: weight)
        }
    }

    /// Lower-cased tokens, a final plural s dropped on words longer than three letters.
    static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        func flush() {
            if current.count > 3 && current.hasSuffix("s") { current.removeLast() }
            if !current.isEmpty { out.append(current) }
            current = ""
        }
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber { current.append(ch) } else { flush() }
        }
        flush()
        return out
    }

    static func count(_ phrase: [String], in tokens: [String]) -> Int {
        guard tokens.count >= phrase.count else { return 0 }
        var n = 0
        for i in 0...(tokens.count - phrase.count) where tokens[i] == phrase[0] && Array(tokens[i..<(i + phrase.count)]) == phrase { n += 1 }
        return n
    }

    public func scores(title: String, abstract: String) -> [FMRole: Double] {
        let t = FMRoleClassifier.tokens(title), a = FMRoleClassifier.tokens(abstract)
        var score: [FMRole: Double] = [.developing: 0, .using: 0]
        for rule in rules {
            let hits = 2 * min(FMRoleClassifier.count(rule.tokens, in: t), 1) + min(FMRoleClassifier.count(rule.tokens, in: a), 1)
            score[rule.role, default: 0] += Double(hits) * rule.weight
        }
        return score
    }

    public func classify(title: String, abstract: String) -> FMRole {
        let s = scores(title: title, abstract: abstract)
        return s[.developing]! > s[.using]! ? .developing : .using
    }
}
