import CSHA256
import Foundation

/// SHA-256 (FIPS 180-4) for the fetch manifest's file hashes; small enough that it is not worth a
/// crypto package's build minutes. On CPUs with the x86 SHA extensions the blocks are compressed
/// by the C target CSHA256 (≈2 GB/s, like OpenSSL's); elsewhere by the portable Swift code here.
public struct SHA256 {
    /// Which compression function runs the blocks.
    public enum Implementation: Sendable {
        /// The x86 SHA extensions (CSHA256); only where `shaExtensionsAvailable`.
        case shaExtensions
        /// Plain Swift, any CPU.
        case portable
    }

    /// Whether this CPU has the SHA extensions.
    public static let shaExtensionsAvailable = csha256_has_sha_extensions() == 1
    /// The fastest implementation this CPU runs.
    public static var fastest: Implementation { shaExtensionsAvailable ? .shaExtensions : .portable }

    private let implementation: Implementation
    private var state: [UInt32] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]
    private var block: [UInt8] = []
    private var length: UInt64 = 0

    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    public init(implementation: Implementation = SHA256.fastest) {
        precondition(implementation != .shaExtensions || SHA256.shaExtensionsAvailable, "this CPU has no SHA extensions")
        self.implementation = implementation
        block.reserveCapacity(64)
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length += UInt64(bytes.count)
        var i = 0
        if !block.isEmpty {
            while i < bytes.count && block.count < 64 { block.append(bytes[i]); i += 1 }
            if block.count == 64 {
                block.withUnsafeBytes { compress(blocks: $0.baseAddress!, count: 1) }
                block.removeAll(keepingCapacity: true)
            }
        }
        let whole = (bytes.count - i) / 64
        if whole > 0 {
            compress(blocks: bytes.baseAddress! + i, count: whole)
            i += 64 * whole
        }
        while i < bytes.count { block.append(bytes[i]); i += 1 }
    }

    public mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    /// Hashes `first` into `a` and `second` into `b`. With the SHA extensions the blocks the two
    /// have in common run interleaved on one core (≈1.5× faster than one after the other); the
    /// digests are those of two separate `update` calls.
    public static func update(_ a: inout SHA256, with first: UnsafeRawBufferPointer, _ b: inout SHA256, with second: UnsafeRawBufferPointer) {
        var blocks = 0
        if a.implementation == .shaExtensions, b.implementation == .shaExtensions, a.block.isEmpty, b.block.isEmpty {
            blocks = min(first.count, second.count) / 64
        }
        if blocks > 0 {
            a.length += UInt64(64 * blocks)
            b.length += UInt64(64 * blocks)
            a.state.withUnsafeMutableBufferPointer { aState in
                b.state.withUnsafeMutableBufferPointer { bState in
                    csha256_compress_sha_extensions_x2(aState.baseAddress!, first.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                                       bState.baseAddress!, second.baseAddress!.assumingMemoryBound(to: UInt8.self), blocks)
                }
            }
        }
        a.update(UnsafeRawBufferPointer(rebasing: first[(64 * blocks)...]))
        b.update(UnsafeRawBufferPointer(rebasing: second[(64 * blocks)...]))
    }

    public mutating func finalize() -> String {
        let bitLength = length &* 8
        var tail = block
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        tail.withUnsafeBytes { compress(blocks: $0.baseAddress!, count: $0.count / 64) }
        return state.map { String(format: "%08x", $0) }.joined()
    }

    /// `count` consecutive 64-byte blocks.
    private mutating func compress(blocks: UnsafeRawPointer, count: Int) {
        switch implementation {
        case .shaExtensions:
            state.withUnsafeMutableBufferPointer {
                csha256_compress_sha_extensions($0.baseAddress!, blocks.assumingMemoryBound(to: UInt8.self), count)
            }
        case .portable:
            for offset in stride(from: 0, to: 64 * count, by: 64) {
                compressPortable(UnsafeRawBufferPointer(start: blocks + offset, count: 64))
            }
        }
    }

    /// One 64-byte block. The message schedule lives on the stack and the round constants are
    /// read without bounds checks: no allocation per block (≈5× faster than an array per block).
    private mutating func compressPortable(_ chunk: UnsafeRawBufferPointer) {
        var a = state[0], b = state[1], c = state[2], d = state[3]
        var e = state[4], f = state[5], g = state[6], h = state[7]
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            SHA256.k.withUnsafeBufferPointer { k in
                for t in 0..<16 {
                    w[t] = UInt32(bigEndian: chunk.loadUnaligned(fromByteOffset: 4 * t, as: UInt32.self))
                }
                for t in 16..<64 {
                    let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                    let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                    w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
                }
                for t in 0..<64 {
                    let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                    let ch = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ ch &+ k[t] &+ w[t]
                    let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                    let maj = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ maj
                    h = g; g = f; f = e; e = d &+ t1
                    d = c; c = b; b = a; a = t1 &+ t2
                }
            }
        }
        state[0] = state[0] &+ a; state[1] = state[1] &+ b; state[2] = state[2] &+ c; state[3] = state[3] &+ d
        state[4] = state[4] &+ e; state[5] = state[5] &+ f; state[6] = state[6] &+ g; state[7] = state[7] &+ h
    }

    @inline(__always) private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    public static func hex(of bytes: [UInt8], implementation: Implementation = SHA256.fastest) -> String {
        var h = SHA256(implementation: implementation)
        h.update(bytes)
        return h.finalize()
    }

    /// Hashes a file by streaming it through one reused buffer; returns (hex digest, size in bytes).
    public static func hashFile(path: String) throws -> (sha256: String, bytes: Int) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DivideError(file: path, reason: "cannot read file") }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 64)
        defer { buffer.deallocate() }
        var h = SHA256()
        var total = 0
        while true {
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw DivideError(file: path, reason: "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            total += n
            h.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return (h.finalize(), total)
    }
}
