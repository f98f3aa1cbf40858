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
        discussion: "Rows without a model name, with a field count that differs from the header, an unterminated quote, invalid UTF-8, an unparseable or out-of-range date or a non-numeric compute go to the rejects file. A table that cannot be read (corrupt gzip, empty, header only, no Model/System column) is quarantined whole and the others are parsed; the stage fails only when no table can be read.")

    @OptionGroup var options: ParseOptions

    func run() throws {
        runStage("parse epoch", output: options.output) { counts in
            let writer = try NDJSONWriter(path: options.output)
            let rejects = try RejectsWriter(path: options.rejects)
            let files = try FetchManifestEntry.read(manifest: options.manifest).map { entry, path in
                (name: String(entry.path.split(separator: "/").last ?? ""), path: path)
            }
            // A damaged table is quarantined whole; the others are still parsed. The tables are
            // few and small: parsed side by side.
            try FileQuarantine<ModelRecord>(stage: "parse epoch").run(
                files: files, writer: writer, rejects: rejects, counts: &counts, concurrently: true
            ) { path, name, sink in
                _ = try EpochCSVParser().parse(path: path, displayName: name, emit: { sink.emit($0) },
                                               reject: { line, reason, excerpt in sink.reject("line \(line)", reason, excerpt) })
            }
            counts.noteInput(options.manifest, output: options.output)
            counts.noteRejects(options.rejects, output: options.output)
            try rejects.commit()
            try writer.commit()
        }
    }
}
