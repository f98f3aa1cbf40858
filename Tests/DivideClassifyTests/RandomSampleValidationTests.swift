import DivideClassify
import DivideCore
import Foundation
import Testing

/// The random-sample figures: counts per split, borderline papers left out, Wilson intervals.
@Suite struct RandomSampleValidationTests {
    func write(_ lines: [String]) throws -> String {
        let path = NSTemporaryDirectory() + "random-sample-\(UUID().uuidString).jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func row(_ id: String, _ split: String, _ topic: String, fm: Bool, borderline: Bool = false) -> String {
        "{\"id\":\"\(id)\",\"split\":\"\(split)\",\"topic\":\"\(topic)\",\"foundation_model\":\(fm),\"borderline\":\(borderline),\"fm_role\":null,\"note\":\"\"}"
    }

    @Test func scoresEachSplitOnTheClassifiedPapers() throws {
        let path = try write([
            row("a", "held-out", "foundation-models", fm: true),
            row("b", "held-out", "foundation-models", fm: true, borderline: true),
            row("c", "held-out", "nlp", fm: false),
            row("d", "held-out", "computer-vision", fm: false),
            row("e", "development", "nlp", fm: false),
            row("f", "held-out", "nlp", fm: false),
        ])
        var v = try RandomSampleValidation.read(path: path)
        v.add(id: "a", primaryTopic: "foundation-models")   // true positive
        v.add(id: "b", primaryTopic: "nlp")                 // false negative (borderline)
        v.add(id: "c", primaryTopic: "foundation-models")   // false positive
        v.add(id: "d", primaryTopic: "computer-vision")
        v.add(id: "e", primaryTopic: "nlp")
        v.add(id: "unlabeled", primaryTopic: "nlp")
        let held = try #require(v.scores["held-out"])
        #expect(held.labeled == 4)
        #expect((held.truePositives, held.falsePositives, held.falseNegatives) == (1, 1, 1))
        #expect(held.topicCorrect == 2)
        #expect(held.precision.share == 0.5 && held.recall.share == 0.5)
        #expect(held.accuracy.low < 0.5 && held.accuracy.high > 0.5)
        #expect(v.clearScores["held-out"]?.falseNegatives == 0)
        #expect(v.scores["development"]?.labeled == 1)
        #expect(v.missing == 1)
        let json = v.json
        #expect(json["held-out"]?["foundation_models_precision"]?["trials"]?.intValue == 2)
        #expect(json["held-out"]?["without_borderline"]?["labeled"]?.intValue == 3)
    }

    @Test func badLabelsAreOneLineErrors() throws {
        let twice = try write([row("a", "held-out", "nlp", fm: false), row("a", "development", "nlp", fm: false)])
        #expect(throws: DivideError.self) { try RandomSampleValidation.read(path: twice) }
        let split = try write([row("a", "test", "nlp", fm: false)])
        #expect(throws: DivideError.self) { try RandomSampleValidation.read(path: split) }
        #expect(throws: DivideError.self) { try RandomSampleValidation.read(path: "/nonexistent/labels.jsonl") }
    }

    @Test func theCommittedSampleHasBothSplits() throws {
        let v = try RandomSampleValidation.read(path: ClassifyFixtures.fixtures + "/random-sample")
        #expect(v.labels.count >= 1000)
        #expect(Set(v.labels.values.map(\.split)) == ["development", "held-out"])
    }
}
