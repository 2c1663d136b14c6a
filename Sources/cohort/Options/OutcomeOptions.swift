import ArgumentParser

/// The binary outcome a command analyses, shared by logit, incidence and compare.
struct OutcomeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The binary outcome column: 0/1, true/false, yes/no, or two levels (then name the event with --event).", valueName: "column"))
    var outcome: String

    @Option(help: ArgumentHelp("The outcome value that counts as the event.", valueName: "level"))
    var event: String?
}
