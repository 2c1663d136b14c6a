/// Reads a codebook's linked tables and matches their rows to the patient table's, collecting every
/// problem with its file, line and column, as the patient table's are.
struct LinkedTableLoading {
    let codebook: Codebook
    /// The patient table as read (before typing): its id column is read as text for matching.
    let patients: DataTable
    /// The patient table's typed columns (for a date rule's index date).
    let patientColumns: [Column]
    let options: CSVOptions
    /// The rows of each table read from the data file itself (a REDCap repeating instrument), by name.
    let inExport: [String: DataTable]
    /// Whether the data file was read with `,` as the decimal mark.
    let decimalComma: Bool
    private(set) var problems: [DataProblem] = []
    /// The per-patient tables' columns, one row a patient of the patient table (missing where a
    /// patient has no row), in the order the tables and their columns are written.
    private(set) var joined: [Column] = []
    /// Row errors beyond ``ValidationReport/limit`` a table, counted but not kept: a file of a
    /// million unknown ids must not hold a million messages.
    private(set) var omitted = 0

    init(codebook: Codebook, patients: DataTable, patientColumns: [Column], options: CSVOptions,
         inExport: [String: DataTable] = [:], decimalComma: Bool = false) {
        self.codebook = codebook
        self.patients = patients
        self.patientColumns = patientColumns
        self.options = options
        self.inExport = inExport
        self.decimalComma = decimalComma
    }

    /// The file a linked table names, beside the codebook (the codebook reader refused absolute
    /// paths and `..`, so a codebook reads only inside its own folder).
    static func path(of spec: LinkedTableSpec, codebookSource: String) -> String {
        guard let slash = codebookSource.lastIndex(of: "/") else { return spec.file }
        return String(codebookSource[...slash]) + spec.file
    }

    mutating func loadAll() -> [LinkedTable] {
        guard !codebook.tables.isEmpty else { return [] }
        // One row a patient: every linked table is matched through the patient table's ids.
        var rowOfID: [String: Int32] = [:]
        var idsUsable = true
        for id in Set(codebook.tables.map(\.id)).sorted() {
            guard let column = patients.columns.first(where: { $0.name == id }) else {
                let spec = codebook.tables.first { $0.id == id }!
                problems.append(DataProblem(.error, source: codebook.source, line: spec.line,
                                            message: "table '\(spec.name)': the patient table \(patients.source) has no column '\(id)' to link its rows by"))
                idsUsable = false
                continue
            }
            let declaredIdentifier = codebook.variable(named: id)?.type == .identifier
            for r in 0..<patients.rowCount {
                let text = Self.text(column, r)
                guard let text else {
                    if !declaredIdentifier {
                        problems.append(DataProblem(.error, source: patients.source, line: Int(patients.lineNumbers[r]), column: id,
                                                    message: "the patient id is missing; linked tables need one on every row"))
                    }
                    continue
                }
                if let first = rowOfID[text] {
                    // The identifier check already reports repeats of a declared identifier.
                    if !declaredIdentifier {
                        problems.append(DataProblem(.error, source: patients.source, line: Int(patients.lineNumbers[r]), column: id,
                                                    message: "repeats the patient id on line \(patients.lineNumbers[Int(first)]); a patient table with linked tables has one row a patient"))
                    }
                    continue
                }
                rowOfID[text] = Int32(r)
            }
        }
        guard idsUsable else { return [] }
        return codebook.tables.compactMap { load($0, rowOfID: rowOfID) }
    }

    /// The value as written (numbers in shortest form), or nil when missing.
    private static func text(_ column: Column, _ r: Int) -> String? { column.isMissing(r) ? nil : column.displayValue(r) }

    private mutating func load(_ spec: LinkedTableSpec, rowOfID: [String: Int32]) -> LinkedTable? {
        // The file as read (its text, its typed columns in file order) lives only inside
        // `matched`: once it returns, the typed columns are the only owners of their values, and
        // the table consumes them one by one (issue 15: memory near the input size).
        guard let (path, columns, numbers, patientOfRow, dayOfRow) = matched(spec, rowOfID: rowOfID) else { return nil }
        var dayColumn: String?
        if case .day(let name) = spec.dayRule { dayColumn = name }
        return LinkedTable(name: spec.name, source: path, columns: columns, numbers: consume numbers, dayColumn: dayColumn,
                           patientOfRow: consume patientOfRow, dayOfRow: consume dayOfRow, patientCount: patients.rowCount)
    }

