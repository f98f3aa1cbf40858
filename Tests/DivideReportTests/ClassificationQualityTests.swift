@testable import DivideClassify
import DivideCore
@testable import DivideReport
import Foundation
import Testing

/// The methods section quotes the random sample's held-out figures with their intervals, and
/// labels the development ones as such.
struct ClassificationQualityTests {
    /// The methods section's classification part for a validation.json with these members.
    func methodsHTML(_ validation: JSONValue) throws -> String {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/classify", withIntermediateDirectories: true)
        try (JSONSerializer.serialize(validation) + "\n").write(toFile: folder + "/classify/validation.json", atomically: true, encoding: .utf8)
        return ClassificationQuality.html(stagesFolder: folder)
    }

    func scratchFolder() throws -> String {
        let folder = NSTemporaryDirectory() + "quality-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func printsHeldOutFiguresWithWilsonIntervals() throws {
        var sample = RandomSampleValidation(labels: [
            .init(id: "a", split: "held-out", topic: "foundation-models", foundationModel: true, borderline: false),
            .init(id: "b", split: "held-out", topic: "nlp", foundationModel: false, borderline: false),
            .init(id: "c", split: "development", topic: "nlp", foundationModel: false, borderline: false),
        ])
        sample.add(id: "a", primaryTopic: "foundation-models")
        sample.add(id: "b", primaryTopic: "foundation-models")
        sample.add(id: "c", primaryTopic: "nlp")
        let validation = JSONValue.object([("topic", .object([])), ("random_sample", sample.json)])
        let html = try methodsHTML(validation)
        #expect(html.contains("<strong>Held-out</strong> (2 papers, 1 labeled foundation-model papers)"))
        // Precision 1 of 2, with the Wilson interval for 1/2 (9.4%–90.5%).
        #expect(html.contains("precision <strong>50.0%</strong> (95% Wilson CI 9.4%–90.5%, 1 of 2)"))
        #expect(html.contains("Development (1 papers, optimistic)"))
    }

    @Test func printsTheMissedFoundationModelPapers() throws {
        let sample = try scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: sample) }
        try "{\"pool\": 2000, \"from_year\": 2018, \"definition\": \"papers <b>left out</b>\"}".write(toFile: sample + "/design.json", atomically: true, encoding: .utf8)
        try ["{\"id\":\"a\",\"split\":\"development\",\"topic\":\"foundation-models\",\"foundation_model\":true}",
             "{\"id\":\"b\",\"split\":\"development\",\"topic\":\"nlp\",\"foundation_model\":false}"].joined(separator: "\n").write(toFile: sample + "/labels.jsonl", atomically: true, encoding: .utf8)
        var check = try MissedFoundationModels.read(folder: sample)
        check.add(id: "a", year: 2022, primaryTopic: "nlp", team: .academicOnly)
        check.add(id: "b", year: 2022, primaryTopic: "nlp", team: .industryOnly)
        let validation = JSONValue.object([("topic", .object([])), ("missed_foundation_models", check.json)])
        let html = try methodsHTML(validation)
        // Half of the two drawn papers: 1,000 of the pool of 2,000; the definition is escaped.
        #expect(html.contains("missed about <strong>1,000</strong> such papers"))
        #expect(html.contains("papers &lt;b&gt;left out&lt;/b&gt;"))
        #expect(html.contains("the academic-only share is <strong>100.0%</strong>"))
    }

    @Test func printsTheSecondReadersAgreement() throws {
        let first = RandomSampleValidation(labels: [
            .init(id: "f1", split: "development", topic: "foundation-models", foundationModel: true, borderline: false),
            .init(id: "f2", split: "development", topic: "foundation-models", foundationModel: true, borderline: false),
            .init(id: "o1", split: "development", topic: "nlp", foundationModel: false, borderline: false),
            .init(id: "o2", split: "development", topic: "nlp", foundationModel: false, borderline: false),
        ])
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let labels = folder + "/second.jsonl"
        try ["{\"id\":\"f1\",\"topic\":\"foundation-models\",\"foundation_model\":true}", "{\"id\":\"f2\",\"topic\":\"nlp\",\"foundation_model\":false}",
             "{\"id\":\"o1\",\"topic\":\"nlp\",\"foundation_model\":false}"].joined(separator: "\n").write(toFile: labels, atomically: true, encoding: .utf8)
        let agreement = try SecondReaderAgreement(path: labels, firstReader: first)
        guard case var .object(sample) = first.json else { Issue.record("not an object"); return }
        sample.append(("second_reader", agreement.json))
        let validation = JSONValue.object([("topic", .object([])), ("random_sample", .object(sample))])
        let html = try methodsHTML(validation)
        // Recall 1 of 2 with its Wilson interval; no false positive among the one other read.
        #expect(html.contains("labeled 3 development papers"))
        #expect(html.contains("foundation-model recall <strong>50.0%</strong> (95% CI 9.4%–90.5%, 1 of 2)"))
        #expect(html.contains("(0 of 1); Cohen's κ"))
    }

    @Test func printsTheNameModelPerSector() throws {
        var industry = NameModelEvaluation.SectorScore(sector: .industry, threshold: 0.79)
        industry.names = 10
        industry.answered = 8
        industry.correct = 7
        industry.predicted = 8
        industry.predictedCorrect = 7
        var evaluation = NameModelEvaluation(sectors: [industry])
        evaluation.allNames = [industry]
        guard case var .object(model) = evaluation.json else { Issue.record("not an object"); return }
        model.append(("authors_inferred", .int(1234)))
        model.append(("papers_inferred", .int(56)))
        let validation = JSONValue.object([("topic", .object([])), ("name_model", .object(model))])
        let html = try methodsHTML(validation)
        #expect(html.contains("<tr><td>industry</td><td>0.79</td><td>10</td><td>87.5% ("))
        #expect(html.contains("7 of 8)</td><td>80.0% ("))
        #expect(html.contains("Sectors of <strong>1,234</strong> authors"))
        #expect(html.contains("<code>name-model p=…</code>"))
    }
}
