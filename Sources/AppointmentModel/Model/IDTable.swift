/// A read-only map from ids to dense indices: open addressing over a hash of the id's UTF-8
/// bytes. Ids are looked up tens of thousands of times per validation; this is faster than
/// `Dictionary<String, Int>`, whose hashing is built for untrusted keys (figures: Docs/performance.md).
///
/// When an id occurs more than once, the first occurrence wins.
///
/// - Complexity: construction O(n); lookup O(1) expected.
package struct IDTable: Sendable {
    private var keys: [String] = []
    private var values: [Int32] = []
    /// Slots hold an index into `keys`, or -1 when empty.
    private var slots: [Int32]
    private var mask: Int

    /// Maps `ids[i]` to `i` (first occurrence wins).
    package init(_ ids: [String]) {
        self.init(capacityFor: ids.count)
        for (i, id) in ids.enumerated() { insert(id, Int32(i)) }
    }

    /// The table of `ids` and, for each position, where its id first occurs (`first[i] == i`
    /// exactly for first occurrences): one hash per id instead of a build and a lookup.
    static func withFirstOccurrences(_ ids: [String]) -> (table: IDTable, first: [Int]) {
        var table = IDTable(capacityFor: ids.count)
        var first = [Int](repeating: 0, count: ids.count)
        for (i, id) in ids.enumerated() { first[i] = Int(table.insert(id, Int32(i))) }
        return (table, first)
    }

    private init(capacityFor count: Int) {
        var capacity = 16
        while capacity < count * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
    }

    /// Adds `id → value` unless `id` is present; returns the value `id` maps to afterwards.
    @discardableResult
    mutating func insert(_ id: String, _ value: Int32) -> Int32 {
        if (keys.count + 1) * 2 > slots.count { grow() }
        var slot = Self.hash(id) & mask
        while slots[slot] >= 0 {
            let k = Int(slots[slot])
            if keys[k] == id { return values[k] }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(keys.count)
        keys.append(id)
        values.append(value)
        return value
    }

    /// Doubles the slots and places every key again (amortised O(1) per insertion).
    private mutating func grow() {
        mask = slots.count * 2 - 1
        slots = [Int32](repeating: -1, count: mask + 1)
        for (k, key) in keys.enumerated() {
            var slot = Self.hash(key) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(k)
        }
    }

    /// The number of distinct ids.
    package var count: Int { keys.count }

    /// The index `id` maps to, or nil when it is absent.
    ///
    /// - Complexity: O(1) expected.
    @inline(__always)
    package subscript(id: String) -> Int? {
        var slot = Self.hash(id) & mask
        while true {
            let k = slots[slot]
            if k < 0 { return nil }
            if keys[Int(k)] == id { return Int(values[Int(k)]) }
            slot = (slot + 1) & mask
        }
    }

    /// FNV-1a over the UTF-8 bytes, with a final avalanche so that the low bits are usable.
    @inline(__always)
    static func hash(_ id: String) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        if let fast = id.utf8.withContiguousStorageIfAvailable({ bytes -> UInt64 in
            var h = h
            for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
            return h
        }) {
            h = fast
        } else {
            for b in id.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return Int(truncatingIfNeeded: h)
    }
}
