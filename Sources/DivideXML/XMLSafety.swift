import CLibXML2
import DivideCore
import Foundation

/// How every XML parser of the project treats untrusted input (arXiv OAI-PMH pages, ACL
/// Anthology volumes). Three rules, each enough on its own against the classic attacks:
///
/// 1. `parserOptions`: `XML_PARSE_NONET` (nothing is ever fetched), and never `XML_PARSE_NOENT`
///    (entity substitution), `XML_PARSE_DTDLOAD`/`DTDATTR`/`DTDVALID` (external DTDs),
///    `XML_PARSE_XINCLUDE` or `XML_PARSE_HUGE` (libxml2's text-size and entity-amplification
///    limits stay on).
/// 2. `PrologGuard`: a document type declaration is refused before libxml2 sees it. Neither
///    source uses one, and a DTD is the only place entities (a local file, a network URL,
///    "billion laughs") can be declared.
/// 3. `quiet(_:)` and `silenceGlobalErrors()`: libxml2 prints nothing itself; the stage reports the error as one line
///    (`XMLSafety.error(context:file:)`) and quarantines the file.
///
/// Parsers use all three: `silenceGlobalErrors()`, `xmlCreatePushParserCtxt(&sax, …)` with `quiet(&sax)`, then
/// `xmlCtxtUseOptions(ctxt, XMLSafety.parserOptions)`, and `guard.check(chunk)` before each
/// `xmlParseChunk` until `guard.done`. `XMLSafety.scan(path:)` is a complete example.
public enum XMLSafety {
    public static let parserOptions: Int32 = Int32(XML_PARSE_NONET.rawValue)
        | Int32(XML_PARSE_NOERROR.rawValue) | Int32(XML_PARSE_NOWARNING.rawValue)

    /// Options a parser of untrusted input must never set.
    public static let forbiddenOptions: Int32 = Int32(XML_PARSE_NOENT.rawValue) | Int32(XML_PARSE_DTDLOAD.rawValue)
        | Int32(XML_PARSE_DTDATTR.rawValue) | Int32(XML_PARSE_DTDVALID.rawValue) | Int32(XML_PARSE_XINCLUDE.rawValue)
        | Int32(XML_PARSE_HUGE.rawValue)

    /// Silences libxml2's own error printing (errors are read back with `error(context:file:)`).
    public static func quiet(_ sax: inout xmlSAXHandler) {
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.serror = { _, _ in }
        sax.error = nil
        sax.warning = nil
        sax.fatalError = nil
    }

    /// Silences the errors libxml2 raises outside a parser context (encoding conversion, I/O),
    /// which otherwise go straight to stderr, through its structured and its generic handler.
    /// libxml2 keeps these handlers per thread: call it on the thread that parses, before parsing.
    public static func silenceGlobalErrors() {
        xmlSetStructuredErrorFunc(nil, { _, _ in })
        divide_silence_generic_errors()
    }

    /// The parser's last error as one line: `file: line L, column C: message`.
    public static func error(context: xmlParserCtxtPtr?, file: String) -> DivideError {
        guard let context, let last = xmlCtxtGetLastError(context) else {
            return DivideError(file: file, reason: "not well-formed XML")
        }
        // libxml2's messages can span lines ("…indicate encoding !\nBytes: 0xC3 0x28"): one line.
        let message = (last.pointee.message.map { String(cString: $0) } ?? "")
            .split(whereSeparator: \.isNewline).map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
            .joined(separator: "; ")
        return DivideError(file: file, location: "line \(last.pointee.line), column \(last.pointee.int2)", reason: "not well-formed XML: \(message)")
    }

    /// Refuses a document type declaration (and non-UTF-8 encodings, which a byte scan could not
    /// see through) in the prolog, before the root element starts.
    public struct PrologGuard {
        public private(set) var done = false
        private var prolog: [UInt8] = []
        public let file: String
        public static let maxPrologBytes = 64 << 10

        public init(file: String) { self.file = file }

        /// Feed each chunk before handing it to libxml2, until `done`.
        public mutating func check(_ chunk: UnsafeRawBufferPointer) throws {
            guard !done else { return }
            prolog.append(contentsOf: chunk.prefix(max(0, PrologGuard.maxPrologBytes + 1 - prolog.count)))
            try scan(final: false)
        }

        public mutating func check(_ chunk: [UInt8]) throws {
            try chunk.withUnsafeBytes { try check($0) }
        }

        /// Call at the end of input (a document without a root element is libxml2's to report).
        public mutating func finish() throws { if !done { try scan(final: true) } }