    /// A linked table's file read and typed, and what matching its rows needs from the reading.
    /// Returned from a function of its own so that the file as read (its text columns' codes, the
    /// reader's table) is gone before the rows are matched: the id's codes then have one owner and
    /// become each row's patient in place (issue 15: memory near the input size).
    private struct TypedFile {
        var columns: [Column]
        /// Number columns' values (nil for a text column); empty for a per-patient table.
        var numbers: [CompactNumbers?]
        let lineNumbers: LineNumbers
        let rowCount: Int
        /// The day column as read, before typing: its values when it was read as numbers, else
        /// its text (to tell a missing day from one that could not be typed).
        let rawDayValues: CompactNumbers?
        let rawDayText: Column?
    }

    /// A long table's typed columns (names and declarations; text columns without their codes),
    /// its number columns' values (nil for a text column), and each file row's patient (-1: left
    /// out, the reason reported) and study day; nil for a table that could not be read, or for a
    /// per-patient table (joined here instead).
    private mutating func matched(_ spec: LinkedTableSpec, rowOfID: [String: Int32])
        -> (path: String, columns: [Column], numbers: [CompactNumbers?], patientOfRow: [Int32], dayOfRow: CompactNumbers)? {
        let path = spec.redcapRows == nil ? Self.path(of: spec, codebookSource: codebook.source) : patients.source
        let dayColumn: String?
        switch spec.dayRule {
        case .day(let name): dayColumn = name
        case .date(let column, _): dayColumn = column
        case .perPatient: dayColumn = nil
        }
        guard var file = typedFile(spec, path: path, dayColumn: dayColumn) else { return nil }
        guard let dayColumn else {
            join(spec, path: path, file: file, rowOfID: rowOfID)
            return nil
        }
        // Number columns typed from text (a stray word made the reader keep them as text) are
        // stored compactly too.
        for c in file.columns.indices where file.numbers[c] == nil {
            guard case .numeric(let values) = file.columns[c].storage else { continue }
            file.numbers[c] = CompactNumbers(values)
            file.columns[c] = Column(name: file.columns[c].name, storage: .numeric([]), variable: file.columns[c].variable)
        }
        let dayIndex = file.columns.firstIndex { $0.name == dayColumn }!
        guard let rawDays = file.numbers[dayIndex] else { return nil }
        var indexDays: [Double]?
        if case .date(_, let index) = spec.dayRule {
            guard let column = patientColumns.first(where: { $0.name == index }), column.variable?.type == .date, case .numeric(let values) = column.storage else {
                problems.append(DataProblem(.error, source: codebook.source, line: spec.line,
                                            message: "table '\(spec.name)': the index date '\(index)' must be a column of the patient table declared 'type: date'"))
                return nil
            }
            indexDays = values
        }
        // The id's codes (one a row) are taken out of the columns, which keep only their levels: a
        // summary reads numbers only. The codes' one buffer is then overwritten, row by row, with
        // the row's patient (-1: left out, the reason reported).
        let idIndex = file.columns.firstIndex { $0.name == spec.id }!
        var patientOfRow: [Int32]
        let idLevels: [String]
        (patientOfRow, idLevels) = Self.codesAndLevels(file.columns[idIndex], rowCount: file.rowCount)
        file.columns = file.columns.map { column in
            guard case .text(_, let levels) = column.storage else { return column }
            return Column(name: column.name, storage: .text(codes: [], levels: levels), variable: column.variable)
        }
        // The patient of each distinct id text, looked up once per level rather than once per row.
        let patientOfLevel = idLevels.map { rowOfID[$0] ?? -1 }
        // A day column is its own study day (the array shared, not copied); a date less the
        // patient's index date is computed into an array of its own.
        var datedDays = indexDays == nil ? [] : [Double](repeating: .nan, count: file.rowCount)
        var rowErrors = 0
        for r in 0..<file.rowCount {
            let code = patientOfRow[r]
            patientOfRow[r] = -1
            let day = rawDays[r]
            let patient = code >= 0 ? patientOfLevel[Int(code)] : -1
            if patient >= 0, !day.isNaN, indexDays == nil {
                // The usual row, a known id and a day: nothing to report.
                patientOfRow[r] = patient
                continue
            }
            let line = Int(file.lineNumbers[r])
            if let problem = idProblem(code >= 0 ? idLevels[Int(code)] : nil, known: patient >= 0, spec: spec, path: path, line: line) {
                reportRowError(problem, count: &rowErrors)
                continue
            }
            if day.isNaN {
                // A value that could not be typed was reported by the codebook check; an empty one is reported here.
                if file.rawDayValues.map({ $0[r].isNaN }) ?? file.rawDayText.map({ $0.isMissing(r) }) ?? true {
                    reportRowError(DataProblem(.error, source: path, line: line, column: dayColumn,
                                               message: "the \(indexDays == nil ? "day" : "date") is missing; every row of a linked table needs one"),
                                   count: &rowErrors)
                }
                continue
            }
            if let indexDays {
                let index = indexDays[Int(patient)]
                guard !index.isNaN else {
                    reportRowError(DataProblem(.error, source: path, line: line, column: dayColumn,
                                               message: "the patient on line \(patients.lineNumbers[Int(patient)]) of \(patients.source) has no index date, so this row has no study day"),
                                   count: &rowErrors)
                    continue
                }
                datedDays[r] = day - index
            }
            patientOfRow[r] = patient
        }
        return (path, file.columns, file.numbers, patientOfRow, indexDays == nil ? rawDays : CompactNumbers(datedDays))
    }

