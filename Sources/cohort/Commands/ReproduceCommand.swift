import ArgumentParser
import CohortData
import CohortReport
import CohortStudy
import Foundation

struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Recompute every published figure of a study from its dataset and set it beside the published value.",
        discussion: """
            A study is a folder holding published.yaml (its figures, each with the analysis that \
            recomputes it), the dataset and its codebook; see Datasets/README.md. Each figure is \
            recomputed through the toolkit's own pipeline (load, validate, derive, analyse), formatted \
            as the journal printed it, and compared with the printed text. The shipped datasets are \
            synthetic reconstructions of published aggregates, not patient data.

            Exit status: 0 when every figure matches; 1 when any does not (each named on stderr); 65 \
            for an invalid published.yaml or dataset; 66 when a study cannot be found or read.

            Examples:
              cohort reproduce --all
              cohort reproduce johnsrud2021 --format md
              cohort reproduce path/to/study-folder --format json --out figures.json
            """
    )

    @Argument(help: ArgumentHelp("Study names (folders under --datasets), study folders, or published.yaml files.", valueName: "study"))
    var studies: [String] = []

    @Flag(help: "Every study under --datasets.")
    var all = false

    @Option(name: .customLong("datasets"), help: ArgumentHelp("The folder holding the studies named, or all of them with --all (default: Datasets).", valueName: "dir"))
    var datasetsGiven: String?

    var datasets: String { datasetsGiven ?? "Datasets" }

    @OptionGroup var output: OutputOptions

    func validate() throws {
        try RequestRunner.validate(ReproduceRequest(), output: output)
        try output.rejectStyleThatDoesNotApply("reproduce", prints: [], because: "prints each figure in the format the journal used")
        if studies.isEmpty && !all { throw ValidationError("name a study (for example johnsrud2021) or give --all") }
        if !studies.isEmpty && all { throw ValidationError("give study names or --all, not both") }
        if let datasetsGiven, !all, studies.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) {
            throw ValidationError("--datasets \(datasetsGiven) does not apply: every study given is a path, not a name to look up under it")
        }
    }

    @OptionGroup var threads: ThreadOptions

    @OptionGroup var paths: ConfinementOptions

    func run() throws {
        var failed: [ReproducedFigure] = []
        try ExitStatus.guarding("reproduce") {
            var request = ReproduceRequest()
            request.published = try studyFiles()
            let result = try request.run(on: AnalysisInput(table: DataTable(source: "", columns: [], lineNumbers: []),
                                                           paths: InputPaths(confinement: paths.confinement)))
            try output.emit(result.rendered(output.format))
            failed = result.mismatches
        }
        guard failed.isEmpty else {
            for figure in failed {
                ExitStatus.printError("cohort reproduce: \(figure.study)/\(figure.figure): published \(figure.published), computed \(figure.computed)")
            }
            throw ExitCode(ExitStatus.checkFailed)
        }
    }

    /// Each study's published.yaml, in the order given (or sorted by name with --all).
    func studyFiles() throws(CodebookError) -> [String] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if all {
            guard let names = try? manager.contentsOfDirectory(atPath: datasets) else {
                throw CodebookError(source: datasets, line: nil, message: "no such folder of studies (give --datasets DIR)", isUnreadable: true)
            }
            let files = names.sorted().map { datasets + "/" + $0 + "/published.yaml" }.filter { manager.fileExists(atPath: $0) }
            guard !files.isEmpty else {
                throw CodebookError(source: datasets, line: nil, message: "no study folder with a published.yaml", isUnreadable: true)
            }
            return files
        }
        return try studies.map { study throws(CodebookError) in
            if manager.fileExists(atPath: study, isDirectory: &isDirectory) {
                return isDirectory.boolValue ? study + "/published.yaml" : study
            }
            let named = datasets + "/" + study + "/published.yaml"
            guard manager.fileExists(atPath: named) else {
                throw CodebookError(source: study, line: nil, message: "no such study: not a file, a folder, or a folder under \(datasets) with a published.yaml", isUnreadable: true)
            }
            return named
        }
    }
}
