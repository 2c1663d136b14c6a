/// The summaries of a linked table over a window of study days, one value a patient.
///
/// Windows are inclusive (`days = 0...28` is day 0 to day 28), as everywhere in the toolkit. Missing
/// values are ignored; several draws on one day all count.
///
/// | summary | value | nothing in the window |
/// |---|---|---|
/// | `min`, `max`, `mean` | over every non-missing value | missing |
/// | `first`, `last` | by day, and by file order within a day | missing |
/// | `count` | non-missing values | 0 |
/// | `first_day(condition)` | the first day the condition holds for some draw | missing |
/// | `days_below(x, c)` | distinct days with a value below c | 0 |
/// | `auc` | trapezoid rule over days, each day's values averaged; no extrapolation to the window's ends | missing (also with one day) |
///
/// Given a daily score (`max(isth_dic_score(labs.platelets, ...), days = 0...28)`) the summary runs
/// over the days that have a score.
public enum WindowSummary: String, CaseIterable, Sendable {
    case min, max, mean, first, last, count
    case firstDay = "first_day"
    case daysBelow = "days_below"
    case auc

    var parameters: [String] { self == .daysBelow ? ["x", "threshold", "days"] : ["x", "days"] }

    public var signature: String { "\(rawValue)(\(self == .firstDay ? "condition" : "table.column")\(self == .daysBelow ? ", threshold" : ""), days = first...last)" }

    public var summary: String {
        switch self {
        case .min: "the lowest value of a linked table's column in the window of study days (missing when none)"
        case .max: "the highest value in the window (missing when none)"
        case .mean: "the mean of the values in the window (missing when none)"
        case .first: "the first value in the window, by day and then file order (missing when none)"
        case .last: "the last value in the window, by day and then file order (missing when none)"
        case .count: "how many values the window holds (0 when none)"
        case .firstDay: "the first day in the window on which the condition holds, e.g. first_day(labs.fibrinogen < 1.5, days = 0...28) (missing when never)"
        case .daysBelow: "how many distinct days in the window have a value below the threshold (0 when none)"
        case .auc: "area under the curve by the trapezoid rule across the days with a value, each day's values averaged (missing with fewer than two days)"
        }
    }

    func resultType(of input: VariableType) -> VariableType {
        switch self {
        case .min, .max, .first, .last: [.integer, .grade, .binary].contains(input) ? input : .real
        case .mean, .auc: .real
        case .count, .daysBelow, .firstDay: .integer
        }
    }
}

/// What a daily score left unscored: the score and window ("isth_dic_score on labs days 0...28"),
/// the derived variables it went into, the patient-days with draws and how many got a score. Kept
/// as counts, so that a report under small-cell suppression can hide them like any other count.
public struct DailyScoreNote: Sendable, Equatable {
    public let score: String
    public let variables: [String]
    public let scored: Int
    public let days: Int
    public var unscorable: Int { days - scored }

    /// The sentence; a report under small-cell suppression passes the counts as it shows them.
    public func text(scored: String? = nil, unscorable: String? = nil) -> String {
        "\(score) (\(variables.joined(separator: ", "))): \(scored ?? String(self.scored)) of \(days) patient-days with draws scored; \(unscorable ?? String(self.unscorable)) unscorable (a component missing that day)"
    }
}

/// The draws of one linked table in one window, for the patients `patients` (all of them, or a
/// block): their positions in walking order, grouped by patient and by patient-day.
///
/// Only positions and group starts are stored (32-bit where they count draws): a draw's patient
/// and day, and a day's patient, follow from them and from the table. Patient indices inside a
/// frame count from its first patient (`patients.lowerBound`).
struct WindowFrame {
    let table: LinkedTable
    let window: ClosedRange<Double>
    /// The patients (rows of the patient table) the frame covers.
    let patients: Range<Int>
    /// Positions (walking order) of the draws in the window; each patient's are contiguous.
    let rows: [Int32]
    /// The frame's p-th patient's draws are `patientStart[p]..<patientStart[p + 1]` of `rows`.
    let patientStart: [Int]
    /// Patient-days: the k-th day's draws are `dayStart[k]..<dayStart[k + 1]` of `rows`.
    let dayStart: [Int32]
    /// The frame's p-th patient's days are `patientDayStart[p]..<patientDayStart[p + 1]`.
    let patientDayStart: [Int]

    /// Patient-days in the window (days with at least one draw).
    var dayCount: Int { dayStart.count - 1 }
    /// The study day of the k-th draw of the window.
    func day(ofRow k: Int) -> Double { table.day[Int(rows[k])] }
    /// The study day of the d-th patient-day of the window.
    func day(ofDay d: Int) -> Double { table.day[Int(rows[Int(dayStart[d])])] }

    init(table: LinkedTable, window: ClosedRange<Double>, patients: Range<Int>? = nil) {
        let patients = patients ?? 0..<table.patientCount
        self.table = table
        self.window = window
        self.patients = patients
        // One pass, each array reserved at the most it can hold (every draw of the patients, each on
        // a day of its own): a counting pass first decoded every study day twice, a fifth of a derive.
        let drawCount = patients.isEmpty ? 0 : table.patientStart[patients.upperBound] - table.patientStart[patients.lowerBound]
        var rows: [Int32] = [], dayStart: [Int32] = []
        var patientStart = [0], patientDayStart = [0]
        rows.reserveCapacity(drawCount)
        dayStart.reserveCapacity(drawCount + 1)
        patientStart.reserveCapacity(patients.count + 1)
        patientDayStart.reserveCapacity(patients.count + 1)
        for p in patients {
            // Days are sorted within a patient: skip to the window's first day, stop after its last.
            // Each draw's day decoded once.
            var previousDay = Double.nan
            for k in table.patientStart[p]..<table.patientStart[p + 1] {
                let day = table.day[k]
                if day < window.lowerBound { continue }
                if day > window.upperBound { break }
                if day != previousDay {
                    dayStart.append(Int32(rows.count))
                    previousDay = day
                }
                rows.append(Int32(k))
            }
            patientStart.append(rows.count)
            patientDayStart.append(dayStart.count)
        }
        dayStart.append(Int32(rows.count))
        self.rows = rows
        self.patientStart = patientStart
        self.dayStart = dayStart
        self.patientDayStart = patientDayStart
    }

