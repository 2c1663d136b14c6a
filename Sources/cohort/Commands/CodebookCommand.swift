import ArgumentParser
import CohortData
import CohortReport

struct CodebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codebook",
        abstract: "Print a starter codebook for a data file or from a REDCap data dictionary, or list the derived-variable functions.",
        discussion: """
            Infers each column's type from its values (whole numbers, 0/1, yes/no, ISO dates, a few \
            repeated labels, all-distinct identifiers) and prints a YAML codebook to edit: check each type, \
            then add labels, units, allowed ranges and derived variables. Nothing is inferred silently \
            later: a command given a codebook checks the data against it.

            --from-redcap reads a REDCap data dictionary (the CSV from its Data Dictionary page) \
            instead and writes the codebook its export needs: choices as levels (their labels) with \
            codes, checkboxes as field___code binary columns, validated text as integer, real or \
            date with ranges, identifiers (and the record id) as identifier. Check it with \
            cohort validate EXPORT.csv --codebook; raw exports (codes) and label exports both pass, \
            with variable names or field labels as headers. Simple branching logic ([crs_any] = '1', \
            [grade] > 2, with and / or) becomes shown_if: a blank where it is false is counted as \
            "not applicable", not missing.

            --repeating reads REDCap's repeating instruments and events file (Project Setup, CSV: \
            event_name,form_name,custom_form_label): each repeating form becomes a linked table under \
            tables:, read from the export's own rows of that instrument (one row an instance, keyed by \
            the record id), its study day the form's first date field less the index date: \
            --index-date FIELD, by default the first date field of a form that does not repeat. An \
            event that repeats as a whole (a blank form_name) becomes one linked table with the \
            fields of its forms, which --designations gives (REDCap's instrument designations, CSV: \
            arm_num,unique_event_name,form). The export's other events are merged into one row a record.

            Examples:
              cohort codebook cohort.csv --out cohort.codebook.yaml
              cohort codebook --from-redcap dictionary.csv --out cart.codebook.yaml
              cohort codebook --from-redcap dictionary.csv --repeating repeating.csv --index-date infusion_date
              cohort codebook --from-redcap dictionary.csv --repeating repeating.csv --designations designations.csv
              cohort codebook --functions
            """
    )

    @Argument(help: ArgumentHelp("The data file; - reads standard input.", valueName: "data"))
    var data: String?

    @Flag(help: "List the built-in functions a derived variable may use, with their parameters.")
    var functions = false

    @Option(name: .customLong("from-redcap"), help: ArgumentHelp("Write the codebook of this REDCap data dictionary (CSV).", valueName: "dictionary"))
    var redcapDictionary: String?

    @Option(help: ArgumentHelp("With --from-redcap: REDCap's repeating instruments and events file (CSV); each repeating form becomes a linked table.", valueName: "file"))
    var repeating: String?

    @Option(help: ArgumentHelp("With --repeating: REDCap's instrument designations (CSV); the forms of each event that repeats as a whole.", valueName: "file"))
    var designations: String?

    @Option(name: .customLong("index-date"), help: ArgumentHelp("With --repeating: the date field that is day 0 of the repeating forms' tables (default: the first date field of a form that does not repeat).", valueName: "field"))
    var indexDate: String?

    @OptionGroup var reading: CSVReadingOptions

    @Option(help: ArgumentHelp("Write to this file (atomically) instead of standard output.", valueName: "file"))
    var out: String?

    func validate() throws {
        if [functions, data != nil, redcapDictionary != nil].filter({ $0 }).count != 1 {
            throw ValidationError("give one of a data file, --from-redcap DICTIONARY or --functions")
        }
        if repeating != nil, redcapDictionary == nil { throw ValidationError("--repeating goes with --from-redcap DICTIONARY") }
        if designations != nil, repeating == nil { throw ValidationError("--designations goes with --repeating FILE: it gives the forms of the events that repeat") }
        if indexDate != nil, repeating == nil { throw ValidationError("--index-date goes with --repeating FILE: it is day 0 of the repeating forms' tables") }
        if redcapDictionary != nil, reading.isGiven { throw ValidationError("--delimiter, --missing and --decimal-comma apply to reading a data file; a REDCap dictionary is read as REDCap writes it") }
        if functions, reading.isGiven { throw ValidationError("--delimiter, --missing and --decimal-comma apply to reading a data file; --functions reads none") }
    }

    @OptionGroup var threads: ThreadOptions

    func run() throws {
        try ExitStatus.guarding("codebook") {
            let text: String
            if let data {
                let options = reading.limits.applied(to: try reading.csvOptions())
                let table = try CSVReader.read(path: data, options: options)
                text = StarterCodebook.yaml(for: table, missingTokens: options.missingTokens,
                                            labels: try SpreadsheetInput.variableLabels(path: data))
            } else if let redcapDictionary {
                text = try RedcapDictionary.yaml(try RedcapDictionary.read(path: redcapDictionary), source: redcapDictionary,
                                                 repeating: try repeating.map(RedcapRepeating.read(path:)),
                                                 designations: try designations.map(RedcapDesignations.read(path:)), indexDate: indexDate)
            } else {
                let functions: [String] = DerivedFunction.list.map { "\($0.signature)  -> \($0.result.rawValue)\n    \($0.summary)" }
                let preparation: [String] = PreparationFunction.allCases.map { "\($0.signature)  -> \($0.result)\n    \($0.summary)" }
                text = functions.joined(separator: "\n") + "\n"
                    + "\nData preparation (one value a patient; not inside a window summary):\n" + preparation.joined(separator: "\n") + "\n"
                    + "\nSummaries of a linked table over a window of study days (inclusive; a daily score inside one is computed a patient-day):\n"
                    + WindowSummary.allCases.map { "\($0.signature)\n    \($0.summary)" }.joined(separator: "\n") + "\n"
            }
            try AtomicFile.emit(text, to: out)
        }
    }
}
