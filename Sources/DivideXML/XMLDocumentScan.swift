import CLibXML2
import DivideCore

/// Reads a whole XML document from memory (so a truncated or malformed one is an error) and
/// returns the text and attributes of the elements named in `collecting`. The live fetch uses it
/// to verify a download and to read the few OAI-PMH control elements (responseDate, error,
/// resumptionToken, header identifiers) of a page; it is not a record parser.
public enum XMLDocumentScan {
    public struct Element: Equatable, Sendable {
        /// Local name (namespace prefix dropped).
        public let name: String
        public let attributes: [String: String]
        /// Concatenated text content.
        public let text: String
    }

    public struct Malformed: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { "not well-formed XML: \(reason)" }
    }

    public static func scan(_ bytes: [UInt8], collecting names: Set<String> = []) throws -> [Element] {
        guard !bytes.isEmpty else { throw Malformed(reason: "empty document") }
        xmlResetLastError()
        let options = Int32(XML_PARSE_NONET.rawValue) | Int32(XML_PARSE_NOERROR.rawValue) | Int32(XML_PARSE_NOWARNING.rawValue)
        let reader: xmlTextReaderPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlReaderForMemory($0, Int32(buffer.count), nil, nil, options)
            }
        }
        guard let reader else { throw Malformed(reason: "cannot create an XML reader") }
        defer { xmlFreeTextReader(reader) }

        var found: [Element] = []
        var open: (name: String, attributes: [String: String], depth: Int32, text: String)?
        var sawRoot = false
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { break }
            if status < 0 {
                throw Malformed(reason: lastErrorMessage() ?? "parse error")
            }
            let type = xmlTextReaderNodeType(reader)
            let depth = xmlTextReaderDepth(reader)
            switch type {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                sawRoot = true
                guard open == nil, let local = xmlTextReaderConstLocalName(reader) else { continue }
                let name = String(cString: local)
                guard names.contains(name) else { continue }
                var attributes: [String: String] = [:]
                let empty = xmlTextReaderIsEmptyElement(reader) == 1
                while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                    if let n = xmlTextReaderConstLocalName(reader), let v = xmlTextReaderConstValue(reader) {
                        attributes[String(cString: n)] = String(cString: v)
                    }
                }
                if empty {
                    found.append(Element(name: name, attributes: attributes, text: ""))
                } else {
                    open = (name, attributes, depth, "")
                }
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                 Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue), Int32(XML_READER_TYPE_WHITESPACE.rawValue):
                if open != nil, let value = xmlTextReaderConstValue(reader) { open!.text += String(cString: value) }
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                if let element = open, depth == element.depth {
                    found.append(Element(name: element.name, attributes: element.attributes, text: element.text))
                    open = nil
                }
            default:
                break
            }
        }
        guard sawRoot else { throw Malformed(reason: "no root element") }
        return found
    }

    private static func lastErrorMessage() -> String? {
        guard let error = xmlGetLastError(), let message = error.pointee.message else { return nil }
        var text = String(cString: message)
        while let last = text.last, last.isNewline { text.removeLast() }
        return "line \(error.pointee.line): \(text)"
    }
}
