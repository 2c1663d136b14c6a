import ArgumentParser
import CohortData

/// `--threads N`: how many threads parallel passes use (reading a large file, fitting on many rows,
/// bootstrap replicates). Only the time depends on it: every sum that reaches an output is split into
/// pieces that do not depend on the thread count and added in a fixed order, so the output is the
/// same bytes with 1 thread or 64 (checked by `ThreadCountTests`).
struct ThreadOptions: ParsableArguments {
    static let range = 1...1024

    @Option(help: ArgumentHelp("Threads to use (1-1024). Default: one per processor. Results are identical whatever the number.", valueName: "n"))
    var threads: Int?

    /// Checks the range and sets ``Parallel/workerLimit`` once, before the command runs: the
    /// argument parser validates every option group before `run()`, and this is the one setting that
    /// the whole process shares.
    func validate() throws {
        guard let threads else { return }
        guard Self.range.contains(threads) else {
            throw ValidationError("--threads must be between \(Self.range.lowerBound) and \(Self.range.upperBound), got \(threads)")
        }
        Parallel.workerLimit = threads
    }
}
