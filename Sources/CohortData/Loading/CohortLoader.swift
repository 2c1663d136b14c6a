#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A data file read, checked against its codebook, typed and extended with its derived variables.
public struct LoadedData: Sendable {
    /// Typed columns and derived variables; identifier columns withheld.
    public let table: DataTable
    public let report: ValidationReport
    public let codebook: Codebook?
    /// The codebook's linked long tables, read and matched to the patient rows.
    public let linkedTables: [LinkedTable]
    /// What the daily scores left unscored, as counts (a report may hide small ones).
    public let scoreNotes: [DailyScoreNote]
    /// The same, as the sentences `cohort validate` and `cohort derive` print.
    public var notes: [String] { scoreNotes.map { $0.text() } }
    /// The identifier columns the table withholds, as read: only `cohort derive` writes them back,
    /// into the data file it makes (never into a report).
    public let identifierColumns: [Column]
    /// The data file's columns, in its order (identifiers included), then the columns joined from
    /// per-patient tables.
    public let columnOrder: [String]
    /// What the row filter kept and dropped, when there was one.
    public let filter: RowFilter.Outcome?

    /// Every file the codebook's `tables:` names (long and per-patient), as read: a study report
    /// hashes them as inputs and checks them against its folder.
    public var tableFiles: [(name: String, source: String)] {
        guard let codebook else { return [] }
        // A REDCap instrument's rows are the data file's own.
        return codebook.tables.filter { $0.redcapRows == nil }.map { ($0.name, LinkedTableLoading.path(of: $0, codebookSource: codebook.source)) }
    }

    /// The warnings a derived variable left (values outside every interval of a `cut`): every
    /// command says them, since the values became missing. (The other warnings, such as values
    /// outside a typical range, are `cohort validate`'s to list.)
    public var derivedWarnings: [DataProblem] {
        report.warnings.filter { $0.source == codebook?.source && $0.message.hasPrefix("derived '") }
    }
}

/// The one way every command reads data: read the file (collecting every structural problem),
/// apply the codebook (types, ranges, levels, identifiers), compute the derived variables.
public enum CohortLoader {
    /// Reads and checks `path`; problems in the data are in the report, not thrown. Throws only
    /// when there is nothing to check: the file cannot be read or has no usable header, or the
    /// codebook itself cannot be read.
    public static func load(path: String, codebookPath: String?, options: CSVOptions = CSVOptions(), filter: RowFilter? = nil) throws(DataError) -> LoadedData {
        var codebook: Codebook?
        if let codebookPath {
            do throws(CodebookError) {
                codebook = try CodebookFile.read(path: codebookPath)
            } catch {
                throw .codebook(error)
            }
        }
        return try load(path: path, codebook: codebook, options: options, filter: filter)
    }

    /// As ``load(path:codebookPath:options:)`` with a codebook already read (a study file adds
    /// derived variables to the codebook's before loading). A row `filter` is applied last, after the
    /// derived variables, and only to a file without errors (those are reported on every row).
    /// - Throws: also ``DataError/rowFilter(origin:message:)`` when the filter cannot be applied.
    public static func load(path: String, codebook: Codebook?, options: CSVOptions = CSVOptions(), filter: RowFilter? = nil) throws(DataError) -> LoadedData {
        try load(codebook: codebook, options: options, filter: filter) { options throws(DataError) in
            try CSVReader.readReportingProblems(path: path, options: options)
        }
    }

    /// As ``load(path:codebook:options:filter:)`` with the delimited text in memory (`source` names
    /// it in messages): a database table rendered as CSV (issue 17) goes through exactly the checks,
    /// typing and derivations of a file.
    public static func load(bytes: [UInt8], source: String, codebook: Codebook?, options: CSVOptions = CSVOptions(),
                            filter: RowFilter? = nil) throws(DataError) -> LoadedData {
        try load(codebook: codebook, options: options, filter: filter) { options throws(DataError) in
            try CSVReader.readReportingProblems(bytes: bytes, source: source, options: options)
        }
    }

    /// The options a codebook implies: its missing tokens, and its non-number columns read as text.
    public static func readingOptions(_ options: CSVOptions, codebook: Codebook?) -> CSVOptions {
        var options = options
        if let codebook {
            if let missing = codebook.missing { options.missingTokens = missing }
            // Everything but numbers is read as text, so codes keep their exact spelling ("01").
            options.textColumns.formUnion(codebook.variables.filter { !$0.type.isReadAsNumber }.map(\.name))
            // Linked tables match patients by the id as written ("007" is not "7").
            options.textColumns.formUnion(codebook.tables.map(\.id))
            // A REDCap export's repeating instruments and events are rows of the same file.
            for table in codebook.tables where table.redcapRows != nil {
                options.textColumns.formUnion(table.variables.filter { !$0.type.isReadAsNumber }.map(\.name))
            }
            // A REDCap label export may head its columns with the labels (issue 18).
            options.headerNames = { names, source throws(DataError) in try RedcapHeaders.names(names, codebook: codebook, source: source) }
        }
        return options
    }

