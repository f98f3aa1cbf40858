import DivideCore
import Foundation

/// Records that several live harvests hold more than once. Incremental harvests overlap (each
/// starts on the day the last one did, and an updated record comes again), and a paper cross-listed
/// in two sets (cs.LG and stat.ML) is in both sets' lists. The copy from the latest harvest is the
/// one to keep; `isSuperseded` says which copies to skip. With a single harvest (the snapshot, a
/// first full harvest of one set) nothing is read and nothing is superseded.
public struct HarvestOverlap {
    /// Harvest folders seen (`cs-20261129T031000Z`, `cs-2016-03`).
    public let harvests: Int
    /// Per page name: arXiv ids a later harvest also holds.
    private var superseded: [String: Set<String>] = [:]

    /// `pages`: (name relative to the source folder, absolute path) as in the manifest.
    public init(pages: [(name: String, path: String)]) throws {
        let folder = { (name: String) -> String in name.split(separator: "/").dropLast().joined(separator: "/") }
        let folders = Set(pages.map { folder($0.name) })
        harvests = folders.count
        guard folders.count > 1 else { return }
        // Latest harvest first: by the start stamp in the folder name, then folder, then page.
        let ordered = pages.sorted { a, b in
            let ka = (HarvestOverlap.stamp(folder(a.name)), folder(a.name), a.name)
            let kb = (HarvestOverlap.stamp(folder(b.name)), folder(b.name), b.name)
            return ka > kb
        }
        var seen = Set<String>()
        for page in ordered {
            var later = Set<String>()
            for identifier in try OAIPage(xml: readFileBytes(path: page.path)).identifiers {
                let id = HarvestOverlap.arxivID(identifier)
                if !seen.insert(id).inserted { later.insert(id) }
            }
            if !later.isEmpty { superseded[page.name] = later }
        }
    }

    /// True when a later harvest (or a later page) holds this record too.
    public func isSuperseded(arxivID: String?, on page: String) -> Bool {
        guard let arxivID, let ids = superseded[page] else { return false }
        return ids.contains(arxivID)
    }

    /// `oai:arXiv.org:math/0601001` → `math/0601001`.
    static func arxivID(_ identifier: String) -> String {
        let prefix = "oai:arXiv.org:"
        return identifier.hasPrefix(prefix) ? String(identifier.dropFirst(prefix.count)) : identifier
    }

    /// The harvest's start stamp (`20261129T031000Z`, `…Z-2` for a second start in the same second)
    /// from its folder name; "" when it has none.
    static func stamp(_ folder: String) -> String {
        guard let range = folder.range(of: #"\d{8}T\d{6}Z(-\d)?$"#, options: .regularExpression) else { return "" }
        return String(folder[range])
    }
}
