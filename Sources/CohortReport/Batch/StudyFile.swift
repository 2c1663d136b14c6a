import CohortData
import CohortStats

/// A study file (`study.yaml`): which dataset and codebook, extra derived variables, report-wide
/// options, and the list of outputs `cohort report` produces. Schema: `Documentation.docc/StudyFiles.md`.
///
/// The file only names columns and choices; every analysis is run by the same library call the
/// single-analysis command uses (``BatchReport``).
public struct StudyFile: Sendable {
    public let study: String
    public let title: String
    /// The study file itself; data, codebook and published paths are relative to its folder.
    public let source: String
    /// The paths as written in the study file (relative to it), for the provenance.
    public let dataFile: String
    public let codebookFile: String
    public var dataPath: String { resolve(dataFile) }
    public var codebookPath: String { resolve(codebookFile) }
    /// Derived variables added after the codebook's own (they may use them).
    public let derived: [DerivedSpec]
    public var options: StudyOptions
    public let outputs: [StudyOutput]
    /// The folders the study may read from besides its own (see ``FolderConfinement``).
    public let confinement: FolderConfinement

    /// `path` relative to the study file's folder (absolute paths as they are).
    public func resolve(_ path: String) -> String { FolderConfinement.resolve(path, from: source) }
}

/// Options that apply to every output unless the output overrides them.
public struct StudyOptions: Sendable, Equatable {
    public enum PStyle: String, Sendable, CaseIterable {
        /// `0.020`, `<0.001`.
        case threeDecimals = "three-decimals"
        /// Blood Advances: `.02`, `<.01`.
        case journal
    }

    public var pStyle: PStyle = .threeDecimals
    /// Confidence level of every interval (incidence, odds ratios, cumulative incidence).
    public var level: Double = 0.95
    /// Counts 1..K-1 shown as `<K` (``Suppression``) in every table; 0 = off. Outputs whose counts
    /// the builders cannot suppress (curves, figures, reproduced figures) are left out of such a
    /// report, and the report says so.
    public var suppressBelow: Int = 0

    public init() {}

    /// The table style these options ask for.
    public var numberStyle: NumberStyle {
        NumberStyle(pValues: pStyle == .journal ? .journal : .threeDecimals,
                    suppression: suppressBelow > 1 ? Suppression(below: suppressBelow) : .none)
    }
}

/// One output: a name (its file stem) and what to compute.
public struct StudyOutput: Sendable, Equatable {
    public let name: String
    public let title: String?
    public let kind: Kind
    /// Every parameter as resolved (defaults filled in), in a fixed order, for the provenance.
    public let parameters: [(key: String, value: String)]
    public let line: Int?

    public enum Kind: Sendable, Equatable {
        /// `tests` nil: no tests between the groups.
        case table1(variables: [String]?, by: String?, tests: GroupTests?)
        case incidence(outcome: String, event: String?, by: String?, method: BinomialInterval.Method, level: Double)
        case compare(outcome: String, event: String?, factors: [String], test: ContingencyTable.TestChoice,
                     measurementTest: MeasurementTest, trend: Bool)
        case logit(outcome: String, event: String?, covariates: [String], reference: [String: String], firth: Bool,
                   ci: ConfidenceInterval.Method, level: Double, likelihoodRatio: Bool)
        case cuminc(CumincInput)
        /// A forest plot of the odds ratios of the `logit` output named.
        case forest(logit: String, labels: [String: String])
        /// A bar chart of the levels of a column (event sites, event types).
        case bars(column: String, denominator: Bool, axis: String)
        /// Every published figure recomputed (``Reproduction``).
        case reproduce(published: String)
    }

    public static func == (a: StudyOutput, b: StudyOutput) -> Bool {
        a.name == b.name && a.title == b.title && a.kind == b.kind && a.line == b.line
            && a.parameters.map(\.key) == b.parameters.map(\.key) && a.parameters.map(\.value) == b.parameters.map(\.value)
    }
}

/// The time-to-event columns of a `cuminc` output, in one of the forms `cohort cuminc` takes, or
/// as several event-day columns of which the earliest is the first event.
public struct CumincInput: Sendable, Equatable {
    public enum Times: Sendable, Equatable {
        case days(eventDay: String, eventType: String, followUpDay: String)
        case dates(indexDate: String, eventDate: String, eventType: String, followUpDate: String)
        case timeStatus(time: String, status: String)
        /// One day column per event type (`bleeding: bleeding_day`, `death: death_day`): the first
        /// event is the earliest day present; a tie goes to the type listed first.
        case eventDays(types: [(type: String, column: String)], followUpDay: String)

        public static func == (a: Times, b: Times) -> Bool {
            switch (a, b) {
            case let (.days(x1, x2, x3), .days(y1, y2, y3)): x1 == y1 && x2 == y2 && x3 == y3
            case let (.dates(x1, x2, x3, x4), .dates(y1, y2, y3, y4)): x1 == y1 && x2 == y2 && x3 == y3 && x4 == y4
            case let (.timeStatus(x1, x2), .timeStatus(y1, y2)): x1 == y1 && x2 == y2
            case let (.eventDays(x1, x2), .eventDays(y1, y2)): x1.map(\.type) == y1.map(\.type) && x1.map(\.column) == y1.map(\.column) && x2 == y2
            default: false
            }
        }
    }

    public let times: Times
    public let event: String
    public let competing: [String]
    public let noEvent: [String]
    public let days: [Double]
    public let by: String?
    public let interval: CurveInterval
    public let level: Double
    public let rho: Double
    /// Write the cumulative incidence figure (SVG) beside the table.
    public let figure: Bool
    public let timeAxis: String
    /// The day the figure's time axis ends at (rounded up to a nice tick; nil: the last follow-up),
    /// as `cohort cuminc --svg-max-day`.
    public let svgMaxDay: Double?
}
