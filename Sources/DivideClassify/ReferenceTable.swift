import DivideCore
import Foundation

/// A tab-separated reference file from `reference/`: `#` comment lines and blank lines are
/// skipped, the first remaining line is the header, every row must have its columns.
public struct ReferenceTable {
    public struct Row {
        public let line: Int
        public let fields: [String: String]
        public subscript(_ column: String) -> String { fields[column] ?? "" }
    }

    public let path: String
    public let columns: [String]
    public let rows: [Row]

    public init(path: String, requiredColumns: [String]) throws {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw DivideError(file: path, reason: "cannot read reference file: \(error.localizedDescription)")
        }
        try self.init(text: text, path: path, requiredColumns: requiredColumns)
    }

    public init(text: String, path: String, requiredColumns: [String]) throws {
        self.path = path
        var header: [String]? = nil
        var rows: [Row] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.trimmingWhitespace.isEmpty || line.hasPrefix("#") { continue }
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map {
                $0.trimmingWhitespace
            }
            guard let columns = header else {
                header = cells
                for column in requiredColumns where !cells.contains(column) {
                    throw DivideError(file: path, location: "line \(lineNumber)", reason: "header lacks column '\(column)'")
                }
                continue
            }
            // A missing trailing note is fine; anything else must have every column.
            guard cells.count <= columns.count, cells.count >= requiredColumns.count else {
                throw DivideError(file: path, location: "line \(lineNumber)",
                                  reason: "expected \(columns.count) tab-separated columns, found \(cells.count)")
            }
            var fields: [String: String] = [:]
            for (i, cell) in cells.enumerated() { fields[columns[i]] = cell }
            rows.append(Row(line: lineNumber, fields: fields))
        }
        guard let columns = header else { throw DivideError(file: path, reason: "no header line") }
        self.columns = columns
        self.rows = rows
    }
}
