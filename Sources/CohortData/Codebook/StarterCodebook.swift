/// A first codebook inferred from a table read without one, written as YAML for the user to edit
/// (`cohort codebook DATA.csv`). Inference is a guess and says so: every variable carries a
/// comment with what was seen.
public enum StarterCodebook {
    /// The declaration a column most likely wants, with a note on what was observed.
    public static func infer(_ column: Column, rowCount: Int) -> (VariableSpec, note: String) {
        let missing = (0..<column.count).filter { column.isMissing($0) }.count
        let missingNote = missing > 0 ? ", \(missing) missing" : ""
        switch column.storage {
        case .numeric(let values):
            let present = values.filter { !$0.isNaN }
            guard let low = present.min(), let high = present.max() else {
                return (VariableSpec(name: column.name, type: .real), "every value missing")
            }
            let whole = present.allSatisfy { $0 == $0.rounded() }
            let observed = "observed \(NumberText.shortest(low)) to \(NumberText.shortest(high))\(missingNote)"
            if whole, Set(present).isSubset(of: [0, 1]) { return (VariableSpec(name: column.name, type: .binary), "observed 0/1\(missingNote)") }
            if whole, low >= 0, high <= 5, column.name.lowercased().contains("grade") {
                return (VariableSpec(name: column.name, type: .grade), observed)
            }
            return (VariableSpec(name: column.name, type: whole ? .integer : .real), observed)
        case .text(let codes, let levels):
            let used = Set(codes.filter { $0 >= 0 })
            let present = levels.indices.filter { used.contains(Int32($0)) }.map { levels[$0] }
            let distinct = "\(present.count) distinct value\(present.count == 1 ? "" : "s")\(missingNote)"
            let lowered = Set(present.map { $0.lowercased() })
            let booleans = BinaryWords.present.union(BinaryWords.absent)
            if !present.isEmpty, lowered.count <= 2, lowered.isSubset(of: booleans) {
                return (VariableSpec(name: column.name, type: .binary), "observed \(present.sorted().joined(separator: ", "))\(missingNote)")
            }
            // Mostly dates or mostly numbers: the type the column was meant to have, and what breaks it.
            let dates = present.filter { CalendarDate(iso: $0) != nil }
            if !present.isEmpty, dates.count * 10 >= present.count * 9 {
                let sorted = dates.sorted()
                let strays = present.filter { CalendarDate(iso: $0) == nil }
                let strayNote = strays.isEmpty ? "" : "; \(strays.count) not a date, such as '\(strays[0])'"
                return (VariableSpec(name: column.name, type: .date), "observed \(sorted.first!) to \(sorted.last!)\(missingNote)\(strayNote)")
            }
            let nonMissing = codes.filter { $0 >= 0 }.count
            if column.holdsNumbersWithStrays(), let stray = column.firstNonNumeric {
                let numbers = present.compactMap { NumberParser.parse($0) }
                let whole = numbers.allSatisfy { $0 == $0.rounded() }
                return (VariableSpec(name: column.name, type: whole ? .integer : .real),
                        "\(nonMissing - column.numericLikeCount) value(s) not a number, such as '\(stray.value)'; fix them or declare missing tokens")
            }
            let looksLikeIdentifier = present.count > 20 || column.name.lowercased().hasSuffix("id")
            if present.count == nonMissing, nonMissing > 1, missing == 0, looksLikeIdentifier {
                return (VariableSpec(name: column.name, type: .identifier), "every value distinct: an identifier? (never analysed or printed)")
            }
            if present.count <= max(20, rowCount / 20) {
                let order = present.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                return (VariableSpec(name: column.name, type: .categorical, levels: order), distinct + "; the first level is the reference")
            }
            return (VariableSpec(name: column.name, type: .text), distinct)
        }
    }

    /// The YAML text of a starter codebook for `table`; `labels` (a Stata file's variable labels)
    /// become the columns' `label:`.
    public static func yaml(for table: DataTable, missingTokens: [String], labels: [String: String] = [:]) -> String {
        var lines = [
            "# Starter codebook for \(table.source) (\(table.rowCount) rows), inferred by cohort codebook.",
            "# Check every type, add labels, units, allowed ranges (range: [low, high]) and",
            "# typical ranges (typical: [low, high]); types: \(VariableType.allCases.map(\.rawValue).joined(separator: ", ")).",
            "missing: \(CodebookYAML.list(missingTokens))",
            "variables:",
        ]
        for column in table.columns {
            var (spec, note) = infer(column, rowCount: table.rowCount)
            spec.label = labels[spec.name]
            lines += CodebookYAML.variable(spec, comment: note)
        }
        lines.append("# derived:")
        lines.append("#   name: below(column, 150)   # cohort codebook --functions lists the definitions")
        return lines.joined(separator: "\n") + "\n"
    }
}
