import CohortData

/// The study-file reference (`docs/study-files.md`), generated from the request types themselves:
/// every output type, key, type, default and meaning, so the document cannot drift from what the
/// reader accepts (a test compares the committed file with this text).
public enum StudyFileReference {
    public static func markdown() -> String {
        var lines = [
            "# Study files: the reference",
            "",
            "<!-- Generated from the request types (Sources/CohortStudy); a test checks this file. Regenerate with",
            "     COHORTKIT_RECORD=1 swift test --filter StudyFileReferenceTests -->",
            "",
            "A study file (`study.yaml`) names a dataset and its codebook, adds derived variables, sets report-wide",
            "options and lists the outputs `cohort report STUDY --out DIR` writes. Each output is the request the",
            "command of the same name builds from its options: a key is the command's long option name with `-`",
            "written `_` (`--max-iterations` is `max_iterations`), and a report's `tables/NAME.json` is what the",
            "command prints with `--format json`.",
            "",
            "Paths are relative to the study file's folder, and must stay inside it (after `..`, absolute paths and",
            "symbolic links) unless the command line names another folder with `--allow-path DIR`. Unknown keys are",
            "errors naming the line. The shipped datasets' `study.yaml` files are examples (synthetic reconstructions",
            "of published aggregates).",
            "",
            "```yaml",
            "study: johnsrud2021            # a name for the provenance",
            "title: \"Bleeding and thrombosis after CAR T-cell therapy\"",
            "data: cohort.csv",
            "codebook: codebook.yaml",
            "derived:                       # optional: added after the codebook's own",
            "  bleeding_or_thrombosis: any_of(bleeding_any, thrombosis_any)",
            "where: 'age >= 18 and disease == \"LBCL\"'   # optional: the rows every output analyses",
            "options:                       # optional",
            "  p_style: journal",
            "outputs:",
            "  - name: table1               # the file stem: tables/table1.md, ...",
            "    type: describe             # the command's name",
            "    title: \"Table 1\"           # optional: the tables' and figures' title",
            "    variables: [age, sex, disease]",
            "    by: bleeding_any",
            "```",
            "",
            "## Top level",
            "",
            "| key | type | default | meaning |",
            "|:---|:---|:---|:---|",
            "| `study` | text | required | The study's name (provenance). |",
            "| `title` | text | none | The report's title. |",
            "| `data` | file | required | The data file (CSV). |",
            "| `codebook` | file | required | The codebook (YAML). |",
            "| `derived` | mapping of name to formula, or to {formula, label} | none | Derived variables added after the codebook's own. |",
            "| `where` | a condition (formula) | none | Keep only the rows where it is 1, for every output; rows where it is 0 or missing are dropped (as dplyr::filter). Evaluated after the derived variables; as the commands' `--where`. `provenance.json` (`where`) and the pages give the rows kept and dropped. Refused beside a `reproduce` output, which reads its own data. |",
            "| `options` | mapping | see below | Report-wide options. |",
            "| `outputs` | list | required | The outputs, each with `name`, `type`, optional `title` and the type's keys. |",
            "",
            "## `options`",
            "",
        ]
        lines += table(StudyOptions.fields)
        lines += ["", "## Outputs", "", "Every output has `name` (letters, digits, `-` and `_`: its file name), `type` and optionally `title`.", ""]
        for kind in AnalysisKinds.entries {
            guard let type = AnalysisKinds.named(kind.kind) else { continue }
            lines += ["### `type: \(kind.kind)`", "", summary(of: type), ""]
            lines += table(fields(of: type))
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    private static func table(_ fields: [FieldDoc]) -> [String] {
        ["| key | type | default | meaning |", "|:---|:---|:---|:---|"]
            + fields.map { "| `\($0.key)` | \(escape($0.type)) | \(escape($0.defaultValue)) | \(escape($0.help)) |" }
    }

    private static func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }

    static func summary<R: AnalysisRequest>(of type: R.Type) -> String { R.summary }
    static func fields<R: AnalysisRequest>(of type: R.Type) -> [FieldDoc] { R.fields }
}
