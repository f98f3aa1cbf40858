import Foundation
import DivideCore
@testable import DivideSources
import Testing

/// A negative index in aff_unique_index / aff_country_unique_index points nowhere: the record is
/// rejected with the reason, and every other record of the file is kept.
@Test func paperListNegativeIndexCostsOneRecord() throws {
    let json = """
    [{"id": "a1", "title": "Good Paper", "status": "Poster", "author": "Ann Ray; Ben Cho",
      "aff": "Google; MIT", "aff_unique_index": "0;1", "aff_unique_norm": "Google;MIT",
      "aff_country_unique_index": "0;0", "aff_country_unique": "United States"},
     {"id": "a2", "title": "Bad Affiliation Index", "status": "Poster", "author": "Cem Oz; Dan Li; Eva Ng; Fay Wu",
      "aff": "Google; MIT", "aff_unique_index": "0;0;0;-1", "aff_unique_norm": "Google;MIT"},
     {"id": "a3", "title": "Bad Country Index", "status": "Poster", "author": "Gil Po; Hal Qi",
      "aff": "Google; MIT", "aff_unique_index": "0;1", "aff_unique_norm": "Google;MIT",
      "aff_country_unique_index": "0;-1", "aff_country_unique": "United States"}]
    """
    var records: [PaperRecord] = []
    var rejects: [(String, String)] = []
    let result = try PaperListParser().parse(
        reading: { Array(json.utf8) }, displayName: "aaai/aaai2022.json",
        emit: { records.append($0) }, reject: { location, reason, _ in rejects.append((location, reason)) })
    #expect(records.map(\.title) == ["Good Paper"])
    #expect(records[0].authors.map(\.affiliations) == [["Google"], ["MIT"]])
    #expect(result.records == 1 && result.rejected == 2)
    #expect(rejects.map(\.0) == ["[1]", "[2]"])
    #expect(rejects.map(\.1) == ["aff_unique_index has a negative index (-1)", "aff_country_unique_index has a negative index (-1)"])
}

/// Publication dates: digits only, and a day that exists in its month.
@Test func epochDatesAreRealCalendarDates() {
    #expect(EpochCSVParser.isoDate("2023-+1-+1") == nil)
    #expect(EpochCSVParser.isoDate("2023-02-30") == nil)
    #expect(EpochCSVParser.isoDate("2023-02-29") == nil)
    #expect(EpochCSVParser.isoDate("2024-02-29") == "2024-02-29")
    #expect(EpochCSVParser.isoDate("1900-02-29") == nil)
    #expect(EpochCSVParser.isoDate("2023-04-31") == nil)
    #expect(EpochCSVParser.isoDate("2023-12-31 10:00") == "2023-12-31")
    #expect(EpochCSVParser.isoDate("2023-07") == "2023-07")
    #expect(EpochCSVParser.isoDate("+023") == nil)
}

/// A byte-order mark in the middle of a table (two exports pasted together) lands in the first
/// cell of its row: it is removed, so the model keeps its id and merges with the same model of
/// the other table; a NUL byte in a name rejects the row.
@Test func epochMidFileBOMIsRemovedAndNULNameRejected() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("epoch-bom-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let plain = dir.appendingPathComponent("a.csv").path
    let pasted = dir.appendingPathComponent("b.csv").path
    try "System,Publication date\nGPT-4,2023-03-15\n".write(toFile: plain, atomically: true, encoding: .utf8)
    try "System,Publication date\nPaLM,2022-04-04\n\u{FEFF}GPT-4,2023-03-15\nGPT\u{0}-4,2023-03-15\nZe\u{200B}ro,2020-01-01\n"
        .write(toFile: pasted, atomically: true, encoding: .utf8)
    func parse(_ path: String) throws -> ([ModelRecord], [(Int, String)]) {
        var records: [ModelRecord] = []
        var rejects: [(Int, String)] = []
        _ = try EpochCSVParser().parse(path: path, displayName: "x.csv", emit: { records.append($0) }, reject: { line, reason, _ in rejects.append((line, reason)) })
        return (records, rejects)
    }
    let (a, _) = try parse(plain)
    let (b, rejects) = try parse(pasted)
    #expect(b.map(\.name) == ["PaLM", "GPT-4", "Zero"])
    #expect(b[1].id == a[0].id)
    #expect(rejects.map(\.0) == [4] && rejects.map(\.1) == ["model name contains a NUL byte"])
}

/// A number where a paper list has its id or title is a broken record: rejected with the field.
@Test func paperListNumberAsIdOrTitleIsRejected() throws {
    let json = """
    [{"id": "ok", "title": "A Real Title", "status": "Poster", "author": "Ann Ray", "aff": "MIT"},
     {"id": 17, "title": "Numbered", "status": "Poster", "author": "Ben Cho", "aff": "MIT"},
     {"id": "n2", "title": 3.5, "status": "Poster", "author": "Cem Oz", "aff": "MIT"}]
    """
    var records: [PaperRecord] = []
    var rejects: [(String, String)] = []
    let result = try PaperListParser().parse(
        reading: { Array(json.utf8) }, displayName: "iclr/iclr2024.json",
        emit: { records.append($0) }, reject: { location, reason, _ in rejects.append((location, reason)) })
    #expect(records.map(\.title) == ["A Real Title"])
    #expect(result.records == 1 && result.rejected == 2)
    #expect(rejects.map(\.0) == ["[1]", "[2]"])
    #expect(rejects.map(\.1) == ["id is a number, not a string", "title is a number, not a string"])
}

/// The same for OpenAlex works: a numeric id or title is not a work.
@Test func openAlexNumberAsIdOrTitleIsRejected() throws {
    let page = #"{"results": [{"id": "https://openalex.org/W1", "title": "Kept", "publication_year": 2023, "authorships": [{"author": {"display_name": "Ann Ray"}, "institutions": []}]}, {"id": 2, "title": "Numeric id", "authorships": [{"author": {"display_name": "Ben Cho"}}]}, {"id": "https://openalex.org/W3", "title": 42, "authorships": [{"author": {"display_name": "Cem Oz"}}]}]}"#
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("openalex-num-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("works.json").path
    try page.write(toFile: path, atomically: true, encoding: .utf8)
    var titles: [String] = []
    var reasons: [String] = []
    _ = try OpenAlexWorksParser().parse(path: path, displayName: "works.json", emit: { titles.append($0.title) }, reject: { _, reason in reasons.append(reason) })
    #expect(titles == ["Kept"])
    #expect(reasons == ["work without an OpenAlex W id", "work without a title"])
}
