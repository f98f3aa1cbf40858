import ArgumentParser
import DivideCore
import DivideSources
import Foundation

@main
struct Parse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn fetched upstream payloads into records (gzip NDJSON), one source at a time.",
        subcommands: [ParseEpoch.self, ParseArxiv.self, ParsePaperLists.self, ParseACL.self, ParseOpenAlex.self])
}

/// Options every parse subcommand shares.
struct ParseOptions: ParsableArguments {
    @Option(help: "The source's fetch manifest (stages/fetch/<source>.manifest.ndjson.gz).")
    var manifest: String

    @Option(help: "Records out (gzip NDJSON); counts go beside it as .counts.json.")
    var output: String

    @Option(help: "Rejected rows with their reasons (gzip NDJSON).")
    var rejects: String
}

struct ParseEpoch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "epoch",
        abstract: "Epoch AI model tables (RFC 4180 CSV, both the 2023 `System` and 2025+ `Model` schemas) → model records.",
        discussion: "Rows without a model name, with a field count that differs from the header, an unterminated quote, an unparseable date or a non-numeric compute go to the rejects file.")

    @OptionGroup var options: ParseOptions

    func run() throws {
        runStage("parse epoch", output: options.output) { counts in
            let writer = try NDJSONWriter(path: options.output)
            let rejects = try RejectsWriter(path: options.rejects)
            let progress = Progress(label: "parse epoch")
            for (entry, path) in try FetchManifestEntry.read(manifest: options.manifest) {
                let name = String(entry.path.split(separator: "/").last ?? "")
                let result = try EpochCSVParser().parse(path: path, displayName: name, emit: { record in
                    try writer.write(record)
                    progress.update(writer.count)
                }, reject: { line, reason, excerpt in
                    counts.rejectReasons[reason.components(separatedBy: ":").first ?? reason, default: 0] += 1
                    try rejects.reject(file: name, location: "line \(line)", reason: reason, excerpt: excerpt)
                })
                counts.input += result.records + result.rejected
                counts.output += result.records
                counts.rejected += result.rejected
            }
            progress.finish()
            try rejects.commit()
            try writer.commit()
        }
    }
}
