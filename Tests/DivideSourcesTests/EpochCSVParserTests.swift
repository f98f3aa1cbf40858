import DivideCore
@testable import DivideSources
import Foundation
import Testing

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

func parseEpoch(_ file: String) throws -> (records: [ModelRecord], rejects: [(Int, String)]) {
    var records: [ModelRecord] = []
    var rejects: [(Int, String)] = []
    _ = try EpochCSVParser().parse(path: fixtures + "/epoch/" + file, displayName: file,
                                   emit: { records.append($0) }, reject: { line, reason, _ in rejects.append((line, reason)) })
    return (records, rejects)
}

@Test func olderSchemaWithBOMQuotedNewlinesAndCommas() throws {
    let (records, rejects) = try parseEpoch("all_ml_systems.2023-12-14.csv")
    #expect(records.map(\.name) == ["Old Net", "Quoted, Name"])
    #expect(records[0].id == "model:old net")
    #expect(records[0].trainingComputeFLOP == 4.7e17)
    #expect(records[0].provenance == [Provenance(file: "all_ml_systems.2023-12-14.csv", line: 2)])
    #expect(records[1].organizations == ["Google", "Stanford University"])
    #expect(records[1].organizationCategories == ["Industry", "Academia"])
    #expect(records[1].tasks == ["Translation", "QA"])
    #expect(records[1].provenance.first?.line == 5)
    #expect(rejects.map(\.0) == [4, 6, 7])
    #expect(rejects[0].1 == "empty model name")
    #expect(rejects[1].1.hasPrefix("unparseable publication date"))
    #expect(rejects[2].1 == "row has 2 fields, header has 9")
}

@Test func newerSchemaWithCRLFAndRejectedCompute() throws {
    let (records, rejects) = try parseEpoch("notable_ai_models.2026-01-26.csv")
    #expect(records.count == 2)
    #expect(records[0].notabilityCriteria == ["Highly cited", "SOTA improvement"])
    #expect(records[0].countries == ["United States of America"])
    #expect(records[0].accessibility == "Open weights (unrestricted)")
    #expect(records[0].baseModel == nil)
    #expect(records[1].publicationDate == "2020-05-28")
    #expect(rejects.count == 1 && rejects[0].1.hasPrefix("training compute is not a positive number"))
}

@Test func missingNameColumnIsAFileError() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("epoch-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("x.csv").path
    try "Name,Domain\nA,B\n".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: DivideError.self) {
        _ = try EpochCSVParser().parse(path: path, displayName: "x.csv", emit: { _ in }, reject: { _, _, _ in })
    }
}