    /// A text column's codes (-1 missing) and levels; a column of another storage (never an id,
    /// which is read as text) coded here from its values as written.
    private static func codesAndLevels(_ column: Column, rowCount: Int) -> (codes: [Int32], levels: [String]) {
        if case .text(let codes, let levels) = column.storage { return (codes, Array(levels)) }
        var levels: [String] = [], codeOf: [String: Int32] = [:]
        let codes = (0..<rowCount).map { r -> Int32 in
            guard let text = text(column, r) else { return -1 }
            if let code = codeOf[text] { return code }
            codeOf[text] = Int32(levels.count)
            levels.append(text)
            return Int32(levels.count - 1)
        }
        return (codes, levels)
    }

    /// The file read, its columns typed against the codebook's declarations (and inferred where
    /// undeclared), every problem collected; nil when the file cannot be read or lacks the id or
    /// day column.
    private mutating func typedFile(_ spec: LinkedTableSpec, path: String, dayColumn: String?) -> TypedFile? {
        // The id is matched as text, exactly as written; the day (or date) is typed like any column.
        var variables = spec.variables.filter { $0.name != spec.id }
        variables.append(VariableSpec(name: spec.id, type: .text))
        switch spec.dayRule {
        case .day(let name):
            if !variables.contains(where: { $0.name == name }) { variables.append(VariableSpec(name: name, type: .integer)) }
        case .date(let column, _):
            if !variables.contains(where: { $0.name == column }) { variables.append(VariableSpec(name: column, type: .date)) }
        case .perPatient:
            break
        }
        var options = options
        options.headerNames = nil
        if let missing = spec.missing ?? codebook.missing { options.missingTokens = missing }
        options.textColumns = Set(variables.filter { !$0.type.isReadAsNumber }.map(\.name))
        // A long table's numbers are read compactly and typed one column at a time: never all as
        // doubles (issue 15: memory near the input size).
        options.compactNumbers = dayColumn != nil
        var read: CSVReadResult
        do throws(DataError) {
            if spec.redcapRows != nil {
                // The data file's rows of the instrument or event, already read (``RedcapExport``).
                read = CSVReadResult(table: inExport[spec.name] ?? DataTable(source: path, columns: [], lineNumbers: []), problems: [],
                                     problemsOmitted: 0, decimalComma: decimalComma)
            } else {
                read = try CSVReader.readReportingProblems(path: path, options: options)
            }
        } catch {
            problems.append(DataProblem(.error, source: codebook.source, line: spec.line, message: "table '\(spec.name)': \(error)"))
            return nil
        }
        problems += read.problems.map(DataProblem.init)
        let table = read.table
        let needed = [spec.id] + (dayColumn.map { [$0] } ?? [])
        for name in needed where !table.columnNames.contains(name) {
            problems.append(DataProblem(.error, source: path, line: 1, column: name,
                                        message: "table '\(spec.name)' needs this column (the codebook names it as the table's \(name == spec.id ? "id" : "day")); the columns are \(table.columnNames.joined(separator: ", "))"))
        }
        guard needed.allSatisfy(table.columnNames.contains) else { return nil }
        // Only the declared variables are checked as such; the others are inferred, as in the patient table.
        let declared = Codebook(source: codebook.source, variables: variables.filter { table.columnNames.contains($0.name) || spec.variables.contains($0) })
        var application = CodebookApplication(codebook: declared, table: table, decimalComma: read.decimalComma)
        var numbers = read.compactNumbers
        read.compactNumbers = []
        let dayIndexAsRead = table.columnNames.firstIndex { $0 == dayColumn }
        // The day column as read: whether a value was missing as written.
        let rawDayValues = dayIndexAsRead.flatMap { numbers.isEmpty ? nil : numbers[$0] }
        let rawDayText = dayIndexAsRead.flatMap { rawDayValues == nil ? table.columns[$0] : nil }
        var columns: [Column] = []
        if numbers.isEmpty {
            columns = application.typedColumns()
            // Rows already read in full (a REDCap instrument's): the number columns are made compact below.
            if dayColumn != nil { numbers = Array(repeating: nil, count: columns.count) }
        } else {
            application.reportMissingColumns()
            for (c, column) in table.columns.enumerated() {
                guard let values = numbers[c] else {
                    columns.append(application.typedColumn(column))
                    continue
                }
                numbers[c] = nil
                let (typed, kept) = application.typedColumn(named: column.name, values)
                columns.append(typed)
                numbers[c] = kept
            }
        }
        // The id and day declarations were added here, not written by the user: no "not in the codebook"
        // warnings for them, nor for any column when the table declares no variables (left to inference).
        problems += application.problems.filter { problem in
            guard problem.severity == .warning, problem.line == 1, let column = problem.column, problem.source == path else { return true }
            // A REDCap instrument's or event's event and instance columns are the export's own.
            if spec.redcapRows != nil, RedcapExport.longColumns.contains(column) { return false }
            return !(spec.variables.isEmpty || column == spec.id || column == dayColumn)
        }
        var inference = InferredColumns(table: table, decimalComma: read.decimalComma)
        for c in columns.indices {
            if let changed = inference.changed(columns[c]) { columns[c] = changed }
        }
        problems += inference.problems
        return TypedFile(columns: columns, numbers: numbers, lineNumbers: table.lineNumbers, rowCount: table.rowCount,
                         rawDayValues: rawDayValues, rawDayText: rawDayText)
    }

