import Foundation

/// `cohort-datasets [DIRECTORY]`: writes the shipped synthetic datasets' data files,
/// `DIRECTORY/<study>/cohort.csv` (one row a patient) and `DIRECTORY/<study>/labs.csv` (one row a
/// laboratory draw) for johnsrud2021 and nct02965092, and `DIRECTORY/multicentre/cohort.csv`
/// (DIRECTORY defaults to `Datasets`, run from the package root). Deterministic: the same bytes every run.
let arguments = CommandLine.arguments.dropFirst()
if arguments.contains("-h") || arguments.contains("--help") || arguments.count > 1 {
    print("usage: cohort-datasets [DIRECTORY]   (default: Datasets; writes <DIRECTORY>/<study>/cohort.csv and labs.csv)")
    exit(arguments.count > 1 ? 64 : 0)
}
let directory = arguments.first ?? "Datasets"
let studies: [(name: String, files: () -> [(name: String, text: String)])] = [
    ("johnsrud2021", Johnsrud2021.files), ("nct02965092", NCT02965092.files), ("multicentre", Multicentre.files),
]
for study in studies {
    let folder = URL(fileURLWithPath: directory).appendingPathComponent(study.name)
    for output in study.files() {
        let file = folder.appendingPathComponent(output.name)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(output.text.utf8).write(to: file, options: .atomic)
            print("wrote \(file.path)")
        } catch {
            FileHandle.standardError.write(Data("cohort-datasets: cannot write \(file.path): \(error.localizedDescription)\n".utf8))
            exit(73)
        }
    }
}
