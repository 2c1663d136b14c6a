/// One thing wrong (an error) or suspicious (a warning) in a data file or its codebook.
public struct DataProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public let severity: Severity
    /// The file the problem is in: the data, or the codebook.
    public let source: String
    public let line: Int?
    public let column: String?
    /// The offending value as written, when there is one.
    public let value: String?
    /// What is wrong and what was expected.
    public let message: String

    public init(_ severity: Severity, source: String, line: Int?, column: String? = nil, value: String? = nil, message: String) {
        self.severity = severity
        self.source = source
        self.line = line
        self.column = column
        self.value = value
        self.message = message
    }

    /// `data.csv:12: column 'age': '2x' is not a whole number`; on one line, whatever the names and
    /// values hold (``TerminalText``).
    public var description: String {
        var text = source + (line.map { ":\($0)" } ?? "") + ": "
        if let column { text += "column '\(column)': " }
        if let value {
            let characters = value.count
            text += characters > Self.longValue ? "'\(value.prefix(40))...' (\(characters) characters) " : "'\(value)' "
        }
        return TerminalText.escaped(text + message)
    }

    /// Values longer than this many characters are shown by their first 40 and their length.
    static let longValue = 60

    /// A reader problem (ragged row, quotes, UTF-8) as a validation error.
    public init(_ error: DataError) {
        let text = error.unescapedDescription
        // The reader's message already starts with "source:line: "; keep the rest as the message.
        let prefix = error.line.map { "\(error.source):\($0): " } ?? "\(error.source): "
        var message = text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
        // A problem in one column keeps it apart (the JSON report's `column`); the text is unchanged.
        var column: String?
        switch error {
        case .unexpectedQuote(_, _, let name), .textAfterQuote(_, _, let name), .invalidUTF8(_, _, let name), .textTooLarge(_, _, let name),
             .fieldTooLong(_, _, let name, _):
            if message.hasPrefix("column '\(name)': ") {
                column = name
                message = String(message.dropFirst("column '\(name)': ".count))
            }
        default:
            break
        }
        self.init(.error, source: error.source, line: error.line, column: column, message: message)
    }
}

/// Everything `cohort validate` found: every error and warning, and what was checked.
public struct ValidationReport: Sendable, Equatable {
    public let source: String
    public let codebookSource: String?
    public let rows: Int
    public let columns: Int
    public let errors: [DataProblem]
    public let warnings: [DataProblem]
    /// Problems found beyond those listed (the lists stop at ``limit`` each).
    public let errorsOmitted: Int
    public let warningsOmitted: Int
    /// The linked long tables read with the data (name, file, rows matched to patients).
    public var linked: [LinkedTableSummary] = []
    /// Remarks that are neither errors nor warnings: patient-days a daily score could not score.
    public var notes: [String] = []

    public struct LinkedTableSummary: Sendable, Equatable {
        public let name: String
        public let source: String
        public let rows: Int
    }

    public static let limit = 1000

    public init(source: String, codebookSource: String?, rows: Int, columns: Int, problems: [DataProblem], omitted: Int = 0) {
        self.source = source
        self.codebookSource = codebookSource
        self.rows = rows
        self.columns = columns
        // Codebook problems first, then the data's in file order (stable within a line: column order).
        let ordered = problems.enumerated().sorted { a, b in
            let keyA = (a.element.source == source ? 1 : 0, a.element.line ?? 0, a.offset)
            let keyB = (b.element.source == source ? 1 : 0, b.element.line ?? 0, b.offset)
            return keyA < keyB
        }.map(\.element)
        let errors = ordered.filter { $0.severity == .error }
        let warnings = ordered.filter { $0.severity == .warning }
        self.errors = Array(errors.prefix(Self.limit))
        self.warnings = Array(warnings.prefix(Self.limit))
        errorsOmitted = max(0, errors.count - Self.limit) + omitted
        warningsOmitted = max(0, warnings.count - Self.limit)
    }

    public var errorCount: Int { errors.count + errorsOmitted }
    public var warningCount: Int { warnings.count + warningsOmitted }
    public var isValid: Bool { errorCount == 0 }

    /// `data.csv: 3 errors and 1 warning in 127 rows and 25 columns (codebook: codebook.yaml)`
    public var summary: String {
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return TerminalText.escaped("\(source): \(count(errorCount, "error")) and \(count(warningCount, "warning")) in \(count(rows, "row")) and \(count(columns, "column"))"
            + (codebookSource.map { " (codebook: \($0))" } ?? " (no codebook: types inferred)"))
    }

    /// The message another command stops with: the error, or every error and then the summary.
    public var failureSummary: String {
        if errorCount == 1 { return errors[0].description }
        var lines = errors.map(\.description)
        if errorsOmitted > 0 { lines.append("... and \(errorsOmitted) more errors") }
        lines.append(summary + "; run 'cohort validate' for the full report")
        return lines.joined(separator: "\n")
    }
}
