import CohortData
import CohortReport
import CohortStats

/// One analysis, asked for: the columns and choices it takes, and nothing about where it came from.
///
/// Every front end decodes into these values (issue 13): a CLI command turns its flags into one, a
/// study file's `outputs:` entry is one (its keys are the request's ``Keys``, the command's long
/// option names with `-` written `_`), and a `published.yaml` figure is one plus the value to read.
/// So each analysis is wired once: ``validate()`` holds its cross-field rules, ``run(on:)`` the
/// call into the statistics and the tables and figures it makes.
///
/// A request is a value: `Equatable`, `Codable` (its encoding is the provenance of a report) and
/// `Sendable`. Its fields default to what the command does without the flag.
public protocol AnalysisRequest: Sendable, Equatable, Codable {
    /// The request's keys: study-file keys and provenance names alike, in the order documented.
    associatedtype Keys: CodingKey & CaseIterable & RawRepresentable where Keys.RawValue == String

    /// The command's name, which is also the study-file output `type`.
    static var kind: String { get }
    /// One line on what it computes, for the study-file reference.
    static var summary: String { get }
    /// Each key's type, default and meaning (``FieldDoc``); the reference is generated from these
    /// and a test checks they list exactly ``Keys``.
    static var fields: [FieldDoc] { get }

    /// The request's own rules between its fields (an option that applies only with another, a
    /// reference level for a column not fitted, ...), with messages naming fields, never flags.
    func validate() throws(RequestError)

    /// Runs the analysis on a loaded table.
    /// - Throws: the library's own errors (unknown column, model that cannot be fitted, ...).
    func run(on input: AnalysisInput) throws -> AnalysisResult

    /// What the output shows that small-cell suppression cannot hide (curves, figures), or nil when
    /// its tables suppress their counts. Such an output is refused (command) or left out and listed
    /// (report) under `suppress_below`.
    var unsuppressible: String? { get }

    /// Whether a study's `options: {level: ...}` sets this request's `level` (when it has one that
    /// means a confidence level of its output).
    static var usesStudyLevel: Bool { get }
}

extension AnalysisRequest {
    public var unsuppressible: String? { nil }

    public static var usesStudyLevel: Bool { keyNames.contains("level") }

    /// ``Keys`` as texts, in order.
    public static var keyNames: [String] { Keys.allCases.map(\.rawValue) }

    /// The request as the provenance records it: every key with its resolved value.
    public var encoded: JSONValue { JSONValueEncoder.encode(self) }
}

/// What a request runs on. (`@unchecked`: it carries earlier ``AnalysisResult``s, whose table
/// makers are closures; a request runs on one thread and hands nothing on.)
public struct AnalysisInput: @unchecked Sendable {
    public var table: DataTable
    /// Digits, P-value style and suppression of every table (``ReportStyle``).
    public var style: NumberStyle
    /// Results of the study's earlier outputs, by name (a forest plot draws a logit output's).
    public var earlier: [String: AnalysisResult]
    /// Told of finished bootstrap resamples (the command's progress bar), when given.
    public var progress: Bootstrap.Progress?
    /// The title a study file gives the output: its tables' and figures' title instead of the default.
    public var title: String?
    /// Where the request's own paths (a reproduction's `published`) start and may lead.
    public var paths = InputPaths()

    public init(table: DataTable, style: NumberStyle = .standard, earlier: [String: AnalysisResult] = [:], progress: Bootstrap.Progress? = nil,
                title: String? = nil, paths: InputPaths = InputPaths()) {
        self.table = table
        self.paths = paths
        self.style = style
        self.earlier = earlier
        self.progress = progress
        self.title = title
    }
}

/// The folder relative paths start at and the folders they may lead to: a study file's folder and
/// `--allow-path`s; for a command, the working directory and no confinement.
public struct InputPaths: Sendable, Equatable {
    /// nil: paths as given (the working directory).
    public var home: String?
    public var confinement: FolderConfinement

    public init(home: String? = nil, confinement: FolderConfinement = FolderConfinement()) {
        self.home = home
        self.confinement = confinement
    }

    /// `path` resolved from ``home``, refused when it leads outside the allowed folders (only when
    /// there is a home: a command reads the paths its user typed).
    public func resolve(_ path: String, field: String) throws(RequestError) -> String {
        guard let home else { return path }
        let resolved = path.hasPrefix("/") || home == "." ? path : home + "/" + path
        if let problem = confinement.violation(resolved, home: home) { throw RequestError(field, problem) }
        return resolved
    }
}

