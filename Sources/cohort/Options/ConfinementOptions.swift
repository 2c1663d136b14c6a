import ArgumentParser
import CohortReport

/// `--allow-path DIR`: folders besides its own that a study file or a published-figure list may
/// name in `data:`, `codebook:` or `published:` (see `FolderConfinement`).
struct ConfinementOptions: ParsableArguments {
    @Option(name: .customLong("allow-path"), parsing: .singleValue, help: ArgumentHelp(
        "A folder outside the study file's own that its data, codebook and published paths may name (repeatable). Default: only the study file's folder.",
        valueName: "dir"))
    var allowPath: [String] = []

    var confinement: FolderConfinement { FolderConfinement(allowing: allowPath) }
}
