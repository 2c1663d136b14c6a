extension LinkedTable {
    /// One value a patient a day over a window of study days: the course a trajectory plots.
    public struct DailyCourse: Sendable, Equatable {
        /// The patient (row of the patient table), the study day and the day's value of each
        /// patient-day with at least one non-missing value, in walking order (patient, then day).
        public let patient: [Int32]
        public let day: [Double]
        public let value: [Double]
        /// Non-missing draws in the window, and the patient-days among them with more than one
        /// (whose values were averaged): what a method note states.
        public let draws: Int
        public let daysAveraged: Int
    }

    /// Each patient-day's mean of the non-missing draws of `values` in `window` (inclusive).
    ///
    /// Several draws on one day are averaged, so each patient counts once a day in a per-day
    /// median, as the area summary (`auc`) averages them (one rule for "a patient's value that
    /// day"). Summed in file order within the day: the same bits on every machine.
    /// - Parameter values: a numeric column of this table (``LinkedColumn/numbers``).
    public func dailyMeans(of values: LinkedValues, days window: ClosedRange<Double>) -> DailyCourse {
        let frame = WindowFrame(table: self, window: window)
        let drawn = values.gathering(frame.rows)
        var patient: [Int32] = [], day: [Double] = [], value: [Double] = []
        var draws = 0, averaged = 0
        var p = 0
        for d in 0..<frame.dayCount {
            while frame.patientDayStart[p + 1] <= d { p += 1 }
            var sum = 0.0, n = 0
            for k in Int(frame.dayStart[d])..<Int(frame.dayStart[d + 1]) {
                let x = drawn[k]
                if x.isNaN { continue }
                sum += x
                n += 1
            }
            guard n > 0 else { continue }
            draws += n
            if n > 1 { averaged += 1 }
            patient.append(Int32(frame.patients.lowerBound + p))
            day.append(frame.day(ofDay: d))
            value.append(sum / Double(n))
        }
        return DailyCourse(patient: patient, day: day, value: value, draws: draws, daysAveraged: averaged)
    }

    /// One value a patient (a row of the patient table) of `values` over `window`: the same
    /// summary a codebook's `min(labs.platelets, days = 0...28)` derives (``WindowSummary``;
    /// missing, NaN, when the window holds no value). `first_day` and `days_below` need a
    /// condition or threshold and are not offered here.
    /// - Parameter values: a numeric column of this table (``LinkedColumn/numbers``).
    public func windowSummary(_ summary: WindowSummary, of values: LinkedValues, days window: ClosedRange<Double>) -> [Double] {
        precondition(summary != .firstDay && summary != .daysBelow, "first_day and days_below take a condition or threshold")
        let frame = WindowFrame(table: self, window: window)
        let gathered = values.gathering(frame.rows)
        return frame.summarise(gathered, byDay: false, summary, threshold: 0)
    }
}
