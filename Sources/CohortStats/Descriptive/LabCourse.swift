/// A measurement's course over study days by group (issue 15, lab trajectories): per group the
/// per-day n, median and quartiles (``DailySummary``) and each patient's course for a spaghetti
/// plot. Values in, values out: the caller has reduced the draws to one value a patient a day and
/// says which group each patient is in.
public struct LabCourse: Sendable {
    /// The patients of one group: per-day summaries and the individual courses (no identifiers:
    /// courses are in the patient table's order and carry only days and values).
    public struct Group: Sendable {
        /// nil without groups.
        public let label: String?
        /// Patients in the group (with or without a value in the window).
        public let patients: Int
        /// Patients with at least one value in the window.
        public let patientsWithValues: Int
        public let days: [DailySummary.Day]
        public let courses: [[(day: Double, value: Double)]]
    }

    public let groups: [Group]

    /// - Parameters:
    ///   - patient, day, value: one value a patient-day (patient: a row of the patient table).
    ///   - groupOfPatient: each patient's group (an index into `labels`), -1 for none (left out);
    ///     nil: one group of every patient.
    ///   - labels: the group labels, in display order.
    public init(patient: [Int32], day: [Double], value: [Double], patientCount: Int, groupOfPatient: [Int]?, labels: [String]) {
        let groupCount = groupOfPatient == nil ? 1 : labels.count
        let group = { (p: Int) in groupOfPatient?[p] ?? 0 }
        var sizes = [Int](repeating: 0, count: groupCount)
        for p in 0..<patientCount where group(p) >= 0 { sizes[group(p)] += 1 }
        var days = [[Double]](repeating: [], count: groupCount), values = days
        var courses = [[[(day: Double, value: Double)]]](repeating: [], count: groupCount)
        var previous: Int32 = -1
        for k in patient.indices {
            let p = Int(patient[k]), g = group(p)
            guard g >= 0 else { continue }
            days[g].append(day[k])
            values[g].append(value[k])
            // Walking order: a patient's days are contiguous and ascending.
            if patient[k] != previous { courses[g].append([]) }
            courses[g][courses[g].count - 1].append((day[k], value[k]))
            previous = patient[k]
        }
        groups = (0..<groupCount).map { g in
            Group(label: groupOfPatient == nil ? nil : labels[g], patients: sizes[g], patientsWithValues: courses[g].count,
                  days: DailySummary.byDay(days: days[g], values: values[g]), courses: courses[g])
        }
    }
}

/// Each patient's summary of a measurement over a window (nadir, peak, ...) compared between groups:
/// per group n, median and quartiles, and the rank-sum test (Wilcoxon for two groups, Kruskal-Wallis
/// for more), as a Table 1 compares a measurement (``MeasurementTest/rankSum``).
public struct GroupedMeasurement: Sendable {
    public struct Group: Sendable {
        public let label: String?
        /// The group's patients: `summary.n` with a value, `summary.missing` without one.
        public let summary: NumericSummary
    }

    public let groups: [Group]
    /// nil without two or more groups with values, or when the test is undefined (``testProblem``).
    public let test: TestResult?
    public let testProblem: String?

    /// - Parameters:
    ///   - values: one value a patient (NaN: none in the window).
    ///   - groupOfPatient: each patient's group (index into `labels`), -1 for none; nil: one group.
    public init(values: [Double], groupOfPatient: [Int]?, labels: [String]) {
        let groupCount = groupOfPatient == nil ? 1 : labels.count
        var members = [[Double]](repeating: [], count: groupCount)
        for (p, x) in values.enumerated() {
            let g = groupOfPatient?[p] ?? 0
            if g >= 0 { members[g].append(x) }
        }
        groups = (0..<groupCount).map { Group(label: groupOfPatient == nil ? nil : labels[$0], summary: NumericSummary(members[$0])) }
        let samples = members.map { $0.filter { !$0.isNaN } }
        guard groupOfPatient != nil else {
            test = nil
            testProblem = nil
            return
        }
        let nonEmpty = samples.filter { !$0.isEmpty }
        if nonEmpty.count < 2 {
            test = nil
            testProblem = "fewer than two groups have a value"
            return
        }
        do throws(GroupTestError) {
            // Groups without a value are left out of the test, as R's kruskal.test drops them.
            test = try MeasurementTest.rankSum.test(nonEmpty)
            testProblem = nil
        } catch {
            test = nil
            testProblem = error.description
        }
    }
}
