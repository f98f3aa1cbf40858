import Foundation

/// Distinct byte strings numbered 0, 1, 2… in the order they were first inserted, stored back to
/// back in one buffer behind an open-addressing index. A string costs its bytes plus about 16
/// (end offset, index slots), where a `String` key in a dictionary costs several times that — the
/// dedupe index holds millions of ids and keys. Lookups compare the bytes of every candidate whose
/// hash matches, so a hash collision can never make two different strings one.
struct InternTable {
    private var storage: [UInt8] = []
    /// End offset in `storage` of string n (it starts where string n − 1 ends); 32 bits, as the
    /// numbers are (the 10x dedupe index holds 7M strings).
    private var ends: [UInt32] = []
    /// 0 for an empty slot, else the low 32 bits of the string's hash (high half) and its number
    /// + 1 (low half); the hash half also places the slot when the index grows.
    private var slots = [UInt64](repeating: 0, count: 16)
    /// Bits of the hash kept: all of them, except in tests that make every string collide.
    private let hashMask: UInt32

    init(hashMask: UInt32 = .max) {
        self.hashMask = hashMask
    }

    var count: Int { ends.count }

    /// The number of `key`, inserting it if it is new.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> (number: Int, inserted: Bool) {
        let hash = InternTable.hash(key) & hashMask
        let (slot, found) = probe(key, hash: hash)
        if let found { return (found, false) }
        let number = ends.count
        precondition(number < Int(UInt32.max), "more than 2^32 strings in an InternTable")
        precondition(storage.count + key.count <= Int(UInt32.max), "more than 4 GiB of strings in an InternTable")
        storage.append(contentsOf: key)
        ends.append(UInt32(storage.count))
        slots[slot] = UInt64(hash) << 32 | UInt64(number + 1)
        if ends.count * 4 > slots.count * 3 { grow() }
        return (number, true)
    }

    mutating func insert(_ key: String) -> (number: Int, inserted: Bool) {
        var key = key
        return key.withUTF8 { insert($0) }
    }

    /// The number of `key`, nil if it was never inserted.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        probe(key, hash: InternTable.hash(key) & hashMask).found
    }

    func find(_ key: String) -> Int? {
        var key = key
        return key.withUTF8 { find($0) }
    }

    /// String number `n` (its bytes are UTF-8 whenever the inserted ones were).
    func string(_ n: Int) -> String {
        storage.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range(of: n)]), as: UTF8.self) }
    }

    private func range(of n: Int) -> Range<Int> {
        (n == 0 ? 0 : Int(ends[n - 1]))..<Int(ends[n])
    }

    /// The slot holding `key` and its number, or the empty slot where it would go.
    private func probe(_ key: UnsafeBufferPointer<UInt8>, hash: UInt32) -> (slot: Int, found: Int?) {
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            storage.withUnsafeBufferPointer { storage in
                while true {
                    let entry = slots[slot]
                    if entry == 0 { return (slot, nil) }
                    if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                        let n = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                        let bytes = range(of: n)
                        if bytes.count == key.count, key.isEmpty || memcmp(storage.baseAddress! + bytes.lowerBound, key.baseAddress!, key.count) == 0 {
                            return (slot, n)
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    private mutating func grow() {
        var bigger = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = bigger.count - 1
        for entry in slots where entry != 0 {
            var slot = Int(truncatingIfNeeded: entry >> 32) & mask
            while bigger[slot] != 0 { slot = (slot + 1) & mask }
            bigger[slot] = entry
        }
        slots = bigger
    }

    /// Swift's per-process seeded hash: arbitrary input cannot be made to collide on purpose.
    /// Numbers depend only on insertion order, never on the hash.
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(key))
        return UInt32(truncatingIfNeeded: hasher.finalize())
    }
}
