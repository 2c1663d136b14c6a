import ArgumentParser

/// A model's binary outcome: given here, or as the left side of `--formula`.
struct ModelOutcomeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The binary outcome column: 0/1, true/false, yes/no, or two levels (then name the event with --event); or write it before '~' in --formula.", valueName: "column"))
    var outcome: String?

    @Option(help: ArgumentHelp("The outcome value that counts as the event.", valueName: "level"))
    var event: String?
}
