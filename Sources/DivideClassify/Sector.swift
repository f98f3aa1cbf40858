import DivideCore
import Foundation

/// The sector of an organization, and of a group of them (a model's developers, an author's
/// affiliations). The raw values are the strings the stage files and tables carry.
///
/// An organization is academia, industry, government or nonprofit (`organizationSectors`), or
/// unknown. A group is one of those, `collaboration` (academia and industry together) or
/// `other` (a known mix that is neither); which rule makes a group's sector depends on what is
/// counted (`init(epochOrganizationCategories:)` for models, `CollaborationIndex.sector(of:)`
/// for authors). A paper's team type is `TeamType`.
public enum Sector: String, CaseIterable, Comparable, Sendable {
    case academia, industry, government, nonprofit
    case collaboration, other
    case unknown

    /// The sectors a single organization can have (reference tables name only these).
    public static let organizationSectors: [Sector] = [.academia, .industry, .government, .nonprofit]

    public static func < (a: Sector, b: Sector) -> Bool { a.order < b.order }

    /// Position in `allCases` (the order sectors are listed in).
    var order: Int {
        switch self {
        case .academia: 0
        case .industry: 1
        case .government: 2
        case .nonprofit: 3
        case .collaboration: 4
        case .other: 5
        case .unknown: 6
        }
    }

    /// "academia+industry" → [.academia, .industry]: a reference table's set of organization sectors.
    public static func parseSet(_ text: String, file: String, line: Int) throws -> [Sector] {
        var out: [Sector] = []
        for part in text.split(separator: "+") {
            guard let s = Sector(rawValue: part.trimmingWhitespace.lowercased()),
                  organizationSectors.contains(s) else {
                throw DivideError(file: file, location: "line \(line)", reason: "unknown sector '\(part)'")
            }
            if !out.contains(s) { out.append(s) }
        }
        guard !out.isEmpty else { throw DivideError(file: file, location: "line \(line)", reason: "empty sector") }
        return out.sorted()
    }

    /// How a set of sectors is written in one field: "industry", "academia+industry"; "unknown"
    /// when empty.
    public static func joined(_ sectors: [Sector]) -> String {
        sectors.isEmpty ? Sector.unknown.rawValue : sectors.map(\.rawValue).joined(separator: "+")
    }

    /// The inverse of `joined`; a part that names no sector reads as `unknown`.
    public static func split(_ text: String) -> [Sector] {
        if text == Sector.unknown.rawValue { return [] }
        return text.split(separator: "+").map { Sector(rawValue: String($0)) ?? .unknown }
    }
}
