import DivideCore
import DivideStats
import Foundation
import Testing

// SHA-256 has two compression functions: the x86 SHA extensions (C target CSHA256) where the CPU
// has them, portable Swift elsewhere. Both must give the FIPS 180-4 digests and agree byte for byte.

/// The implementations this machine can run (the SHA extensions only where the CPU has them).
private let runnable: [SHA256.Implementation] = SHA256.shaExtensionsAvailable ? [.shaExtensions, .portable] : [.portable]

private extension SplitMix64 {
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
}

@Test(arguments: runnable)
func sha256KnownAnswersForEachImplementation(_ implementation: SHA256.Implementation) {
    #expect(SHA256.hex(of: [], implementation: implementation) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hex(of: Array("abc".utf8), implementation: implementation)
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    // Two blocks after padding (56 bytes).
    #expect(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8), implementation: implementation)
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    // 112 bytes: several whole blocks in one call.
    #expect(SHA256.hex(of: Array("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8),
                       implementation: implementation)
        == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    #expect(SHA256.hex(of: Array(repeating: UInt8(ascii: "a"), count: 1_000_000), implementation: implementation)
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
}

@Test func sha256ImplementationsAgreeOnRandomData() {
    var random = SplitMix64(seed: 42)
    // Every length around the block and padding boundaries, then some long inputs.
    let lengths = Array(0...200) + [511, 512, 513, 4095, 4096, 65_537, 1_000_003]
    for length in lengths {
        let data = random.bytes(length)
        let digests = Set(runnable.map { SHA256.hex(of: data, implementation: $0) })
        #expect(digests.count == 1, "length \(length)")
    }
}

@Test(arguments: runnable)
func sha256SplitUpdatesMatchOneShot(_ implementation: SHA256.Implementation) {
    var random = SplitMix64(seed: 7)
    let data = random.bytes(20_000)
    let oneShot = SHA256.hex(of: data, implementation: implementation)
    for piece in [1, 3, 63, 64, 65, 127, 640, 4099] {
        var h = SHA256(implementation: implementation)
        var i = 0
        while i < data.count {
            let end = min(i + piece, data.count)
            h.update(Array(data[i..<end]))
            i = end
        }
        #expect(h.finalize() == oneShot, "pieces of \(piece)")
    }
}

@Test func sha256HashFileStreamsPastItsBuffer() throws {
    var random = SplitMix64(seed: 99)
    let data = random.bytes(300_017)
    let path = NSTemporaryDirectory() + "sha256-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try Data(data).write(to: URL(fileURLWithPath: path))
    defer { unlink(path) }
    let (digest, bytes) = try SHA256.hashFile(path: path)
    #expect(bytes == data.count)
    #expect(digest == SHA256.hex(of: data, implementation: .portable))
}

// The paired update gives each message the digest the portable code gives it alone, whatever
// the lengths and however the pieces fall (shared blocks interleaved, the rest one by one).
@Test(arguments: runnable)
func sha256PairedUpdateMatchesSeparateHashes(implementation: SHA256.Implementation) {
    var random = SplitMix64(seed: 7)
    for (firstLength, secondLength, piece) in [(0, 0, 64), (1_000_003, 999_999, 65_536), (64, 4_096, 64), (130_000, 5, 1_000), (777, 777, 100)] {
        let first = random.bytes(firstLength), second = random.bytes(secondLength)
        var a = SHA256(implementation: implementation), b = SHA256(implementation: implementation)
        // The second message goes in pieces 3 bytes longer, so the two fall out of step.
        var firstOffset = 0, secondOffset = 0
        while firstOffset < first.count || secondOffset < second.count {
            let firstPiece = first[firstOffset..<min(firstOffset + piece, first.count)]
            let secondPiece = second[secondOffset..<min(secondOffset + piece + 3, second.count)]
            firstPiece.withUnsafeBytes { x in secondPiece.withUnsafeBytes { y in SHA256.update(&a, with: x, &b, with: y) } }
            firstOffset += firstPiece.count
            secondOffset += secondPiece.count
        }
        #expect(a.finalize() == SHA256.hex(of: first, implementation: .portable), "\(firstLength)")
        #expect(b.finalize() == SHA256.hex(of: second, implementation: .portable), "\(secondLength)")
    }
}
