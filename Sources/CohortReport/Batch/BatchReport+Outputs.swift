import CohortData
import CohortStats

/// What one output produced: its tables (each with its JSON) and figures, in memory.
struct ComputedOutput {
    struct Table {
        let table: ReportTable
        /// The analysis's own JSON (as the single command writes it), or nil for the table's.
        let json: String?
    }

    struct Figure {
        let title: String
        let svg: String
    }

    let output: StudyOutput
    var tables: [Table] = []
    var figures: [Figure] = []
    var warnings: [String] = []
    /// A logit's analysis, kept for a forest plot that names it.
    var logistic: LogisticAnalysis?
}

extension BatchReport {
    /// Runs one output through the library call its single command uses, with the study's style.
    /// - Throws: whatever that call throws (unknown column, model that cannot be fitted, ...).
    static func compute(_ output: StudyOutput, study: StudyFile, table: DataTable, done: [ComputedOutput]) throws -> ComputedOutput {
        let style = study.options.numberStyle
        var result = ComputedOutput(output: output)
        if style.suppression.isActive, let reason = output.kind.unsuppressible {
            // Left out rather than shared with the small counts the report was asked to hide.
            result.warnings = ["left out of this report: small-cell suppression (below \(study.options.suppressBelow)) is not implemented for \(reason), whose counts could reveal small cells"]
            return result
        }
        func titled(_ table: ReportTable) -> ReportTable {
            var table = table
            if let title = output.title { table.title = title }
            return table
        }
        switch output.kind {
        case .table1(let variables, let by, let tests):
            let description = try CohortDescription.describe(table: table, variables: variables, by: by, tests: tests)
            result.tables.append(.init(table: titled(DescriptionTable.make(description, style: style)), json: DescriptionJSON.render(description)))
        case .incidence(let outcome, let event, let by, let method, let level):
            let incidence = try Incidence.compute(table: table, outcome: outcome, eventLevel: event, group: by, method: method, level: level)
            result.tables.append(.init(table: titled(IncidenceTable.make(incidence, style: style)), json: IncidenceJSON.render(incidence)))
        case .compare(let outcome, let event, let factors, let test, let measurementTest, let trend):
            let (eventLabel, comparisons) = try OutcomeComparison.compare(table: table, outcome: outcome, eventLevel: event, factors: factors,
                                                                          tests: GroupTests(categories: test, measurements: measurementTest), trend: trend)
            // The study file keeps no record of which test keys were written, only of trend.
            if let problem = ComparisonOptions.unusedOption(comparisons, trend: trend ? "'trend: true'" : nil, test: nil, measurementTest: nil) {
                throw BatchError(output: output.name, message: problem)
            }
            let made = ComparisonTable.make(outcome: outcome, eventLabel: eventLabel, source: table.source, comparisons: comparisons, style: style)
            result.tables.append(.init(table: titled(made),
                                       json: ComparisonJSON.render(outcome: outcome, eventLabel: eventLabel, comparisons: comparisons)))
        case .logit(let outcome, let event, let covariates, let reference, let firth, let ci, let level, let lr):
            let model = try LogisticModel(table: table, outcome: outcome, covariates: covariates, referenceLevels: reference, eventLevel: event)
            do throws(SuppressionError) {
                try style.suppression.check(model)
            } catch {
                // As an output that cannot be suppressed: left out and listed, not the report failed.
                result.warnings = ["left out of this report: \(error.message)"]
                return result
            }
            let analysis = try LogisticAnalysis.run(model, options: FitOptions.defaults(for: firth ? .firth : .maximumLikelihood), intervals: ci,
                                                    level: level, likelihoodRatioTests: lr, source: table.source)
            result.tables.append(.init(table: titled(CoefficientTable.make(analysis, style: style)), json: LogisticJSON.render(analysis)))
            result.warnings = analysis.warnings
            result.logistic = analysis
        case .cuminc(let input):
            let analysis = CompetingRisksAnalysis.run(try competingRisksData(input, table: table), days: input.days, interval: input.interval,
                                                      level: input.level, rho: input.rho)
            result.tables.append(.init(table: titled(CumulativeIncidenceTable.make(analysis, style: style)),
                                       json: CumulativeIncidenceJSON.render(analysis)))
            if input.figure {
                let title = output.title ?? "Cumulative incidence of \(input.event)"
                // The legend names the groups by the codebook's label of the column, else its name.
                let groupLabel = input.by.map { FigureLabels.text(table, column: $0) }
                result.figures.append(.init(title: title, svg: CumulativeIncidenceFigure.svg(
                    analysis, eventType: input.event, title: title, timeAxis: AxisLabel(input.timeAxis, unit: nil), groupLabel: groupLabel,
                    maxDay: input.svgMaxDay)))
            }
        case .forest(let logit, let labels):
            // The reader checked that the name is a logit output; it is computed earlier in file order.
            guard let analysis = done.first(where: { $0.output.name == logit })?.logistic else {
                throw BatchError(output: output.name, message: "the logit output '\(logit)' must come before this forest plot in the list")
            }
            let terms = analysis.fit.coefficientNames.filter { $0 != ModelTerm.interceptName }
            if let unknown = labels.keys.sorted().first(where: { !terms.contains($0) }) {
                // A misspelt term would otherwise leave its row unlabelled without a word.
                throw BatchError(output: output.name, message: "labels: '\(unknown)' is not a term of the logit output '\(logit)' (its terms: \(terms.joined(separator: ", ")))")
            }
            let title = output.title ?? "Odds ratios: \(analysis.fit.method == .firth ? "Firth" : "maximum likelihood") logistic model"
            // The codebook's labels, as `cohort logit --svg` draws them; the study's own `labels` win.
            let termLabels = FigureLabels.terms(table, names: analysis.fit.coefficientNames).merging(labels) { $1 }
            result.figures.append(.init(title: title, svg: ForestPlot.svg(analysis, title: title, termLabels: termLabels)))
        case .bars(let column, let denominator, let axis):
            let description = try CohortDescription.describe(table: table, variables: [column], by: nil, tests: nil)
            guard let variable = description.variables.first, case .categorical(let summary) = variable.overall else {
                throw BatchError(output: output.name, message: "'\(column)' is not a categorical column (a bar chart counts the rows at each level)")
            }
            result.tables.append(.init(table: titled(DescriptionTable.make(description, style: style)), json: DescriptionJSON.render(description)))
            let title = output.title ?? (variable.label ?? column)
            result.figures.append(.init(title: title, svg: BarChart.svg(title: title, categories: summary.levels.map { (label: $0.label, count: $0.count) },
                                                                        valueAxis: AxisLabel(axis), denominator: denominator ? table.rowCount : nil,
                                                                        missing: summary.missing)))
        case .reproduce(let published):
            if let problem = study.confinement.violation(study.resolve(published), home: FolderConfinement.folder(of: study.source)) {
                throw BatchError(output: output.name, message: "published: \(problem)")
            }
            let publishedStudy = try PublishedStudy.read(path: study.resolve(published), confinement: study.confinement)
            let figures = try Reproduction.run(publishedStudy)
            result.tables.append(.init(table: titled(ReproductionTable.make(figures, studies: [publishedStudy])),
                                       json: ReproductionJSON.render(figures)))
            let differing = figures.filter { !$0.match }
            result.warnings = differing.map { "\($0.figure): published \($0.published), computed \($0.computed)" }
        }
        if style.suppression.isActive {
            // An analysis's own JSON carries the raw counts: under suppression the table's JSON
            // (with the hidden cells) is written instead, as the commands do.
            result.tables = result.tables.map { .init(table: $0.table, json: nil) }
        }
        return result
    }

