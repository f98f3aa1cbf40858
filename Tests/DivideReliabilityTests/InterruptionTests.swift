import DivideCore
import Foundation
import Testing

/// A stage killed mid-write (SIGINT, SIGTERM, SIGKILL) leaves nothing Make would take as done
/// (no target, no counts; after SIGINT/SIGTERM not even a temporary file), and the rerun writes
/// exactly the bytes an uninterrupted run writes.
@Test func killedStageLeavesNoTargetAndTheRerunIsByteIdentical() throws {
    let folder = scratchFolder("interrupt")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    // Several tables, so the output is being written while later tables are still parsed.
    let header = "Model,Organization,Publication date,Domain,Training compute (FLOP),Organization categorization,Notability criteria,Abstract\n"
    // Abstracts of random letters compress poorly, so gzip output reaches the disk during the run.
    var rng = SeededGenerator(seed: 9)
    let letters = Array("abcdefghijklmnopqrstuvwxyz ,.")
    let files: [(name: String, bytes: [UInt8])] = (0..<4).map { table in
        var text = header
        for i in 0..<1500 {
            let abstract = String((0..<160).map { _ in letters[Int(rng.next() % UInt64(letters.count))] })
            text += "Model \(table)-\(i),Lab \(i % 97),20\(10 + i % 15)-01-01,Language,1e\(18 + i % 6),Academia,Highly cited,\"\(abstract)\"\n"
        }
        if table == 2 { text += "Short Row,Lab\n" }  // one reject, so the rejects file is compared too
        return ("notable_ai_models.2026-0\(table + 1)-01.csv", Array(text.utf8))
    }
    let manifest = try fetchLayout(folder + "/fetch", files: files)
    let out = folder + "/parse"
    let target = out + "/models.ndjson.gz"
    let arguments = ["epoch", "--manifest", manifest, "--output", target, "--rejects", out + "/models.rejects.ndjson.gz"]
    let products = ["models.ndjson.gz", "models.counts.json", "models.rejects.ndjson.gz"]
    func snapshot() -> [String: Data] {
        var d: [String: Data] = [:]
        for name in products { d[name] = FileManager.default.contents(atPath: out + "/" + name) }
        return d
    }
    func clear() { for name in products { try? FileManager.default.removeItem(atPath: out + "/" + name) } }
    func leftovers() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { $0.contains(".tmp-") } }

    let reference = try runTool("parse", arguments)
    #expect(reference.status == 0, "\(reference.stderr)")
    let expected = snapshot()
    #expect(expected.count == products.count)

    for sig in [SIGINT, SIGTERM, SIGKILL] {
        clear()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: stageBinaries + "/parse")
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the target's temporary file has bytes in it: the stage is mid-write.
        let deadline = Date().addingTimeInterval(20)
        var writing = false
        while Date() < deadline && process.isRunning {
            var info = stat()
            if let tmp = leftovers().first(where: { $0.hasPrefix(".models.ndjson.gz.tmp-") }),
               stat(out + "/" + tmp, &info) == 0, info.st_size > 0 {
                writing = true
                break
            }
            usleep(2000)
        }
        #expect(writing && process.isRunning, "signal \(sig): the stage finished before it could be interrupted")
        kill(process.processIdentifier, sig)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == sig, "signal \(sig): exit \(process.terminationStatus)")
        // Neither the target nor its counts; a side file (rejects) is either absent or complete.
        for name in products.prefix(2) {
            #expect(!FileManager.default.fileExists(atPath: out + "/" + name), "signal \(sig) left \(name)")
        }
        let side = FileManager.default.contents(atPath: out + "/" + products[2])
        #expect(side == nil || side == expected[products[2]])
        if sig != SIGKILL { #expect(leftovers().isEmpty, "signal \(sig) left \(leftovers())") }

        let rerun = try runTool("parse", arguments)
        #expect(rerun.status == 0)
        #expect(leftovers().isEmpty, "the rerun after signal \(sig) left \(leftovers())")
        let got = snapshot()
        for name in products { #expect(got[name] == expected[name], "signal \(sig): \(name) differs from the uninterrupted run") }
    }
}
