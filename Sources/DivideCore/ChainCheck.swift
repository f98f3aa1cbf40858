import Foundation

/// `make check`: every stage's counts reconcile (in = out + rejected + merged + excluded), its
/// rejects and merge files hold exactly the records it counted, and each link of the chain
/// matches: a stage read exactly the records (or files) the previous stage wrote.
public struct ChainCheck {
    public struct Finding: Equatable {
        public let ok: Bool
        public let text: String
        public var line: String { (ok ? "ok    " : "FAIL  ") + text }
    }

    public let stagesFolder: String

    public init(stagesFolder: String) { self.stagesFolder = stagesFolder }

    /// One finding per counts file, companion file and link, in a stable order.
    public func run() throws -> [Finding] {
        var files: [String] = []
        if let walker = FileManager.default.enumerator(atPath: stagesFolder) {
            for case let path as String in walker where path.hasSuffix(".counts.json") { files.append(path) }
        }
        guard !files.isEmpty else {
            return [Finding(ok: false, text: "\(stagesFolder): no counts files (run the pipeline first)")]
        }
        var findings: [Finding] = []
        // In stage order (fetch → render), then by name.
        let order = ["fetch", "parse", "dedupe", "classify", "aggregate"]
        func rank(_ path: String) -> Int { order.firstIndex(of: String(path.split(separator: "/").first ?? "")) ?? order.count }
        for relative in files.sorted(by: { (rank($0), $0) < (rank($1), $1) }) {
            let countsPath = stagesFolder + "/" + relative
            let folder = (countsPath as NSString).deletingLastPathComponent
            let c: StageCounts
            do { c = try StageCounts(json: JSONParser.parse(readFileBytes(path: countsPath))) } catch {
                findings.append(Finding(ok: false, text: "\(relative): unreadable counts file: \(error)"))
                continue
            }
            findings.append(Finding(ok: c.reconciles, text: "\(relative): in \(c.input) = out \(c.output) + rejected \(c.rejected) + merged \(c.merged) + excluded \(c.excluded)"))
            for (file, expected, what) in [(c.rejectsFile, c.rejected, "rejected"), (c.mergesFile, c.merged, "merged")] {
                guard let file else { continue }
                let shown = display(folder + "/" + file)
                do {
                    let lines = try countLines(folder + "/" + file)
                    findings.append(Finding(ok: lines == expected, text: "\(shown): \(lines) lines, \(what) \(expected)"))
                } catch {
                    findings.append(Finding(ok: false, text: "\(shown): \(error)"))
                }
            }
            var upstreamTotal = 0
            var linkNames: [String] = []
            var readable = true
            for input in c.inputs {
                let inputPath = folder + "/" + input
                linkNames.append(display(inputPath))
                do {
                    let upstream = try StageCounts.read(besides: inputPath)
                    upstreamTotal += upstream.output
                    if c.inputFiles == nil {
                        let lines = try countLines(inputPath)
                        findings.append(Finding(ok: lines == upstream.output, text: "\(display(inputPath)): \(lines) lines, its counts say out \(upstream.output)"))
                    }
                } catch {
                    readable = false
                    findings.append(Finding(ok: false, text: "\(display(inputPath)) → \(relative): \(error)"))
                }
            }
            if !c.inputs.isEmpty && readable {
                let (mine, unit) = c.inputFiles.map { ($0, "files") } ?? (c.input, "records")
                findings.append(Finding(ok: upstreamTotal == mine,
                                        text: "\(linkNames.joined(separator: " + ")) out \(upstreamTotal) → \(relative) in \(mine) \(unit)"))
            }
        }
        return findings
    }

    private func display(_ path: String) -> String {
        relativePath(of: path, from: stagesFolder)
    }

    private func countLines(_ path: String) throws -> Int {
        var n = 0
        try LineReader(path: path).forEachLine { line in if !line.isEmpty { n += 1 } }
        return n
    }
}
