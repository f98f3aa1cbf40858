// seeds: Tests/Fixtures/site-lists Tests/Fixtures/bad-input/csv Fuzz/Seeds/empty
import DivideSources
import FuzzSupport

// The conference-site lists: every layout on the same bytes, the decisions reader and files.tsv.
fuzz { bytes in
    for layout in SiteFileEntry.Layout.allCases {
        let entry = SiteFileEntry(file: "list", venue: "iclr", year: 2025, layout: layout, role: .submissions)
        _ = try? SiteListParser(entry: entry).parse(bytes: bytes, displayName: "list", emit: { _ in }, reject: { _, _, _ in })
    }
    _ = try? SiteDecisions.read(bytes, displayName: "decisions")
    _ = try SiteFileEntry.table(bytes, displayName: "files.tsv")
}
