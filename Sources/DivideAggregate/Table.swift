import DivideCore
import Foundation

/// One output table: named columns, rows of JSON scalars, and for each row the ids of the records
/// behind it (the drill-down a reader follows to check a number).
public struct Table: Equatable {
    public let name: String
    public let columns: [String]
    public private(set) var rows: [[JSONValue]] = []
    public private(set) var recordIDs: [[String]] = []

    public init(name: String, columns: [String]) {
        self.name = name
        self.columns = columns
    }

    public mutating func append(_ row: [JSONValue], recordIDs ids: [String]) {
        precondition(row.count == columns.count, "\(name): row has \(row.count) values for \(columns.count) columns")
        rows.append(row)
        recordIDs.append(ids.sorted())
    }

    /// The same for ids the caller has already sorted.
    mutating func append(_ row: [JSONValue], sortedRecordIDs ids: [String]) {
        precondition(row.count == columns.count, "\(name): row has \(row.count) values for \(columns.count) columns")
        rows.append(row)
        recordIDs.append(ids)
    }

    public func rowObject(_ i: Int) -> JSONValue { .object(Array(zip(columns, rows[i]))) }

    /// Rows as NDJSON objects (`stages/aggregate/<name>.ndjson.gz`).
    public func writeNDJSON(folder: String) throws {
        let writer = try NDJSONWriter(path: folder + "/" + name + ".ndjson.gz")
        for i in rows.indices { try writer.write(rowObject(i)) }
        try writer.commit()
    }

    /// Reads back a table written by `writeNDJSON`; columns in the order of the first row's keys.
    public static func readNDJSON(path: String, name: String) throws -> Table {
        var table: Table?
        try NDJSONReader(path: path).forEach { value, line in
            let columns = table?.columns ?? (value.objectValue ?? []).map(\.0)
            if table == nil { table = Table(name: name, columns: columns) }
            let row = try columns.map { column -> JSONValue in
                guard let v = value[column] else {
                    throw DivideError(file: path, location: "line \(line)", reason: "missing column '\(column)'")
                }
                return v
            }
            table!.rows.append(row)
            table!.recordIDs.append([])
        }
        return table ?? Table(name: name, columns: [])
    }

    /// Ids per drill-down line at most, in serialized bytes: a quarter of the 16 MiB line cap that
    /// every reader of the file applies. A row over it (at ten times the snapshot, 2 M paper ids
    /// in one row) is written as consecutive parts.
    static let drilldownPartBytes = 4 << 20

    /// Row `i`'s drill-down lines: `{table, row: {...}, ids: [...]}`, or, when its ids are longer
    /// than `drilldownPartBytes`, several such lines in order with `part` (1…) and `parts` added.
    public func drilldownLines(_ i: Int) -> [JSONValue] {
        let ids = recordIDs[i]
        var parts: [ArraySlice<String>] = []
        var start = 0, bytes = 0
        for (k, id) in ids.enumerated() {
            let size = id.utf8.count + 3  // quotes and comma
            if bytes + size > Table.drilldownPartBytes, k > start {
                parts.append(ids[start..<k])
                start = k
                bytes = 0
            }
            bytes += size
        }
        parts.append(ids[start...])
        let head: [(String, JSONValue)] = [("table", .string(name)), ("row", rowObject(i))]
        if parts.count == 1 { return [.object(head + [("ids", .strings(ids))])] }
        return parts.enumerated().map { k, part in
            .object(head + [("ids", .strings(Array(part))), ("part", .int(k + 1)), ("parts", .int(parts.count))])
        }
    }
}

/// Writes each table to `<folder>/<name>.ndjson.gz` and every row's drill-down line to one file
/// at `drilldown`, committed last. Tables are built, written and dropped one at a time, so
/// only one table's drill-down ids are held at once.
public func writeTables(_ builders: [() -> Table], folder: String, drilldown path: String) throws {
    let drilldown = try NDJSONWriter(path: path)
    for build in builders {
        let table = build()
        try table.writeNDJSON(folder: folder)
        for i in table.rows.indices { for line in table.drilldownLines(i) { try drilldown.write(line) } }
    }
    try drilldown.commit()
}

/// Fixed decimals for published numbers, so CSV, NDJSON and report agree to the digit.
public func rounded(_ x: Double, _ places: Int) -> JSONValue {
    guard x.isFinite else { return .null }
    let scale = pow(10.0, Double(places))
    return .double((x * scale).rounded() / scale)
}
