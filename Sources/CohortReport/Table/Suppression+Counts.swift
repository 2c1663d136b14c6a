extension Suppression {
    /// A percentage, proportion, interval or rate of `count` out of `denominator`: shown only when
    /// both are (a percentage of a hidden count gives it back; rule 3 of ``Suppression``).
    public func rateStatus(_ count: Status, of denominator: Status) -> TableCell.Status {
        count == .shown && denominator == .shown ? .shown : .withheld
    }

    /// The summaries of a measurement over a group whose n has `status`, as a table prints them
    /// (rounded): hidden when n is small (a median of two values gives them away).
    public func summaryStatus(_ status: Status) -> TableCell.Status { status == .small ? .withheld : .shown }

    /// The same summaries unrounded (JSON): hidden whenever n is, small or secondary. A mean of
    /// whole numbers written to 17 digits is a fraction whose denominator gives n back, where the
    /// table's three significant digits do not.
    public func exactSummaryStatus(_ status: Status) -> TableCell.Status { status == .shown ? .shown : .withheld }

    /// A minimum or maximum (a first or last date): one patient's value, so never shown under
    /// suppression, whatever the n.
    public var extremesStatus: TableCell.Status { isActive ? .withheld : .shown }

    /// The statuses of a table of events out of n, one row a group (incidence by group, a factor's
    /// levels), whose preamble or notes print the rows `dropped` from the data's N.
    ///
    /// Cells per row: events, non-events (not printed) and n, with events + non-events = n; the
    /// reader is taken to know the sums over the rows of the events and non-events (the totals of
    /// an ungrouped table or another output). The dropped rows are a count like any other: with
    /// the data's N known (Table 1 prints it), N − Σ n gives them back, so a small dropped count
    /// makes the n used, and with it the non-events, a total the reader must not be able to work
    /// out (issue 13).
    /// - Returns: the events' and n's statuses a row, the dropped count's, every printed cell's
    ///   (for ``note(_:unprotectable:)``) and how many small counts could not be protected.
    public func eventsOutOf(_ rows: [(events: Int, n: Int)], dropped: Int)
        -> (events: [Status], n: [Status], dropped: Status, printed: [Status], unprotectable: Int) {
        var cells: [Cell] = []
        var constraints: [Constraint] = []
        for row in rows {
            let base = cells.count
            cells += [.init(row.events), .init(row.n - row.events, printed: false), .init(row.n)]
            constraints.append(.init(parts: [base, base + 1], total: base + 2))
        }
        let droppedCell = cells.count
        cells.append(.init(dropped))
        let column = { (offset: Int) in rows.indices.map { 3 * $0 + offset } }
        if rows.count > 1 { constraints.append(.init(parts: column(0))) }
        if isSmall(dropped) {
            // Σ n (and Σ non-events) become cells a hidden row can make unknown.
            let nonEvents = cells.count, used = nonEvents + 1
            cells += [.init(rows.reduce(0) { $0 + $1.n - $1.events }, printed: false), .init(rows.reduce(0) { $0 + $1.n })]
            constraints += [.init(parts: column(1), total: nonEvents), .init(parts: column(2), total: used),
                            .init(parts: [used, droppedCell])]
        } else if rows.count > 1 {
            constraints += [.init(parts: column(1)), .init(parts: column(2))]
        }
        let (status, unprotectable) = statuses(cells, constraints: constraints)
        let printed = rows.indices.flatMap { [status[3 * $0], status[3 * $0 + 2]] } + [status[droppedCell]]
        return (rows.indices.map { status[3 * $0] }, rows.indices.map { status[3 * $0 + 2] }, status[droppedCell], printed, unprotectable.count)
    }

    /// The statuses of counts that add up to the data's N (known to the reader): the groups of a
    /// measurement and the rows dropped, or a model's n used and dropped.
    public func parts(_ counts: [Int]) -> (statuses: [Status], unprotectable: Int) {
        let (status, unprotectable) = statuses(counts.map { Cell($0) }, constraints: [.init(parts: Array(counts.indices))])
        return (status, unprotectable.count)
    }
}