    /// A table's row error, kept up to ``ValidationReport/limit`` a table and counted beyond.
    private mutating func reportRowError(_ problem: DataProblem, count: inout Int) {
        count += 1
        if count > ValidationReport.limit { omitted += 1 } else { problems.append(problem) }
    }

    /// The error to report for a linked or per-patient table's row whose id (as written; nil when
    /// missing) is missing or is no patient's; nil for a known patient's.
    private func idProblem(_ id: String?, known: Bool, spec: LinkedTableSpec, path: String, line: Int) -> DataProblem? {
        guard let id else {
            let kind = spec.dayRule == .perPatient ? "per-patient" : "linked"
            return DataProblem(.error, source: path, line: line, column: spec.id, message: "the patient id is missing; every row of a \(kind) table needs one")
        }
        guard known else {
            return DataProblem(.error, source: path, line: line, column: spec.id, value: id,
                               message: "is not a patient of \(patients.source) (no row there has this \(spec.id))")
        }
        return nil
    }

    /// A per-patient table's columns as columns of the patient table (a left join on the id). A
    /// repeated id, an id no patient has, or a column named as a patient column or derived variable
    /// is an error naming the file, line and column: a silent choice among rows, or of one of two
    /// columns of a name, would change every analysis without a word.
    private mutating func join(_ spec: LinkedTableSpec, path: String, file: TypedFile, rowOfID: [String: Int32]) {
        let columns = file.columns
        let idColumn = columns.first { $0.name == spec.id }!
        var rowOfPatient = [Int32](repeating: -1, count: patients.rowCount)
        var rowErrors = 0
        for r in 0..<file.rowCount {
            let line = Int(file.lineNumbers[r])
            let id = Self.text(idColumn, r)
            let patient = id.flatMap { rowOfID[$0] }
            if let problem = idProblem(id, known: patient != nil, spec: spec, path: path, line: line) {
                reportRowError(problem, count: &rowErrors)
                continue
            }
            guard let p = patient else { continue }
            let first = rowOfPatient[Int(p)]
            guard first < 0 else {
                reportRowError(DataProblem(.error, source: path, line: line, column: spec.id,
                                           message: "repeats the patient id on line \(file.lineNumbers[Int(first)]); table '\(spec.name)' has no 'day' or 'date', so it is a per-patient table: at most one row a patient"),
                               count: &rowErrors)
                continue
            }
            rowOfPatient[Int(p)] = Int32(r)
        }
        let derivedNames = Set(codebook.derived.map(\.name))
        for column in columns where column.name != spec.id {
            if patients.columnNames.contains(column.name) {
                problems.append(DataProblem(.error, source: path, line: 1, column: column.name,
                                            message: "table '\(spec.name)' would join a second column '\(column.name)' onto the patient table, which has one (\(patients.source)); rename one of the two"))
            } else if let other = joined.first(where: { $0.name == column.name }) {
                problems.append(DataProblem(.error, source: path, line: 1, column: column.name,
                                            message: "table '\(spec.name)' would join a column '\(other.name)' that an earlier per-patient table already joined; rename one of the two"))
            } else if derivedNames.contains(column.name) {
                problems.append(DataProblem(.error, source: path, line: 1, column: column.name,
                                            message: "table '\(spec.name)' would join a column named as the derived variable '\(column.name)' of \(codebook.source); rename one of the two"))
            } else {
                joined.append(column.gathering(rowOfPatient))
            }
        }
    }
}
