import ArgumentParser
import DivideClassify
import DivideCore

struct ClassifyOrganizations: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "organizations",
        abstract: "Build the organization registry (ROR v1/v2, university-domains, swot, Epoch organizations).",
        discussion: """
        One line per organization with its sectors and the rule that gave them (stages/classify/README.md). \
        ROR types → sector: education → academia; company → industry; healthcare → academia; government → \
        government; facility/other → parent's sector (national laboratories → government, no parent → \
        academia); nonprofit/funder → nonprofit. `ror` rows of the alias file override a record and its children.
        """)

    @Option(help: "The offline snapshot (reads ror/, university-domains/, swot/).")
    var snapshot: String

    @Option(help: "Deduplicated Epoch models (stages/dedupe/models.ndjson.gz), for the organizations they name.")
    var models: String

    @Option(help: "Curated aliases (reference/organization-aliases.tsv), for the ROR sector overrides.")
    var aliases: String = "reference/organization-aliases.tsv"

    @Option(help: "Registry out (stages/classify/organizations.ndjson.gz).")
    var output: String

    func run() throws {
        runStage("classify organizations", output: output) { counts in
            let aliasTable = try OrganizationAliases(path: aliases)
            let modelRecords = try NDJSONReader(path: models).readAll(ModelRecord.self)
            let organizations = try OrganizationRegistryBuilder(snapshot: snapshot, aliases: aliasTable).build(models: modelRecords)
            let writer = try NDJSONWriter(path: output)
            for org in organizations { try writer.write(org) }
            try writer.commit()
            counts.input = organizations.count
            counts.output = writer.count
            var bySource: [String: Int] = [:]
            for org in organizations { bySource[org.source, default: 0] += 1 }
            printError("classify organizations: " + bySource.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.grouped)" }.joined(separator: ", "))
        }
    }
}
