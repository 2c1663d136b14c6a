extension FileBody {
    /// The pieces joined into columns, one column at a time, each piece's buffer freed as soon as it
    /// is copied (so the peak is the table plus one column). A text column whose every value is a
    /// number becomes a number column unless `forcedText` names it: the samples that typed it are
    /// a guess (a sample starting inside a long quoted note reads its lines as records), the full
    /// pass is not.
    func build(_ pass: Pass, forcedText: Set<String>) -> CSVReadResult {
        let rowOffsets = pass.pieces.reduce(into: [0]) { $0.append($0.last! + $1.rowCount) }
        let total = rowOffsets.last!
        var problems = pass.problems
        // The file line of each row, as a run (one record a line, the usual file) without a list
        // of 4 bytes a row.
        func pieceLine(_ k: Int, _ r: Int) -> Int32 { pass.pieces[k].line(r) &+ Int32(truncatingIfNeeded: pass.firstLines[k]) }
        let firstLine = pass.pieces.indices.first { pass.pieces[$0].rowCount > 0 }.map { pieceLine($0, 0) } ?? 0
        let isRun = pass.pieces.indices.allSatisfy { k in
            LineNumbers.isRun(pass.pieces[k].rowCount, first: firstLine &+ Int32(truncatingIfNeeded: rowOffsets[k])) { pieceLine(k, $0) }
        }
        let lineNumbers = isRun ? LineNumbers(run: firstLine, count: total) : LineNumbers([Int32](unsafeUninitializedCapacity: total) { buffer, initialized in
            for k in pass.pieces.indices {
                for r in 0..<pass.pieces[k].rowCount { buffer[rowOffsets[k] + r] = pieceLine(k, r) }
            }
            initialized = total
        })
        for piece in pass.pieces { piece.releaseLines() }
        // Two lanes: text columns (the slow ones, most levels first) beside number columns, each
        // lane one column at a time, so at most two joins hold a column twice at once.
        let levelCounts = names.indices.map { c in pass.kinds[c] == .text ? pass.pieces.reduce(0) { $0 + $1.interners[c].count } : 0 }
        let textColumns = names.indices.filter { pass.kinds[$0] == .text }.sorted { levelCounts[$0] > levelCounts[$1] }
        let numberColumns = names.indices.filter { pass.kinds[$0] == .number }
        let lanes = [textColumns, numberColumns].filter { !$0.isEmpty }
        // Compact numbers are joined first, each piece's freed as it is appended: at most one column
        // is held twice.
        var compact = [CompactNumbers?](repeating: nil, count: names.count)
        if layout.compactNumbers {
            for c in numberColumns {
                var joined = CompactNumbers()
                joined.reserveCapacity(total)
                for piece in pass.pieces { piece.moveCompacted(c, to: &joined) }
                compact[c] = joined
            }
        }
        let (built, columnProblems) = joinedColumns(lanes, pass: pass, rowOffsets: rowOffsets, lineNumbers: lineNumbers, forcedText: forcedText)
        var columns = built
        if layout.compactNumbers {
            // A text column whose every value turned out a number is stored the same way.
            for c in columns.indices where compact[c] == nil {
                guard case .numeric(let values) = columns[c].storage else { continue }
                columns[c] = Column(name: names[c], storage: .numeric([]))
                compact[c] = CompactNumbers(values)
            }
        }
        // In line order, and on one line in column order: the lanes' order depends on the pieces'
        // level counts, so it must not decide the order of the messages.
        problems += columnProblems.joined()
        problems = problems.enumerated().sorted { a, b in (a.element.line ?? 0, a.offset) < (b.element.line ?? 0, b.offset) }.map(\.element)
        let table = DataTable(source: layout.source, columns: columns, lineNumbers: lineNumbers)
        return CSVReadResult(table: table, problems: problems, problemsOmitted: pass.problemsOmitted,
                             compactNumbers: layout.compactNumbers ? compact : [], decimalComma: layout.decimalComma)
    }


    /// The lanes' columns built in parallel and put in file order: written once into their places
    /// (the lanes partition the columns), and the lanes' results gone on return, before the table
    /// indexes the names. An array of optionals and its unwrapped copy beside the lanes' results
    /// held each column three times over, 80 MB for 300,000 columns (issue 12).
    private func joinedColumns(_ lanes: [[Int]], pass: Pass, rowOffsets: [Int], lineNumbers: LineNumbers,
                               forcedText: Set<String>) -> ([Column], [[DataError]]) {
        let built = Parallel.map(lanes.indices.map { $0..<($0 + 1) }) { lane in
            lanes[lane.lowerBound].map { c in
                (c, buildColumn(c, pass: pass, rowOffsets: rowOffsets, lineNumbers: lineNumbers, mayBeNumbers: !forcedText.contains(names[c])))
            }
        }
        precondition(built.reduce(0) { $0 + $1.count } == names.count, "the lanes hold every column once")
        var columnProblems = [[DataError]](repeating: [], count: names.count)
        let columns = [Column](unsafeUninitializedCapacity: names.count) { buffer, initialized in
            for lane in built {
                for (c, (column, problemsOfColumn)) in lane {
                    (buffer.baseAddress! + c).initialize(to: column)
                    columnProblems[c] = problemsOfColumn
                }
            }
            initialized = names.count
        }
        return (columns, columnProblems)
    }

    /// Column `c` joined from the pieces; each piece's buffer is freed as soon as it is copied.
    private func buildColumn(_ c: Int, pass: Pass, rowOffsets: [Int], lineNumbers: LineNumbers, mayBeNumbers: Bool) -> (Column, [DataError]) {
        let total = rowOffsets.last!
        let name = names[c]
        if pass.kinds[c] == .number {
            // Compact numbers were joined by the caller: the column holds none.
            if layout.compactNumbers { return (Column(name: name, storage: .numeric([])), []) }
            let values = [Double](unsafeUninitializedCapacity: total) { buffer, initialized in
                for (k, piece) in pass.pieces.enumerated() {
                    (buffer.baseAddress! + rowOffsets[k]).update(from: piece.numbers[c]!, count: piece.rowCount)
                    piece.releaseColumn(c)
                }
                initialized = total
            }
            return (Column(name: name, storage: .numeric(values)), [])
        }
        // A later piece's levels are looked up, never inserted, in each earlier piece's table; a
        // level found in none takes the next code. A piece's own levels are distinct, so no table
        // grows while the pieces are joined, and the last piece's index is never needed. The
        // pieces' byte arenas then become the column's levels as they are, without a copy.
        pass.pieces.last!.interners[c].dropIndex()
        var facts = LevelFacts(decimalComma: layout.decimalComma)
        var remaps: [[Int32]] = []
        var newLevels: [[Int32]?] = []
        let codes = [Int32](unsafeUninitializedCapacity: total) { buffer, initialized in
            for (k, piece) in pass.pieces.enumerated() {
                let own = piece.interners[c]
                let target = buffer.baseAddress! + rowOffsets[k]
                let source = piece.codes[c]!
                if k == 0 {
                    // The first piece's levels are the first levels, in order.
                    for level in 0..<own.count { facts.classify(own.bytes(ofLevel: level)) }
                    remaps.append([])
                    newLevels.append(nil)
                    target.update(from: source, count: piece.rowCount)
                } else {
                    var remap = [Int32](repeating: -1, count: own.count)
                    var fresh: [Int32] = []
                    for level in 0..<own.count {
                        let bytes = own.bytes(ofLevel: level)
                        let hash = UInt32(truncatingIfNeeded: LevelInterner.hash(bytes))
                        for j in 0..<k {
                            if let earlier = pass.pieces[j].interners[c].lookup(bytes, hash: hash) {
                                remap[level] = j == 0 ? earlier : remaps[j][Int(earlier)]
                                break
                            }
                        }
                        if remap[level] < 0 {
                            remap[level] = Int32(facts.count)
                            fresh.append(Int32(level))
                            facts.classify(bytes)
                        }
                    }
                    remaps.append(remap)
                    newLevels.append(fresh)
                    for r in 0..<piece.rowCount { target[r] = source[r] < 0 ? -1 : remap[Int(source[r])] }
                }
                piece.releaseColumn(c)
            }
            initialized = total
        }
        var segments: [LevelBytes.Segment] = []
        var firstLevel = 0
        for (k, piece) in pass.pieces.enumerated() {
            let held = newLevels[k]?.count ?? piece.interners[c].count
            let (arena, starts) = piece.interners[c].takeBytes()
            segments.append(LevelBytes.Segment(arena: arena, starts: starts, newLevels: newLevels[k], firstLevel: firstLevel))
            firstLevel += held
            piece.releaseLevels(c)
        }
        let levels = TextLevels(bytes: LevelBytes(segments: segments, count: facts.count))
        var problems: [DataError] = []
        let column = textColumn(name: name, codes: codes, levels: levels, facts: facts, lineNumbers: lineNumbers, problems: &problems)
        return (mayBeNumbers ? numbersIfAllAre(column) : column, problems)
    }

    /// A text column with the levels no kept row holds taken out (a record dropped for a problem
    /// may have added some), its invalid UTF-8 reported at the first row holding it, and what the
    /// model builder needs to know about stray numbers.
    private func textColumn(name: String, codes: [Int32], levels: TextLevels, facts: LevelFacts, lineNumbers: LineNumbers,
                            problems: inout [DataError]) -> Column {
        var firstRow = [Int](repeating: -1, count: levels.count)
        for (row, code) in codes.enumerated() where code >= 0 && firstRow[Int(code)] < 0 { firstRow[Int(code)] = row }
        var codes = codes
        var levels = levels
        var isNumber = facts.isNumber
        if firstRow.contains(-1) {
            let kept = firstRow.indices.filter { firstRow[$0] >= 0 }
            var remap = [Int32](repeating: -1, count: levels.count)
            for (new, old) in kept.enumerated() { remap[old] = Int32(new) }
            for r in codes.indices where codes[r] >= 0 { codes[r] = remap[Int(codes[r])] }
            levels = TextLevels(kept.map { levels[$0] })
            isNumber = kept.map { isNumber[$0] }
        }
        for level in facts.invalidUTF8 where firstRow[level] >= 0 {
            problems.append(.invalidUTF8(source: layout.source, line: Int(lineNumbers[firstRow[level]]), column: name))
        }
        var numericLike = 0
        var firstNonNumeric: (row: Int, value: String)?
        for (row, code) in codes.enumerated() where code >= 0 {
            if isNumber[Int(code)] {
                numericLike += 1
            } else if firstNonNumeric == nil {
                firstNonNumeric = (row, levels[Int(code)])
            }
        }
        return Column(name: name, storage: .text(codes: codes, levels: levels),
                      firstNonNumeric: firstNonNumeric, numericLikeCount: numericLike)
    }

    /// `column` as numbers when it is text whose every value (one at least) is a number.
    private func numbersIfAllAre(_ column: Column) -> Column {
        guard case .text(let codes, let levels) = column.storage, column.firstNonNumeric == nil, column.numericLikeCount > 0 else {
            return column
        }
        let values = levels.map { NumberParser.parse($0, decimalComma: layout.decimalComma) ?? .nan }
        return Column(name: column.name, storage: .numeric(codes.map { $0 < 0 ? .nan : values[Int($0)] }))
    }
}

/// What each level of a text column is, found once a distinct value as the pieces are joined: a
/// number or not, valid UTF-8 or not.
struct LevelFacts {
    let decimalComma: Bool
    private(set) var isNumber: [Bool] = []
    /// Levels whose bytes are not UTF-8 (shown with replacement characters; reported).
    private(set) var invalidUTF8: [Int] = []

    init(decimalComma: Bool) { self.decimalComma = decimalComma }

    var count: Int { isNumber.count }

    mutating func classify(_ bytes: UnsafeBufferPointer<UInt8>) {
        if !bytes.allSatisfy({ $0 < 0x80 }), String(validating: bytes, as: UTF8.self) == nil { invalidUTF8.append(count) }
        isNumber.append(NumberParser.parse(bytes, decimalComma: decimalComma) != nil)
    }
}

