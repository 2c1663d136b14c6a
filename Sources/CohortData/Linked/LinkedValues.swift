/// One numeric column of a linked table, in walking order (patient, day, file order), stored as
/// compactly as its values allow without changing a single bit of any value.
///
/// Laboratory values are written with a few decimals (`3.61`, `1.26`, `399`). Such a column is kept
/// as 32-bit integers `m` and one scale `s` for the column, the value being `m / 10^s`: half the
/// memory of doubles, which for a long table of millions of draws is most of a derive's memory
/// (issue 15: memory near the size of the input).
///
/// Why no value changes: `10^s` is exact in binary for `s <= 22` and IEEE 754 division is correctly
/// rounded, so `Double(m) / 10^s` is the double nearest the decimal `m / 10^s`, which is what the
/// reader produced from the text. The encoder does not rely on that argument alone: it keeps a
/// column in integers only when decoding gives back every value bit for bit, and otherwise keeps
/// the doubles (values with more digits than 32 bits hold, or computed ones).
public struct LinkedValues: Sendable {
    private enum Storage: Sendable {
        /// `m / 10^scale`; `Int32.min` is missing.
        case decimal(codes: [Int32], scale: Int)
        /// Missing values are NaN.
        case doubles([Double])
    }

    private let storage: Storage
    private static let missingCode = Int32.min
    /// The powers of ten a column may be scaled by (exact in binary).
    private static let powers: [Double] = (0...9).map { k in (0..<k).reduce(1.0) { x, _ in x * 10 } }

    /// The values (NaN missing), stored as 32-bit decimals when every one round-trips exactly.
    public init(_ values: [Double]) {
        self.init(values, order: 0..<Int32(values.count))
    }

    /// Values already in walking order, kept as they are (sharing their storage).
    init(sharing values: [Double]) { storage = .doubles(values) }

    /// `values[order[k]]` for each k: a file-order column put in walking order.
    init<C: Collection>(_ values: [Double], order: C) where C.Element == Int32 {
        if let scale = Self.decimalScale(of: values) {
            let power = Self.powers[scale]
            storage = values.withUnsafeBufferPointer { values in
                .decimal(codes: order.map { r in
                    let x = values[Int(r)]
                    return x.isNaN ? Self.missingCode : Int32((x * power).rounded())
                }, scale: scale)
            }
        } else {
            storage = values.withUnsafeBufferPointer { values in .doubles(order.map { values[Int($0)] }) }
        }
    }

    /// The smallest scale (0 to 9 decimals) at which every non-missing value is an Int32 whose
    /// decoding is the value itself, bit for bit; nil when there is none.
    private static func decimalScale(of values: [Double]) -> Int? {
        var scale = 0
        var k = 0
        while k < values.count {
            let x = values[k]
            if x.isNaN || fits(x, scale) { k += 1; continue }
            // This value needs more decimals: try more, then recheck from the start (rare: a column
            // settles on its scale within its first values).
            guard let wider = ((scale + 1)..<powers.count).first(where: { fits(x, $0) }) else { return nil }
            scale = wider
            k = 0
        }
        return scale
    }

    private static func fits(_ x: Double, _ scale: Int) -> Bool {
        let scaled = (x * powers[scale]).rounded()
        // Int32.min is the missing code, so it is not a value.
        guard scaled.magnitude < 2_147_483_647 else { return false }
        return scaled / powers[scale] == x && !(x == 0 && x.sign == .minus)
    }

    public var count: Int {
        switch storage {
        case .decimal(let codes, _): codes.count
        case .doubles(let values): values.count
        }
    }

    /// Whether the column is held as 32-bit decimals (what the memory benchmark counts on).
    public var isCompact: Bool { if case .decimal = storage { true } else { false } }

    /// The values at `positions` (walking order), in that order.
    public func gathering<C: Collection>(_ positions: C) -> [Double] where C.Element == Int32 {
        switch storage {
        case .decimal(let codes, let scale):
            let power = Self.powers[scale]
            return codes.withUnsafeBufferPointer { codes in
                positions.map { k in
                    let m = codes[Int(k)]
                    return m == Self.missingCode ? .nan : Double(m) / power
                }
            }
        case .doubles(let values):
            return values.withUnsafeBufferPointer { values in positions.map { values[Int($0)] } }
        }
    }

    /// Every value, in walking order (NaN missing).
    public var values: [Double] { gathering(0..<Int32(count)) }

    /// The values at `positions`, stored the same way (the table of a subset of patients).
    func keeping(_ positions: [Int32]) -> LinkedValues {
        switch storage {
        case .decimal(let codes, let scale): LinkedValues(storage: .decimal(codes: positions.map { codes[Int($0)] }, scale: scale))
        case .doubles(let values): LinkedValues(storage: .doubles(positions.map { values[Int($0)] }))
        }
    }

    private init(storage: Storage) { self.storage = storage }
}
