import CZlib
import DivideCore
import Foundation
import TestSnapshot
import Testing

/// Issue 18, case 3 at the issue's size: 3 GB of zeros (about 3 MB of gzip) dropped in as a
/// paper list, an ACL file, the swot list and a live-fetch body sent as Content-Encoding: gzip,
/// each through its stage under the default budget (MAX_FILE_BYTES 256 MiB), with peak RSS.

let bombBytes = 3 << 30

/// gzip of `count` zero bytes (a whole number of MiB, at least 3), built in milliseconds where
/// deflating 3 GB takes 8 s of CPU: after a sync flush, each further MiB of zeros deflates to the
/// same bytes (the same distance-1 matches, byte-aligned), so the second MiB's bytes are repeated
/// instead of recomputed (checked against the third's), and the trailer's CRC-32 and length are
/// computed for the whole. One ordinary gzip member: `zeroBombInflatesToItsSize` inflates one.
func zeroBomb(bytes count: Int) throws -> [UInt8] {
    let unit = 1 << 20
    precondition(count % unit == 0 && count >= 3 * unit)
    var stream = z_stream()
    guard deflateInit2_(&stream, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        throw DivideError(file: "zlib", reason: "deflateInit2 failed")
    }
    defer { deflateEnd(&stream) }
    var zeros = [UInt8](repeating: 0, count: unit)
    var buffer = [UInt8](repeating: 0, count: 2 * unit)
    func deflateStep(input: Int, flush: Int32) throws -> [UInt8] {
        let produced: Int = zeros.withUnsafeMutableBufferPointer { input_ in
            buffer.withUnsafeMutableBufferPointer { output in
                stream.next_in = input_.baseAddress
                stream.avail_in = UInt32(input)
                stream.next_out = output.baseAddress
                stream.avail_out = UInt32(output.count)
                let code = deflate(&stream, flush)
                return (code == Z_OK || code == Z_STREAM_END) && stream.avail_in == 0 ? output.count - Int(stream.avail_out) : -1
            }
        }
        guard produced >= 0 else { throw DivideError(file: "zlib", reason: "deflate failed") }
        return Array(buffer[0..<produced])
    }
    let first = try deflateStep(input: unit, flush: Z_SYNC_FLUSH)
    let repeated = try deflateStep(input: unit, flush: Z_SYNC_FLUSH)
    guard try deflateStep(input: unit, flush: Z_SYNC_FLUSH) == repeated else {
        throw DivideError(file: "zlib", reason: "a MiB of zeros did not deflate to the same bytes twice")
    }
    let finish = try deflateStep(input: 0, flush: Z_FINISH)
    let unitCRC = zeros.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32(unit)) }
    var crc = unitCRC
    for _ in 1..<(count / unit) { crc = crc32_combine(crc, unitCRC, unit) }
    var out = first
    out.reserveCapacity(first.count + repeated.count * (count / unit) + finish.count)
    for _ in 1..<(count / unit) { out += repeated }
    out += finish.dropLast(8)
    for value in [UInt32(truncatingIfNeeded: crc), UInt32(truncatingIfNeeded: count)] {
        out += (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
    return out
}

/// The 3 GB bomb, built once for all the tests here (`try threeGigabyteBomb.get()`).
let threeGigabyteBomb = Result { try zeroBomb(bytes: bombBytes) }

@Test func zeroBombInflatesToItsSize() throws {
    let folder = scratchFolder("bomb-check")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/zeros.gz"
    _ = FileManager.default.createFile(atPath: path, contents: Data(try zeroBomb(bytes: 64 << 20)))
    // GzipReader checks the trailer's CRC-32 and length.
    let inflated = try GzipReader.readAll(path: path, budget: InputBudget(maxFileBytes: 64 << 20, maxRecordBytes: 1, maxAuthors: 1))
    #expect(inflated.count == 64 << 20 && !inflated.contains { $0 != 0 })
    let bomb = try threeGigabyteBomb.get()
    #expect(bomb.count < 4 << 20, "\(bomb.count) bytes")
}

let defaultFileBudget = "larger than \(InputBudget.defaults.maxFileBytes) bytes inflated (MAX_FILE_BYTES)"

/// A paper list that inflates to 3 GB is rejected as a file when it passes the default budget,
/// read no further; the good file beside it is parsed, in bounded memory.
@Test func threeGigabyteBombAsPaperListIsRejectedAtTheBudget() throws {
    let folder = scratchFolder("bomb-paperlist")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let run = try parsePaperLists(folder, [("aaai2022.json.gz", try threeGigabyteBomb.get()), ("cvpr2023.json", goodPaperList)])
    #expect(run.result.status == 0, "\(run.result.stderr)")
    #expect(run.records.compactMap { $0["title"]?.stringValue } == ["A Good Paper"])
    #expect(run.rejects.map { "\($0["kind"]?.stringValue ?? ""): \($0["file"]?.stringValue ?? ""): \($0["reason"]?.stringValue ?? "")" }
        == ["file: aaai2022.json.gz: " + defaultFileBudget], "\(run.rejects)")
    #expect(run.result.stderrLines.contains { $0.hasPrefix("rejected: aaai2022.json.gz") && $0.contains(defaultFileBudget) }, "\(run.result.stderr)")
    #expect(run.counts.reconciles && run.counts.inputFiles == 2 && run.counts.output == 1)
    #expect(run.peakKB < 1024 * 1024, "peak RSS \(run.peakKB) KB")
    // Inflating stops at 256 MiB: about a second, not the 3 GB.
    #expect(run.result.seconds < 30, "\(run.result.seconds) s")
}

