import DivideClassify
import DivideCore
import DivideSources
import Foundation
import TestSnapshot

/// Paths and shared, built-once objects for the classification tests (snapshot: TestSnapshot).
enum ClassifyFixtures {
    static let packageRoot = TestSnapshot.packageRoot
    static let snapshot = TestSnapshot.folder
    static let snapshotAvailable = TestSnapshot.has("ror/ror-records.jsonl.gz")

    static let reference = packageRoot + "/reference"
    static let fixtures = packageRoot + "/Tests/DivideClassifyTests/Fixtures"

    static func text(_ name: String) -> String {
        (try? String(contentsOfFile: reference + "/" + name, encoding: .utf8)) ?? ""
    }

    /// Epoch's notable-models table from the snapshot (the organizations it names, model names).
    static let epochModels: [ModelRecord] = {
        var out: [ModelRecord] = []
        let dir = snapshot + "/epoch"
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix("notable_ai_models") }
        for file in files {
            _ = try? EpochCSVParser().parse(path: dir + "/" + file, displayName: file, emit: { out.append($0) }, reject: { _, _, _ in })
        }
        return out
    }()

    static let organizations: [Organization] = {
        let aliases = try! OrganizationAliases(referenceFolder: reference)
        return try! OrganizationRegistryBuilder(snapshot: snapshot, aliases: aliases).build(models: epochModels)
    }()

    static func sectorClassifier(aliasesText: String? = nil) throws -> SectorClassifier {
        let aliases = try OrganizationAliases(text: aliasesText ?? text("organization-aliases.tsv"))
            .adding(PublicResearchInstitutes(text: text(PublicResearchInstitutes.fileName)))
        return SectorClassifier(registry: OrganizationRegistry(organizations: organizations, aliases: aliases))
    }

    static func topicClassifier(rulesText: String? = nil) throws -> TopicClassifier {
        try TopicClassifier(text: rulesText ?? text("topic-rules.tsv"))
    }
}