/// What a request produced: tables, the analysis's own machine-readable JSON, figures, warnings.
/// (`@unchecked`: the tables and JSON are made by closures over the analysis's immutable result,
/// called on the thread that renders them.)
public struct AnalysisResult: @unchecked Sendable {
    public struct Figure: Sendable, Equatable {
        public let title: String
        public let svg: String
        public init(title: String, svg: String) {
            self.title = title
            self.svg = svg
        }
    }

    /// The tables, made when asked (a Table 1 of 300,000 columns is made once, as a table or as JSON).
    private var tableMaker: () -> [ReportTable]
    /// The analysis's JSON (unrounded numbers): what `--format json` and a report's
    /// `tables/NAME.json` hold, with and without suppression (its builder writes the values the
    /// suppressed tables hide as null and lists them under `suppression`; issue 13). nil: the tables' JSON.
    private var jsonMaker: (() -> String)?
    public var figures: [Figure] = []
    public var warnings: [String] = []
    /// A model's ratios as a forest plot (logit, cox, finegray), for `--svg` and a study's forest output.
    public var forest: ModelForest?
    /// A `by` fit's per-level estimates (logit and cox with `by`), for a study's meta output that
    /// names it as its `model` (issue 17).
    public var perLevel: PerLevelEstimates?
    /// A logistic model's ROC and calibration figures (logit's `--roc` and `--calibration`).
    public var modelCheck: ModelCheckFigures?
    /// A logistic model's residuals, leverage and Cook's distance by row (logit's `--influence-out`).
    public var influenceRows: ReportTable?
    /// A model's prediction for every row it was fitted to, as CSV (logit's `--predict FILE`; the
    /// file line of each row, never an identifier), made when asked.
    public var rowPredictionsCSV: (() -> String)?
    /// Figures of a reproduction that did not match (the command exits 1 on them).
    public var mismatches: [ReproducedFigure] = []

    public init(tables: [ReportTable] = [], json: String? = nil) {
        tableMaker = { tables }
        jsonMaker = json.map { text in { text } }
    }

    public init(lazyTables: @escaping () -> [ReportTable], json: (() -> String)?) {
        tableMaker = lazyTables
        jsonMaker = json
    }

    public var tables: [ReportTable] { tableMaker() }

    /// Every table titled `title` (a study output's title).
    public mutating func retitle(_ title: String) {
        let made = tableMaker
        tableMaker = { made().map { table in
            var table = table
            table.title = title
            return table
        } }
    }

    /// The text of `format`: the analysis's JSON for `json` when there is one, else the tables.
    /// One function for the command and the report, so `tables/NAME.json` is what `--format json` prints.
    public func rendered(_ format: TableFormat) -> String {
        if format == .json, let jsonMaker { return jsonMaker() }
        let tables = tableMaker()
        return tables.count == 1 ? format.render(tables[0]) : format.render(tables)
    }
}

/// How to draw a fitted model's ratios (odds, hazard or subdistribution hazard) as a forest plot:
/// its terms (for labels), its default title, and the drawing itself (``CohortReport/ForestPlot``).
public struct ModelForest: Sendable {
    /// The coefficients a row label may name (no intercept).
    public let terms: [String]
    /// The study's title when none is given ("Odds ratios: Firth logistic model").
    public let defaultTitle: String
    let draw: @Sendable (_ title: String, _ termLabels: [String: String]) -> String

    public init(terms: [String], defaultTitle: String, draw: @escaping @Sendable (_ title: String, _ termLabels: [String: String]) -> String) {
        self.terms = terms
        self.defaultTitle = defaultTitle
        self.draw = draw
    }

    /// The figure, rows labelled from the codebook and `labels` over them.
    public func svg(table: DataTable, title: String, labels: KeyValueList = KeyValueList()) -> String {
        draw(title, FigureLabels.terms(table, names: terms).merging(labels.dictionary) { $1 })
    }
}

/// One key of a request, for the study-file reference.
public struct FieldDoc: Sendable, Equatable {
    public let key: String
    /// What it holds: `text`, `column`, `list of columns`, `true/false`, `number`, one of ...
    public let type: String
    /// The value when the key is absent ("required" when there is none).
    public let defaultValue: String
    public let help: String

    public init(_ key: String, _ type: String, default defaultValue: String, _ help: String) {
        self.key = key
        self.type = type
        self.defaultValue = defaultValue
        self.help = help
    }
}
