import ArgumentParser
import CohortData
import CohortDatabase
import CohortReport
import CohortStats

/// `cohort logit`'s PostgreSQL options (issue 17): fitting inside the database, over one or several sites.
struct LogitDatabaseOptions: ParsableArguments {
    @OptionGroup var site: SiteOptions

    @Option(name: .customLong("site-parameter-fraction"), help: ArgumentHelp("Disclosure control in the database: refuse a model whose parameters exceed this fraction of a site's complete rows (default 0.33, DataSHIELD's nfilter.glm).", valueName: "f"))
    var parameterFractionGiven: Double?

    var sites: [String] { site.sites }
    var pull: Bool { site.pull }
    var minimumRowsGiven: Int? { site.minimumRowsGiven }
    var minimumRows: Int { site.minimumRows }
    var parameterFraction: Double { parameterFractionGiven ?? 0.33 }
}

extension Logit {
    /// Whether the fit runs inside PostgreSQL: --site, or a database URL without --pull.
    var runsInDatabase: Bool {
        get throws { try database.site.runsInDatabase(input) }
    }

    func validateInDatabase() throws {
        try database.site.validate(input)
        guard database.parameterFraction > 0, database.parameterFraction <= 1 else { throw ValidationError("--site-parameter-fraction must be above 0 and at most 1") }
        guard try runsInDatabase else {
            if database.minimumRowsGiven != nil || database.parameterFractionGiven != nil {
                throw ValidationError("--site-min-rows and --site-parameter-fraction are disclosure rules of a fit inside the database (--site, or a PostgreSQL DATA without --pull); this fit reads the rows here")
            }
            return
        }
        // What the database computes: the ML fit, its Wald statistics, and (refits by the same
        // aggregate queries) likelihood-ratio tests and profile intervals. Everything else needs rows.
        let given: [(Bool, String)] = [
            (firth, "--firth"), (model.formula != nil, "--formula"), (bootstrapGiven != nil, "--bootstrap"), (weights != nil, "--weights"),
            (offset != nil, "--offset"), (standardize != nil, "--standardize"), (predict != nil, "--predict"), (!at.isEmpty, "--at"),
            (svg != nil, "--svg"), (roc != nil, "--roc"), (calibration != nil, "--calibration"), (diagnostics, "--diagnostics"),
            (univariable, "--univariable"), (checks.validateGiven != nil, "--validate"), (checks.influence || checks.influenceOut != nil, "--influence"),
            (input.rowFilter != nil, "--where"), (hosmerLemeshowGroupsGiven != nil, "--hosmer-lemeshow-groups"),
            (by != nil, "--by"),
        ]
        let refused = given.filter(\.0).map(\.1)
        if !refused.isEmpty {
            throw ValidationError("logit in the database (--site, or a PostgreSQL DATA without --pull) fits by maximum likelihood from aggregate sums (Wald, likelihood-ratio tests and profile intervals, cluster-robust SEs): leave out \(refused.joined(separator: ", "))")
        }
    }

    func runInDatabase() throws {
        try ExitStatus.guarding("logit") {
            let urls = try database.site.urls(input)
            let spec = PushdownLogit.Specification(
                outcome: response.outcome ?? "", event: response.event, covariates: model.columns,
                referenceLevels: try model.referenceLevels().dictionary,
                maxIterations: try maxIterationsGiven.map { try $0.whole("--max-iterations", InputRules.maxIterations) } ?? 25,
                likelihoodRatioTests: lr && cluster == nil, profileIntervals: ci == .profile, level: level, cluster: cluster)
            let rules = PushdownLogit.DisclosureRules(minimumRows: database.minimumRows, maximumParameterFraction: database.parameterFraction,
                                                      suppressBelow: output.suppressBelow)
            let result = try PushdownLogit(spec, rules: rules, codebook: try input.readCodebook()).fit(sites: urls, sql: input.sql)
            let report = PooledLogisticTable(
                outcome: spec.outcome, event: spec.event ?? "1", terms: result.terms, fit: result.fit, inference: result.inference,
                parts: result.sites.map { .init(label: $0.label, rows: $0.rows, events: $0.events, dropped: $0.dropped) },
                covariates: result.covariates, referenceLevels: result.referenceLevels, level: level,
                engine: urls.count == 1 ? "PostgreSQL" : "PostgreSQL, \(urls.count) sites", suppressBelow: output.suppressBelow,
                cluster: result.cluster)
            let text = output.format == .json ? report.json() : output.format.render(report.table(style: output.style))
            try output.emit(text)
            ExitStatus.printError("cohort logit: note: received \(result.bytesReceived) bytes from \(urls.count) site\(urls.count == 1 ? "" : "s") in \(result.queries) queries (\(result.bytesPerIteration) bytes a site per iteration)\(PushdownLogit.patternNote(result.patterns))")
        }
    }
}
