import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
struct Cohort: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohort",
        abstract: "Retrospective clinical cohort analysis: load, validate, model and report.",
        discussion: """
            Every command reads a CSV file (or standard input, given as -), states the method behind each \
            number, the n used and the n dropped for missing values, and exits non-zero with a one-line \
            message naming the file, line and column when the input is wrong.

            Exit codes: 0 success; 64 usage error; 65 bad input data; 66 input file unreadable; \
            69 model cannot be fitted; 73 output cannot be written.
            """,
        version: CohortVersion.current,
        subcommands: [Validate.self, CodebookCommand.self, DescribeCommand.self, IncidenceCommand.self, RatesCommand.self, EventTypesCommand.self, CompareCommand.self,
                      CorrelateCommand.self, CoxCommand.self, CumincCommand.self, DeriveCommand.self, FineGrayCommand.self, KmCommand.self, LabsCommand.self, LinearCommand.self, Logit.self, LogbinomialCommand.self, MetaCommand.self, PlotCommand.self, PoissonCommand.self, ReproduceCommand.self,
                      ReportCommand.self, SiteCommand.self]
    )

    /// A reader that closes the pipe early (`cohort ... | head`) must not kill the process silently
    /// by SIGPIPE: with the signal ignored, the write fails with EPIPE and the command says so and
    /// exits 73, as every other write failure does.
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        main(nil)
    }
}

enum CohortVersion {
    static let current = "0.1.0"
}
