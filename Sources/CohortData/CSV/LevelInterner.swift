#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The distinct values of one text column, kept as bytes: a value seen before costs a hash and a
/// byte comparison; the bytes become the column's ``TextLevels`` as they are, with no `String` per row.
///
/// Open addressing with linear probing over a power-of-two slot table holding level numbers,
/// kept at most half full. Levels are numbered in order of first appearance. Per level the table
/// holds its bytes, an offset and a 32-bit hash: an identifier column, where every value is new,
/// costs about 20 bytes a row beyond the value itself.
///
/// A struct of raw ``PageMemory`` buffers, owned by the ``ColumnSinks`` that made it (which calls
/// ``deallocate()``): the parser's inner loop reaches it through a pointer, without the reference
/// counting and exclusivity checks a class's stored arrays would cost on every field.
struct LevelInterner {
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    private var arenaCount = 0
    /// Level k's bytes are `arena[starts[k] ..< starts[k + 1]]`; 32-bit offsets, so one piece of
    /// one column holds at most 4 GiB of distinct text (``code(for:)`` says when that is exceeded).
    private var starts: UnsafeMutablePointer<UInt32>
    private var levelHashes: UnsafeMutablePointer<UInt32>
    private var levelCapacity: Int
    private(set) var count = 0
    /// Empty, or a level number; while there are fewer than 2²⁴ levels the top 8 bits also hold the
    /// top 8 bits of the level's hash, so most slots of other values are passed over without
    /// reading `levelHashes` (a second cache miss a probe in a large table).
    private var slots: UnsafeMutablePointer<UInt32>
    private var tagged = true
    /// Levels beyond which slots hold plain level numbers (2²⁴; lower only in tests).
    private let tagLimit: Int
    private static let emptySlot = UInt32.max
    private static let tagMask: UInt32 = 0xFF00_0000
    private var mask: Int
    /// The level returned last: a long table repeats its patient id on every draw of a patient, so
    /// the value before is checked before hashing (issue 15: a tenth of reading a lab table).
    private var lastLevel = -1

    /// Starts small and doubles: a file may have hundreds of thousands of text columns of a few
    /// rows each, where a 4 KiB arena a column was most of the memory used (issue 12).
    init(tagLimit: Int = 1 << 24) {
        self.tagLimit = tagLimit
        arenaCapacity = 64
        arena = Self.allocate(arenaCapacity)
        levelCapacity = 4
        starts = Self.allocate(levelCapacity + 1)
        starts[0] = 0
        levelHashes = Self.allocate(levelCapacity)
        mask = (1 << 3) - 1
        slots = Self.allocate(mask + 1)
        slots.initialize(repeating: Self.emptySlot, count: mask + 1)
    }

    func deallocate() {
        PageMemory.release(arena)
        PageMemory.release(starts)
        PageMemory.release(levelHashes)
        PageMemory.release(slots)
    }

