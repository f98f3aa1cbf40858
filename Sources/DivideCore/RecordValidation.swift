import Foundation

/// Typed field access for decoding records: a field that is absent or null reads as nil (or an
/// empty list); a field of the wrong type is a `RecordFieldError`, never silently dropped.
extension JSONValue {
    public func optionalString(_ key: String) throws -> String? {
        switch self[key] {
        case nil, .null?: return nil
        case let .string(s)?: return s
        default: throw RecordFieldError(field: key, expected: "a string")
        }
    }

    public func optionalNumber(_ key: String) throws -> Double? {
        switch self[key] {
        case nil, .null?: return nil
        case let .int(i)?: return Double(i)
        case let .double(d)?: return d
        default: throw RecordFieldError(field: key, expected: "a number")
        }
    }

    public func stringList(_ key: String) throws -> [String] {
        switch self[key] {
        case nil, .null?: return []
        case let .array(items)?:
            return try items.map {
                guard case let .string(s) = $0 else { throw RecordFieldError(field: key, expected: "a list of strings") }
                return s
            }
        default: throw RecordFieldError(field: key, expected: "a list of strings")
        }
    }

    public func list(_ key: String) throws -> [JSONValue] {
        switch self[key] {
        case nil, .null?: return []
        case let .array(items)?: return items
        default: throw RecordFieldError(field: key, expected: "a list")
        }
    }
}

/// The checks a paper record must pass before it enters the analysis (parsers reject the
/// record with this reason): a title, at least one author, a plausible year.
extension PaperRecord {
    public static let plausibleYears = 1950...2100

    /// Why this record cannot be used, or nil.
    public var validationProblem: String? {
        if TextNormalizer.isBlank(title) { return "no title" }
        if authors.isEmpty || authors.allSatisfy({ TextNormalizer.isBlank($0.name) }) {
            return "no authors"
        }
        if let year, !PaperRecord.plausibleYears.contains(year) {
            return "year out of range \(PaperRecord.plausibleYears.lowerBound)–\(PaperRecord.plausibleYears.upperBound): \(year)"
        }
        return nil
    }
}
