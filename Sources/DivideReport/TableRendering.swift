import Foundation
import DivideAggregate
import DivideCore

/// Renders a `Table` as CSV (one header row) and as an HTML table.
public enum TableRendering {
    public static func cell(_ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case let .string(s): return s
        case let .bool(b): return b ? "true" : "false"
        case let .int(i): return String(i)
        case let .double(d): return JSONValue.format(d)
        case .array, .object: return JSONSerializer.serialize(value)
        }
    }

    public static func csv(_ table: Table) -> String {
        var out = table.columns.map(csvField).joined(separator: ",") + "\n"
        for row in table.rows { out += row.map { csvField(cell($0)) }.joined(separator: ",") + "\n" }
        return out
    }

    /// An HTML table; shares and interval bounds (columns named share/ci_*) show as percentages.
    public static func html(_ table: Table, caption: String? = nil, maxRows: Int = 400) -> String {
        var out = "<div class=\"table-wrap\"><table>"
        if let caption { out += "<caption>\(escapeHTML(caption))</caption>" }
        out += "<thead><tr>" + table.columns.map { "<th>\(escapeHTML($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in table.rows.prefix(maxRows) {
            out += "<tr>"
            for (column, value) in zip(table.columns, row) {
                let numeric: Bool
                switch value { case .int, .double: numeric = true; default: numeric = false }
                out += numeric ? "<td class=\"num\">" : "<td>"
                out += escapeHTML(display(column: column, value: value)) + "</td>"
            }
            out += "</tr>"
        }
        out += "</tbody></table></div>"
        if table.rows.count > maxRows {
            out += "<p class=\"note\">First \(maxRows) of \(table.rows.count) rows; the full table is in tables/\(escapeHTML(table.name)).csv.</p>"
        }
        return out
    }

    /// Proportions (share, *_share, *_rate, ci_*) show as percentages; large quantities
    /// (FLOP) in scientific notation. CSV keeps the exact values.
    static func display(column: String, value: JSONValue) -> String {
        if column == "venue", case let .string(key) = value { return VenueName.display(key) }
        guard let d = value.doubleValue else { return cell(value) }
        let proportion = column == "share" || column.hasSuffix("_share") || column.hasSuffix("_rate")
            || (column.hasPrefix("ci_") && !column.hasSuffix("months"))
        if proportion { return percent(d) }
        if abs(d) >= 1e6, case .double = value { return String(format: "%.3g", d) }
        return cell(value)
    }

    public static func percent(_ d: Double, digits: Int = 1) -> String {
        let scaled = (d * 100 * pow10(digits)).rounded() / pow10(digits)
        return JSONValue.format(scaled) + "%"
    }

    private static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { acc, _ in acc * 10 } }
}
