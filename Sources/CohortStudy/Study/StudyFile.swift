import CohortData
import CohortReport
import CohortStats
import Yams

/// A study file (`study.yaml`): which dataset and codebook, extra derived variables, report-wide
/// options, and the list of outputs `cohort report` produces. Reference: `docs/study-files.md`
/// (generated from the request types).
///
/// Each output is an analysis request (``AnalysisRequest``), the value the command of the same
/// name builds from its flags, so a report runs exactly what the commands run.
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
    /// `where:`: the rows every output analyses (after the derived variables); nil keeps all.
    public let rowFilter: RowFilter?
    public var options: StudyOptions
    public let outputs: [StudyOutput]
    /// The folders the study may read from besides its own (see ``FolderConfinement``).
    public let confinement: FolderConfinement

    /// `path` relative to the study file's folder (absolute paths as they are).
    public func resolve(_ path: String) -> String { FolderConfinement.resolve(path, from: source) }

    /// Where an output's own paths start and may lead.
    var paths: InputPaths { InputPaths(home: FolderConfinement.folder(of: source), confinement: confinement) }
}

/// `options:`: the table style every output shares (``ReportStyle``, the commands' `--p-style`,
/// `--percent-decimals` and `--suppress-below`) and the confidence level of outputs that do not
/// set their own.
public struct StudyOptions: Sendable, Equatable {
    public var style = ReportStyle()
    /// nil: each output's own default (0.95).
    public var level: Double?
    /// The formats `cohort report` writes when `--format-set` is not given (names of
    /// ``BatchReport/formatNames``); nil: ``BatchReport/defaultFormats``.
    public var formats: [String]?

    public init() {}

    public static let fields: [FieldDoc] = ReportStyle.fields + [
        FieldDoc("level", "a number between 0 and 1", default: "0.95", "Confidence level of every output that has one and does not set its own."),
        FieldDoc("formats", "list of md, html, csv, json, latex, docx", default: "[md, html, csv, json, latex]",
                 "Table formats the report writes unless the command line gives --format-set; docx adds one report.docx holding every table and figure."),
    ]
}

/// One output: a name (its file stem), an optional title, and the request.
public struct StudyOutput: Sendable, Equatable {
    public let name: String
    public let title: String?
    public let request: any AnalysisRequest
    public let line: Int?

    public init(name: String, title: String?, request: any AnalysisRequest, line: Int?) {
        self.name = name
        self.title = title
        self.request = request
        self.line = line
    }

    public var type: String { Swift.type(of: request).kind }

    public static func == (a: StudyOutput, b: StudyOutput) -> Bool {
        a.name == b.name && a.title == b.title && a.line == b.line && a.type == b.type && a.request.encoded == b.request.encoded
    }

    /// The request as `key: value` texts for the report's pages (the provenance has it as JSON).
    public var parameters: [(key: String, value: String)] {
        var list: [(key: String, value: String)] = [("type", type)]
        if let title { list.append(("title", title)) }
        guard case .object(let pairs) = request.encoded else { return list }
        return list + pairs.map { ($0.0, Self.text($0.1)) }
    }

    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: "none"
        case .bool(let b): "\(b)"
        case .number(let x): NumberText.shortest(x)
        case .integer(let n): String(n)
        case .string(let s): s
        case .array(let items): "[" + items.map(text).joined(separator: ", ") + "]"
        case .object(let pairs): "{" + pairs.map { "\($0.0): \(text($0.1))" }.joined(separator: ", ") + "}"
        }
    }
}

/// Every analysis a study file or a command can ask for, by its `type` (= command name).
public enum AnalysisKinds {
    public static let all: [any AnalysisRequest.Type] = [
        DescribeRequest.self, IncidenceRequest.self, RatesRequest.self, CompareRequest.self, CorrelateRequest.self, LogitRequest.self, ForestRequest.self,
        LinearRequest.self, PoissonRequest.self, LogbinomialRequest.self, MetaRequest.self,
        CoxRequest.self, FineGrayRequest.self, CumincRequest.self, KmRequest.self, LabsRequest.self, EventTypesRequest.self, BarsRequest.self, ReproduceRequest.self,
    ]

    public static func named(_ kind: String) -> (any AnalysisRequest.Type)? { all.first { $0.kind == kind } }

    /// What the study reader needs of a type, captured where the type is concrete.
    struct Entry: Sendable {
        let kind: String
        let keys: [String]
        let usesStudyLevel: Bool
        let decode: @Sendable (Node, RequestDecoder, String, [String: Node]) throws(CodebookError) -> any AnalysisRequest
    }

    static let entries: [Entry] = all.map { entry($0) }

    private static func entry<R: AnalysisRequest>(_ type: R.Type) -> Entry {
        Entry(kind: R.kind, keys: R.keyNames, usesStudyLevel: R.usesStudyLevel) { node, decoder, what, defaults throws(CodebookError) in
            try decoder.decode(R.self, from: node, extraKeys: ["name", "type", "title"], what: what, defaults: defaults)
        }
    }

    /// Names and keys of earlier releases, for a message that says what they are now called.
    static let renamedTypes = ["table1": "describe"]
    static let renamedKeys = ["lr_tests": "lr", "reference": "factor", "figure": "svg", "time_axis": "time_label",
                              "denominator": "percent_of", "axis": "unit_label", "logit": "model"]
}