    func bytes(ofLevel level: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: arena + Int(starts[level]), count: Int(starts[level + 1] - starts[level]))
    }

    /// The code returned when a new value would take the level text past 4 GiB.
    static let tooLarge: Int32 = -2

    /// The level of `value`, added if new, or ``tooLarge``.
    @inline(__always)
    mutating func code(for value: UnsafeBufferPointer<UInt8>) -> Int32 {
        if lastLevel >= 0, equals(lastLevel, value) { return Int32(lastLevel) }
        let code = intern(value, hash: UInt32(truncatingIfNeeded: Self.hash(value)))
        lastLevel = Int(code)  // tooLarge is negative: nothing remembered
        return code
    }

    /// The level of `value` if it is here; never adds one.
    func lookup(_ value: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int32? {
        var slot = Int(hash) & mask
        while true {
            let entry = slots[slot]
            if entry == Self.emptySlot { return nil }
            if let level = level(in: entry, hash: hash), levelHashes[level] == hash, equals(level, value) { return Int32(level) }
            slot = (slot + 1) & mask
        }
    }

    /// The level a slot holds, or nil when its tag shows it holds another hash's.
    @inline(__always)
    private func level(in entry: UInt32, hash: UInt32) -> Int? {
        guard tagged else { return Int(entry) }
        return (entry ^ hash) & Self.tagMask == 0 ? Int(entry & ~Self.tagMask) : nil
    }

    @inline(__always)
    private func entry(level: Int, hash: UInt32) -> UInt32 {
        tagged ? (hash & Self.tagMask) | UInt32(level) : UInt32(level)
    }

    /// Hands over the level bytes (arena and offsets) to a ``LevelBytes`` segment, which frees them;
    /// this interner then holds none.
    mutating func takeBytes() -> (arena: UnsafeMutablePointer<UInt8>, starts: UnsafeMutablePointer<UInt32>) {
        let taken = (arena, starts)
        arena = Self.allocate(1)
        starts = Self.allocate(1)
        starts[0] = 0
        arenaCount = 0
        arenaCapacity = 1
        count = 0
        levelCapacity = 0
        lastLevel = -1
        return taken
    }

    /// Frees the hash index once no more values will be looked up, keeping the levels' bytes:
    /// joining an identifier column then needs less memory at its peak.
    mutating func dropIndex() {
        PageMemory.release(slots); slots = Self.allocate(1)
        PageMemory.release(levelHashes); levelHashes = Self.allocate(1)
        mask = 0
        levelCapacity = 0
        lastLevel = -1
    }

    private mutating func intern(_ value: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int32 {
        var slot = Int(hash) & mask
        while true {
            let entry = slots[slot]
            if entry == Self.emptySlot { break }
            if let level = level(in: entry, hash: hash), levelHashes[level] == hash, equals(level, value) { return Int32(level) }
            slot = (slot + 1) & mask
        }
        guard arenaCount + value.count <= Int(UInt32.max) else { return Self.tooLarge }
        let code = Int32(count)
        if count == levelCapacity { growLevels(to: levelCapacity * 2) }
        if arenaCount + value.count > arenaCapacity { growArena(to: max(arenaCapacity * 2, arenaCount + value.count)) }
        if let base = value.baseAddress { (arena + arenaCount).update(from: base, count: value.count) }
        arenaCount += value.count
        starts[count + 1] = UInt32(truncatingIfNeeded: arenaCount)
        levelHashes[count] = hash
        slots[slot] = entry(level: count, hash: hash)
        count += 1
        if count * 2 > mask + 1 {
            growSlots()
        } else if tagged, count == tagLimit {
            // Level numbers no longer fit beside a tag: plain level numbers from here on.
            tagged = false
            rebuildSlots()
        }
        return code
    }

    @inline(__always)
    private func equals(_ level: Int, _ value: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(starts[level]), length = Int(starts[level + 1]) - start
        guard length == value.count else { return false }
        guard length > 0 else { return true }
        // Category codes are short: a byte loop beats a call to memcmp.
        if length <= 16 {
            let stored = arena + start, given = value.baseAddress!
            for k in 0..<length where stored[k] != given[k] { return false }
            return true
        }
        return memcmp(arena + start, value.baseAddress!, length) == 0
    }

    private mutating func growArena(to capacity: Int) {
        arena = Self.reallocate(arena, keeping: arenaCount, to: capacity)
        arenaCapacity = capacity
    }

    private mutating func growLevels(to capacity: Int) {
        starts = Self.reallocate(starts, keeping: count + 1, to: capacity + 1)
        levelHashes = Self.reallocate(levelHashes, keeping: count, to: capacity)
        levelCapacity = capacity
    }

    private mutating func growSlots() {
        mask = (mask + 1) * 2 - 1
        if tagged, count >= tagLimit { tagged = false }
        rebuildSlots()
    }

    private mutating func rebuildSlots() {
        PageMemory.release(slots)
        slots = Self.allocate(mask + 1)
        slots.initialize(repeating: Self.emptySlot, count: mask + 1)
        for level in 0..<count {
            var slot = Int(levelHashes[level]) & mask
            while slots[slot] != Self.emptySlot { slot = (slot + 1) & mask }
            slots[slot] = entry(level: level, hash: levelHashes[level])
        }
    }

    private static func allocate<T>(_ count: Int) -> UnsafeMutablePointer<T> { PageMemory.allocate(count) }

    private static func reallocate<T>(_ pointer: UnsafeMutablePointer<T>, keeping keep: Int, to count: Int) -> UnsafeMutablePointer<T> {
        PageMemory.reallocate(pointer, keeping: keep, to: count)
    }

    /// A multiply-rotate hash over 8-byte words, finished with a 64-bit mixer. Every byte is read
    /// with at most two loads: a short value as two overlapping 4- (or 2-) byte words, a long one's
    /// tail as the overlapping last 8 bytes, so nothing is read outside the value.
    @inline(__always)
    static func hash(_ value: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        let n = value.count
        var h = UInt64(truncatingIfNeeded: n) &* multiplier
        guard let base = value.baseAddress, n > 0 else { return h }
        let raw = UnsafeRawPointer(base)
        if n < 8 {
            let word: UInt64
            if n >= 4 {
                word = UInt64(raw.loadUnaligned(as: UInt32.self)) | UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32
            } else if n >= 2 {
                word = UInt64(raw.loadUnaligned(as: UInt16.self)) | UInt64(raw.loadUnaligned(fromByteOffset: n - 2, as: UInt16.self)) << 16
            } else {
                word = UInt64(base[0])
            }
            h = ((h ^ word) &* multiplier).rotatedLeft(by: 29)
        } else {
            var i = 0
            while i + 8 <= n {
                h = ((h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* multiplier).rotatedLeft(by: 29)
                i += 8
            }
            if i < n {
                h = ((h ^ raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) &* multiplier).rotatedLeft(by: 29)
            }
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotatedLeft(by k: UInt64) -> UInt64 { (self << k) | (self >> (64 - k)) }
}