        private mutating func scan(final: Bool) throws {
            let b = prolog
            if b.count >= 2 && ((b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE) || b[0] == 0 || b[1] == 0) {
                throw DivideError(file: file, location: "line 1", reason: "XML not in UTF-8 (UTF-16/32 input is refused)")
            }
            var i = (b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) ? 3 : 0
            func starts(_ s: String, at j: Int) -> Bool {
                let u = Array(s.utf8)
                return j + u.count <= b.count && Array(b[j..<j + u.count]) == u
            }
            func find(_ s: String, from j: Int) -> Int? {
                let u = Array(s.utf8)
                guard u.count <= b.count else { return nil }
                var k = j
                while k + u.count <= b.count { if Array(b[k..<k + u.count]) == u { return k }; k += 1 }
                return nil
            }
            while i < b.count {
                switch b[i] {
                case 0x20, 0x09, 0x0A, 0x0D: i += 1; continue
                default: break
                }
                guard b[i] == UInt8(ascii: "<") else { done = true; return }  // not XML: libxml2 reports it
                if starts("<?", at: i) {
                    guard let end = find("?>", from: i + 2) else { break }
                    i = end + 2
                } else if starts("<!--", at: i) {
                    guard let end = find("-->", from: i + 4) else { break }
                    i = end + 3
                } else if starts("<!", at: i) {
                    if i + 9 > b.count && !final { break }  // cannot tell yet
                    let line = 1 + b[..<i].filter { $0 == 0x0A }.count
                    if starts("<!DOCTYPE", at: i) {
                        throw DivideError(file: file, location: "line \(line)",
                                          reason: "document type declaration refused (a DTD can pull in local files, network URLs or entity bombs)")
                    }
                    throw DivideError(file: file, location: "line \(line)", reason: "markup declaration outside a document type declaration")
                } else {
                    done = true  // the root element starts
                    prolog = []
                    return
                }
            }
            if prolog.count > PrologGuard.maxPrologBytes {
                throw DivideError(file: file, location: "line 1", reason: "XML prolog longer than \(PrologGuard.maxPrologBytes) bytes")
            }
            if final { done = true; prolog = [] }
        }
    }

    /// What a scan saw: elements and text (`text` only when collected, capped at `textLimit`).
    public struct Scan {
        public var elements = 0
        public var textBytes = 0
        public var text = ""
    }

    /// Streams a document (gzip or plain) through libxml2's push parser with the safety rules
    /// and checks it is well-formed; throws a `DivideError` naming file, line and column.
    /// Memory stays bounded by the chunk size and libxml2's limits whatever the input.
    public static func scan(path: String, collectText: Bool = false, textLimit: Int = 1 << 20) throws -> Scan {
        let reader: (UnsafeMutableRawBufferPointer) throws -> Int
        if path.hasSuffix(".gz") {
            let gz = try GzipReader(path: path)
            reader = { try gz.read(into: $0) }
        } else {
            guard let handle = FileHandle(forReadingAtPath: path) else { throw DivideError(file: path, reason: "no such file") }
            reader = { buffer in
                let data = handle.readData(ofLength: buffer.count)
                data.copyBytes(to: buffer)
                return data.count
            }
        }
        return try scan(file: path, collectText: collectText, textLimit: textLimit, guardProlog: true, read: reader)
    }

    public static func scan(bytes: [UInt8], file: String = "<memory>", collectText: Bool = false, textLimit: Int = 1 << 20,
                            guardProlog: Bool = true) throws -> Scan {
        var offset = 0
        return try scan(file: file, collectText: collectText, textLimit: textLimit, guardProlog: guardProlog) { buffer in
            let n = min(buffer.count, bytes.count - offset)
            if n > 0 { bytes[offset..<offset + n].withUnsafeBytes { buffer.copyMemory(from: $0) } }
            offset += n
            return n
        }
    }

    final class ScanState {
        var scan = Scan()
        let collectText: Bool
        let textLimit: Int
        init(collectText: Bool, textLimit: Int) {
            self.collectText = collectText
            self.textLimit = textLimit
        }
    }

    /// `guardProlog: false` only in tests, to show libxml2's options alone leak nothing.
    static func scan(file: String, collectText: Bool, textLimit: Int, guardProlog: Bool,
                     read: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> Scan {
        silenceGlobalErrors()
        let state = ScanState(collectText: collectText, textLimit: textLimit)
        var sax = xmlSAXHandler()
        quiet(&sax)
        sax.startElementNs = { ctx, _, _, _, _, _, _, _, _ in
            guard let ctx else { return }
            Unmanaged<ScanState>.fromOpaque(ctx).takeUnretainedValue().scan.elements += 1
        }
        sax.characters = { ctx, chars, len in
            guard let ctx, let chars else { return }
            let s = Unmanaged<ScanState>.fromOpaque(ctx).takeUnretainedValue()
            s.scan.textBytes += Int(len)
            if s.collectText && s.scan.text.utf8.count < s.textLimit {
                s.scan.text += String(decoding: UnsafeBufferPointer(start: chars, count: Int(len)), as: UTF8.self)
            }
        }
        let userData = Unmanaged.passUnretained(state).toOpaque()
        guard let ctxt = xmlCreatePushParserCtxt(&sax, userData, nil, 0, file) else {
            throw DivideError(file: file, reason: "cannot create XML parser")
        }
        defer { xmlFreeParserCtxt(ctxt) }
        xmlCtxtUseOptions(ctxt, parserOptions)
        var prolog = PrologGuard(file: file)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let n = try read(chunk)
            if guardProlog {
                if n > 0 { try prolog.check(UnsafeRawBufferPointer(rebasing: chunk[0..<n])) } else { try prolog.finish() }
            }
            let status = xmlParseChunk(ctxt, chunk.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(n), n == 0 ? 1 : 0)
            if status != 0 || ctxt.pointee.wellFormed == 0 { throw error(context: ctxt, file: file) }
            if n == 0 { break }
        }
        return withExtendedLifetime(state) { state.scan }
    }
}
