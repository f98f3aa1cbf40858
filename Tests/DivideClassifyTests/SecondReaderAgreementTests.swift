@testable import DivideClassify
import DivideCore
import Foundation
import Testing

/// A second reader's labels against the first reader's, with each stratum weighted to the split:
/// figures worked out by hand for a small sample.
@Suite struct SecondReaderAgreementTests {
    func write(_ lines: [String]) throws -> String {
        let path = NSTemporaryDirectory() + "second-reader-\(UUID().uuidString).jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func row(_ id: String, _ topic: String, fm: Bool) -> String {
        "{\"id\":\"\(id)\",\"topic\":\"\(topic)\",\"foundation_model\":\(fm),\"borderline\":false,\"fm_role\":null,\"note\":\"\"}"
    }

    /// First reader, development: f1–f4 foundation-model papers (f4 borderline), o1–o8 nlp; one held-out paper.
    var firstReader: RandomSampleValidation {
        var labels: [RandomSampleValidation.Label] = []
        for i in 1...4 {
            labels.append(.init(id: "f\(i)", split: "development", topic: "foundation-models", foundationModel: true, borderline: i == 4))
        }
        for i in 1...8 {
            labels.append(.init(id: "o\(i)", split: "development", topic: "nlp", foundationModel: false, borderline: false))
        }
        labels.append(.init(id: "h1", split: "held-out", topic: "nlp", foundationModel: false, borderline: false))
        return RandomSampleValidation(labels: labels)
    }

    @Test func weightsEachStratumToTheSplit() throws {
        // The second reader misses f3 and calls o1 a foundation-model paper; it read o1–o4 of the eight others.
        let path = try write([
            row("f1", "foundation-models", fm: true), row("f2", "foundation-models", fm: true), row("f3", "nlp", fm: false),
            row("f4", "foundation-models", fm: true), row("o1", "foundation-models", fm: true), row("o2", "nlp", fm: false),
            row("o3", "nlp", fm: false), row("o4", "computer-vision", fm: false),
        ])
        let a = try SecondReaderAgreement(path: path, firstReader: firstReader)
        #expect(a.papers == 8)
        let f = a.all
        #expect((f.foundationModels, f.others, f.sampledFoundationModels, f.sampledOthers) == (4, 8, 4, 4))
        #expect(f.recall.share == 0.75)
        #expect(f.rateAmongOthers.share == 0.25)
        // 4 × 3/4 = 3 agreed papers of the split against 8 × 1/4 = 2 the second reader adds: 3 / 5.
        #expect(abs(f.precision.value - 0.6) < 1e-12)
        #expect(f.precision.low < 0.6 && f.precision.high > 0.6 && f.precision.high <= 1)
        // Weighted table 3, 1 / 2, 6 of 12: observed 9/12, expected 1/3 · 5/12 + 2/3 · 7/12 = 19/36, κ = 8/17.
        #expect(abs(f.kappa - 8.0 / 17.0) < 1e-12)
        // Topics: 3 of 4 and 2 of 4, weighted (4 · 3/4 + 8 · 2/4) / 12.
        #expect(abs(f.topicAgreement - 7.0 / 12.0) < 1e-12)
        // Without the first reader's borderline f4: recall 2/3, precision (3 · 2/3) / (2 + 8 · 1/4).
        #expect(a.withoutBorderline.sampledFoundationModels == 3)
        #expect(abs(a.withoutBorderline.precision.value - 0.5) < 1e-12)
        let json = a.json
        #expect(json["recall"]?["successes"]?.intValue == 3)
        #expect(json["kappa"]?.doubleValue == 0.4706)
        #expect(json["without_borderline"]?["recall"]?["trials"]?.intValue == 3)
    }

    @Test func perfectAgreementIsKappaOne() throws {
        let path = try write([row("f1", "foundation-models", fm: true), row("f2", "foundation-models", fm: true),
                              row("f3", "foundation-models", fm: true), row("o1", "nlp", fm: false), row("o2", "nlp", fm: false)])
        let f = try SecondReaderAgreement(path: path, firstReader: firstReader).withoutBorderline
        #expect(f.kappa == 1 && f.precision.value == 1 && f.recall.share == 1 && f.topicAgreement == 1)
    }

    @Test func badLabelsAreOneLineErrors() throws {
        func message(_ lines: [String]) throws -> String {
            let path = try write(lines)
            do {
                _ = try SecondReaderAgreement(path: path, firstReader: firstReader)
                return ""
            } catch let error as DivideError {
                return error.description
            }
        }
        #expect(try message([row("f1", "foundation-models", fm: true), row("h1", "nlp", fm: false)])
            .hasSuffix(": line 2: paper h1 is not in the random sample's development split"))
        #expect(try message([row("f1", "foundation-models", fm: true), row("f1", "foundation-models", fm: true)]).hasSuffix(": line 2: paper f1 is labeled twice"))
        #expect(try message([row("f1", "foundation-models", fm: true)]).contains("needs papers the first reader labeled foundation-model and papers it did not"))
        #expect(try message(["{\"id\":\"f1\",\"topic\":\"nlp\"}"]).hasSuffix(": line 1: foundation_model must be true or false"))
    }

    @Test func theCommittedSecondReaderCoversTheFirstReadersFoundationModelPapers() throws {
        let first = try RandomSampleValidation.read(path: ClassifyFixtures.fixtures + "/random-sample")
        let a = try SecondReaderAgreement(path: ClassifyFixtures.fixtures + "/second-reader/labels.jsonl", firstReader: first)
        // The draw takes every development paper the first reader labeled foundation-model.
        #expect(a.all.sampledFoundationModels == a.all.foundationModels)
        #expect(a.all.sampledOthers >= 100)
    }
}
