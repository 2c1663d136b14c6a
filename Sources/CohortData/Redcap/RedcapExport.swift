/// The REDCap export columns that make a file a long one: in a longitudinal project every row is an
/// event (`redcap_event_name`), and with repeating instruments a row may be one instance of a form
/// (`redcap_repeat_instrument`, `redcap_repeat_instance`) rather than the record.
///
/// Reading such rows onto linked long tables is not done yet (issue 18). Without this check the
/// file would be read as one row a record and fail with one "repeats the identifier" error a
/// repeated row, which hides the cause; one error naming the column and the first such row says it.
enum RedcapExport {
    static let longColumns = ["redcap_event_name", "redcap_repeat_instrument"]

    /// One error for the first row that is an event or a repeated instance; none for a flat export.
    static func problems(_ table: DataTable) -> [DataProblem] {
        for name in longColumns {
            guard let column = table.columns.first(where: { $0.name == name }),
                  let row = (0..<column.count).first(where: { !column.isMissing($0) }) else { continue }
            return [DataProblem(.error, source: table.source, line: Int(table.lineNumbers[row]), column: name, message: """
                a REDCap export with \(name == longColumns[0] ? "events" : "repeating instruments"): its rows are not one a record, \
                and reading them onto linked tables is not done yet; export the forms that are not repeated (without \
                events), or split the export into one file a form and link the repeated ones under 'tables:'
                """)]
        }
        return []
    }
}
