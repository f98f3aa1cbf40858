/// The regular files of a ustar/POSIX tar archive held in memory (reference data shipped as
/// `.tar.gz`). Directories, links and pax/GNU extension headers are skipped; a header whose size
/// runs past the archive, or a bad size field, is an error naming the member.
public enum TarArchive {
    public struct Member {
        public let name: String
        public let bytes: ArraySlice<UInt8>
    }

    public static func members(_ archive: [UInt8], displayName: String) throws -> [Member] {
        var out: [Member] = []
        var offset = 0
        while offset + 512 <= archive.count {
            let header = archive[offset..<(offset + 512)]
            if header.allSatisfy({ $0 == 0 }) { break }  // end of archive
            let name = field(header, 0, 100)
            let prefix = field(header, 345, 155)
            let fullName = prefix.isEmpty ? name : prefix + "/" + name
            guard let size = Int(field(header, 124, 12).trimmingWhitespace, radix: 8), size >= 0 else {
                throw DivideError(file: displayName, location: "member '\(fullName)'", reason: "size field is not an octal number")
            }
            let start = offset + 512
            guard size <= archive.count - start else {
                throw DivideError(file: displayName, location: "member '\(fullName)'", reason: "size \(size) runs past the end of the archive")
            }
            let type = header[header.startIndex + 156]
            if type == UInt8(ascii: "0") || type == 0 { out.append(Member(name: fullName, bytes: archive[start..<(start + size)])) }
            offset = start + (size + 511) / 512 * 512
        }
        return out
    }

    /// A NUL-padded text field of the header.
    static func field(_ header: ArraySlice<UInt8>, _ at: Int, _ length: Int) -> String {
        let bytes = header[(header.startIndex + at)..<(header.startIndex + at + length)]
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}
