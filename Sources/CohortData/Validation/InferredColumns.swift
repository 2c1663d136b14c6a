/// The columns no codebook declares, checked as the reader typed them: what a codebook does for a
/// declared column, for the rules inference can know.
///
/// - A text column that is numbers but for a few entries (``Column/holdsNumbersWithStrays(decimalComma:)``)
///   gets an error a stray entry, with its line and value. Read as categories instead, one `inf`
///   made a column of numbers a factor with a level a value in a model, while `cohort validate`
///   called the file valid (issue 12).
/// - A text column of yes/no words (``BinaryWords``) spelt in several cases or forms (`Yes`, `NO`,
///   `yes`) has them merged by meaning, each meaning spelt as it first appears: one question, two
///   answers, whatever the export's capitalisation.
struct InferredColumns {
    let table: DataTable
    let decimalComma: Bool
    private(set) var problems: [DataProblem] = []

    init(table: DataTable, decimalComma: Bool) {
        self.table = table
        self.decimalComma = decimalComma
    }

    /// Checks `column` (problems go to ``problems``); returns it changed, or nil when it stays as it is.
    mutating func changed(_ column: Column) -> Column? {
        guard column.variable == nil, case .text(let codes, let levels) = column.storage else { return nil }
        if column.holdsNumbersWithStrays(decimalComma: decimalComma) {
            reportStrays(column, codes: codes, levels: levels)
            return nil
        }
        return Self.binaryWordsMerged(column, codes: codes, levels: levels)
    }

    private mutating func reportStrays(_ column: Column, codes: [Int32], levels: TextLevels) {
        let isNumber = levels.map { NumberParser.parse($0, decimalComma: decimalComma) != nil }
        let present = codes.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        for (row, code) in codes.enumerated() where code >= 0 && !isNumber[Int(code)] {
            let value = levels[Int(code)]
            problems.append(DataProblem(
                .error, source: table.source, line: Int(table.lineNumbers[row]), column: column.name, value: value,
                message: "\(NumberParser.refusal(value, decimalComma: decimalComma)); expected a number, as \(column.numericLikeCount) of the "
                    + "column's \(present) values are (fix it, add it to the missing tokens, or declare the column's type in a codebook)"))
        }
    }

    private static func binaryWordsMerged(_ column: Column, codes: [Int32], levels: TextLevels) -> Column? {
        guard levels.count > 1 else { return nil }
        // Stops at the first level that is not a yes/no word (an identifier column has a million).
        var meanings: [Double] = []
        for level in levels {
            guard let meaning = BinaryWords.value(level) else { return nil }
            meanings.append(meaning)
        }
        guard Set(meanings).count < levels.count else { return nil }
        // Levels are in order of first appearance: the first level of each meaning keeps its spelling.
        var merged: [Double: Int32] = [:]
        var kept: [String] = []
        let remap = levels.indices.map { level -> Int32 in
            if let code = merged[meanings[level]] { return code }
            merged[meanings[level]] = Int32(kept.count)
            kept.append(levels[level])
            return Int32(kept.count - 1)
        }
        return Column(name: column.name, storage: .text(codes: codes.map { $0 < 0 ? -1 : remap[Int($0)] }, levels: TextLevels(kept)))
    }
}
