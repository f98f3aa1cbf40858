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
        let flop = table.columns.map(NumberFormat.isFLOPColumn)
        for row in table.rows {
            out += zip(flop, row).map { isFLOP, value in
                csvField(isFLOP ? (value.doubleValue.map(NumberFormat.flopCSV) ?? cell(value)) : cell(value))
            }.joined(separator: ",") + "\n"
        }
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

    /// Proportions show as percentages with one decimal, training compute as 1.3 × 10¹⁴ (the
    /// CSV keeps the exact values, FLOP in scientific notation).
    static func display(column: String, value: JSONValue) -> String {
        if column == "venue", case let .string(key) = value { return VenueName.display(key) }
        guard let d = value.doubleValue else { return cell(value) }
        if NumberFormat.isProportionColumn(column) { return percent(d) }
        if NumberFormat.isFLOPColumn(column) { return NumberFormat.flop(d) }
        return cell(value)
    }

    public static func percent(_ d: Double, digits: Int = 1) -> String { NumberFormat.percent(d, digits: digits) }
}
