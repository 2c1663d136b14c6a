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
    let rows: Int
    /// What the derivation noted (patient-days a daily score could not score).
    let notes: [String]
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

    func json() -> String {
        var object = JSONValue.object([])
        object.append("toolkit", .object([("name", .string("CohortKit")), ("version", .string(toolkitVersion))]))
        if let date { object.append("date", .string(date)) }
        object.append("study", .object([("name", .string(study.study)), ("title", .string(study.title))]))
        object.append("inputs", .array(inputs.map { .object([("role", .string($0.what)), ("path", .string($0.path)), ("sha256", .string($0.sha256))]) }))
        object.append("rows", .integer(rows))
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
