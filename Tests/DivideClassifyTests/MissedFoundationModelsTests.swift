@testable import DivideClassify
import DivideCore
import Foundation
import Testing

/// The missed-foundation-models check: the misses a labeled sample of a pool implies, and the
/// academic-only share among those still missed beside the classified ones'.
@Suite struct MissedFoundationModelsTests {
    func folder(design: String, labels: [String]) throws -> String {
        let path = NSTemporaryDirectory() + "missed-fm-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try design.write(toFile: path + "/design.json", atomically: true, encoding: .utf8)
        try (labels.joined(separator: "\n") + "\n").write(toFile: path + "/labels.jsonl", atomically: true, encoding: .utf8)
        return path
    }

    func row(_ id: String, fm: Bool, split: String = "development") -> String {
        "{\"id\":\"\(id)\",\"split\":\"\(split)\",\"topic\":\"\(fm ? "foundation-models" : "nlp")\",\"foundation_model\":\(fm),\"borderline\":false}"
    }

    let design = "{\"pool\": 1000, \"from_year\": 2018, \"definition\": \"test pool\"}"

    @Test func estimatesTheMissesAndTheirTeamTypes() throws {
        // Four drawn papers, two of them foundation-model papers: a rate of 1/2, 500 of the pool of 1,000.
        var check = try MissedFoundationModels.read(folder: folder(design: design, labels: [
            row("a", fm: true), row("b", fm: true), row("c", fm: false), row("d", fm: false),
        ]))
        check.add(id: "a", year: 2023, primaryTopic: "nlp", team: .academicOnly)           // still missed, academic-only
        check.add(id: "b", year: 2023, primaryTopic: "foundation-models", team: .collaboration) // found now
        check.add(id: "c", year: 2023, primaryTopic: "nlp", team: .industryOnly)
        // Classified foundation-models from 2018 on: b and x are known, one of them academic-only (y's
        // team is unknown, z is from 2016).
        check.add(id: "x", year: 2024, primaryTopic: "foundation-models", team: .academicOnly)
        check.add(id: "y", year: 2019, primaryTopic: "foundation-models", team: .unknown)
        check.add(id: "z", year: 2016, primaryTopic: "foundation-models", team: .academicOnly)
        let json = check.json
        #expect(json["drawn"]?.intValue == 4 && json["classified"]?.intValue == 3)
        #expect(json["foundation_models_rate"]?["value"]?.doubleValue == 0.5)
        #expect(json["estimated_missed_at_draw"]?["value"]?.intValue == 500)
        let low = try #require(json["estimated_missed_at_draw"]?["ci_low"]?.intValue)
        let high = try #require(json["estimated_missed_at_draw"]?["ci_high"]?.intValue)
        #expect(low < 500 && high > 500 && high <= 1000)
        #expect(json["found_now"]?.intValue == 1 && json["still_missed"]?.intValue == 1)
        #expect(json["academic_only_share_still_missed"]?["successes"]?.intValue == 1)
        #expect(json["academic_only_share_still_missed"]?["trials"]?.intValue == 1)
        #expect(json["academic_only_share_classified"]?["successes"]?.intValue == 1)
        #expect(json["academic_only_share_classified"]?["trials"]?.intValue == 2)
        // Standardized to the missed paper's year, 2023, whose one classified paper (b) is a collaboration.
        #expect(json["academic_only_share_classified_missed_years"]?.doubleValue == 0)
    }

    @Test func standardizesTheClassifiedShareToTheMissedPapersYears() {
        // Classified: 2022 one academic-only of four, 2024 three of four; missed: one in 2022, three in 2024.
        let classified: [Int: [TeamType: Int]] = [2022: [.academicOnly: 1, .industryOnly: 3, .unknown: 5], 2024: [.academicOnly: 3, .collaboration: 1]]
        let share = MissedFoundationModels.standardized(classified: classified, missedYears: [2022: 1, 2024: 3])
        #expect(abs(share - (0.25 * 0.25 + 0.75 * 0.75)) < 1e-12)
        // A missed year with no classified paper of known team type carries no weight.
        #expect(abs(MissedFoundationModels.standardized(classified: classified, missedYears: [2022: 1, 2019: 5]) - 0.25) < 1e-12)
    }

    @Test func badSamplesAreOneLineErrors() throws {
        func message(design: String, labels: [String]) throws -> String {
            let path = try folder(design: design, labels: labels)
            do {
                _ = try MissedFoundationModels.read(folder: path)
                return ""
            } catch let error as DivideError {
                return error.description
            }
        }
        #expect(try message(design: "{\"pool\": 0, \"from_year\": 2018, \"definition\": \"x\"}", labels: [row("a", fm: true)])
            .hasSuffix("design.json: needs pool (a positive count), from_year and definition"))
        #expect(try message(design: "{\"pool\": 1, \"from_year\": 2018, \"definition\": \"x\"}", labels: [row("a", fm: true), row("b", fm: false)])
            .hasSuffix("design.json: pool 1 is smaller than the 2 papers drawn from it"))
        #expect(try message(design: design, labels: [row("a", fm: true, split: "held-out")])
            .contains("paper a: the missed-foundation-models sample is development data only"))
        #expect(try message(design: design, labels: [row("a", fm: true), row("a", fm: false)]).hasSuffix(": line 2: paper a is labeled twice"))
        #expect(throws: DivideError.self) { try MissedFoundationModels.read(folder: "/nonexistent/missed-fm") }
    }

    /// design.json is read like every other input: within the file budget, regular files only,
    /// and a syntax error names the file.
    @Test func aDamagedDesignFileIsNamed() throws {
        let broken = try folder(design: "{\"pool\": 10, \"from_year\": 20", labels: [row("a", fm: true)])
        #expect(throws: DivideError(file: broken + "/design.json", reason: "invalid JSON at byte 28: unexpected end of input in object")) {
            try MissedFoundationModels.read(folder: broken)
        }
        let fifo = try folder(design: "", labels: [row("a", fm: true)])
        try FileManager.default.removeItem(atPath: fifo + "/design.json")
        #expect(mkfifo(fifo + "/design.json", 0o600) == 0)
        #expect(throws: DivideError(file: fifo + "/design.json", reason: "not a regular file")) { try MissedFoundationModels.read(folder: fifo) }
    }

    @Test func theCommittedSampleIsDrawnFromItsPool() throws {
        let check = try MissedFoundationModels.read(folder: ClassifyFixtures.fixtures + "/missed-fm-sample")
        #expect(check.labels.count >= 500 && check.design.pool > check.labels.count)
        #expect(check.labels.values.contains(true) && check.labels.values.contains(false))
    }
}
