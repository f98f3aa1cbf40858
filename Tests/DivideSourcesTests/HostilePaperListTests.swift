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