    private static func load(codebook: Codebook?, options: CSVOptions, filter: RowFilter?,
                             reading: (CSVOptions) throws(DataError) -> CSVReadResult) throws(DataError) -> LoadedData {
        let options = readingOptions(options, codebook: codebook)
        let read = try reading(options)
        var problems = read.problems.map(DataProblem.init)
        // A header and nothing else: every analysis would stop ("nothing to fit"), so the check
        // says so too instead of calling the file valid. (Not when problems dropped every record:
        // those are the errors to fix.)
        if read.table.rowCount == 0, read.problems.isEmpty {
            problems.append(DataProblem(.error, source: read.table.source, line: nil, message: "the file has a header but no data rows"))
        }
        // A REDCap export with events or repeating instruments: one row a record, and the
        // instruments' rows for their linked tables.
        let split = RedcapExport.split(read.table, codebook: codebook)
        problems += split.problems
        let patients = split.patients
        var columns = patients.columns
        if let codebook {
            var application = CodebookApplication(codebook: codebook, table: patients, decimalComma: read.decimalComma)
            columns = application.typedColumns()
            problems += application.problems
        }
        // The columns the codebook does not declare (all of them without one), as inferred.
        var inference = InferredColumns(table: patients, decimalComma: read.decimalComma)
        // Replaced one at a time and only when changed: a map would copy every column of a wide file.
        for c in columns.indices {
            if let changed = inference.changed(columns[c]) { columns[c] = changed }
        }
        problems += inference.problems
        var linkedTables: [LinkedTable] = []
        var notes: [DailyScoreNote] = []
        var columnOrder = patients.columnNames
        var omitted = read.problemsOmitted
        var applicability: Applicability?
        if let codebook {
            applicability = Applicability(codebook: codebook, columns: columns, rowCount: patients.rowCount, source: patients.source)
            problems += applicability?.problems ?? []
            var linking = LinkedTableLoading(codebook: codebook, patients: patients, patientColumns: columns, options: options,
                                             inExport: split.instances, decimalComma: read.decimalComma)
            linkedTables = linking.loadAll()
            problems += linking.problems
            omitted += linking.omitted
            // Per-patient tables' columns, before the derived variables, which may use them.
            columns += linking.joined
            columnOrder += linking.joined.map(\.name)
            var derivation = DerivedEvaluation(codebook: codebook, linked: linkedTables)
            columns = derivation.appending(to: columns, rowCount: read.table.rowCount)
            problems += derivation.problems
            notes = derivation.notes
        }
        let identifiers = codebook?.identifiers ?? []
        var table = DataTable(source: patients.source, columns: columns.filter { !identifiers.contains($0.name) },
                              lineNumbers: patients.lineNumbers, withheldIdentifiers: patients.columnNames.filter(identifiers.contains),
                              linkedTables: linkedTables)
        table.notApplicable = applicability?.notApplicable ?? [:]
        var identifierColumns = columns.filter { identifiers.contains($0.name) }
        var report = ValidationReport(source: patients.source, codebookSource: codebook?.source, rows: patients.rowCount,
                                      columns: patients.columns.count, problems: problems, omitted: omitted)
        report.linked = linkedTables.map { .init(name: $0.name, source: $0.source, rows: $0.rowCount) }
        report.notes = (split.note.map { [$0] } ?? []) + (applicability?.notes ?? []) + notes.map { $0.text() }
        var outcome: RowFilter.Outcome?
        if let filter, report.isValid {
            let (rows, filtered) = try filter.apply(to: table, codebook: codebook)
            // Line numbers, linked tables and identifiers follow the rows kept.
            table = table.keepingRows(rows)
            identifierColumns = identifierColumns.map { $0.keepingRows(rows) }
            outcome = filtered
        }
        return LoadedData(table: table, report: report, codebook: codebook, linkedTables: table.linkedTables, scoreNotes: notes,
                          identifierColumns: identifierColumns, columnOrder: columnOrder, filter: outcome)
    }

    /// For analyses: the table, or ``DataError/invalidData(_:)`` listing every error.
    public static func loadForAnalysis(path: String, codebookPath: String?, options: CSVOptions = CSVOptions(), filter: RowFilter? = nil) throws(DataError) -> LoadedData {
        let loaded = try load(path: path, codebookPath: codebookPath, options: options, filter: filter)
        guard loaded.report.isValid else { throw .invalidData(loaded.report) }
        return loaded
    }

    /// For analyses, with a codebook already read: the table, or ``DataError/invalidData(_:)``.
    public static func loadForAnalysis(path: String, codebook: Codebook?, options: CSVOptions = CSVOptions(), filter: RowFilter? = nil) throws(DataError) -> LoadedData {
        let loaded = try load(path: path, codebook: codebook, options: options, filter: filter)
        guard loaded.report.isValid else { throw .invalidData(loaded.report) }
        return loaded
    }

    /// The codebook that goes with a data file when none is named: `DATA.codebook.yaml`, or
    /// `codebook.yaml` in the same folder.
    public static func codebookNextTo(_ path: String) -> String? {
        guard path != "-" else { return nil }
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let file = path.split(separator: "/").last.map(String.init) ?? path
        let stem = file.contains(".") ? String(file[..<file.lastIndex(of: ".")!]) : file
        for candidate in ["\(folder)/\(stem).codebook.yaml", "\(folder)/codebook.yaml"] where access(candidate, R_OK) == 0 {
            return candidate.hasPrefix("./") && !path.hasPrefix("./") ? String(candidate.dropFirst(2)) : candidate
        }
        return nil
    }
}