    /// The competing-risks data in the form the output names, through the same constructors as
    /// `cohort cuminc`.
    static func competingRisksData(_ input: CumincInput, table: DataTable) throws -> CompetingRisksData {
        let coding = try EventCoding(events: [input.event] + input.competing, noEventValues: input.noEvent)
        switch input.times {
        case .days(let eventDay, let eventType, let followUpDay):
            return try .fromDays(table: table, eventDay: eventDay, eventType: eventType, followUpDay: followUpDay, coding: coding, group: input.by)
        case .dates(let indexDate, let eventDate, let eventType, let followUpDate):
            return try .fromDates(table: table, indexDate: indexDate, eventDate: eventDate, eventType: eventType, followUpDate: followUpDate,
                                  coding: coding, group: input.by)
        case .timeStatus(let time, let status):
            return try .fromTimeAndStatus(table: table, time: time, status: status, coding: coding, group: input.by)
        case .eventDays(let types, let followUpDay):
            // The event of interest first (it wins a tie), then the competing types named, else every
            // other type: as `cohort cuminc --event-days`.
            let competing = input.competing.isEmpty ? types.map(\.type).filter { $0 != input.event } : input.competing
            let ordered = ([input.event] + competing).compactMap { type in types.first { $0.type == type } }
            return try .fromEventDays(table: table, eventDays: ordered, followUpDay: followUpDay, group: input.by)
        }
    }
}

extension StudyOutput.Kind {
    /// What an output shows that the table builders cannot suppress, or nil when it can be shared
    /// suppressed.
    var unsuppressible: String? {
        switch self {
        case .table1, .incidence, .compare, .logit: nil
        case .cuminc: "cumulative-incidence curves and their numbers at risk"
        case .forest: "a forest plot (its caption gives n and events)"
        case .bars: "a bar chart of counts"
        case .reproduce: "the reproduced published figures"
        }
    }
}
