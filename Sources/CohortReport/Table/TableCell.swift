/// One cell of a ``ReportTable``: what kind of value it holds, where its numbers are, and whether
/// small-cell suppression hid it. Numbers stay numbers until a renderer formats them with the
/// table's ``NumberStyle`` (issue 13: JSON and CSV carry them, text formats print them).
///
/// Eight bytes, no reference: the numbers live in the table's ``ReportTable/numbers`` (from
/// `slot`, one a part of the kind) and a text cell's text in ``ReportTable/texts``. A Table 1 of
/// 300,000 columns has some three million cells; a cell holding its own strings and doubles would
/// be 40 bytes or more (issue 12).
public struct TableCell: Sendable, Equatable {
    /// What a cell holds, and how it prints (each kind's parts: ``parts``).
    public enum Kind: UInt8, Sendable, CaseIterable {
        /// Nothing.
        case empty
        /// Text as the builder wrote it (labels, names, methods).
        case text
        /// A whole count: `12`.
        case count
        /// A proportion (0...1) as a percentage with the style's decimals, without `%`: `9.4`; or
        /// with the builder's (``format``: decimals + 1), rounded as C's `printf`.
        case percent
        /// Two proportions as percentages: `3.1–22.4` (decimals as ``percent``).
        case percentInterval
        /// A count with its percentage of the rows with a value: `12 (9.4%)`.
        case countPercent
        /// Events out of n with the percentage: `6/104 (5.8%)`.
        case eventsOfN
        /// A count with the rows missing beside it: `127 (0)`.
        case countMissing
        /// A number to the style's significant digits (or `digits`, or ``shortestDigits``: its
        /// shortest round-trip form): `0.4213`.
        case number
        /// A P value in the style's form: `0.020`, `<0.001`, `.02`.
        case pValue
        /// An interval of two numbers: `1.10, 4.85` (`lower to upper` with a negative bound).
        case interval
        /// A mean and its standard deviation: `59.5 (8.86)`.
        case meanSD
        /// A median and its quartiles: `60 [53–66.5]`.
        case medianIQR
        /// A minimum and maximum: `45–73`.
        case range
        /// A count of values and of distinct ones: `40 (38)`.
        case countDistinct
        /// The first and last dates (days since 1970-01-01): `2021-01-04 to 2021-06-30`.
        case dateRange
        /// A number with the text another source prints it as (a reproduced figure formatted as
        /// its journal printed it): `9.4%` for 12/127. The text prints; JSON and CSV carry the
        /// number unrounded.
        case figure
    }

    /// Whether a cell, or a part of it, is printed as computed, or hidden.
    public enum Status: UInt8, Sendable {
        case shown
        /// A count of 1..K − 1, printed `<K`.
        case small
        /// A count hidden so that a small one cannot be worked out, printed `≥K`.
        case secondary
        /// A value withheld because it would give a hidden count or a patient's value away (a
        /// percentage of a hidden count, a P value, an extreme), printed as the style's missing mark.
        case withheld

        public init(_ status: Suppression.Status) {
            switch status {
            case .shown: self = .shown
            case .small: self = .small
            case .secondary: self = .secondary
            }
        }
    }

    public let kind: Kind
    /// `.shown` when every part is; else the first hidden part's status (a cell hidden whole
    /// prints as that status does).
    public let status: Status
    /// The statuses of the parts, two bits each (part 0 lowest).
    let partStatuses: UInt8
    /// What the builder chose for the kind: significant digits of a number (0: the style's;
    /// ``shortestDigits``: the shortest round-trip form; ``fixedDecimalsBase`` + d: d decimals); a P
    /// value's footnote mark (0: none; k: the superscript k); decimals + 1 of a percentage fixed by the
    /// builder (0: the style's `percentDecimals`); 1 for summaries of whole-number data (see
    /// ``NumberStyle/Summary``).
    let format: UInt8
    /// Index of the cell's first number (or its text); 0 for empty cells. A figure's text is the
    /// one whose index is its second number (a cell has one slot, and eight bytes).
    let slot: UInt32

    /// The ``format`` of a number printed in its shortest round-trip form (`7.5`, `365`): the
    /// days a time-to-event table is read off at, as asked.
    static let shortestDigits: UInt8 = 255
    /// The ``format`` of a number printed with a fixed number of decimals d: this + d (d ≤ 9).
    static let fixedDecimalsBase: UInt8 = 240

    /// The names of a kind's numbers, in order (JSON keys, CSV column suffixes).
    public static func parts(_ kind: Kind) -> [String] { partNames[Int(kind.rawValue)] }

