import Foundation

/// `cohort-datasets [DIRECTORY]`: writes the shipped synthetic datasets' `cohort.csv` files,
/// `DIRECTORY/johnsrud2021/cohort.csv` and `DIRECTORY/nct02965092/cohort.csv` (DIRECTORY defaults to
/// `Datasets`, run from the package root). Deterministic: the same bytes every run.
let arguments = CommandLine.arguments.dropFirst()
if arguments.contains("-h") || arguments.contains("--help") || arguments.count > 1 {
    print("usage: cohort-datasets [DIRECTORY]   (default: Datasets; writes <DIRECTORY>/<study>/cohort.csv)")
    exit(arguments.count > 1 ? 64 : 0)
}
let directory = arguments.first ?? "Datasets"
let studies: [(name: String, csv: () -> String)] = [("johnsrud2021", Johnsrud2021.csv), ("nct02965092", NCT02965092.csv)]
for study in studies {
    let folder = URL(fileURLWithPath: directory).appendingPathComponent(study.name)
    let file = folder.appendingPathComponent("cohort.csv")
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(study.csv().utf8).write(to: file, options: .atomic)
        print("wrote \(file.path)")
    } catch {
        FileHandle.standardError.write(Data("cohort-datasets: cannot write \(file.path): \(error.localizedDescription)\n".utf8))
        exit(73)
    }
}
