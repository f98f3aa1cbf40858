import DivideCore
import Foundation

/// The provenance table: every upstream source the report rests on, what it contributes, its
/// licence and the date of the upstream data (not of the local copy). Dates come, in order of
/// preference, from the servers' Last-Modified headers (live fetch), dates in the file names
/// (Epoch's exports), or the dates the snapshot's README states for the source's folder.
public struct SourceProvenance {
    public struct Source {
        public let name: String, snapshotFolder: String, title: String, role: String, licence: String
    }

    public static let sources: [Source] = [
        Source(name: "epoch", snapshotFolder: "epoch", title: "Epoch AI model tables", role: "the models: developers, sectors, training compute, dates", licence: "CC BY 4.0 (“Epoch AI”)"),
        Source(name: "arxiv", snapshotFolder: "arxiv-oai", title: "arXiv (OAI-PMH harvest)", role: "papers: authors, affiliations, categories", licence: "CC0 (metadata)"),
        Source(name: "paperlists", snapshotFolder: "paperlists", title: "Conference paper lists (papercopilot/paperlists)", role: "papers of NeurIPS, ICML, ICLR, CVPR and 20 more venues, with affiliations", licence: "none stated"),
        Source(name: "acl", snapshotFolder: "acl-anthology", title: "ACL Anthology", role: "papers of ACL venues, with affiliations from 2022", licence: "none stated (code Apache-2.0)"),
        Source(name: "ror", snapshotFolder: "ror", title: "Research Organization Registry (ROR)", role: "organization names, types and domains → sectors", licence: "CC0"),
        Source(name: "university-domains", snapshotFolder: "university-domains", title: "university-domains list (Hipo)", role: "universities and their web domains → academia", licence: "MIT"),
        Source(name: "swot", snapshotFolder: "swot", title: "swot academic e-mail domains (JetBrains)", role: "academic e-mail domains → academia", licence: "Apache-2.0"),
        Source(name: "openalex", snapshotFolder: "openalex", title: "OpenAlex", role: "works with institution types (live harvest; the snapshot holds schema samples only)", licence: "CC0"),
        Source(name: "sites", snapshotFolder: "paper-affiliations", title: "Conference-site affiliation lists (nips.cc, icml.cc, Paper Copilot, OpenReview decisions; copied from public scrapes)", role: "institutions of NeurIPS 2006–2020, 2023–24, ICML 2017–20, ICLR 2018–19, 2023, 2025 papers; ICLR 2025 decisions", licence: "none stated"),
        Source(name: "ror-2021", snapshotFolder: "ror-2021-names", title: "ROR 2021 names and types (biocodellc/ror-parser)", role: "organization names by exact match → sectors, below ROR", licence: "CC0 (upstream)"),
    ]

    static func source(named name: String) -> Source? { sources.first { $0.name == name } }

    public struct ManifestLine {
        public let source: String, path: String, url: String, bytes: Int, sha256: String, fetchedAt: String, lastModified: String?
    }

    let manifests: [ManifestLine]
    /// The snapshot's README, when the manifests point into a snapshot that has one.
    let snapshotReadme: String?

    public init(manifests: [ManifestLine]) {
        self.manifests = manifests
        var readme: String?
        if let url = manifests.first(where: { $0.url.hasPrefix("file://") })?.url,
           let source = SourceProvenance.source(named: manifests.first(where: { $0.url.hasPrefix("file://") })!.source) {
            // file://<snapshot>/<folder>/<file>: the snapshot is what precedes the source's folder.
            let path = String(url.dropFirst("file://".count))
            if let range = path.range(of: "/" + source.snapshotFolder + "/") {
                readme = try? String(decoding: readFileBytes(path: String(path[..<range.lowerBound]) + "/README.md"), as: UTF8.self)
            }
        }
        snapshotReadme = readme
    }

    /// The upstream data's date for a source, or nil when neither the server nor the snapshot states one.
    public func upstreamDate(of source: String) -> String? {
        let files = manifests.filter { $0.source == source }
        let modified = files.compactMap(\.lastModified).compactMap(SourceProvenance.httpDate)
        if let latest = modified.max() { return latest }
        let named = files.flatMap { SourceProvenance.dates(in: ($0.path as NSString).lastPathComponent) }.sorted()
        if let first = named.first, let last = named.last { return first == last ? first : "\(first) to \(last)" }
        guard let readme = snapshotReadme, let folder = SourceProvenance.source(named: source)?.snapshotFolder else { return nil }
        let section = SourceProvenance.section(of: readme, folder: folder)
        return SourceProvenance.dates(in: section).max()
    }

    /// The README section whose heading starts with `## <folder>/`.
    static func section(of readme: String, folder: String) -> String {
        var inside = false, text = ""
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { inside = line.hasPrefix("## " + folder + "/") }
            if inside { text += line + "\n" }
        }
        return text
    }

    /// Dates written YYYY-MM-DD or YYYY-MM (a year alone is too ambiguous: "2020–21").
    static func dates(in text: String) -> [String] {
        let chars = Array(text.utf8)
        var found: [String] = []
        func digits(_ i: Int, _ n: Int) -> Bool { i + n <= chars.count && chars[i..<i + n].allSatisfy { (48...57).contains($0) } }
        var i = 0
        while i < chars.count {
            let boundary = i == 0 || !(48...57).contains(chars[i - 1])
            if boundary, digits(i, 4), i + 7 <= chars.count, chars[i + 4] == 45, digits(i + 5, 2) {
                var end = i + 7
                if end + 3 <= chars.count, chars[end] == 45, digits(end + 1, 2), !digits(end + 3, 1) { end += 3 }
                if !digits(end, 1), let month = Int(String(decoding: chars[i + 5..<i + 7], as: UTF8.self)), (1...12).contains(month) {
                    found.append(String(decoding: chars[i..<end], as: UTF8.self))
                }
                i = end
                continue
            }
            i += 1
        }
        return found
    }

    /// An HTTP Last-Modified date as YYYY-MM-DD.
    static func httpDate(_ value: String) -> String? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    /// The table of sources; `records` gives the records each source's parse stage read.
    public func html(records: (String) -> String) -> String {
        var s = "<div class=\"table-wrap\"><table><caption>Sources</caption><thead><tr><th>source</th><th>used for</th><th>files</th><th>bytes</th><th>upstream data of</th><th>records read</th><th>licence</th></tr></thead><tbody>"
        for source in SourceProvenance.sources {
            let files = manifests.filter { $0.source == source.name }
            let fetched = !files.isEmpty
            s += "<tr><td>\(escapeHTML(source.title))</td><td>\(escapeHTML(source.role))</td>"
            s += "<td class=\"num\">\(fetched ? String(files.count) : "—")</td><td class=\"num\">\(fetched ? String(files.reduce(0) { $0 + $1.bytes }) : "—")</td>"
            s += "<td>\(escapeHTML(fetched ? (upstreamDate(of: source.name) ?? "not stated") : "not fetched"))</td>"
            s += "<td class=\"num\">\(escapeHTML(records(source.name)))</td><td>\(escapeHTML(source.licence))</td></tr>"
        }
        s += "</tbody></table></div>"
        let copied = manifests.map(\.fetchedAt).max() ?? ""
        s += "<p class=\"note\">“Upstream data of”: the servers' Last-Modified date (live fetch), the export dates in Epoch's file names, or the date the snapshot's README gives for the source. The local copies were made \(escapeHTML(copied)) (fetch stage); every file with its SHA-256 is listed below.</p>"
        return s
    }
}