    /// Consecutive blocks of the table's patients holding at most `draws` draws each (but a block
    /// has at least one patient; a table without patients has one empty block). Every value a summary computes belongs to one patient,
    /// or to one draw or day of one patient, so a summary computed block by block gives the same
    /// bits as over the whole table, while the vectors of draws and days it builds stay the size of
    /// a block (issue 15: a daily score's components were four arrays of every patient-day).
    static func blocks(of table: LinkedTable, draws: Int) -> [Range<Int>] {
        guard table.patientCount > 0 else { return [0..<0] }
        var blocks: [Range<Int>] = []
        var first = 0
        while first < table.patientCount {
            var last = first + 1
            while last < table.patientCount, table.patientStart[last + 1] - table.patientStart[first] <= draws { last += 1 }
            blocks.append(first..<last)
            first = last
        }
        return blocks
    }

    /// `values` (one a patient) repeated for each draw (`grain == .rows`) or patient-day of the window.
    func broadcast(_ values: [Double], toDays: Bool) -> [Double] {
        let starts = toDays ? patientDayStart : patientStart
        var result: [Double] = []
        result.reserveCapacity(starts[starts.count - 1])
        for p in 0..<(starts.count - 1) {
            result.append(contentsOf: repeatElement(values[patients.lowerBound + p], count: starts[p + 1] - starts[p]))
        }
        return result
    }

    /// Each patient-day's most abnormal non-missing value of draws `values` (missing when the day has none).
    func dailyMostAbnormal(_ values: [Double], _ direction: DerivedFunction.Abnormal) -> [Double] {
        var result = [Double](repeating: .nan, count: dayCount)
        for d in result.indices {
            var best = Double.nan
            for k in Int(dayStart[d])..<Int(dayStart[d + 1]) {
                let x = values[k]
                if x.isNaN { continue }
                if best.isNaN || (direction == .low ? x < best : x > best) { best = x }
            }
            result[d] = best
        }
        return result
    }

    /// One value a patient of the frame of `values` (a value a draw, or a value a day when `byDay`).
    func summarise(_ values: [Double], byDay: Bool, _ summary: WindowSummary, threshold: Double) -> [Double] {
        let starts = byDay ? patientDayStart : patientStart
        // The day of the k-th value: of a draw, or of a patient-day.
        let days: (Int) -> Double = byDay ? { day(ofDay: $0) } : { day(ofRow: $0) }
        var result = [Double](repeating: .nan, count: patients.count)
        for p in 0..<patients.count {
            let range = starts[p]..<starts[p + 1]
            switch summary {
            case .min, .max:
                var best = Double.nan
                for k in range where !values[k].isNaN {
                    if best.isNaN || (summary == .min ? values[k] < best : values[k] > best) { best = values[k] }
                }
                result[p] = best
            case .mean:
                // Summed in walking order (patient, day, file order): the same bits on every machine.
                var sum = 0.0, n = 0
                for k in range where !values[k].isNaN { sum += values[k]; n += 1 }
                result[p] = n == 0 ? .nan : sum / Double(n)
            case .first:
                result[p] = range.first { !values[$0].isNaN }.map { values[$0] } ?? .nan
            case .last:
                result[p] = range.last { !values[$0].isNaN }.map { values[$0] } ?? .nan
            case .count:
                result[p] = Double(range.reduce(0) { $0 + (values[$1].isNaN ? 0 : 1) })
            case .firstDay:
                result[p] = range.first { !values[$0].isNaN && values[$0] != 0 }.map { days($0) } ?? .nan
            case .daysBelow:
                var count = 0, lastDay = Double.nan
                for k in range where !values[k].isNaN && values[k] < threshold && days(k) != lastDay {
                    count += 1
                    lastDay = days(k)
                }
                result[p] = Double(count)
            case .auc:
                result[p] = Self.trapezoid(values, days, range)
            }
        }
        return result
    }

    /// The area under (day, value) by the trapezoid rule, each day's non-missing values averaged
    /// first; draws come in day order. Missing with fewer than two days that have a value.
    static func trapezoid(_ values: [Double], _ days: (Int) -> Double, _ range: Range<Int>) -> Double {
        var area = 0.0, points = 0
        var previousDay = Double.nan, previousValue = Double.nan
        var k = range.lowerBound
        while k < range.upperBound {
            let day = days(k)
            var sum = 0.0, n = 0
            while k < range.upperBound, days(k) == day {
                if !values[k].isNaN { sum += values[k]; n += 1 }
                k += 1
            }
            guard n > 0 else { continue }
            let value = sum / Double(n)
            if points > 0 { area += (day - previousDay) * (value + previousValue) / 2 }
            previousDay = day
            previousValue = value
            points += 1
        }
        return points < 2 ? .nan : area
    }
}
