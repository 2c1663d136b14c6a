import ArgumentParser
import CohortData
import CohortReport

/// `cohort derive`: the analysis-ready table, one row a patient, with the codebook's derived
/// variables (lab summaries over windows of days, scores, recodes) as columns.
struct DeriveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "derive",
        abstract: "Write the analysis-ready table: the patient table with every derived variable added.",
        discussion: """
            Reads the data file and its codebook, with the codebook's linked long tables (tables: labs: \
            {file: labs.csv, id: patient_id, day: day}), checks them as 'cohort validate' does, computes the \
            derived variables in order, and writes one row a patient in the data file's order: its columns, \
            then one column a derived variable (missing as an empty field). Typed values are written as \
            the codebook reads them: levels as text, dates as YYYY-MM-DD, numbers in the shortest form \
            that reads back to the same value. Identifier columns are kept (the table is data for the next \
            step, not a report). Notes (such as patient-days a daily score could not score) go to standard \
            error. Every other command computes the same derived columns itself; derive is for handing the \
            table to another program or checking it.

            Examples:
              cohort derive Datasets/johnsrud2021/cohort.csv --out analysis.csv
              cohort derive cohort.csv --codebook codebook.yaml | head
              cohort derive cohort.csv --where 'age >= 18' --out adults.csv
            """
    )

    @OptionGroup var input: InputOptions

    @Option(help: ArgumentHelp("Write the table to this file (atomically) instead of standard output; - is standard output. An input is never overwritten.", valueName: "file"))
    var out: String?

    func run() throws {
        try ExitStatus.guarding("derive") {
            guard let codebook = try input.readCodebook() else {
                throw ValidationError("derive needs a codebook with derived variables (--codebook FILE, or codebook.yaml next to the data)")
            }
            let loaded = try input.loadData("derive", codebook: codebook)
            for note in loaded.notes { ExitStatus.printError("cohort derive: note: \(note)") }
            try AtomicFile.emit(to: out) { write throws(AtomicFile.WriteError) in try AnalysisReadyCSV.write(loaded, to: write) }
        }
    }
}
