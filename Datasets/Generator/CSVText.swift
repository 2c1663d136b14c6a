/// Deterministic text for the generated CSV files: numbers are written from integers, so the
/// output does not depend on locale or on how a platform prints a Double.
enum CSVText {
    /// `value` rounded to `decimals` places (half away from zero), e.g. fixed(2.25, 1) = "2.3".
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((abs(value) * Double(scale)).rounded(.toNearestOrAwayFromZero))
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(scaled) }
        let fraction = String(scaled % scale)
        return sign + String(scaled / scale) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// `value` rounded as `fixed` does, back as a number (so scores are computed on what is written).
    static func rounded(_ value: Double, _ decimals: Int) -> Double {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (value * scale).rounded(.toNearestOrAwayFromZero) / scale
    }

    static func optional(_ value: Int?) -> String { value.map(String.init) ?? "" }
    static func optional(_ value: String?) -> String { value ?? "" }
    static func flag(_ value: Bool) -> String { value ? "1" : "0" }

    /// One CSV file: a header and rows, fields joined by commas (no field needs quoting here), LF endings.
    static func table(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.joined(separator: ",") + "\n" }.joined()
    }
}
