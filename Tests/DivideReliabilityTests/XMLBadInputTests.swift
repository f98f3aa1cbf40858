import DivideCore
@testable import DivideXML
import Foundation
import Testing

/// The XML cases of the bad-input corpus, run through `XMLSafety.scan`, the libxml2 set-up every
/// XML parser of the project shares (parser options, DOCTYPE guard, silenced libxml2). Each bad
/// file is a one-line `DivideError` naming file and position; nothing from a local file or the
/// network reaches the parsed text; every case ends in bounded time.
let marker = "LEAK-MARKER-7f3a9c"

func scanFixture(_ name: String, guardProlog: Bool = true) -> (scan: XMLSafety.Scan?, error: DivideError?, seconds: Double) {
    let path = badInput + "/xml/" + name
    let start = Date()
    do {
        let scan: XMLSafety.Scan
        if guardProlog {
            scan = try XMLSafety.scan(path: path, collectText: true)
        } else {
            scan = try XMLSafety.scan(bytes: fixtureBytes("xml/" + name), file: path, collectText: true, guardProlog: false)
        }
        return (scan, nil, Date().timeIntervalSince(start))
    } catch let error as DivideError {
        return (nil, error, Date().timeIntervalSince(start))
    } catch {
        Issue.record("unexpected error type: \(error)")
        return (nil, nil, 0)
    }
}

@Test func wellFormedPageScans() {
    let (scan, error, _) = scanFixture("good-page.xml")
    #expect(error == nil)
    #expect((scan?.elements ?? 0) > 10)
    #expect(scan?.text.contains("Attention Is All You Need") == true)
}

@Test(arguments: [
    ("truncated-page.xml", "not well-formed XML"),
    ("mismatched-tags.xml", "not well-formed XML"),
    ("invalid-utf8.xml", "not well-formed XML"),
    ("undeclared-entity.xml", "not well-formed XML"),
    ("xxe-local-file.xml", "document type declaration refused"),
    ("billion-laughs.xml", "document type declaration refused"),
    ("network-dtd.xml", "document type declaration refused"),
])
func hostileXMLIsAOneLineFileError(name: String, reason: String) {
    let (scan, error, seconds) = scanFixture(name)
    #expect(scan == nil)
    let line = error?.description ?? ""
    #expect(line.hasPrefix(badInput + "/xml/" + name + ": line "), "\(line)")
    #expect(line.contains(reason), "\(line)")
    #expect(!line.contains("\n"))
    #expect(!line.contains(marker))
    #expect(seconds < 2)
}

/// Defence in depth: with the DOCTYPE guard switched off, libxml2's options alone neither read
/// the local file nor expand the entity bomb.
@Test func parserOptionsAloneLeakNothing() {
    let xxe = scanFixture("xxe-local-file.xml", guardProlog: false)
    #expect(!(xxe.scan?.text.contains(marker) ?? false))
    #expect(!(xxe.error?.description.contains(marker) ?? false))
    let bomb = scanFixture("billion-laughs.xml", guardProlog: false)
    #expect((bomb.scan?.textBytes ?? 0) < 1 << 20)
    #expect(bomb.seconds < 2)
    #expect((XMLSafety.parserOptions & XMLSafety.forbiddenOptions) == 0)
}

/// A DTD and an external entity pointing at a port we listen on: no connection is ever made.
@Test func networkDTDIsNeverFetched() throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #expect(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    #expect(bound == 0)
    #expect(listen(fd, 4) == 0)
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    let port = UInt16(bigEndian: address.sin_port)
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    let xml = """
    <?xml version="1.0"?>
    <!DOCTYPE r SYSTEM "http://127.0.0.1:\(port)/evil.dtd" [<!ENTITY remote SYSTEM "http://127.0.0.1:\(port)/x">]>
    <r>&remote;</r>
    """
    for guardProlog in [true, false] {
        _ = try? XMLSafety.scan(bytes: Array(xml.utf8), file: "network.xml", guardProlog: guardProlog)
        let accepted = accept(fd, nil, nil)
        #expect(accepted < 0, "the parser connected to the network (guard \(guardProlog))")
        if accepted >= 0 { close(accepted) }
    }
}

@Test func prologGuardSeesADoctypeSplitAcrossChunks() throws {
    var guardian = XMLSafety.PrologGuard(file: "split.xml")
    try guardian.check(Array("<?xml version=\"1.0\"?>\n<!-- c --><!DOC".utf8))
    #expect(!guardian.done)
    #expect(throws: DivideError.self) { try guardian.check(Array("TYPE r []><r/>".utf8)) }
    var utf16 = XMLSafety.PrologGuard(file: "utf16.xml")
    #expect(throws: DivideError.self) { try utf16.check([0xFF, 0xFE, 0x3C, 0x00]) }
    var fine = XMLSafety.PrologGuard(file: "fine.xml")
    try fine.check(Array("\u{FEFF}<?xml version=\"1.0\"?><root>".utf8))
    #expect(fine.done)
}
