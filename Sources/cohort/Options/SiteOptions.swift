import ArgumentParser
import CohortDatabase
import CohortStudy

/// Where an analysis that runs inside PostgreSQL (issue 17) reads: repeated `--site URL` (no
/// DATA), or a PostgreSQL DATA URL unless `--pull` reads its rows here; and the site minimum.
/// Shared by `logit`, `describe` and `incidence`.
struct SiteOptions: ParsableArguments {
    @Option(name: .customLong("site"), help: ArgumentHelp("A site's PostgreSQL table, postgresql://user@host:port/db?table=NAME (repeatable, with no DATA): one analysis pooled over the sites from their aggregates; no row leaves a site.", valueName: "url"))
    var sites: [String] = []

    @Flag(help: "With a PostgreSQL DATA URL: read the rows and compute here (every option works), instead of inside the database.")
    var pull = false

    @Option(name: .customLong("site-min-rows"), help: ArgumentHelp("Disclosure control in the database: refuse a site with fewer complete rows than this (default 10).", valueName: "n"))
    var minimumRowsGiven: Int?

    /// The rule's value, the default where not given (optional above, so that a rule given to an
    /// analysis that runs here, where it has no meaning, is refused rather than passed over).
    var minimumRows: Int { minimumRowsGiven ?? 10 }

    /// Whether the analysis runs inside PostgreSQL: --site, or a database URL without --pull.
    func runsInDatabase(_ input: InputOptions) throws -> Bool {
        if !sites.isEmpty { return true }
        return try input.databaseURL != nil && !pull
    }

    /// The URLs to compute at: the sites, or DATA.
    func urls(_ input: InputOptions) throws -> [PostgresURL] {
        try sites.isEmpty ? [try PostgresURL(try input.dataPath)] : sites.map { try PostgresURL($0) }
    }

    /// The checks every command inside the database shares: DATA or --site, --pull with a URL, the sites' URLs.
    func validate(_ input: InputOptions) throws {
        if !sites.isEmpty, input.data != nil {
            throw ValidationError("give either DATA or --site URLs: with --site the rows stay at the sites and no DATA is read")
        }
        if sites.isEmpty, input.data == nil { _ = try input.dataPath }
        if pull, try input.databaseURL == nil { throw ValidationError("--pull applies to a PostgreSQL DATA URL only") }
        for site in sites {
            do { _ = try PostgresURL(site) } catch { throw ValidationError("--site: \(error)") }
        }
        guard minimumRows >= 1 else { throw ValidationError("--site-min-rows must be at least 1") }
    }
}

extension SiteOptions {
    /// The checks of a describe or incidence inside the database: what needs the rows is refused.
    func validatePushdown(_ command: String, input: InputOptions) throws {
        try validate(input)
        guard try runsInDatabase(input) else {
            if minimumRowsGiven != nil { throw ValidationError("--site-min-rows is a disclosure rule of the sites (--site); \(command) here reads the rows") }
            return
        }
        if input.rowFilter != nil {
            throw ValidationError("\(command) inside the database (--site, or a PostgreSQL DATA without --pull) does not apply --where: give the condition as --sql, or read the rows with --pull")
        }
        if sites.isEmpty, minimumRowsGiven != nil {
            throw ValidationError("--site-min-rows is a disclosure rule of the sites (--site); a PostgreSQL DATA URL is read as one table, its output protected by --suppress-below as a file's")
        }
    }

    /// Runs `compute` on the counts and sums of the database(s) and writes its result as the
    /// command does from rows; the bytes received go to standard error. The disclosure rules apply
    /// at `--site` sites (one DATA URL is protected by `--suppress-below`, as a file is).
    func runPushdown(_ command: String, input: InputOptions, output: OutputOptions, _ compute: (PushdownCounts) throws -> AnalysisResult) throws {
        try ExitStatus.guarding(command) {
            let urls = try urls(input)
            let rules = sites.isEmpty ? nil : PushdownLogit.DisclosureRules(minimumRows: minimumRows, suppressBelow: output.suppressBelow)
            let counts = try PushdownCounts(sites: urls, sql: input.sql, codebook: try input.readCodebook(), options: try input.csvOptions(), rules: rules)
            let result: AnalysisResult
            do {
                result = try compute(counts)
            } catch let error as RequestError {
                throw ValidationError(error.commandLineText)
            }
            try output.emit(result.rendered(output.format))
            for warning in result.warnings where output.out != nil || output.format != .text {
                ExitStatus.printError("cohort \(command): warning: \(warning)")
            }
            let sites = counts.siteCount == 1 ? "1 site" : "\(counts.siteCount) sites"
            ExitStatus.printError("cohort \(command): note: computed in PostgreSQL: received \(counts.bytesReceived) bytes from \(sites) in \(counts.queries) queries (no rows)")
        }
    }
}
