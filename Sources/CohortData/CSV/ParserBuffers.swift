/// Lookup tables shared by a parser's loops, allocated once a parser.
final class ParserTables {
    /// Bytes that end an unquoted field or are an error in one: the delimiter, LF, CR and the quote.
    let special: UnsafeMutablePointer<Bool>
    /// Bytes that may follow a field: the delimiter, LF and CR.
    let terminator: UnsafeMutablePointer<Bool>
    /// 10⁰ ... 10²², exact doubles.
    let powersOfTen: UnsafeMutablePointer<Double>

    init(delimiter: UInt8) {
        special = .allocate(capacity: 256)
        special.initialize(repeating: false, count: 256)
        terminator = .allocate(capacity: 256)
        terminator.initialize(repeating: false, count: 256)
        for b in [delimiter, 0x0A, 0x0D] { special[Int(b)] = true; terminator[Int(b)] = true }
        special[0x22] = true
        powersOfTen = .allocate(capacity: 23)
        var power = 1.0
        for k in 0...22 { powersOfTen[k] = power; power *= 10 }
    }

    deinit {
        special.deallocate()
        terminator.deallocate()
        powersOfTen.deallocate()
    }
}

/// A growable byte buffer owned by one parser; its contents stay valid until the next field.
final class ScratchBuffer {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    var count = 0

    init() {
        capacity = 256
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let needed = count + bytes.count
        if needed > capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(needed, capacity * 2))
            grown.update(from: storage, count: count)
            storage.deallocate()
            storage = grown
            capacity = max(needed, capacity * 2)
        }
        var target = storage + count
        for byte in bytes { target.pointee = byte; target += 1 }
        count = needed
    }

    var contents: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }
}
