/// A deterministic sample of a design's rows: 64 evenly spaced runs of consecutive rows.
///
/// Runs rather than every k-th row, because a strided sample of a column-major design still touches
/// most of its cache lines; evenly spaced, so that a file sorted by some variable is still covered
/// from end to end. Used where a sample is enough: starting values and the working basis.
enum RowSample {
    static let runCount = 64

    /// The sampled rows of an n-row design: all of them when n <= `rows`.
    static func runs(rowCount n: Int, rows: Int) -> [Range<Int>] {
        guard n > rows, rows >= runCount else { return [0..<n] }
        let runLength = rows / runCount
        let spacing = n / runCount
        return (0..<runCount).map { $0 * spacing..<$0 * spacing + runLength }
    }

    static func chunksWithRows(of design: DesignMatrix, rows: Int) -> (design: DesignMatrix, rows: [Range<Int>])? {
        let n = design.rowCount, p = design.columnCount
        guard n > rows, rows >= runCount else { return nil }
        let ranges = runs(rowCount: n, rows: rows)
        let runLength = ranges[0].count
        let m = runCount * runLength
        let values = [Double](unsafeUninitializedCapacity: m * p) { buffer, count in
            design.values.withUnsafeBufferPointer { x in
                for j in 0..<p {
                    var target = buffer.baseAddress! + j * m
                    for range in ranges {
                        target.update(from: x.baseAddress! + j * n + range.lowerBound, count: runLength)
                        target += runLength
                    }
                }
            }
            count = m * p
        }
        return (DesignMatrix(values: values, rowCount: m, columnNames: design.columnNames, terms: design.terms), ranges)
    }
}
