import ArgumentParser
import DivideCore
import DivideSources
import Foundation

struct ParseOpenAlex: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openalex",
        abstract: "OpenAlex works (list responses from the live harvest, or single work objects) → paper records.",
        discussion: """
        Author and institution objects in the manifest hold no works and are skipped. A work without \
        an id or a title goes to the rejects file; a file that is not JSON is quarantined whole (the \
        stage fails only when no file is readable). Incremental \
        harvests overlap, so a work can arrive more than once: the copy on the latest page in \
        manifest order (harvest folders sort by start time) is kept, older copies count as merged.
        """)

    @OptionGroup var options: ParseOptions

    func run() throws {
        runStage("parse openalex", output: options.output) { counts in
            let listed = try FetchManifestEntry.read(manifest: options.manifest)
                .filter { $0.entry.path.contains(".json") }
                .map { (name: $0.entry.path, path: $0.absolutePath) }
            let writer = try NDJSONWriter(path: options.output)
            let rejects = try RejectsWriter(path: options.rejects)
            // Quarantine unreadable files first: the newest-copy rule below reads every file twice.
            var files: [(name: String, path: String)] = []
            for file in listed {
                do {
                    _ = try OpenAlexWorksParser().parse(path: file.path, displayName: file.name, emit: { _ in }, reject: { _, _ in })
                    files.append(file)
                } catch {
                    let reason = (error as? DivideError)?.located ?? "\(error)"
                    counts.input += 1
                    counts.reject(reason: "whole file rejected: " + StageCounts.category(of: (error as? DivideError)?.reason ?? reason))
                    try rejects.reject(file: file.name, location: nil, reason: reason, kind: "file")
                }
            }
            guard !files.isEmpty else {
                throw DivideError(file: options.manifest, reason: "none of the \(listed.count) input file(s) could be read (see the rejects file); no valid output")
            }
            let totals = try OpenAlexWorksParser().parseLatest(files: files, emit: { try writer.write($0) }, reject: { file, location, reason in
                counts.rejectReasons[reason, default: 0] += 1
                try rejects.reject(file: file, location: location, reason: reason, excerpt: "")
            })
            counts.input += totals.records + totals.rejected + totals.superseded
            counts.output = totals.records
            counts.rejected += totals.rejected
            counts.merged = totals.superseded
            try rejects.commit()
            try writer.commit()
        }
    }
}
