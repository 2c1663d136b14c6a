extension Column {
    /// `rows` split by this column's value, in display order: a text column's levels in the
    /// codebook's order (else sorted by code point), a number column's values ascending. Values no
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
            return members.keys.sorted().map { value in (displayValue(members[value]![0]), members[value]!) }
        }
    }
}
