import DivideAggregate
import DivideCore
@testable import DivideReport
import Foundation
import Testing

/// `render explain`: the rows of a table found by their key, and the records behind them.
struct DrilldownExplainerTests {
    func write(_ lines: [String], _ path: String) throws {
        let writer = try NDJSONWriter(path: path)
        for line in lines { try writer.write(try JSONParser.parse(line)) }
        try writer.commit()
    }

    @Test func printsTheRecordsBehindARow() throws {
        let folder = NSTemporaryDirectory() + "explain-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try write([
            #"{"table":"model_sector_shares","row":{"year":2023,"sector":"academia","models":2,"share":0.5},"ids":["model:a","model:b"]}"#,
            #"{"table":"model_sector_shares","row":{"year":2023,"sector":"industry","models":1,"share":0.25},"ids":["model:c"]}"#,
            #"{"table":"team_type_by_year","row":{"venue":"nips","year":2021,"team_type":"collaboration","papers":1},"ids":["paperlists:nips2021:x"]}"#,
        ], folder + "/drilldown.ndjson.gz")
        try write([
            #"{"id":"model:a","name":"Model A","publication_date":"2023-05-01","provenance":[{"file":"notable.csv.gz","line":12}]}"#,
            #"{"id":"model:b","name":"Model B","publication_date":"2023-07-01","provenance":[{"file":"notable.csv.gz","line":40}]}"#,
            #"{"id":"model:c","name":"Model C","publication_date":"2023-01-01","provenance":[]}"#,
        ], folder + "/models.ndjson.gz")
        try write([#"{"id":"paperlists:nips2021:x","title":"A paper","year":2021,"source":"paperlists","venue":"nips"}"#], folder + "/papers.ndjson.gz")
        let explainer = DrilldownExplainer(drilldownPath: folder + "/drilldown.ndjson.gz", modelsPath: folder + "/models.ndjson.gz",
                                           papersPath: folder + "/papers.ndjson.gz")
        let text = try explainer.explain(table: "model_sector_shares", key: ["2023", "Academia"])
        #expect(text == """
        model_sector_shares: year=2023 sector=academia models=2 share=0.5
        2 record(s) counted in this row
        model:a\t2023\tModel A\tepoch notable.csv.gz:12
        model:b\t2023\tModel B\tepoch notable.csv.gz:40

        """)
        let papers = try explainer.explain(table: "team_type_by_year", key: ["nips", "2021", "collaboration"])
        #expect(papers.hasSuffix("paperlists:nips2021:x\t2021\tA paper\tpaperlists (nips)\n"))
        // A key's first words name every row they begin; a word is matched whole, never in part.
        #expect(try explainer.rows(table: "model_sector_shares", key: ["2023"]).count == 2)
        #expect(try explainer.rows(table: "model_sector_shares", key: ["2023", "industry"]).map(\.ids) == [["model:c"]])
        #expect(throws: DivideError.self) { try explainer.rows(table: "model_sector_shares", key: ["2023", "acad"]) }
        #expect(throws: DivideError.self) { try explainer.rows(table: "model_sector_shares", key: ["2099"]) }
        #expect(throws: DivideError.self) { try explainer.rows(table: "no_such_table", key: []) }
        do { _ = try explainer.rows(table: "model_sector_shares", key: ["2099"]) } catch {
            #expect("\(error)".contains("its rows are named like: 2023 academia; 2023 industry"))
        }
    }
}

/// A row with more ids than fit in one line under the readers' 16 MiB line cap (at ten times the
/// snapshot one row has 2 M paper ids, 26 MB) is written as parts of at most 4 MiB, each a line
/// the render stage and `render explain` read back, and explain joins the parts into the row.
@Test func aRowWithMillionsOfIdsIsWrittenInPartsAndReadBackWhole() throws {
    let folder = NSTemporaryDirectory() + "drilldown-parts-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let ids = (0..<1_000_000).map { String(format: "arxiv:%04d.%05d", 1000 + $0 / 100_000, $0 % 100_000) }
    var table = Table(name: "team_type_by_year", columns: ["venue", "year", "team_type", "papers"])
    table.append([.string("all"), .int(2024), .string("academic-only"), .int(ids.count)], recordIDs: ids)
    table.append([.string("all"), .int(2024), .string("collaboration"), .int(1)], recordIDs: ["acl:x"])
    try writeTables([{ table }], folder: folder, drilldown: folder + "/drilldown.ndjson.gz")

    var lines: [String] = []
    try LineReader(path: folder + "/drilldown.ndjson.gz").forEachLine { lines.append(String(decoding: $0, as: UTF8.self)) }
    #expect(lines.count == 6)  // 1 M ids of 17 bytes → five parts of at most 4 MiB, then the small row
    #expect(lines.allSatisfy { $0.utf8.count < (4 << 20) + 200 })
    #expect(lines[0].contains(#""part":1,"parts":5"#) && lines[4].contains(#""part":5,"parts":5"#))
    #expect(!lines[5].contains("part"))

    let explainer = DrilldownExplainer(drilldownPath: folder + "/drilldown.ndjson.gz", modelsPath: folder + "/none", papersPath: folder + "/none")
    let rows = try explainer.rows(table: "team_type_by_year", key: ["all", "2024"])
    #expect(rows.count == 2)
    #expect(rows[0].ids == ids)
    #expect(rows[1].ids == ["acl:x"])
}
