import DivideCore
import DivideSources
import Foundation
import Testing

// The snapshot fetch copies and hashes files in one pass on both cores and stamps them with
// FoundationEssentials' ISO 8601 style; the manifest must not change for it.

@Test func fetchClockStampMatchesISO8601DateFormatter() {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    var seconds = -86_400.75
    // 1969 to 2100 in irregular steps, with fractions of a second.
    while seconds < 4_102_444_800 {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(FetchClock.stamp(date) == formatter.string(from: date), "\(seconds)")
        seconds += 7_919_993.371
    }
    // ICU rounds to the millisecond before it cuts to the second.
    for edge in [0, 0.999, 0.9994, 0.9996, 951_782_399.5, 1_709_251_199.9994, 1_709_251_199.9999, -86_400.0004, -86_400.0006] {
        let date = Date(timeIntervalSince1970: edge)
        #expect(FetchClock.stamp(date) == formatter.string(from: date), "\(edge)")
    }
}

@Test func snapshotFetchCopiesEveryFileInSortedOrder() throws {
    let root = NSTemporaryDirectory() + "snapshot-fetch-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    defer { try? FileManager.default.removeItem(atPath: root) }
    let folder = root + "/snapshot/things"
    try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
    var expected: [String: [UInt8]] = [:]
    for i in 0..<40 {
        let name = (i % 3 == 0 ? "sub/" : "") + "file-\(i).bin"
        let bytes = (0..<(i * 1_001)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name))
        chmod(folder + "/" + name, 0o444)
        expected[name] = bytes
    }
    try Data("not a payload".utf8).write(to: URL(fileURLWithPath: folder + "/README.md"))

    let entries = try SnapshotFetcher(snapshot: root + "/snapshot", destination: root + "/fetch").fetch(source: "things", folder: "things").entries

    #expect(entries.map(\.path) == expected.keys.sorted().map { "things/" + $0 })
    for entry in entries {
        let name = String(entry.path.dropFirst("things/".count))
        let copied = [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/fetch/" + entry.path)))
        #expect(copied == expected[name])
        #expect(entry.bytes == copied.count)
        #expect(entry.sha256 == SHA256.hex(of: copied))
        #expect(entry.url == URL(fileURLWithPath: folder + "/" + name).absoluteString)
        let mode = try FileManager.default.attributesOfItem(atPath: root + "/fetch/" + entry.path)[.posixPermissions] as? Int
        #expect(mode == 0o444)
    }
}

// Files larger than the copy's chunk are hashed chunk by chunk as they are written, two at a time
// (an odd one alone); the manifest keeps the sorted order although the largest go first.
@Test func snapshotFetchHashesFilesLargerThanOneChunk() throws {
    let root = NSTemporaryDirectory() + "snapshot-fetch-large-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    defer { try? FileManager.default.removeItem(atPath: root) }
    let folder = root + "/snapshot/things"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let sizes = ["a.bin": 1 << 20, "b.bin": 3 * (1 << 20) + 61, "c.bin": 17, "d.bin": 2 * (1 << 20) - 1, "e.bin": 0]
    var expected: [String: [UInt8]] = [:]
    for (name, size) in sizes {
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 9) }
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name))
        expected[name] = bytes
    }

    let entries = try SnapshotFetcher(snapshot: root + "/snapshot", destination: root + "/fetch").fetch(source: "things", folder: "things").entries

    #expect(entries.map(\.path) == ["a.bin", "b.bin", "c.bin", "d.bin", "e.bin"].map { "things/" + $0 })
    for entry in entries {
        let bytes = expected[String(entry.path.dropFirst("things/".count))]!
        #expect(entry.bytes == bytes.count)
        #expect(entry.sha256 == SHA256.hex(of: bytes))
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/fetch/" + entry.path))) == bytes)
    }
}
