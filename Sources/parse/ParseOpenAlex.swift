import ArgumentParser
import DivideCore
import DivideSources
import Foundation

struct ParseOpenAlex: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openalex",
        abstract: "OpenAlex works (list responses from the live harvest, or single work objects) → paper records.",
        discussion: "Author and institution objects in the manifest hold no works and are skipped. A work without an id or a title goes to the rejects file; a file that is not JSON is an error.")

    @OptionGroup var options: ParseOptions

    func run() throws {
        runStage("parse openalex", output: options.output) { counts in
            let writer = try NDJSONWriter(path: options.output)
            let rejects = try RejectsWriter(path: options.rejects)
            for (entry, path) in try FetchManifestEntry.read(manifest: options.manifest) where entry.path.contains(".json") {
                let result = try OpenAlexWorksParser().parse(path: path, displayName: entry.path, emit: { record in
                    try writer.write(record)
                }, reject: { location, reason in
                    counts.rejectReasons[reason, default: 0] += 1
                    try rejects.reject(file: entry.path, location: location, reason: reason, excerpt: "")
                })
                counts.input += result.records + result.rejected
                counts.output += result.records
                counts.rejected += result.rejected
            }
            try rejects.commit()
            try writer.commit()
        }
    }
}
