import DivideCore
import Foundation

/// The data-quality section's list of what the stages quarantined: whole files first, then
/// records, grouped by stage and reason, with a few examples (file and line) of each.
public struct RejectsSummary {
    public struct Group: Equatable {
        public let stage: String
        public let kind: String
        public let reason: String
        public var count: Int
        public var examples: [String]
    }

    public private(set) var groups: [Group] = []
    static let examplesShown = 5

    public init() {}

    /// Reads the rejects file each counts file names (`rejects_file`).
    public init(stagesFolder: String, counts: [(file: String, counts: StageCounts)]) throws {
        for (file, c) in counts {
            guard let rejectsFile = c.rejectsFile else { continue }
            let path = ((stagesFolder + "/" + file) as NSString).deletingLastPathComponent + "/" + rejectsFile
            guard FileManager.default.fileExists(atPath: path) else { continue }
            var index: [String: Int] = [:]
            try NDJSONReader(path: path).forEach { value, _ in
                let kind = value["kind"]?.stringValue ?? "record"
                let reason = StageCounts.category(of: value["reason"]?.stringValue ?? "")
                let key = kind + "\u{0}" + reason
                let example = [value["file"]?.stringValue, value["location"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
                if let i = index[key] {
                    groups[i].count += 1
                    if groups[i].examples.count < RejectsSummary.examplesShown { groups[i].examples.append(example) }
                } else {
                    index[key] = groups.count
                    groups.append(Group(stage: c.stage, kind: kind, reason: reason, count: 1, examples: [example]))
                }
            }
        }
        groups.sort { ($0.kind == "file" ? 0 : 1, $0.stage, $0.reason) < ($1.kind == "file" ? 0 : 1, $1.stage, $1.reason) }
    }

    public var html: String {
        guard !groups.isEmpty else { return "<p>No file or record was rejected.</p>" }
        var s = "<div class=\"table-wrap\"><table><caption>Rejected files and records, by reason</caption><thead><tr><th>stage</th><th>what</th><th>reason</th><th>count</th><th>examples</th></tr></thead><tbody>"
        for g in groups {
            let what = g.kind == "file" ? "whole file" : "record"
            let more = g.count > g.examples.count ? " …" : ""
            s += "<tr><td>\(escapeHTML(g.stage))</td><td>\(what)</td><td>\(escapeHTML(g.reason))</td><td class=\"num\">\(g.count)</td><td>\(escapeHTML(g.examples.joined(separator: "; ")))\(more)</td></tr>"
        }
        return s + "</tbody></table></div>"
    }
}
