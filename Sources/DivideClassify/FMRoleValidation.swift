import DivideCore
import DivideStats

extension ClassificationValidation {
    /// The fm_role rules scored on a random sample of foundation-model papers labeled by hand
    /// (`fm-role-labeled.jsonl`: `{id, venue, year, title, abstract_excerpt, fm_role}`, fm_role
    /// `developing`, `using`, or `not-fm` for a paper the topic rules wrongly call foundation-models,
    /// which is counted but not scored).
    public struct FMRoleScore {
        public var total = 0
        public var correct = 0
        public var notFoundationModels = 0
        public var errors: [(id: String, title: String, expected: String, found: String)] = []
        public var interval: WilsonInterval { WilsonInterval(successes: correct, trials: total) }
    }

    public static func scoreFMRoles(path: String, with classifier: FMRoleClassifier) throws -> FMRoleScore {
        var s = FMRoleScore()
        try NDJSONReader(path: path).forEach { json, line in
            guard let label = json["fm_role"]?.stringValue, let title = json["title"]?.stringValue else {
                throw DivideError(file: path, location: "line \(line)", reason: "labeled paper needs title and fm_role")
            }
            if label == "not-fm" { s.notFoundationModels += 1; return }
            guard let expected = FMRole(rawValue: label) else {
                throw DivideError(file: path, location: "line \(line)", reason: "fm_role must be developing, using or not-fm")
            }
            let found = classifier.classify(title: title, abstract: json["abstract_excerpt"]?.stringValue ?? "")
            s.total += 1
            if found == expected { s.correct += 1 } else {
                s.errors.append((json["id"]?.stringValue ?? "line \(line)", title, expected.rawValue, found.rawValue))
            }
        }
        return s
    }

    public static func json(fmRoles s: FMRoleScore) -> JSONValue {
        let ci = s.interval
        return .object([
            ("labeled", .int(s.total)), ("correct", .int(s.correct)), ("accuracy", .double(round4(ci.share))),
            ("ci_low", .double(round4(ci.low))), ("ci_high", .double(round4(ci.high))),
            ("not_foundation_models", .int(s.notFoundationModels)),
        ])
    }
}
