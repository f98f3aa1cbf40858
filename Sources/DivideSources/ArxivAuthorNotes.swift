import DivideCore
import Foundation

/// `reference/arxiv-author-notes.tsv`: what arXiv puts in an author's <affiliation> that is a
/// name or a role, not an organization (format and origin in the file's header).
public struct ArxivAuthorNotes: Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case name, role
    }

    /// Lower-cased names and nicknames: a field equal to one of them is a name.
    public let names: Set<String>
    /// Lower-cased words of membership grades and roles: a field made only of them is a role.
    public let roleWords: Set<String>

    /// No notes: every field is an affiliation.
    public init() {
        names = []
        roleWords = []
    }

    public init(names: Set<String>, roleWords: Set<String>) {
        self.names = Set(names.map { $0.lowercased() })
        self.roleWords = Set(roleWords.map { $0.lowercased() })
    }

    public init(path: String) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw DivideError(file: path, reason: "cannot read the author notes: \(error.localizedDescription)")
        }
        try self.init(text: text, path: path)
    }

    /// Tab-separated `kind pattern note` rows after a header line; `#` lines and blank lines skipped.
    public init(text: String, path: String) throws {
        var names: Set<String> = []
        var roleWords: Set<String> = []
        var sawHeader = false
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.trimmingWhitespace.isEmpty || line.hasPrefix("#") { continue }
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingWhitespace }
            if !sawHeader {
                guard cells.count >= 2, cells[0] == "kind", cells[1] == "pattern" else {
                    throw DivideError(file: path, location: "line \(n + 1)", reason: "expected the header 'kind<TAB>pattern<TAB>note'")
                }
                sawHeader = true
                continue
            }
            guard cells.count >= 2, let kind = Kind(rawValue: cells[0]), !cells[1].isEmpty else {
                throw DivideError(file: path, location: "line \(n + 1)",
                                  reason: "expected a kind (\(Kind.allCases.map(\.rawValue).joined(separator: ", "))) and a pattern")
            }
            switch kind {
            case .name: names.insert(cells[1].lowercased())
            case .role: roleWords.insert(cells[1].lowercased())
            }
        }
        self.init(names: names, roleWords: roleWords)
    }

    /// What the field is when it is not an affiliation; nil when it may be one.
    public func kind(of field: String) -> Kind? {
        let lower = field.trimmingWhitespace.lowercased()
        if names.contains(lower) { return .name }
        let words = lower.split { !$0.isLetter && !$0.isNumber }
        if !words.isEmpty, words.allSatisfy({ roleWords.contains(String($0)) }) { return .role }
        return nil
    }
}
