/// Tests of whole terms of a Cox model of more than one column (a spline's, a factor's or an
/// interaction of factors' columns together; a one-column term's test is its coefficient's), in
/// `drop1`'s scope: no term contained in a higher-order term of the model.
///
/// - Without clusters: the likelihood-ratio test, 2[ℓ(full) − ℓ(model without the term's columns)],
///   df the number of the term's estimated columns (R: `drop1(coxph(...), test = "Chisq")`); the
///   reduced model is refitted with the same ties, strata and options. Removing the only term
///   compares with the null model (the model's own LR test).
/// - With clusters: the partial likelihood is not the variance's, so the test is the robust Wald
///   test bᵀ V_R⁻¹ b of the term's coefficients (V_R the robust covariance block), as
///   `rms::anova` tests terms and `coxph`'s robust global test is formed.
extension CoxFit {
    public func termTests(_ model: CoxModel) -> [LikelihoodRatioTest] {
        let p = coefficients.count
        return terms.filter { !$0.isMarginal(in: terms) }.compactMap { term -> LikelihoodRatioTest? in
            let columns = term.columns.filter { !aliased[$0] }
            guard term.columns.count > 1, !columns.isEmpty else { return nil }
            if let robust = robustCovariance {
                let k = columns.count
                guard let chiSquare = RegressionTermTests.waldChiSquare(columns: columns, coefficients: coefficients, covariance: robust, p: p) else {
                    return LikelihoodRatioTest(name: term.name, chiSquare: .nan, df: k, p: .nan, converged: false,
                                               comparison: "robust Wald test of \(term.name) = 0: its robust covariance is singular", restrictedColumns: [])
                }
                return LikelihoodRatioTest(name: term.name, chiSquare: chiSquare, df: k, p: ChiSquare.survival(chiSquare, df: Double(k)), converged: true,
                                           comparison: "robust Wald test of all \(term.name) coefficients = 0 (clustered variance)", restrictedColumns: [])
            }
            let kept = (0..<p).filter { !term.columns.contains($0) }
            let keptNames = kept.map { coefficientNames[$0] }
            if kept.filter({ !aliased[$0] }).isEmpty {
                return LikelihoodRatioTest(name: term.name, chiSquare: likelihoodRatioTest.chiSquare, df: likelihoodRatioTest.df, p: likelihoodRatioTest.p,
                                           converged: true, comparison: "null model vs full model", restrictedColumns: [])
            }
            let comparison = "model without \(term.name) vs full model"
            guard let reducedModel = try? CoxModel(times: model.times, events: model.events,
                                                   design: model.design.removing(columns: term.columns),
                                                   strata: model.strata, weights: model.weights, offset: model.offset),
                  let reduced = try? CohortStats.fit(reducedModel, options: options), reduced.convergence.isConverged
            else {
                return LikelihoodRatioTest(name: term.name, chiSquare: .nan, df: columns.count, p: .nan, converged: false,
                                           comparison: comparison, restrictedColumns: keptNames)
            }
            let df = degreesOfFreedom - reduced.degreesOfFreedom
            let chiSquare = max(0, 2 * (logLikelihood - reduced.logLikelihood))
            return LikelihoodRatioTest(name: term.name, chiSquare: chiSquare, df: df, p: ChiSquare.survival(chiSquare, df: Double(df)),
                                       converged: true, comparison: comparison, restrictedColumns: keptNames)
        }
    }
}
