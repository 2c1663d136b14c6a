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
            TABLE and apply the disclosure rules given here (the caller cannot change them), and a role \
            (--role, default cohort_analyst) granted EXECUTE on them and nothing on the table. A \
            coordinator then fits through that role with \
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

    func validate() throws {
        do { _ = try PostgresURL(url) } catch { throw ValidationError("\(error)") }
        guard minimumRows >= 1 else { throw ValidationError("--site-min-rows must be at least 1") }
        guard parameterFraction > 0, parameterFraction <= 1 else { throw ValidationError("--site-parameter-fraction must be above 0 and at most 1") }
        if let suppressBelow, suppressBelow < 2 { throw ValidationError("--suppress-below must be at least 2") }
    }

    func run() throws {
        try ExitStatus.guarding("site install") {
            let password = getenv("COHORT_SITE_PASSWORD").map { String(cString: $0) }
            let rules = PushdownLogit.DisclosureRules(minimumRows: minimumRows, maximumParameterFraction: parameterFraction, suppressBelow: suppressBelow)
            try SiteFunctions.install(url: try PostgresURL(url), table: table, role: role, rules: rules, password: password)
            ExitStatus.printError("cohort site install: installed \(SiteFunctions.schema).\"\(table.split(separator: ".").last ?? "")_logit\" and _levels for role \(role); rules: at least \(minimumRows) rows, parameters at most \(parameterFraction) of them\(suppressBelow.map { ", cells of 1..\($0 - 1) refused" } ?? "")")
        }
    }
}
