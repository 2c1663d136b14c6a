/// The summary of a measurement a Table 1 prints: n, missing, mean (SD), median [IQR], min–max.
///
/// Mean and variance use two passes (the mean, then the sum of squared deviations corrected by the
/// sum of deviations, Chan, Golub & LeVeque 1983), which keeps full accuracy for values far from
/// zero such as platelet counts in cells/L; the SD has the n − 1 denominator as R's `sd()`.
/// Quantiles are R's type 7 (``Quantiles``). Values that do not exist are nil, never NaN: the
/// mean and quantiles of no values, the SD of one value.
public struct NumericSummary: Sendable, Equatable {
    public let n: Int
    public let missing: Int
    public let mean: Double?
    /// Sample standard deviation (n − 1 denominator); nil when n < 2.
    public let standardDeviation: Double?
    public let median: Double?
    public let lowerQuartile: Double?
    public let upperQuartile: Double?
    public let minimum: Double?
    public let maximum: Double?
    /// Every value is a whole number (ages, days, counts): tables then print quantiles as such.
    public let allWhole: Bool

    /// Summarises `values`; NaN counts as missing.
    public init(_ values: some Sequence<Double>) {
        var present: [Double] = []
        var missing = 0
        for value in values {
            if value.isNaN { missing += 1 } else { present.append(value) }
        }
        self.init(present: present, missing: missing)
    }

    private init(present: [Double], missing: Int) {
        n = present.count
        self.missing = missing
        allWhole = present.allSatisfy { $0 == $0.rounded() }
        guard !present.isEmpty else {
            (mean, standardDeviation, median, lowerQuartile, upperQuartile, minimum, maximum) = (nil, nil, nil, nil, nil, nil, nil)
            return
        }
        let count = Double(present.count)
        let roughMean = present.reduce(0, +) / count
        var sumDeviations = 0.0
        var sumSquares = 0.0
        for value in present {
            let deviation = value - roughMean
            sumDeviations += deviation
            sumSquares += deviation * deviation
        }
        mean = roughMean + sumDeviations / count
        standardDeviation = present.count > 1 ? ((sumSquares - sumDeviations * sumDeviations / count) / (count - 1)).squareRoot() : nil
        let sorted = present.sorted()
        median = Quantiles.type7(sorted: sorted, p: 0.5)
        lowerQuartile = Quantiles.type7(sorted: sorted, p: 0.25)
        upperQuartile = Quantiles.type7(sorted: sorted, p: 0.75)
        minimum = sorted.first
        maximum = sorted.last
    }
}
