import ArgumentParser
import DivideCore
import DivideSources

public struct ParseCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Turn fetched upstream payloads into records (gzip NDJSON), one source at a time.",
        subcommands: [Epoch.self, Arxiv.self, PaperLists.self, ACL.self, OpenAlex.self, Sites.self])
    public init() {}

    struct Paths: ParsableArguments {
        @Option(help: "The source's fetch manifest (stages/fetch/<source>.manifest.ndjson.gz).")
        var manifest: String
        @Option(help: "Records out (gzip NDJSON); counts go beside it as .counts.json.")
        var output: String
        @Option(help: "Rejected rows with their reasons (gzip NDJSON).")
        var rejects: String
    }

    struct PaperPaths: ParsableArguments {
        @OptionGroup var common: Paths
        @Option(help: "One line per input file (pages, layouts, statuses, front matter) as gzip NDJSON.")
        var fileReport: String
        var outputs: ParseOutputs { ParseOutputs(manifest: common.manifest, output: common.output, rejects: common.rejects, fileReport: fileReport) }
    }

    struct Epoch: StageCommand {
        static let configuration = CommandConfiguration(
            commandName: "epoch",
            abstract: "Epoch AI model tables (RFC 4180 CSV, both the 2023 `System` and 2025+ `Model` schemas) → model records.",
            discussion: "Rows without a model name, with a field count that differs from the header, an unterminated quote, invalid UTF-8, an unparseable or out-of-range date or a non-numeric compute go to the rejects file. A table that cannot be read (corrupt gzip, empty, header only, no Model/System column) is quarantined whole and the others are parsed; the stage fails only when no table can be read, or a table the manifest lists is missing.")
        @OptionGroup var paths: Paths
        @OptionGroup var flags: StageFlags
        func run(options: StageOptions) throws {
            try ParseStage.run(EpochSource(), ParseOutputs(manifest: paths.manifest, output: paths.output, rejects: paths.rejects), options: options)
        }
    }

    struct Arxiv: StageCommand {
        static let configuration = CommandConfiguration(
            commandName: "arxiv",
            abstract: "arXiv OAI-PMH ListRecords pages (metadataPrefix=arXiv, XML) → paper records.",
            discussion: "Streams every page with libxml2's SAX2 push parser. Deleted headers, records without arXiv metadata, an empty title or a malformed <created> date go to the rejects file. Author fields that --author-notes names as a person's name or a role are not affiliations: they are counted (file report `author_notes`, summary line), not kept. The resumption-token chain is checked and reported per page.")
        @OptionGroup var paths: PaperPaths
        @Option(help: "Author fields that are names or roles, not affiliations (reference/arxiv-author-notes.tsv); none when left out.")
        var authorNotes: String?
        @OptionGroup var flags: StageFlags
        func run(options: StageOptions) throws {
            let notes = try authorNotes.map { try ArxivAuthorNotes(path: $0) } ?? ArxivAuthorNotes()
            try ParseStage.run(ArxivSource(authorNotes: notes), paths.outputs, options: options)
        }
    }

    struct PaperLists: StageCommand {
        static let configuration = CommandConfiguration(
            commandName: "paperlists",
            abstract: "Conference paper lists (papercopilot/paperlists, <venue>/<venue><year>.json) → paper records.",
            discussion: "Every venue-year file in the manifest is read; venue from the folder, year from the file name. The author separator (';' or ', ') and the affiliation layout (per author or unique list) are detected per file and reported. Rejected and withdrawn submissions are kept with their status (dedupe excludes them from the analysis set). Entries without a title, accepted entries without authors and repeated ids go to the rejects file.")
        @OptionGroup var paths: PaperPaths
        @OptionGroup var flags: StageFlags
        func run(options: StageOptions) throws { try ParseStage.run(PaperListsSource(), paths.outputs, options: options) }
    }

    struct ACL: StageCommand {
        static let configuration = CommandConfiguration(
            commandName: "acl",
            abstract: "ACL Anthology collection files (data/xml/*.xml) → paper records.",
            discussion: "Volumes give venue and year; front matter is skipped and counted in the file report. Papers without authors (e.g. 'Publications Received'), retracted papers and papers of a volume without a year go to the rejects file.")
        @OptionGroup var paths: PaperPaths
        @OptionGroup var flags: StageFlags
        func run(options: StageOptions) throws { try ParseStage.run(ACLSource(), paths.outputs, options: options) }
    }

    struct OpenAlex: StageCommand {
        static let configuration = CommandConfiguration(
            commandName: "openalex",
            abstract: "OpenAlex works (list responses from the live harvest, or single work objects) → paper records.",
            discussion: "Author and institution objects in the manifest hold no works and are skipped. A work without an id or a title goes to the rejects file; a file that is not JSON is quarantined whole (the stage fails only when no file is readable). Incremental harvests overlap, so a work can arrive more than once: the copy on the latest page in manifest order (harvest folders sort by start time) is kept, older copies count as merged.")
        @OptionGroup var paths: Paths
        @OptionGroup var flags: StageFlags
        func run(options: StageOptions) throws {
            try ParseStage.run(OpenAlexSource(), ParseOutputs(manifest: paths.manifest, output: paths.output, rejects: paths.rejects), options: options)
        }
    }

    struct Sites: StageCommand {
        static let configuration = CommandConfiguration(
            commandName: "sites",
            abstract: "Conference-site affiliation lists (paper-affiliations/, described by its files.tsv) → paper records.",
            discussion: "Each file is read in the layout its files.tsv line names (site-text, copilot-markdown, speaker-jsonl, schedule-csv, openreview-csv); a file the table does not list is quarantined. Submissions lists keep every submission with its status (accepted by its own decision or the venue-year's decisions file; dedupe excludes the rest). Per-file counts (records, with affiliations, shifted Markdown records) are written to the file report. Records without a title or authors, over the record budget, or with unbalanced parentheses go to the rejects file.")
        @OptionGroup var paths: PaperPaths
        @OptionGroup var flags: StageFlags
        func run(options: StageOptions) throws { try ParseStage.run(SiteListsSource(), paths.outputs, options: options) }
    }
}