/// ACL files are streamed through libxml2, never held whole: zeros are not XML (they read as
/// UTF-32), so the file is rejected at its first chunk, named, the good file beside it parsed.
@Test func threeGigabyteBombAsACLFileIsRejectedAtItsFirstChunk() throws {
    let folder = scratchFolder("bomb-acl")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let manifest = try fetchLayout(folder + "/fetch", source: "acl", files: [
        ("2020.bomb.xml.gz", try threeGigabyteBomb.get()), ("J10.xml", fixtureBytes("../../DivideSourcesTests/Fixtures/acl-anthology/J10.xml")),
    ])
    let out = folder + "/parse"
    let run = try measuredRun("parse", ["acl", "--manifest", manifest, "--output", out + "/acl.ndjson.gz",
                                        "--rejects", out + "/acl.rejects.ndjson.gz", "--file-report", out + "/acl.files.ndjson.gz"])
    #expect(run.result.status == 0, "\(run.result.stderr)")
    #expect(try !readLines(out + "/acl.ndjson.gz").isEmpty)
    // (J10.xml's front matter "Publications Received" has no authors: a record reject.)
    let fileRejects = try readLines(out + "/acl.rejects.ndjson.gz").filter { $0["kind"]?.stringValue == "file" }
    #expect(fileRejects.map { "\($0["file"]?.stringValue ?? ""): \($0["reason"]?.stringValue ?? "")" }
        == ["2020.bomb.xml.gz: line 1: XML not in UTF-8 (UTF-16/32 input is refused)"], "\(fileRejects)")
    let counts = try StageCounts.read(besides: out + "/acl.ndjson.gz")
    #expect(counts.reconciles && counts.inputFiles == 2)
    #expect(run.peakKB < 1024 * 1024, "peak RSS \(run.peakKB) KB")
    #expect(run.result.seconds < 30, "\(run.result.seconds) s")
}

