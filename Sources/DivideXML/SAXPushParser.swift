import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DivideCore

/// An element or attribute name as libxml2 reports it: a NUL-terminated UTF-8 C string that is
/// valid only during the callback. Compare it with `==` against a static string; no allocation.
public struct XMLName {
    public let pointer: UnsafePointer<UInt8>

    @inline(__always) public init(_ pointer: UnsafePointer<UInt8>) { self.pointer = pointer }

    @inline(__always) public static func == (name: XMLName, literal: StaticString) -> Bool {
        strcmp(UnsafeRawPointer(name.pointer).assumingMemoryBound(to: CChar.self),
               UnsafeRawPointer(literal.utf8Start).assumingMemoryBound(to: CChar.self)) == 0
    }

    public var string: String { String(cString: pointer) }
}

/// The namespace-resolved attributes of a start tag (libxml2's SAX2 layout: five pointers per
/// attribute — local name, prefix, URI, value start, value end). Valid only during the callback.
public struct XMLAttributes {
    let base: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    public let count: Int

    /// The value of the attribute with this local name (any namespace), if present.
    public func value(_ localName: StaticString) -> String? {
        guard let base else { return nil }
        for i in 0..<count {
            guard let name = base[5 * i] else { continue }
            if XMLName(name) == localName, let start = base[5 * i + 3], let end = base[5 * i + 4] {
                return String(decoding: UnsafeBufferPointer(start: start, count: start.distance(to: end)), as: UTF8.self)
            }
        }
        return nil
    }
}

/// Receives the events of a `SAXPushParser`. Names arrive with their namespace URI resolved, so
/// a handler matches `(uri, localName)` and never a prefix: `<ax:title>` and `<title>` in the
/// same namespace are the same element.
public protocol SAXHandler: AnyObject {
    func startElement(_ localName: XMLName, namespace: XMLName?, attributes: XMLAttributes)
    func endElement(_ localName: XMLName, namespace: XMLName?)
    /// Character data (entities and character references already decoded), in pieces of any size.
    func characters(_ bytes: UnsafeBufferPointer<UInt8>)
}

/// A streaming XML reader on libxml2's SAX2 push parser: the input is fed in 256 KB chunks
/// (decompressed on the fly from `.gz`), so memory stays flat however large the document.
/// Network access, DTD loading and entity substitution are off (untrusted input).
public final class SAXPushParser {
    public static let chunkSize = 256 * 1024
    private let handler: SAXHandler
    fileprivate var failure: String?

    public init(handler: SAXHandler) { self.handler = handler }

    /// Sets up libxml2's global state once; call it before parsing on several threads (in
    /// libxml2 2.9 two threads that start their first parse together may race to do it).
    public static func prepareForThreads() { xmlInitParser() }

    /// Parses one document from a file (`.gz` or plain). Throws `DivideError` naming the file and
    /// line on malformed XML.
    public func parse(path: String, displayName: String? = nil) throws {
        let name = displayName ?? path
        let source: ChunkSource = path.hasSuffix(".gz") ? .gzip(try GzipReader(path: path)) : .plain(try PlainFileReader(path: path))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: SAXPushParser.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        try parse(name: name) { try source.read(into: buffer).map { UnsafeRawBufferPointer(rebasing: buffer[0..<$0]) } }
    }

    /// Parses one document held in memory (tests, small inputs).
    public func parse(bytes: [UInt8], name: String) throws {
        var offset = 0
        try bytes.withUnsafeBytes { all in
            try parse(name: name) {
                guard offset < all.count else { return nil }
                let end = min(all.count, offset + SAXPushParser.chunkSize)
                defer { offset = end }
                return UnsafeRawBufferPointer(rebasing: all[offset..<end])
            }
        }
    }

