import ArgumentParser
import CohortDatabase

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `cohort site`: the site side of a pooled fit (issue 17).
struct SiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Prepare a PostgreSQL database as a site of a pooled fit.",
        subcommands: [SiteInstall.self]
    )
}

struct SiteInstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install aggregate-only functions for a table and a role that may run them but not read the rows.",
        discussion: """
            Creates, in schema cohort_site, SECURITY DEFINER functions "TABLE_levels" and "TABLE_logit" that \
            return only a logistic model's aggregate sums (n, events, X'WX, X'(y - mu), deviance) over \
            TABLE, and "TABLE_counts", which returns how many rows hold each combination of at most four \
            columns' values (what describe of categories and incidence need), all applying the \
            disclosure rules given here (the caller cannot change them), and a role (--role, default \
            cohort_analyst) granted EXECUTE on them and nothing on the table. Counts always have a cell \
            floor: a request where any combination holds 1..K-1 rows is refused whole (K = \
            --cell-minimum, default --suppress-below's K, else 5). No function returns a measurement's \
            values, order statistics or sums. A coordinator then works through that role with \
            --site 'postgresql://ROLE@host/db?table=TABLE&functions=cohort_site'. The role's password, \
            if any, is read from the environment variable COHORT_SITE_PASSWORD. Run as a user that \
            owns the table (or may grant on it) and may create roles.

            Example:
              cohort site install 'postgresql://admin@localhost/registry' --table cohort --suppress-below 5
            """
    )

    @Argument(help: ArgumentHelp("The site database, postgresql://user@host:port/dbname, as a user that owns the table.", valueName: "url"))
    var url: String

    @Option(help: ArgumentHelp("The table (schema.name works).", valueName: "name"))
    var table: String

    @Option(help: ArgumentHelp("The role that may execute the functions (created with LOGIN if missing).", valueName: "name"))
    var role = "cohort_analyst"

    @Option(name: .customLong("site-min-rows"), help: ArgumentHelp("Refuse a model on fewer complete rows than this (default 10).", valueName: "n"))
    var minimumRows = 10

    @Option(name: .customLong("site-parameter-fraction"), help: ArgumentHelp("Refuse a model whose parameters exceed this fraction of the complete rows (default 0.33).", valueName: "f"))
    var parameterFraction = 0.33

    @Option(name: .customLong("suppress-below"), help: ArgumentHelp("Refuse a model when the events, non-events or any outcome x level cell holds 1..K-1 rows (default: no cell rule).", valueName: "K"))
    var suppressBelow: Int?

    @Option(name: .customLong("cell-minimum"), help: ArgumentHelp("Refuse a request for counts (describe, incidence) when any combination holds 1..K-1 rows (default: --suppress-below's K, else 5).", valueName: "K"))
    var cellMinimum: Int?

    /// The counts' cell floor the functions are installed with.
    var countsFloor: Int { cellMinimum ?? suppressBelow ?? SiteFunctions.defaultCellMinimum }

    func validate() throws {
        do { _ = try PostgresURL(url) } catch { throw ValidationError("\(error)") }
        guard minimumRows >= 1 else { throw ValidationError("--site-min-rows must be at least 1") }
        guard parameterFraction > 0, parameterFraction <= 1 else { throw ValidationError("--site-parameter-fraction must be above 0 and at most 1") }
        if let suppressBelow, suppressBelow < 2 { throw ValidationError("--suppress-below must be at least 2") }
        if let cellMinimum, cellMinimum < 2 { throw ValidationError("--cell-minimum must be at least 2") }
    }

    func run() throws {
        try ExitStatus.guarding("site install") {
            let password = getenv("COHORT_SITE_PASSWORD").map { String(cString: $0) }
            let rules = PushdownLogit.DisclosureRules(minimumRows: minimumRows, maximumParameterFraction: parameterFraction, suppressBelow: suppressBelow)
            try SiteFunctions.install(url: try PostgresURL(url), table: table, role: role, rules: rules, cellMinimum: countsFloor, password: password)
            ExitStatus.printError("cohort site install: installed \(SiteFunctions.schema).\"\(table.split(separator: ".").last ?? "")_logit\", _levels and _counts for role \(role); rules: at least \(minimumRows) rows, parameters at most \(parameterFraction) of them\(suppressBelow.map { ", model cells of 1..\($0 - 1) refused" } ?? ""), count cells of 1..\(countsFloor - 1) refused")
        }
    }
}
