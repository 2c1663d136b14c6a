/// The distinct values of a text column, in level-code order.
///
/// A collection of `String`s, but a column read from a file keeps its levels as the reader's bytes
/// (the pieces' byte arenas, adopted without a copy) and makes a `String` when one is asked for. An
/// identifier column of a million rows then costs its bytes and a 4-byte offset a value, not a
/// 16-byte `String` each made up front.
public struct TextLevels: RandomAccessCollection, Sendable, Equatable, ExpressibleByArrayLiteral, CustomStringConvertible {
    private enum Storage: Sendable {
        case strings([String])
        case bytes(LevelBytes)
    }

    private let storage: Storage

    public init(_ strings: [String]) { storage = .strings(strings) }
    public init(arrayLiteral elements: String...) { storage = .strings(elements) }
    init(bytes: LevelBytes) { storage = .bytes(bytes) }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch storage {
        case .strings(let strings): strings.count
        case .bytes(let bytes): bytes.count
        }
    }

    public subscript(position: Int) -> String {
        switch storage {
        case .strings(let strings): strings[position]
        case .bytes(let bytes): bytes.string(position)
        }
    }

    public static func == (a: TextLevels, b: TextLevels) -> Bool { a.elementsEqual(b) }
    public var description: String { Array(self).description }
}

/// Level bytes in segments, one a parsed piece: segment 0 holds levels 0..<n₀ in order; a later
/// segment holds the levels first seen in its piece, at the local indices `newLevels` lists.
/// Immutable once made; frees the adopted buffers when the last column using it goes.
final class LevelBytes: @unchecked Sendable {
    struct Segment {
        let arena: UnsafeMutablePointer<UInt8>
        let starts: UnsafeMutablePointer<UInt32>
        /// Local indices of this segment's levels in global order (nil: all of them, in order).
        let newLevels: [Int32]?
        /// The first global level this segment holds.
        let firstLevel: Int
    }

    private let segments: [Segment]
    /// Levels whose bytes are not valid UTF-8 (their strings carry replacement characters).
    let count: Int

    init(segments: [Segment], count: Int) {
        self.segments = segments
        self.count = count
    }

    deinit {
        for segment in segments {
            PageMemory.release(segment.arena)
            PageMemory.release(segment.starts)
        }
    }

    func bytes(_ level: Int) -> UnsafeBufferPointer<UInt8> {
        var k = segments.count - 1
        while segments[k].firstLevel > level { k -= 1 }
        let segment = segments[k]
        let local = segment.newLevels.map { Int($0[level - segment.firstLevel]) } ?? level - segment.firstLevel
        let start = Int(segment.starts[local])
        return UnsafeBufferPointer(start: segment.arena + start, count: Int(segment.starts[local + 1]) - start)
    }

    func string(_ level: Int) -> String { String(decoding: bytes(level), as: UTF8.self) }
}
