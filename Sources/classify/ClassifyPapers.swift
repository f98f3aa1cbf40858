import ArgumentParser
import DivideClassify
import DivideCore

struct ClassifyPapers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "papers",
        abstract: "Each paper's author sectors (with evidence), team type, topics, compute intensity and model mentions.",
        discussion: """
        Besides --output writes, in the same folder: unknown_rates.ndjson.gz (team and author unknown \
        rates per venue-year, also printed on stderr), topic_compute.ndjson.gz (median training compute of \
        each topic's notable Epoch models per era, compute-intensive flags) and validation.json (accuracy on \
        the hand-labeled samples). Rules: stages/classify/README.md and reference/README.md.
        """)

    @Option(help: "Deduplicated papers (stages/dedupe/papers.ndjson.gz).")
    var input: String

    @Option(help: "Organization registry (stages/classify/organizations.ndjson.gz).")
    var organizations: String

    @Option(help: "Deduplicated Epoch models (stages/dedupe/models.ndjson.gz).")
    var models: String

    @Option(help: "Folder of the curated reference files.")
    var reference: String = "reference"

    @Option(help: "Hand-labeled affiliation strings (TSV) to score the sector classifier on.")
    var labeledAffiliations: String?

    @Option(help: "Hand-labeled papers (JSON lines) to score the topic classifier on.")
    var labeledPapers: String?

    @Option(help: "Hand-labeled foundation-model papers (JSON lines) to score the fm_role rules on.")
    var labeledFmRoles: String?

    @Option(help: "Classified papers out (stages/classify/papers.ndjson.gz).")
    var output: String

    func run() throws {
        runStage("classify papers", output: output) { counts in
            let folder = output.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            let dir = folder.isEmpty ? "." : folder
            let setup = try PaperClassificationSetup(organizations: organizations, models: models, reference: reference)

            let writer = try NDJSONWriter(path: output)
            var rates = UnknownRates()
            let parallel = try ParallelPaperClassification(makeClassifier: setup.makeClassifier) { outcome, line in
                switch outcome {
                case let .classified(bytes, entry):
                    rates.add(entry)
                    try writer.writeSerialized(bytes)
                case let .invalid(reason):
                    throw DivideError(file: input, location: "line \(line)", reason: reason)
                }
            }
            // Inflating runs on its own thread, ahead of the batch the workers are classifying.
            let lines = PrefetchingLineReader(path: input, depth: 32)
            try lines.forEachLine { line in
                if line.isEmpty { return }
                counts.input += 1
                try parallel.add(line: line, number: lines.lineNumber)
            }
            try parallel.flush()
            try writer.commit()
            counts.output = writer.count
            let sectors = SectorClassifier(registry: setup.registry)

            let ratesWriter = try NDJSONWriter(path: dir + "/unknown_rates.ndjson.gz")
            for row in rates.rows { try ratesWriter.write(row) }
            try ratesWriter.commit()
            printError("classify papers: unknown rates per venue-year (also in unknown_rates.ndjson.gz)")
            for line in rates.table.split(separator: "\n") { printError("  " + line) }

            let computeWriter = try NDJSONWriter(path: dir + "/topic_compute.ndjson.gz")
            for row in setup.computeIntensity.rows { try computeWriter.write(row.json) }
            try computeWriter.commit()

            if let labeledAffiliations, let labeledPapers {
                let a = ClassificationValidation.score(
                    affiliations: try ClassificationValidation.readAffiliations(path: labeledAffiliations), with: sectors)
                let t = ClassificationValidation.score(
                    papers: try ClassificationValidation.readPapers(path: labeledPapers), with: setup.topics)
                var validation = ClassificationValidation.json(affiliations: a, topics: t)
                if let labeledFmRoles, case var .object(members) = validation {
                    let roles = try ClassificationValidation.scoreFMRoles(path: labeledFmRoles, with: setup.fmRoles)
                    members.append(("fm_role", ClassificationValidation.json(fmRoles: roles)))
                    validation = .object(members)
                    printError("classify papers: fm_role accuracy \(roles.correct)/\(roles.total)")
                }
                try AtomicFile.write(JSONSerializer.serialize(validation) + "\n", to: dir + "/validation.json")
                printError("classify papers: affiliation → sector accuracy \(a.correct)/\(a.total); "
                    + "foundation-models precision \(t.truePositives)/\(t.truePositives + t.falsePositives), "
                    + "recall \(t.truePositives)/\(t.truePositives + t.falseNegatives)")
            }
        }
    }
}
