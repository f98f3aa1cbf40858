import DivideCore

/// One line of `paper-affiliations/files.tsv`: which venue-year a file holds, in which layout,
/// and what it is good for. The table, not the code, ties a file to its parser, so a new file
/// of a known layout needs a line there.
public struct SiteFileEntry: Equatable, Sendable {
    public enum Layout: String, CaseIterable, Sendable {
        case siteText = "site-text"
        case copilotMarkdown = "copilot-markdown"
        case speakerJSONL = "speaker-jsonl"
        case scheduleCSV = "schedule-csv"
        case openreviewCSV = "openreview-csv"
    }

    public enum Role: String, CaseIterable, Sendable {
        /// Institutions of accepted papers.
        case affiliations
        /// Every submission with institutions; accepted ones are marked by their own decision or
        /// by a `decisions` file of the same venue-year.
        case submissions = "submissions+affiliations"
        /// Decisions only: the file's other columns are never evidence.
        case decisions
    }

    /// Path inside the source folder (`conference-sites/icml_2020_papers.txt.gz`).
    public var file: String
    /// Venue as in the paper lists (`nips`, `icml`, `iclr`); nil when each row says (`*`).
    public var venue: String?
    /// nil when each row says (`*`).
    public var year: Int?
    public var layout: Layout
    public var role: Role

    public init(file: String, venue: String?, year: Int?, layout: Layout, role: Role) {
        self.file = file
        self.venue = venue
        self.year = year
        self.layout = layout
        self.role = role
    }

    /// `venue` + `year` (`iclr2025`), the key decisions are joined on; nil for per-row files.
    public var venueYear: String? {
        guard let venue, let year else { return nil }
        return "\(venue)\(year)"
    }

    /// The table: tab-separated `file venue year layout role note`, `#` comment lines and blank
    /// lines skipped. A malformed line is an error naming it: every file's meaning depends on it.
    public static func table(_ bytes: [UInt8], displayName: String) throws -> [SiteFileEntry] {
        var entries: [SiteFileEntry] = []
        var seen = Set<String>()
        for (index, line) in textLines(bytes).enumerated() {
            let location = "line \(index + 1)"
            guard let text = String(validating: line, as: UTF8.self) else {
                throw DivideError(file: displayName, location: location, reason: "not UTF-8")
            }
            if TextNormalizer.isBlank(text) || text.hasPrefix("#") { continue }
            let columns = text.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingWhitespace }
            guard columns.count >= 5 else {
                throw DivideError(file: displayName, location: location, reason: "expected at least 5 tab-separated columns (file, venue, year, layout, role), found \(columns.count)")
            }
            guard let layout = Layout(rawValue: columns[3]) else {
                throw DivideError(file: displayName, location: location, reason: "unknown layout '\(columns[3])' (known: \(Layout.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let role = Role(rawValue: columns[4]) else {
                throw DivideError(file: displayName, location: location, reason: "unknown role '\(columns[4])' (known: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard (layout == .openreviewCSV) == (role == .decisions) else {
                throw DivideError(file: displayName, location: location, reason: "role '\(role.rawValue)' does not go with layout '\(layout.rawValue)' (decisions come from openreview-csv files only)")
            }
            let venue = columns[1] == "*" ? nil : columns[1].lowercased()
            var year: Int?
            if columns[2] != "*" {
                guard let y = Int(columns[2]), PaperRecord.plausibleYears.contains(y) else {
                    throw DivideError(file: displayName, location: location, reason: "year '\(columns[2])' is neither a year nor *")
                }
                year = y
            }
            guard !columns[0].isEmpty, venue.map({ !$0.isEmpty }) ?? true else {
                throw DivideError(file: displayName, location: location, reason: "empty file or venue column")
            }
            guard (venue == nil) == (year == nil) else {
                throw DivideError(file: displayName, location: location, reason: "venue and year are either both given or both * (per row)")
            }
            guard seen.insert(columns[0]).inserted else {
                throw DivideError(file: displayName, location: location, reason: "file '\(columns[0])' listed twice")
            }
            entries.append(SiteFileEntry(file: columns[0], venue: venue, year: year, layout: layout, role: role))
        }
        return entries
    }
}

/// The lines of a text file's bytes, without their `\n` or `\r\n`; a final line without a
/// newline is a line.
func textLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true { lines.removeLast() }
    return lines.map { $0.last == 0x0D ? $0.dropLast() : $0 }
}
