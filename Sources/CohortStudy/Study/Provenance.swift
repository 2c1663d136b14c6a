import CohortData
import CohortReport

/// Where a report came from: the toolkit version, the SHA-256 of every input file, the resolved
/// options and each output's parameters and files. Written as `provenance.json` and repeated at
/// the top of `index.html` and `summary.md`.
struct Provenance {
    struct Hashes {
        let study: String
        let data: String
        let codebook: String
        /// Each linked table's path as the study reaches it, and its hash.
        var linked: [(path: String, sha256: String)] = []
    }

    struct OutputFiles {
        let output: StudyOutput
        let files: [String]
    }

    let study: StudyFile
    let hashes: Hashes
    /// The rows analysed: those the `where:` kept, when the study has one.
    let rows: Int
    let filter: RowFilter.Outcome?
    /// What the daily scores left unscored (patient-days), as counts.
    let scoreNotes: [DailyScoreNote]
    let toolkitVersion: String
    let date: String?
    let formats: [String]
    let outputs: [OutputFiles]

    /// The study file's name without its folder: the report does not depend on where it was run from.
    var studyFileName: String { study.source.split(separator: "/").last.map(String.init) ?? study.source }

    /// (what, path as written, SHA-256) of each input.
    var inputs: [(what: String, path: String, sha256: String)] {
        [("study file", studyFileName, hashes.study), ("data", study.dataFile, hashes.data), ("codebook", study.codebookFile, hashes.codebook)]
            + hashes.linked.map { ("linked table", $0.path, $0.sha256) }
    }

    /// The resolved report-wide options, in a fixed order.
    var options: [(key: String, value: String)] {
        let style = study.options.style
        return [("p_style", style.pStyle.rawValue), ("percent_decimals", String(style.percentDecimals)),
                ("level", study.options.level.map(NumberText.shortest) ?? "each output's own"),
                ("suppress_below", String(style.suppressBelow)), ("formats", formats.joined(separator: ","))]
    }

    var derived: [(name: String, formula: String)] { study.derived.map { ($0.name, $0.formula.description) } }

    /// The report's small-cell rule: the counts of provenance (rows a `where:` dropped, patient-days a
    /// score left unscored) follow it as every table's counts do.
    var suppression: Suppression { Suppression(below: study.options.style.suppressBelow) }

    /// The filter's counts as shown: the parts (kept, dropped where 0, dropped where missing) add up
    /// to the rows read, which is printed, so they are suppressed together (secondary suppression);
    /// nil for a hidden count. The dropped total is shown only when both its parts are.
    var filterCounts: (kept: Int?, droppedFalse: Int?, droppedMissing: Int?, dropped: Int?)? {
        guard let filter else { return nil }
        let statuses = suppression.parts([filter.kept, filter.droppedFalse, filter.droppedMissing]).statuses
        let shown = statuses.map { $0 == .shown }
        return (shown[0] ? filter.kept : nil, shown[1] ? filter.droppedFalse : nil, shown[2] ? filter.droppedMissing : nil,
                shown[1] && shown[2] ? filter.dropped : nil)
    }

    /// `Rows: where age >= 18: kept 100 of 127 rows, dropped 27 (...)`, for the pages.
    var filterSentence: String? {
        guard let filter, let counts = filterCounts else { return nil }
        func text(_ n: Int?) -> String { n.map(String.init) ?? "(hidden)" }
        return "Rows: where \(filter.condition): kept \(text(counts.kept)) of \(filter.rowsRead) rows, dropped \(text(counts.dropped)) "
            + "(\(text(counts.droppedFalse)) where the condition is 0, \(text(counts.droppedMissing)) where it is missing)."
    }

    /// The score notes with their counts as the small-cell rule shows them (patient-days with
    /// draws, scored, unscorable: parts of a shown total, suppressed together).
    var notes: [String] {
        scoreNotes.map { note in
            let statuses = suppression.parts([note.scored, note.unscorable]).statuses
            return note.text(scored: suppression.text(note.scored, statuses[0]), unscorable: suppression.text(note.unscorable, statuses[1]))
        }
    }

    func json() -> String {
        var object = JSONValue.object([])
        object.append("toolkit", .object([("name", .string("CohortKit")), ("version", .string(toolkitVersion))]))
        if let date { object.append("date", .string(date)) }
        object.append("study", .object([("name", .string(study.study)), ("title", .string(study.title))]))
        object.append("inputs", .array(inputs.map { .object([("role", .string($0.what)), ("path", .string($0.path)), ("sha256", .string($0.sha256))]) }))
        object.append("rows", .integer(rows))
        if let filter {
            let counts = filterCounts!
            func value(_ n: Int?) -> JSONValue { n.map { .integer($0) } ?? .null }
            object.append("where", .object([("condition", .string(filter.condition)), ("rows_read", .integer(filter.rowsRead)), ("kept", value(counts.kept)),
                                            ("dropped_false", value(counts.droppedFalse)), ("dropped_missing", value(counts.droppedMissing))]))
        }
        object.append("options", .object(options.map { ($0.key, .string($0.value)) }))
        object.append("derived", .object(derived.map { ($0.name, .string($0.formula)) }))
        if !notes.isEmpty { object.append("notes", .array(notes.map(JSONValue.string))) }
        object.append("outputs", .array(outputs.map { item in
            // The request itself, encoded: every key with the value the output ran with.
            var pairs: [(String, JSONValue)] = [("name", .string(item.output.name)), ("type", .string(item.output.type))]
            if let title = item.output.title { pairs.append(("title", .string(title))) }
            pairs += [("request", item.output.request.encoded), ("files", .array(item.files.map(JSONValue.string)))]
            return .object(pairs)
        }))
        return object.rendered(indent: 2) + "\n"
    }
}
