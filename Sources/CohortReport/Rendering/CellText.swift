import CohortData

extension ReportTable {
    /// A footnote mark as superscript digits (`¹`, `²`, ... `¹⁰`); "" for 0.
    public static func superscript(_ k: Int) -> String {
        guard k > 0 else { return "" }
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return String(String(k).compactMap { $0.wholeNumberValue.map { digits[$0] } })
    }

    /// Cell `k` as text, Markdown, LaTeX and HTML print it: its numbers formatted with ``style``,
    /// a hidden count as `<K` or `≥K`, a withheld value as the style's missing mark.
    public func text(ofCell k: Int) -> String {
        let cell = cells[k]
        let slot = Int(cell.slot)
        func x(_ offset: Int) -> Double { numbers[slot + offset] }
        func hidden(_ status: TableCell.Status) -> String {
            switch status {
            case .shown: ""
            case .small: "<\(style.suppression.threshold)"
            case .secondary: "≥\(style.suppression.threshold)"
            case .withheld: style.missing
            }
        }
        func count(_ offset: Int) -> String {
            let status = cell.status(ofPart: offset)
            return status == .shown ? String(Int(x(offset))) : hidden(status)
        }
        // A cell of one value, or of values hidden together, prints as its status when hidden.
        func whole(_ text: () -> String) -> String { cell.status == .shown ? text() : hidden(cell.status) }
        let summary = NumberStyle.Summary(whole: cell.format == 1)
        func optional(_ value: Double) -> Double? { value.isNaN ? nil : value }
        // A builder's fixed decimals (format − 1) print as C's printf rounds; else the style's.
        func percent(_ proportion: Double) -> String {
            cell.format > 0 ? NumberStyle.fixed(proportion * 100, decimals: Int(cell.format) - 1) : style.percent(proportion)
        }
        switch cell.kind {
        case .empty: return ""
        case .text: return texts[slot]
        case .countPercent:
            // A hidden count hides the cell; a percentage without its denominator is left out.
            guard cell.status(ofPart: 0) == .shown, cell.status(ofPart: 1) == .shown else { return count(0) }
            return x(1).isNaN ? count(0) + " (—)" : count(0) + " (" + style.percent(x(1)) + "%)"
        case .eventsOfN:
            let percent = cell.status(ofPart: 2) == .shown && !x(2).isNaN ? style.percent(x(2)) + "%" : "—"
            return count(0) + "/" + count(1) + " (" + percent + ")"
        case .countMissing: return count(0) + " (" + count(1) + ")"
        case .countDistinct: return cell.status(ofPart: 0) == .shown ? count(0) + " (" + count(1) + ")" : count(0)
        case .count: return count(0)
        case .percent: return whole { x(0).isNaN ? style.missing : percent(x(0)) }
        case .percentInterval: return whole { x(0).isNaN ? style.missing : percent(x(0)) + "–" + percent(x(1)) }
        case .number where cell.format == TableCell.shortestDigits: return whole { x(0).isFinite ? NumberText.shortest(x(0)) : style.missing }
        case .number where cell.format >= TableCell.fixedDecimalsBase:
            return whole { x(0).isFinite ? NumberStyle.fixed(x(0), decimals: Int(cell.format - TableCell.fixedDecimalsBase)) : style.missing }
        case .number:
            var digits = style
            if cell.format > 0 { digits.significantDigits = Int(cell.format) }
            return whole { digits.number(x(0)) }
        case .pValue: return whole { style.pValue(x(0)) } + ReportTable.superscript(Int(cell.format))
        case .figure: return whole { texts[Int(x(1))] }
        case .interval: return whole { x(0).isNaN || x(1).isNaN ? style.missing : style.interval(x(0), x(1)) }
        case .meanSD: return whole { summary.meanSD(optional(x(0)), optional(x(1))) }
        case .medianIQR: return whole { summary.medianIQR(optional(x(0)), optional(x(1)), optional(x(2))) }
        case .range: return whole { summary.minMax(optional(x(0)), optional(x(1))) }
        case .dateRange:
            return whole {
                guard !x(0).isNaN, !x(1).isNaN else { return "—" }
                return "\(CalendarDate(daysSinceEpoch: Int(x(0)))) to \(CalendarDate(daysSinceEpoch: Int(x(1))))"
            }
        }
    }
}
