/// A hash table from byte strings to codes, so the fact loader can code a field (an entity id, a metric,
/// a unit) straight from the file's bytes without making a String of it first.
///
/// Open addressing with linear probing; keys live in one byte arena. Only the loader uses it, for the
/// length of one load, so it never removes.
struct NameTable {
    private struct Entry {
        var hash: UInt64
        var start: Int
        var count: Int
        var code: Int32
    }

    private var slots = [Int32](repeating: -1, count: 64)
    private var entries: [Entry] = []
    private var arena: [UInt8] = []
    /// The entry found last: most columns (metric, unit, bound, source) repeat one value row after row.
    private var last = -1

    /// The code stored for `key`, if any.
    mutating func code(for key: Slice<UnsafeMutableBufferPointer<UInt8>>) -> Int32? {
        if last >= 0, equal(entries[last], key) { return entries[last].code }
        let h = NameTable.hash(key)
        var slot = Int(truncatingIfNeeded: h) & (slots.count - 1)
        while slots[slot] >= 0 {
            let i = Int(slots[slot])
            if entries[i].hash == h, equal(entries[i], key) {
                last = i
                return entries[i].code
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        return nil
    }

    /// Stores `code` for `key` (which must not be present yet).
    mutating func insert(_ key: Slice<UnsafeMutableBufferPointer<UInt8>>, code: Int32) {
        if (entries.count + 1) * 2 > slots.count { grow() }
        let e = Entry(hash: NameTable.hash(key), start: arena.count, count: key.count, code: code)
        arena.append(contentsOf: key)
        entries.append(e)
        place(Int32(entries.count - 1), hash: e.hash)
    }

    private func equal(_ e: Entry, _ key: Slice<UnsafeMutableBufferPointer<UInt8>>) -> Bool {
        guard e.count == key.count else { return false }
        return arena.withUnsafeBufferPointer { a in
            var j = e.start
            for b in key {
                if a[j] != b { return false }
                j += 1
            }
            return true
        }
    }

    private mutating func place(_ index: Int32, hash: UInt64) {
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
        slots[slot] = index
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for (i, e) in entries.enumerated() { place(Int32(i), hash: e.hash) }
    }

    /// Eight bytes at a time (keys are short ids), multiply-xorshift mixed so the low bits (the slot) depend on every byte.
    private static func hash(_ key: Slice<UnsafeMutableBufferPointer<UInt8>>) -> UInt64 {
        var h = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
        guard let base = key.base.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = key.startIndex
        while i + 8 <= key.endIndex {
            h = mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail: UInt64 = 0
        while i < key.endIndex {
            tail = tail << 8 | UInt64(base[i])
            i += 1
        }
        return mix(h ^ tail)
    }

    private static func mix(_ x: UInt64) -> UInt64 {
        let m = x &* 0xBF58_476D_1CE4_E5B9
        return m ^ (m >> 31)
    }
}
