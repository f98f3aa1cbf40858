import DivideCore
import Foundation

/// `render explain <table> <row key>`: the records behind one number of the report. Finds the
/// row in the drill-down file (outputs/drilldown.ndjson.gz) and looks its ids up in the
/// classified models or papers, printing each record's id, year, name or title and provenance.
public struct DrilldownExplainer {
    public let drilldownPath: String
    public let modelsPath: String
    public let papersPath: String

    public init(drilldownPath: String, modelsPath: String, papersPath: String) {
        self.drilldownPath = drilldownPath
        self.modelsPath = modelsPath
        self.papersPath = papersPath
    }

    public struct Row {
        public let table: String
        public let row: [(String, JSONValue)]
        public internal(set) var ids: [String]
        /// The values that name the row: its text columns and its year-like columns, in column order.
        public var key: [String] { DrilldownExplainer.key(of: row) }
    }

    public struct Record: Equatable {
        public let id: String, year: String, label: String, provenance: String
    }

    /// Columns that name a row rather than measure it: text, and years / eras / ranks.
    static func key(of row: [(String, JSONValue)]) -> [String] {
        row.compactMap { column, value in
            if case let .string(s) = value { return s }
            if ["year", "from_year", "rank"].contains(column), let i = value.intValue { return String(i) }
            return nil
        }
    }

    /// The rows of `table` whose key starts with `key` (case-insensitive, whole words): the whole
    /// key names one row, its first words every row they begin (all rows when `key` is empty).
    /// Throws naming a few keys of the table when none matches.
    public func rows(table: String, key: [String]) throws -> [Row] {
        var matches: [Row] = [], examples: [String] = [], seenTable = false
        let wanted = key.map { $0.lowercased() }
        // A row with many ids comes as consecutive lines with `part` 1, 2, …: later parts extend
        // the row their first part started.
        var extendingLastMatch = false
        try NDJSONReader(path: drilldownPath).forEach { value, _ in
            guard value["table"]?.stringValue == table, let row = value["row"]?.objectValue else { return }
            seenTable = true
            let ids = value["ids"]?.stringArray ?? []
            if let part = value["part"]?.intValue, part > 1 {
                if extendingLastMatch { matches[matches.count - 1].ids += ids }
                return
            }
            let candidate = Row(table: table, row: row, ids: ids)
            extendingLastMatch = candidate.key.map({ $0.lowercased() }).starts(with: wanted)
            if extendingLastMatch { matches.append(candidate) }
            if examples.count < 5 { examples.append(candidate.key.joined(separator: " ")) }
        }
        guard seenTable else {
            throw DivideError(file: drilldownPath, reason: "no table '\(table)' (the tables are outputs/tables/*.csv)")
        }
        guard !matches.isEmpty else {
            throw DivideError(file: drilldownPath, reason: "table '\(table)' has no row '\(key.joined(separator: " "))'; its rows are named like: \(examples.joined(separator: "; "))")
        }
        return matches
    }

    /// The records of `ids`, in the order of the ids (model ids in the classified models, the
    /// others in the classified papers); an id found in neither is returned with an empty label.
    public func records(_ ids: [String]) throws -> [Record] {
        var found: [String: Record] = [:]
        let wanted = Set(ids)
        let modelIDs = wanted.filter { $0.hasPrefix("model:") }, paperIDs = wanted.subtracting(modelIDs)
        if !modelIDs.isEmpty {
            try NDJSONReader(path: modelsPath).forEach(selecting: ["id": .all, "name": .all, "publication_date": .all, "provenance": .all]) { v, _ in
                guard let id = v["id"]?.stringValue, modelIDs.contains(id) else { return }
                let provenance = (v["provenance"]?.arrayValue ?? []).map { p in
                    "\(p["file"]?.stringValue ?? "?"):\(p["line"]?.intValue.map(String.init) ?? "?")"
                }.joined(separator: ", ")
                found[id] = Record(id: id, year: String((v["publication_date"]?.stringValue ?? "").prefix(4)),
                                   label: v["name"]?.stringValue ?? "", provenance: "epoch " + provenance)
            }
        }
        if !paperIDs.isEmpty {
            try NDJSONReader(path: papersPath).forEach(selecting: ["id": .all, "title": .all, "year": .all, "source": .all, "venue": .all]) { v, _ in
                guard let id = v["id"]?.stringValue, paperIDs.contains(id) else { return }
                let source = v["source"]?.stringValue ?? "", venue = v["venue"]?.stringValue
                found[id] = Record(id: id, year: v["year"]?.intValue.map(String.init) ?? "", label: v["title"]?.stringValue ?? "",
                                   provenance: source + (venue.map { " (\($0))" } ?? ""))
            }
        }
        return ids.map { found[$0] ?? Record(id: $0, year: "", label: "", provenance: "not found in the classified records") }
    }

    /// The printed answer: the row's values, then one tab-separated line per record.
    public func explain(table: String, key: [String], limit: Int? = nil) throws -> String {
        var out = ""
        for row in try rows(table: table, key: key) {
            out += "\(table): " + row.row.map { "\($0.0)=\(TableRendering.cell($0.1))" }.joined(separator: " ") + "\n"
            out += "\(row.ids.count) record(s) counted in this row\n"
            let shown = limit.map { Array(row.ids.prefix($0)) } ?? row.ids
            for r in try records(shown) {
                out += [r.id, r.year, r.label, r.provenance].map { $0.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\t") + "\n"
            }
            if shown.count < row.ids.count { out += "… \(row.ids.count - shown.count) more (--limit 0 prints all)\n" }
        }
        return out
    }
}
