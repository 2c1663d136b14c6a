/// Which blank cells are "not applicable" rather than missing (issue 18): a variable declared with
/// `shown_if:` (a REDCap field's simple branching logic, ``BranchingLogic``) is blank by design on
/// a row where its condition is false. Those cells are counted apart; a blank where the condition
/// holds is missing, as any other.
struct Applicability {
    /// By variable: for each row, whether its blank cell is not applicable.
    private(set) var notApplicable: [String: [Bool]] = [:]
    private(set) var problems: [DataProblem] = []
    private(set) var notes: [String] = []

    /// The value REDCap's logic compares: the code of a coded level (the raw export's value, which
    /// a label export spells as the label), else the value as written; nil when blank.
    static func rawValue(_ column: Column, _ row: Int) -> String? {
        guard !column.isMissing(row) else { return nil }
        let shown = column.displayValue(row)
        if let spec = column.variable, let codes = spec.codes, let levels = spec.levels, let k = levels.firstIndex(of: shown) {
            return codes[k]
        }
        return shown
    }

    init(codebook: Codebook, columns: [Column], rowCount: Int, source: String) {
        let byName = Dictionary(columns.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for spec in codebook.variables {
            guard let text = spec.shownIf, let logic = BranchingLogic.parse(text), let column = byName[spec.name] else { continue }
            if let unknown = logic.columns.first(where: { byName[$0] == nil }) {
                problems.append(DataProblem(.error, source: codebook.source, line: spec.line, message: """
                    variable '\(spec.name)': 'shown_if' reads '\(unknown)', which is not a column of \(source)
                    """))
                continue
            }
            var flags = [Bool](repeating: false, count: rowCount)
            var (blankNotShown, blankShown, filledNotShown) = (0, 0, 0)
            for r in 0..<rowCount {
                let shown = logic.holds { name in byName[name].flatMap { Self.rawValue($0, r) } }
                if column.isMissing(r) {
                    if shown { blankShown += 1 } else { flags[r] = true; blankNotShown += 1 }
                } else if !shown {
                    filledNotShown += 1
                }
            }
            notApplicable[spec.name] = flags
            notes.append("\(spec.name): \(blankNotShown) blank and not applicable (shown only if \(text)), \(blankShown) missing"
                + (filledNotShown > 0 ? "; \(filledNotShown) with a value though not shown" : ""))
        }
    }
}
