import DivideCore
import Foundation
import Testing

// SHA-256 comes from libcrypto; these pin the wrapper (streaming, hex, file reading) to the
// FIPS 180-4 / NIST example digests.

@Test func sha256GivesTheNISTDigests() {
    #expect(SHA256.hex(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    // The 448-bit message: padding spills into a second block.
    #expect(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(SHA256.hex(of: Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
}

@Test func sha256StreamedInPiecesGivesTheOneShotDigest() {
    // A million 'a' fed in pieces that straddle the 64-byte block in every way.
    for piece in [1, 63, 64, 65, 4099, 1_000_000] {
        var h = SHA256()
        var left = 1_000_000
        while left > 0 {
            let n = min(piece, left)
            h.update(Array(repeating: UInt8(ascii: "a"), count: n))
            left -= n
        }
        #expect(h.finalize() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "pieces of \(piece)")
    }
}

@Test func sha256HashFileStreamsPastItsBuffer() throws {
    // 300,000 bytes of 'a' (more than the 64 KiB read buffer); digest from `sha256sum`.
    let data = [UInt8](repeating: UInt8(ascii: "a"), count: 300_000)
    let path = NSTemporaryDirectory() + "sha256-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try Data(data).write(to: URL(fileURLWithPath: path))
    defer { unlink(path) }
    let (digest, bytes) = try SHA256.hashFile(path: path)
    #expect(bytes == data.count)
    #expect(digest == "12e1b9b179b29a4f7e5889b185d7ac71bff0ad1f49a7b391d0911b737a0f5381")
}

@Test func sha256HashFileNamesAMissingFile() {
    #expect(throws: DivideError.self) { try SHA256.hashFile(path: "/nonexistent/compute-divide/payload.gz") }
}
