import ArgumentParser
import CohortReport

extension TableFormat: ExpressibleByArgument {}

/// Where and how results are written.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format.")
    var format: TableFormat = .text

    @Option(help: ArgumentHelp("Write to this file (atomically: a temporary file renamed into place) instead of standard output.", valueName: "file"))
    var out: String?

    func emit(_ text: String) throws {
        if let out {
            try AtomicFile.write(text, to: out)
        } else {
            print(text, terminator: "")
        }
    }
}
