extension Column {
    /// `rows` split by this column's value, in display order: a text column's levels in the
    /// codebook's order (else sorted by code point), a number column's values ascending (a binary
    /// column's as its declared levels). Values no
    /// row in `rows` holds are left out; missing values must already be.
    public func groups(of rows: [Int]) -> [(label: String, rows: [Int])] {
        switch storage {
        case .text(let codes, let levels):
            let present = Set(rows.map { codes[$0] })
            var order = levels.indices.filter { present.contains(Int32($0)) }
            if !hasDeclaredLevelOrder {
                order.sort { levels[$0].unicodeScalars.lexicographicallyPrecedes(levels[$1].unicodeScalars) }
            }
            var members = [Int32: [Int]]()
            for row in rows { members[codes[row], default: []].append(row) }
            return order.map { code in (levels[code], members[Int32(code)] ?? []) }
        case .numeric(let values):
            var members = [Double: [Int]]()
            for row in rows { members[values[row], default: []].append(row) }
            // A binary variable with declared levels (REDCap's No/Yes, Unchecked/Checked; issue 18)
            // prints them, not its stored 0/1: the label stands in the first cell of its row.
            if variable?.type == .binary, let levels = variable?.levels {
                return members.keys.sorted().map { value in (levels[value == 1 ? 1 : 0], members[value]!) }
            }
            return members.keys.sorted().map { value in (displayValue(members[value]![0]), members[value]!) }
        }
    }
}
