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
    public var mean: Double? { n > 0 ? stored.mean : nil }
    /// Sample standard deviation (n − 1 denominator); nil when n < 2.
    public var standardDeviation: Double? { n > 1 ? stored.standardDeviation : nil }
    public var median: Double? { n > 0 ? stored.median : nil }
    public var lowerQuartile: Double? { n > 0 ? stored.lowerQuartile : nil }
    public var upperQuartile: Double? { n > 0 ? stored.upperQuartile : nil }
    public var minimum: Double? { n > 0 ? stored.minimum : nil }
    public var maximum: Double? { n > 0 ? stored.maximum : nil }
    /// The seven statistics without optionals, 0 where one does not exist (n says which exist): a
    /// `Double?` takes 16 bytes in a struct, and a Table 1 of 300,000 measurements keeps one
    /// summary each (issue 12, wide files).
    private let stored: Statistics

    /// Every value is a whole number (ages, days, counts): tables then print quantiles as such.
    public let allWhole: Bool

    private struct Statistics: Sendable, Equatable {
        var mean = 0.0, standardDeviation = 0.0, median = 0.0, lowerQuartile = 0.0, upperQuartile = 0.0, minimum = 0.0, maximum = 0.0
    }

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
        guard !present.isEmpty else {
            self.init(n: 0, missing: missing, allWhole: true, roughMean: 0, sumDeviations: 0, sumSquares: 0, orderStatistic: { _ in 0 })
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
        let sorted = present.sorted()
        self.init(n: present.count, missing: missing, allWhole: present.allSatisfy { $0 == $0.rounded() }, roughMean: roughMean,
                  sumDeviations: sumDeviations, sumSquares: sumSquares, orderStatistic: { sorted[$0] })
    }

    /// The summary from the sums of its two passes and its order statistics, as a database computes
    /// them (issue 17): `roughMean` = Σx/n, `sumDeviations` = Σ(x − roughMean), `sumSquares` =
    /// Σ(x − roughMean)², each summed in row order from 0; `orderStatistic(k)` the (k+1)-th smallest
    /// value, asked only for 0, n − 1 and ``Quantiles/type7Positions(count:p:)`` at 1/4, 1/2 and 3/4.
    /// The same sums in the same order give the same bits as the values themselves.
    public init(n: Int, missing: Int, allWhole: Bool, roughMean: Double, sumDeviations: Double, sumSquares: Double,
                orderStatistic: (Int) -> Double) {
        self.n = n
        self.missing = missing
        self.allWhole = allWhole
        guard n > 0 else {
            stored = Statistics()
            return
        }
        let count = Double(n)
        var statistics = Statistics()
        statistics.mean = roughMean + sumDeviations / count
        if n > 1 { statistics.standardDeviation = ((sumSquares - sumDeviations * sumDeviations / count) / (count - 1)).squareRoot() }
        statistics.median = Quantiles.type7(count: n, p: 0.5, value: orderStatistic)
        statistics.lowerQuartile = Quantiles.type7(count: n, p: 0.25, value: orderStatistic)
        statistics.upperQuartile = Quantiles.type7(count: n, p: 0.75, value: orderStatistic)
        statistics.minimum = orderStatistic(0)
        statistics.maximum = orderStatistic(n - 1)
        stored = statistics
    }
}
