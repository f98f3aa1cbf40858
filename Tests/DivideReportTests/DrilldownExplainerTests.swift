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
