import DivideCore
import DivideSources
@testable import DivideXML
import Foundation
import Testing

/// Seeded, bounded fuzzing of the three readers: random mutations of valid inputs must end in a
/// value or a thrown error — never a crash, a hang or unbounded output. Same cases every run.
enum Mutator {
    static let interesting: [[UInt8]] = [
        [0x22], [0x2C], [0x0A], [0x0D, 0x0A], [0x00], [0xFF], [0xC3], [0xEF, 0xBB, 0xBF], Array("\"\"".utf8),
        Array("<".utf8), Array(">".utf8), Array("&".utf8), Array("&amp;".utf8), Array("<!DOCTYPE x>".utf8),
        Array("]]>".utf8), Array("<![CDATA[".utf8), Array("{".utf8), Array("}".utf8), Array("[".utf8), Array("]".utf8),
        Array("\\u".utf8), Array("\\ud800".utf8), Array("1e999".utf8), Array("-".utf8), Array(":".utf8), Array("null".utf8),
    ]

    static func mutate(_ input: [UInt8], using rng: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let at = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.insert(contentsOf: interesting.randomElement(using: &rng)!, at: at)
            case 2 where !bytes.isEmpty: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...16, using: &rng)))
            case 3 where !bytes.isEmpty:
                let end = min(bytes.count, at + Int.random(in: 1...64, using: &rng))
                bytes.insert(contentsOf: bytes[at..<end], at: Int.random(in: 0...bytes.count, using: &rng))
            case 4: bytes = Array(bytes.prefix(at))  // truncation
            default: if !bytes.isEmpty { bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &rng) }
            }
        }
        return bytes
    }
}

@Test func fuzzCSVReaderAndEpochParser() throws {
    var rng = SeededGenerator(seed: 0xC5_7)
    let seeds = ["csv/good.csv", "csv/unbalanced-quote.csv", "csv/extra-columns.csv", "csv/invalid-utf8.csv"].map(fixtureBytes)
    let folder = scratchFolder("fuzz-csv")
    for i in 0..<1500 {
        let input = Mutator.mutate(seeds[i % seeds.count], using: &rng)
        let rows = try CSVReader.rows(of: input)
        let lines = input.filter { $0 == 0x0A }.count + 1
        #expect(rows.count <= lines)
        #expect(rows.allSatisfy { $0.line >= 1 && $0.line <= lines })
        if i % 10 == 0 {  // the whole parser, through a file, every tenth case
            let path = folder + "/case.csv"
            _ = FileManager.default.createFile(atPath: path, contents: Data(input))
            var records = 0, rejects = 0
            do {
                let result = try EpochCSVParser().parse(path: path, displayName: "case.csv", emit: { _ in records += 1 }, reject: { _, _, _ in rejects += 1 })
                #expect(result.records == records && result.rejected == rejects)
                #expect(records + rejects <= rows.count)
            } catch is DivideError {}
        }
    }
}

/// RFC 4180 round trip: any fields, quoted as the report's CSV writer does, read back the same.
@Test func csvRoundTripProperty() throws {
    var rng = SeededGenerator(seed: 4180)
    let alphabet: [Character] = ["a", "b", ",", "\"", "\n", " ", "é", "😀", "x", "\r\n"]
    for _ in 0..<400 {
        let columns = Int.random(in: 1...5, using: &rng)
        let table: [[String]] = (0..<Int.random(in: 1...6, using: &rng)).map { _ in
            (0..<columns).map { _ in String((0..<Int.random(in: 0...8, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }) }
        }
        func quote(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        // A row of one empty field is a blank line, which CSV cannot tell from no row: quote it.
        let text = table.map { row in row.count == 1 && row[0].isEmpty ? "\"\"" : row.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
        let rows = try CSVReader.rows(of: Array(text.utf8))
        // A bare CR at a line end is taken as CRLF; compare with CRs normalized the same way.
        let expected = table.map { $0.map { $0.replacingOccurrences(of: "\r\n", with: "\r\n") } }
        #expect(rows.map(\.fields) == expected, "\(text.debugDescription)")
    }
}

@Test func fuzzJSONParserAndRecordDecoding() throws {
    var rng = SeededGenerator(seed: 0x15_0A)
    let seeds = try String(contentsOfFile: badInput + "/json/duplicate-ids.ndjson", encoding: .utf8)
        .split(separator: "\n").map { Array($0.utf8) } + [Array(#"{"a":[1,-2.5e3,true,null,"\u00e9\ud83d\ude00"],"b":{"c":{}}}"#.utf8)]
    var parsed = 0
    for i in 0..<3000 {
        let input = Mutator.mutate(seeds[i % seeds.count], using: &rng)
        do {
            let value = try JSONParser.parse(input)
            parsed += 1
            // What parses serializes and parses back to the same value.
            #expect(try JSONParser.parse(JSONSerializer.serialize(value)) == value)
            if let record = try? ModelRecord(json: value) {
                #expect(try ModelRecord(json: JSONParser.parse(JSONSerializer.serialize(record.json))) == record)
            }
        } catch is JSONParser.SyntaxError {}
    }
    #expect(parsed > 0)
    // Deep nesting is refused, not a stack overflow.
    #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(String(repeating: "[", count: 100_000)) }
}

@Test func fuzzXMLScan() throws {
    var rng = SeededGenerator(seed: 0x58_4D_4C)
    let seeds = ["xml/good-page.xml", "xml/mismatched-tags.xml", "xml/billion-laughs.xml"].map(fixtureBytes)
    var wellFormed = 0
    for i in 0..<1500 {
        let input = Mutator.mutate(seeds[i % seeds.count], using: &rng)
        do {
            let scan = try XMLSafety.scan(bytes: input, file: "fuzz.xml", collectText: true, textLimit: 1 << 16)
            wellFormed += 1
            #expect(scan.textBytes < 1 << 20)
        } catch let error as DivideError {
            #expect(error.description.hasPrefix("fuzz.xml"))
            #expect(!error.description.contains("\n"))
        }
    }
    #expect(wellFormed > 0)
}
