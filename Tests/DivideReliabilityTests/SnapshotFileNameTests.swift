import Foundation
import Testing

/// Issue 18, case 9: a snapshot file whose name has a space is one prerequisite of its fetch rule,
/// not two missing ones. Runs the Makefile's `snapshot_files` in a probe rule added to it.
@Test func snapshotFileWithASpaceIsOnePrerequisite() throws {
    let folder = scratchFolder("space-name")
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let snapshot = folder + "/snapshot"
    try FileManager.default.createDirectory(atPath: snapshot + "/epoch", withIntermediateDirectories: true)
    for name in ["notable models 2026.csv", "plain.csv"] {
        FileManager.default.createFile(atPath: snapshot + "/epoch/" + name, contents: Data("System\nA\n".utf8))
    }
    let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    let probe = folder + "/probe.mk"
    try "probe-space: $(call snapshot_files,$(SNAPSHOT)/epoch)\n\t@echo \"$^\"\n".write(toFile: probe, atomically: true, encoding: .utf8)
    let make = Process()
    make.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    make.arguments = ["make", "-s", "-C", package, "SNAPSHOT=" + snapshot, "STAGES=" + folder + "/stages", "OUTPUTS=" + folder + "/outputs",
                      "-f", "Makefile", "-f", probe, "probe-space"]
    let out = Pipe(), err = Pipe()
    make.standardOutput = out
    make.standardError = err
    try make.run()
    make.waitUntilExit()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(make.terminationStatus == 0, "\(stderr)")
    #expect(stdout.contains(snapshot + "/epoch/notable models 2026.csv") && stdout.contains(snapshot + "/epoch/plain.csv"), "\(stdout)")
    #expect(!stderr.contains("No rule to make target"), "\(stderr)")
}
