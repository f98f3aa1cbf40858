import DivideCore
import Foundation
import Testing

// readStageInput(concurrently: true) parses and decodes runs of lines on all cores; the records,
// rejects and counts must be those of the one-line-at-a-time reader.

@Test func concurrentStageInputMatchesSerial() throws {
    let folder = NSTemporaryDirectory() + "stage-input-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var text = ""
    for i in 0..<500 {
        var record = ModelRecord(id: "model:m\(i)", name: "M\(i) caf\u{e9}")
        record.organizations = ["Lab \(i % 7)"]
        record.trainingComputeFLOP = i % 3 == 0 ? nil : Double(i) * 1e21
        var serializer = JSONSerializer()
        serializer.write(record.json)
        text += String(decoding: serializer.bytes, as: UTF8.self) + "\n"
        switch i {
        case 10: text += "\n"                                              // blank: skipped, not counted
        case 20: text += "{\"id\": \"model:x\", \"name\": \n"              // not JSON
        case 30: text += "{\"name\":\"no id\"}\n"                          // JSON, not a model
        case 40: text += String(repeating: "x", count: LineReader.defaultMaxLineBytes + 1) + "\n"  // too long
        default: break
        }
    }
    text += "{\"id\":\"model:last\",\"name\":\"Last\"}"  // no newline at the end
    let input = folder + "/models.ndjson.gz"
    let gzip = try GzipWriter(path: input)
    try gzip.write(Array(text.utf8))
    try gzip.close()

    func read(concurrently: Bool) throws -> (records: [ModelRecord], rejects: [UInt8], counts: StageCounts) {
        let tag = concurrently ? "concurrent" : "serial"
        let rejects = try RejectsWriter(path: folder + "/\(tag).rejects.ndjson.gz")
        var counts = StageCounts(stage: "test")
        let records = try readStageInput(ModelRecord.self, path: input, output: folder + "/\(tag).ndjson.gz",
                                         counts: &counts, rejects: rejects, concurrently: concurrently)
        try rejects.commit()
        return (records, try GzipReader.readAll(path: folder + "/\(tag).rejects.ndjson.gz"), counts)
    }
    let serial = try read(concurrently: false)
    let concurrent = try read(concurrently: true)
    #expect(serial.records.count == 501)
    #expect(serial.counts.rejected == 3)
    #expect(concurrent.records == serial.records)
    #expect(concurrent.rejects == serial.rejects)
    #expect(concurrent.counts == serial.counts)
}
