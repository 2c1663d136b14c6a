import CohortStats

/// `cohort correlate`: one row with the coefficient, the statistic, the P and the n, the method and
/// how the P was computed stated below it.
public enum CorrelationTable {
    public static func make(_ analysis: CorrelationAnalysis, style: NumberStyle = .standard) -> ReportTable {
        let test = analysis.test
        var columns = [
            ReportTable.Column(key: "x", header: "x", alignment: .left),
            .init(key: "y", header: "y", alignment: .left),
            .init(key: "coefficient", header: coefficientName(analysis.method)),
            .init(key: "statistic", header: test.statisticName ?? "statistic"),
        ]
        var cells: [CellValue] = [.text(analysis.xColumn), .text(analysis.yColumn), .number(test.estimate ?? .nan), .number(test.statistic ?? .nan)]
        if let df = test.df {
            columns.append(.init(key: "df", header: "df"))
            // n − 2 is a whole number: print it as one.
            cells.append(df == df.rounded() && abs(df) < 1e9 ? .count(Int(df)) : .number(df))
        }
        if let interval = test.confidenceInterval {
            columns.append(.init(key: "ci", header: "\(NumberStyle.levelPercent(interval.level)) CI"))
            cells.append(.interval(interval.lower, interval.upper))
        }
        columns += [.init(key: "p", header: "P"), .init(key: "n", header: "n")]
        cells += [.pValue(test.pValue), .count(analysis.nUsed)]
        let dropped = analysis.nDropped == 1 ? "1 row" : "\(analysis.nDropped) rows"
        var notes = ["\(test.method), \(sideText(test.alternative)): \(test.methodDetails)."]
        notes += test.warnings.map { "R warns: \($0)." }
        if style.suppression.isActive { notes.append(Suppression.notAppliedNote) }
        return ReportTable(
            title: "\(test.method): \(analysis.xColumn) and \(analysis.yColumn)",
            preamble: ["data: \(analysis.source); \(analysis.nUsed) complete pairs used, \(dropped) dropped for a missing value"],
            columns: columns, rows: [cells], notes: notes, style: style)
    }

    static func coefficientName(_ method: Correlation.Method) -> String {
        switch method {
        case .pearson: "r"
        case .spearman: "rho"
        case .kendall: "tau"
        }
    }

    static func sideText(_ alternative: TestResult.Alternative) -> String {
        switch alternative {
        case .twoSided: "two-sided"
        case .less: "one-sided (negative association)"
        case .greater: "one-sided (positive association)"
        }
    }
}

/// `cohort correlate --format json`, a stable interface: `{"x", "y", "method", "methodDetails",
/// "coefficientName", "coefficient", "statisticName", "statistic", "df", "p", "alternative",
/// "ciLower", "ciUpper", "level", "nUsed", "nDropped", "warnings"}`; numbers unrounded, null when
/// absent (df for rank methods, the interval except for Pearson with n >= 4).
public enum CorrelationJSON {
    public static func render(_ analysis: CorrelationAnalysis) -> String {
        let test = analysis.test
        return JSONValue.object([
            ("x", .string(analysis.xColumn)),
            ("y", .string(analysis.yColumn)),
            ("method", .string(test.method)),
            ("methodDetails", .string(test.methodDetails)),
            ("coefficientName", .string(CorrelationTable.coefficientName(analysis.method))),
            ("coefficient", .optionalNumber(test.estimate)),
            ("statisticName", test.statisticName.map { .string($0) } ?? .null),
            ("statistic", .optionalNumber(test.statistic)),
            ("df", .optionalNumber(test.df)),
            ("p", .number(test.pValue)),
            ("alternative", .string(test.alternative.rawValue)),
            ("ciLower", .optionalNumber(test.confidenceInterval?.lower)),
            ("ciUpper", .optionalNumber(test.confidenceInterval?.upper)),
            ("level", .optionalNumber(test.confidenceInterval?.level)),
            ("nUsed", .integer(analysis.nUsed)),
            ("nDropped", .integer(analysis.nDropped)),
            ("warnings", .array(test.warnings.map { .string($0) })),
        ]).rendered(indent: 2) + "\n"
    }
}
