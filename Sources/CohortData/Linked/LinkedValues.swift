/// One numeric column of a linked table, in walking order (patient, day, file order), stored as
/// ``CompactNumbers``: 32 bits a value written with a few decimals (`3.61`, `1.26`, `399`), every
/// value given back bit for bit. For a long table of millions of draws the numbers are most of a
/// derive's memory (issue 15: memory near the size of the input).
public struct LinkedValues: Sendable {
    private let numbers: CompactNumbers

    /// The values (NaN missing).
    public init(_ values: [Double]) { numbers = CompactNumbers(values) }

    /// Values already stored compactly, kept as they are (sharing their storage).
    init(_ numbers: CompactNumbers) { self.numbers = numbers }

    public var count: Int { numbers.count }

    /// Whether every value is held in 32 bits (what the memory benchmark counts on).
    public var isCompact: Bool { numbers.isCompact }

    /// The values at `positions` (walking order), in that order.
    public func gathering<C: Collection>(_ positions: C) -> [Double] where C.Element == Int32 { numbers.gathering(positions) }

    /// Every value, in walking order (NaN missing).
    public var values: [Double] { Array(numbers) }

    /// The values at `positions`, stored the same way (the table of a subset of patients, or a
    /// file-order column put in walking order).
    func keeping<C: Collection>(_ positions: C) -> LinkedValues where C.Element == Int32 { LinkedValues(numbers.keeping(positions)) }
}