    private func parse(name: String, next: () throws -> UnsafeRawBufferPointer?) throws {
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = saxStart
        sax.endElementNs = saxEnd
        sax.characters = saxCharacters
        sax.cdataBlock = saxCharacters
        sax.ignorableWhitespace = saxCharacters
        sax.serror = saxError
        failure = nil
        XMLSafety.silenceGlobalErrors()
        let context = Unmanaged.passUnretained(self).toOpaque()
        guard let ctxt = xmlCreatePushParserCtxt(&sax, context, nil, 0, name) else {
            throw DivideError(file: name, reason: "cannot create XML parser")
        }
        defer { xmlFreeParserCtxt(ctxt) }
        _ = xmlCtxtUseOptions(ctxt, XMLSafety.parserOptions | Int32(XML_PARSE_NOCDATA.rawValue))
        // No DTD ever reaches libxml2: no external entities, network DTDs or entity bombs.
        var prolog = XMLSafety.PrologGuard(file: name)
        while true {
            let chunk = try next()
            let count = chunk?.count ?? 0
            if let chunk { try prolog.check(chunk) } else { try prolog.finish() }
            let base = chunk?.baseAddress?.assumingMemoryBound(to: CChar.self)
            let code = xmlParseChunk(ctxt, base, Int32(count), count == 0 ? 1 : 0)
            if code != 0 || failure != nil {
                let line = xmlSAX2GetLineNumber(ctxt)
                // One line: libxml2's messages can span several ("…indicate encoding !\nBytes: …").
                let message = (failure ?? SAXPushParser.describe(code)).split(whereSeparator: \.isNewline).map { String($0).trimmingWhitespace }.joined(separator: "; ")
                throw DivideError(file: name, location: "line \(line)", reason: "malformed XML: \(message)")
            }
            if count == 0 { break }
        }
    }

    /// A failure libxml2 returned without reporting it to the SAX error handler.
    static func describe(_ code: Int32) -> String {
        code == Int32(XML_ERR_INVALID_ENCODING.rawValue) ? "bytes not valid in the declared encoding" : "error \(code)"
    }

    fileprivate static func from(_ context: UnsafeMutableRawPointer?) -> SAXPushParser {
        Unmanaged<SAXPushParser>.fromOpaque(context!).takeUnretainedValue()
    }

    /// Runs `body` with the parser's handler without retaining parser or handler: the callbacks
    /// run millions of times, and the parser outlives every one of them (it is parsing).
    @inline(__always) fileprivate static func withHandler(_ context: UnsafeMutableRawPointer?, _ body: (SAXHandler) -> Void) {
        Unmanaged<SAXPushParser>.fromOpaque(context!)._withUnsafeGuaranteedRef { body($0.handler) }
    }
}

private enum ChunkSource {
    case gzip(GzipReader)
    case plain(PlainFileReader)

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int? {
        let n: Int
        switch self {
        case let .gzip(reader): n = try reader.read(into: buffer)
        case let .plain(reader): n = try reader.read(into: buffer)
        }
        return n == 0 ? nil : n
    }
}

/// Plain-file chunks with `fread` (no Foundation `Data` per chunk).
private final class PlainFileReader {
    let path: String
    let file: UnsafeMutablePointer<FILE>

    init(path: String) throws {
        self.path = path
        guard let f = fopen(path, "rb") else { throw DivideError(file: path, reason: "no such file") }
        file = f
    }

    deinit { fclose(file) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = fread(buffer.baseAddress, 1, buffer.count, file)
        if n == 0 && ferror(file) != 0 { throw DivideError(file: path, reason: "read error") }
        return n
    }
}

// libxml2 C callbacks: `ctx` is the parser's user data, i.e. the `SAXPushParser`.

private let saxStart: startElementNsSAX2Func = { ctx, localname, _, uri, _, _, nbAttributes, _, attributes in
    guard let localname else { return }
    SAXPushParser.withHandler(ctx) {
        $0.startElement(XMLName(localname), namespace: uri.map(XMLName.init),
                        attributes: XMLAttributes(base: attributes, count: Int(nbAttributes)))
    }
}

private let saxEnd: endElementNsSAX2Func = { ctx, localname, _, uri in
    guard let localname else { return }
    SAXPushParser.withHandler(ctx) { $0.endElement(XMLName(localname), namespace: uri.map(XMLName.init)) }
}

private let saxCharacters: charactersSAXFunc = { ctx, bytes, length in
    guard let bytes, length > 0 else { return }
    SAXPushParser.withHandler(ctx) { $0.characters(UnsafeBufferPointer(start: bytes, count: Int(length))) }
}

private let saxError: xmlStructuredErrorFunc = { ctx, error in
    guard let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    // For SAX2 push parsers the structured error's user data is the parser's user data.
    let message = error.pointee.message.map { String(cString: $0).trimmingWhitespace } ?? "unknown error"
    let parser = SAXPushParser.from(ctx)
    if parser.failure == nil { parser.failure = message }
}
