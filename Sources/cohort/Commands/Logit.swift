import ArgumentParser
import CohortData
import CohortReport
import CohortStats

extension ConfidenceInterval.Method: ExpressibleByArgument {}
extension BootstrapInterval.Method: ExpressibleByArgument {}

struct Logit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Logistic regression by maximum likelihood or Firth's penalised likelihood.",
        discussion: """
            Complete-case analysis: rows missing the outcome or any covariate are dropped and counted. \
            Text covariates are treatment-coded against a reference level (the first level in sorted \
            order unless --factor says otherwise); their terms are named NAME[LEVEL]. Each coefficient \
            gets its Wald z test, a likelihood-ratio test of dropping it, and an odds ratio with a \
            profile-likelihood (default) or Wald confidence interval. Rank deficiency and separation \
            are reported by term.

            --bootstrap N adds a bootstrap confidence interval for each odds ratio: N resamples of the \
            patients (rows), each refitted by the same method; BCa (default) or percentile intervals, \
            computed as R's boot.ci computes them. A fixed --seed gives identical output on every run \
            and machine; resamples that cannot be fitted are excluded and counted in the table's notes.

            Examples:
              cohort logit cohort.csv --outcome bleeding --covariates plt_baseline,icans_high
              cohort logit cohort.csv --outcome bleeding --covariates "age,disease" --factor disease=LBCL --firth
              cohort logit cohort.csv --outcome status --event dead --covariates age --format json --out fit.json
              cohort logit cohort.csv --outcome bleeding --covariates plt,icans_high,age --firth --bootstrap 2000 --seed 7
              cohort logit cohort.csv --outcome bleeding --covariates plt_low,icans_high --firth --svg forest.svg

            --svg FILE also writes a forest plot of the odds ratios and their --ci intervals on a log \
            axis (terms labelled from the codebook; the model, n and events in the caption).
            """
    )

    @OptionGroup var input: InputOptions

    @OptionGroup var response: OutcomeOptions

    @Option(help: ArgumentHelp("Comma-separated covariate columns, as written in the header.", valueName: "columns"))
    var covariates: String?

    @Option(name: .customLong("covariate"), help: ArgumentHelp("One covariate column (repeatable; for names that contain commas).", valueName: "column"))
    var singleCovariates: [String] = []

    @Option(name: .customLong("factor"), help: ArgumentHelp("Reference level of a categorical covariate, as NAME=LEVEL (repeatable).", valueName: "name=level"))
    var factors: [String] = []

    @Flag(help: "Fit Firth's penalised likelihood (finite estimates under separation; logistf's method).")
    var firth = false

    @Option(help: "Confidence interval method.")
    var ci: ConfidenceInterval.Method = .profile

    @Option(help: ArgumentHelp("Confidence level, between 0 and 1.", valueName: "level"))
    var level: Double = 0.95

    @Flag(name: .customLong("no-lr"), help: "Skip the likelihood-ratio test of each coefficient (one refit each); report Wald tests only.")
    var skipLikelihoodRatio = false

    @Option(name: .customLong("max-iterations"), help: ArgumentHelp("Newton iterations at most, 1 to 10000 (default: 25 for maximum likelihood, 100 for Firth).", valueName: "n"))
    var maxIterationsGiven: NumberArgument?

    @Option(name: .customLong("bootstrap"), help: ArgumentHelp("Add bootstrap confidence intervals from this many resamples, 1 to 100000 (2000 or more for BCa).", valueName: "n"))
    var bootstrapGiven: NumberArgument?

    @Option(help: ArgumentHelp("Seed of the bootstrap resamples, a whole number 0 to 18446744073709551615 (default 1); the same seed gives the same intervals.", valueName: "s"))
    var seed: UInt64?

    @Option(name: .customLong("bootstrap-ci"), help: "Bootstrap interval method, with --bootstrap (default: bca).")
    var bootstrapMethodGiven: BootstrapInterval.Method?

    var bootstrapMethod: BootstrapInterval.Method { bootstrapMethodGiven ?? .bca }

    @Option(help: ArgumentHelp("Also write a forest plot of the odds ratios as SVG to this file (atomically).", valueName: "file"))
    var svg: String?

    @Flag(help: "Print the model diagnostics table (convergence and its criterion, separation, aliased terms, n, events, events per variable, log-likelihood, AIC) under the coefficient table; with --format json the diagnostics are in the JSON already.")
    var diagnostics = false

    @OptionGroup var output: OutputOptions

    /// Checked by `validate()`.
    var maxIterations: Int? { maxIterationsGiven.flatMap { InputRules.maxIterations.whole($0.value) } }
    var bootstrap: Int? { bootstrapGiven.flatMap { InputRules.bootstrapReplicates.whole($0.value) } }

    var covariateList: [String] {
        ColumnList.merge(covariates, singleCovariates)
    }

    func referenceLevels() throws -> [String: String] {
        var levels: [String: String] = [:]
        for factor in factors {
            guard let equals = factor.firstIndex(of: "="), equals != factor.startIndex else {
                throw ValidationError("--factor expects NAME=LEVEL, got '\(factor)'")
            }
            let name = String(factor[..<equals])
            // A second reference for the same column would silently replace the first.
            if let first = levels[name] { throw ValidationError("--factor names '\(name)' twice (\(name)=\(first) and \(factor)); give one reference level") }
            levels[name] = String(factor[factor.index(after: equals)...])
        }
        return levels
    }

    func validate() throws {
        try InputRules.confidenceLevel.check("--level", level)
        _ = try maxIterationsGiven.map { try $0.whole("--max-iterations", InputRules.maxIterations) }
        _ = try bootstrapGiven.map { try $0.whole("--bootstrap", InputRules.bootstrapReplicates) }
        if diagnostics, output.format == .csv { throw ValidationError("--diagnostics needs a format that holds two tables (text, md, latex, html); CSV holds one") }
        if bootstrapGiven == nil, seed != nil { throw ValidationError("--seed applies to --bootstrap; add --bootstrap N") }
        if bootstrapGiven == nil, bootstrapMethodGiven != nil { throw ValidationError("--bootstrap-ci applies to --bootstrap; add --bootstrap N") }
        // The model would ignore a reference level for a column it does not fit.
        for name in try referenceLevels().keys.sorted() where !covariateList.contains(name) {
            throw ValidationError("--factor \(name)=...: '\(name)' is not among the covariates (\(covariateList.joined(separator: ", "))); add it with --covariates or drop --factor")
        }
        try output.rejectStyleThatDoesNotApply("logit", prints: [.pValues])
    }

    func run() throws {
        try ExitStatus.guarding("logit") {
            let table = try input.load()
            let model = try LogisticModel(table: table, outcome: response.outcome, covariates: covariateList,
                                          referenceLevels: try referenceLevels(), eventLevel: response.event)
            try output.style.suppression.check(model)
            var options = FitOptions.defaults(for: firth ? .firth : .maximumLikelihood)
            if let maxIterations { options.maxIterations = maxIterations }
            let analysis = try LogisticAnalysis.run(model, options: options, intervals: ci, level: level,
                                                    likelihoodRatioTests: !skipLikelihoodRatio, source: table.source)
            if let svg {
                let figure = ForestPlot.svg(analysis, title: "Odds ratios for \(FigureLabels.short(table, column: response.outcome))",
                                            termLabels: FigureLabels.terms(table, names: analysis.fit.coefficientNames))
                try AtomicFile.write(figure, to: svg)
            }
            let resampled = try bootstrap.map { count in
                try analysis.fit.bootstrapIntervals(model, options: BootstrapOptions(replicates: count, seed: seed ?? 1), level: level,
                                                    progress: ProgressBar.onTerminal("bootstrap"))
            }
            let style = output.style
            let coefficients = CoefficientTable.make(analysis, bootstrap: resampled, bootstrapMethod: bootstrapMethod, style: style)
            // --diagnostics: the diagnostics table under the coefficient table (in JSON they are fields already).
            let tables = diagnostics ? [coefficients, ModelDiagnosticsTable.make(analysis.fit, style: style)] : [coefficients]
            let text = output.format == .json && !style.suppression.isActive
                ? LogisticJSON.render(analysis, bootstrap: resampled, bootstrapMethod: bootstrapMethod)
                : output.format.render(tables)
            try output.emit(text)
            let bootstrapWarnings = resampled.map { CoefficientTable.bootstrapWarnings($0, method: bootstrapMethod) } ?? []
            for warning in analysis.warnings + bootstrapWarnings where output.out != nil || output.format != .text {
                ExitStatus.printError("cohort logit: warning: \(warning)")
            }
        }
    }
}