/// The swot list is reference data `classify organizations` cannot do without: inflated past the
/// budget it ends the stage with one line naming the file and the budget, no registry written.
@Test func threeGigabyteBombAsSwotListEndsClassifyOrganizationsInOneLine() throws {
    let folder = scratchFolder("bomb-swot")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let snapshot = folder + "/snapshot"
    for (path, bytes) in [("ror/ror-records.jsonl.gz", [UInt8]()), ("university-domains/world_universities_and_domains.json.gz", Array("[]".utf8))] {
        try FileManager.default.createDirectory(atPath: ((snapshot + "/" + path) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let writer = try GzipWriter(path: snapshot + "/" + path)
        try writer.write(bytes)
        try writer.close()
    }
    let swot = snapshot + "/swot/swot_domains.json.gz"
    try FileManager.default.createDirectory(atPath: snapshot + "/swot", withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: swot, contents: Data(try threeGigabyteBomb.get()))
    try NDJSONWriter(path: folder + "/models.ndjson.gz").commit()
    let output = folder + "/classify/organizations.ndjson.gz"
    let aliases = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("reference/organization-aliases.tsv").path
    let run = try measuredRun("classify", ["organizations", "--snapshot", snapshot, "--models", folder + "/models.ndjson.gz",
                                           "--aliases", aliases, "--output", output])
    #expect(run.result.status == 1)
    #expect(run.result.stderrLines == ["classify organizations: error: \(swot): \(defaultFileBudget)"], "\(run.result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: output))
    let left = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/classify")) ?? []
    #expect(left.isEmpty, "\(left)")
    #expect(run.peakKB < 1024 * 1024, "peak RSS \(run.peakKB) KB")
    #expect(run.result.seconds < 30, "\(run.result.seconds) s")
}

/// Live fetch of a paper list answered with the bomb as Content-Encoding: gzip (libcurl inflates
/// it): the body is written to disk as it arrives and the transfer stopped at the budget, once,
/// without retries; the other file lands, the run exits 1 with one line naming the URL and the
/// budget, with memory bounded by the transport (one inflated chunk past the budget at most).
@Test func threeGigabyteBombAsLiveFetchBodyIsStoppedAtTheBudget() throws {
    let folder = scratchFolder("bomb-live")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let bombFile = folder + "/bomb.json.gz", goodFile = folder + "/good.json"
    _ = FileManager.default.createFile(atPath: bombFile, contents: Data(try threeGigabyteBomb.get()))
    _ = FileManager.default.createFile(atPath: goodFile, contents: Data(goodPaperList))
    let server = try BombServer(arguments: ["--serve", "/paperlists/aaai/aaai2022.json", bombFile, "--serve", "/paperlists/cvpr/cvpr2023.json", goodFile], timeout: 20)
    defer { server.stop() }
    let port = server.port
    let list = folder + "/live-files.txt"
    try "paperlists aaai/aaai2022.json\npaperlists cvpr/cvpr2023.json\n".write(toFile: list, atomically: true, encoding: .utf8)
    let out = folder + "/fetch"
    let url = "http://127.0.0.1:\(port)/paperlists/aaai/aaai2022.json"
    let run = try measuredRun("fetch", ["--mode", "live", "--source", "paperlists", "--url", "http://127.0.0.1:\(port)/paperlists",
                                        "--contact", "test@example.org", "--files-list", list, "--output", out,
                                        "--min-interval", "0", "--max-attempts", "3", "--backoff", "0"])
    #expect(run.result.status == 1)
    let budget = "body larger than \(InputBudget.defaults.maxFileBytes) bytes (MAX_FILE_BYTES); transfer stopped"
    #expect(run.result.stderrLines.last == "fetch: error: \(out)/paperlists.manifest.ndjson.gz: 1 of 2 payload(s) not fetched, no previous copies (first: GET \(url): \(budget)); details in \(out)/paperlists.failures.txt",
            "\(run.result.stderr)")
    #expect(!run.result.stderr.contains("retrying"), "\(run.result.stderr)")
    #expect(try String(contentsOfFile: out + "/paperlists.failures.txt", encoding: .utf8) == "GET \(url): \(budget)\n")
    #expect(try readFileBytes(path: out + "/paperlists/cvpr/cvpr2023.json.gz") == goodPaperList)
    #expect(!FileManager.default.fileExists(atPath: out + "/paperlists/aaai/aaai2022.json.gz"))
    // libcurl inflates one chunk at a time into a callback that stops at the budget, so memory
    // stays below even the budget (37 MB measured; through URLSession it was 3.2 GB).
    #expect(run.peakKB < 256 * 1024, "peak RSS \(run.peakKB) KB")
    #expect(run.result.seconds < 60, "\(run.result.seconds) s")
}