    /// ``parts(_:)`` made once: renderers ask for every cell.
    private static let partNames = Kind.allCases.map(names)

    private static func names(_ kind: Kind) -> [String] {
        switch kind {
        case .empty: []
        case .text: []
        case .count, .percent, .number, .pValue, .figure: ["value"]
        case .percentInterval, .interval: ["lower", "upper"]
        case .countPercent: ["count", "proportion"]
        case .eventsOfN: ["events", "n", "proportion"]
        case .countMissing: ["n", "missing"]
        case .meanSD: ["mean", "sd"]
        case .medianIQR: ["median", "q1", "q3"]
        case .range: ["min", "max"]
        case .countDistinct: ["n", "distinct"]
        case .dateRange: ["first", "last"]
        }
    }

    public var isSuppressed: Bool { status != .shown }

    /// The status of part `p`.
    public func status(ofPart p: Int) -> Status { Status(rawValue: (partStatuses >> (2 * p)) & 3) ?? .shown }

    init(kind: Kind, partStatuses: [Status], format: UInt8 = 0, slot: UInt32) {
        self.kind = kind
        self.status = partStatuses.first { $0 != .shown } ?? .shown
        self.partStatuses = partStatuses.enumerated().reduce(0) { $0 | $1.element.rawValue << (2 * $1.offset) }
        self.format = format
        self.slot = slot
    }
}

/// A cell as a builder states it, before the table packs it (see ``TableCell``). Numbers that do
/// not exist (an SD of one value, an aliased coefficient) are NaN; a part's status says whether
/// suppression hid it.
public enum CellValue: Sendable, Equatable {
    case empty
    case text(String)
    case count(Int, TableCell.Status = .shown)
    case percent(Double, TableCell.Status = .shown)
    case percentInterval(Double, Double, TableCell.Status = .shown)
    /// A percentage with `decimals` digits after the point whatever the style's
    /// `percentDecimals`, rounded as C's `printf` (the Kaplan-Meier and cumulative-incidence
    /// estimates, 1 decimal, and their SEs, 2); NaN prints as the style's missing mark.
    case fixedPercent(Double, decimals: Int, TableCell.Status = .shown)
    case fixedPercentInterval(Double, Double, decimals: Int, TableCell.Status = .shown)
    /// `count (p%)`; the percentage `.withheld` when its denominator is hidden (then only the count
    /// prints), NaN when there is none (`count (—)`).
    case countPercent(Int, Double, count: TableCell.Status = .shown, percent: TableCell.Status = .shown)
    /// `events/n (p%)`; the percentage prints only when both counts do.
    case eventsOfN(Int, Int, events: TableCell.Status = .shown, n: TableCell.Status = .shown)
    case countMissing(Int, Int, n: TableCell.Status = .shown, missing: TableCell.Status = .shown)
    /// A number with `digits` significant digits (nil: the style's).
    case number(Double, digits: Int? = nil, TableCell.Status = .shown)
    /// A number in its shortest round-trip form (`7.5`, `365`): a day as asked for.
    case exactNumber(Double, TableCell.Status = .shown)
    case pValue(Double, TableCell.Status = .shown)
    /// A P value with a footnote mark after it (`0.003¹`; mark 1...9), the mark printed whatever
    /// the status (it names the test, not the value).
    case markedPValue(Double, mark: Int, TableCell.Status = .shown)
    /// A number with `decimals` decimals (0...9), as C's `printf` rounds: a standardised difference.
    case fixedNumber(Double, decimals: Int, TableCell.Status = .shown)
    case interval(Double, Double, TableCell.Status = .shown)
    /// Summaries of a measurement, formatted as ``NumberStyle/Summary`` says (`whole`: every value
    /// behind them is a whole number).
    case meanSD(Double, Double, whole: Bool, TableCell.Status = .shown)
    case medianIQR(Double, Double, Double, whole: Bool, TableCell.Status = .shown)
    case range(Double, Double, whole: Bool, TableCell.Status = .shown)
    /// `n (distinct)`; only `n` prints when it is hidden.
    case countDistinct(Int, Int, TableCell.Status = .shown)
    case dateRange(Double, Double, TableCell.Status = .shown)
    /// A number with the text it is printed as (``TableCell/Kind/figure``).
    case figure(Double, printed: String, TableCell.Status = .shown)
}

extension CellValue {
    /// A label or name: a text cell, or an empty cell for an empty string (as the tables built
    /// from texts had it).
    public static func label(_ text: String) -> CellValue { text.isEmpty ? .empty : .text(text) }
}
