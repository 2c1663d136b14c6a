import CohortData
import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// Issue 16's model checking against R 4.2.2 on the five simulated cases of
/// `Tests/References/model_check_references.R` (committed in `Tests/Fixtures/model_check/`):
/// the C statistic, its DeLong SE and interval against `pROC` 1.18.0 (`direction = "<"`) and a
/// brute-force Mann-Whitney count; the Hosmer-Lemeshow test against hoslem.test's formula evaluated
/// in R (ResourceSelection is not installed); the calibration intercept against
/// `glm(y ~ 1, offset = eta)`, the slope against `glm(y ~ eta)` (both `epsilon = 1e-14`) and
/// `rms::val.prob` 6.5-0 (whose lrm.fit stops early: 5e-6 from the converged glm on `three_values`,
/// hence 1e-5 there), the Brier score
/// against `mean((p - y)^2)`.
///
/// Tolerances: 1e-10 relative given R's linear predictor (1e-12 absolute for values that are 0 up
/// to rounding, such as the apparent calibration intercept of a maximum-likelihood fit); 1e-8
/// relative through CohortKit's own fit of the same data (its estimates differ from R's in the
/// 10th digit or later).
final class ModelCheckReferenceTests: XCTestCase {
    struct Case {
        let name: String
        let object: [String: Any]
        let eta: [Double]
        let y: [Double]
        func number(_ key: String) -> Double { (object[key] as? NSNumber)?.doubleValue ?? .nan }
        func integer(_ key: String) -> Int { (object[key] as? NSNumber)?.intValue ?? -1 }
        func integers(_ key: String) -> [Int] { (object[key] as? [NSNumber])?.map(\.intValue) ?? [] }
    }

    static func cases() throws -> [Case] {
        let url = URL(fileURLWithPath: Fixtures.path("model_check/references.json"))
        let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return try XCTUnwrap(root["cases"] as? [[String: Any]]).map { object in
            Case(name: object["name"] as? String ?? "?", object: object,
                 eta: (object["eta"] as? [NSNumber] ?? []).map(\.doubleValue),
                 y: (object["y"] as? [NSNumber] ?? []).map(\.doubleValue))
        }
    }

    /// The largest relative difference seen over references larger than the absolute tolerance
    /// (the others are 0 up to rounding), printed by each test.
    var worst = (relative: 0.0, what: "")

    func close(_ actual: Double, _ expected: Double, relative: Double, absolute: Double, _ what: String,
               file: StaticString = #filePath, line: UInt = #line) {
        assertClose(actual, expected, relative: relative, absolute: absolute, what, file: file, line: line)
        let difference = abs(actual - expected) / max(abs(expected), 1e-300)
        if abs(expected) > absolute, difference > worst.relative { worst = (difference, what) }
    }

    /// Every measure of `check` against the case's reference values.
    func compare(_ check: LogisticModelCheck, _ c: Case, relative: Double, absolute: Double, _ how: String,
                 file: StaticString = #filePath, line: UInt = #line) throws {
        let what = "\(c.name) (\(how))"
        XCTAssertEqual(check.n, c.integer("n"), what, file: file, line: line)
        XCTAssertEqual(check.events, c.integer("events"), what, file: file, line: line)
        let concordance = try XCTUnwrap(check.concordance, what, file: file, line: line)
        close(concordance.estimate, c.number("auc"), relative: relative, absolute: absolute, "\(what): C", file: file, line: line)
        close(concordance.estimate, c.number("auc_bruteforce"), relative: relative, absolute: absolute, "\(what): C by brute force", file: file, line: line)
        close(concordance.standardError, c.number("auc_se"), relative: relative, absolute: absolute, "\(what): DeLong SE", file: file, line: line)
        close(concordance.lower, c.number("auc_lower"), relative: relative, absolute: absolute, "\(what): lower", file: file, line: line)
        close(concordance.upper, c.number("auc_upper"), relative: relative, absolute: absolute, "\(what): upper", file: file, line: line)
        let hl = check.hosmerLemeshow
        XCTAssertEqual(hl.requestedGroups, c.integer("groups_requested"), what, file: file, line: line)
        XCTAssertEqual(hl.groupCount, c.integer("hl_groups"), "\(what): groups formed", file: file, line: line)
        XCTAssertEqual(hl.df, c.integer("hl_df"), "\(what): df", file: file, line: line)
        XCTAssertEqual(hl.sizes, c.integers("hl_sizes"), "\(what): group sizes", file: file, line: line)
        XCTAssertEqual(hl.observed, c.integers("hl_observed"), "\(what): observed events by group", file: file, line: line)
        close(hl.statistic, c.number("hl_statistic"), relative: relative, absolute: absolute, "\(what): HL statistic", file: file, line: line)
        close(hl.p, c.number("hl_p"), relative: relative, absolute: absolute, "\(what): HL P", file: file, line: line)
        let calibration = check.calibration
        close(calibration.intercept, c.number("calibration_intercept"), relative: relative, absolute: absolute, "\(what): calibration intercept", file: file, line: line)
        close(calibration.slope, c.number("calibration_slope"), relative: relative, absolute: absolute, "\(what): calibration slope", file: file, line: line)
        close(calibration.recalibrationIntercept, c.number("recalibration_intercept"), relative: relative, absolute: absolute, "\(what): intercept of the slope model", file: file, line: line)
        close(calibration.brier, c.number("brier"), relative: relative, absolute: absolute, "\(what): Brier", file: file, line: line)
        // rms::val.prob: the same slope, Brier and C; its "Intercept" is the slope model's (lrm.fit's tolerance).
        assertClose(calibration.slope, c.number("valprob_slope"), relative: 1e-5, absolute: 1e-5, "\(what): val.prob Slope", file: file, line: line)
        assertClose(calibration.recalibrationIntercept, c.number("valprob_intercept"), relative: 1e-5, absolute: 1e-5, "\(what): val.prob Intercept", file: file, line: line)
        assertClose(calibration.brier, c.number("valprob_brier"), relative: relative, "\(what): val.prob Brier", file: file, line: line)
        assertClose(concordance.estimate, c.number("valprob_c"), relative: relative, "\(what): val.prob C (ROC)", file: file, line: line)
    }

    func testMeasuresFromRsLinearPredictorMatchR() throws {
        let cases = try Self.cases()
        XCTAssertEqual(cases.count, 5)
        for c in cases {
            let check = LogisticModelCheck(linearPredictor: c.eta, outcome: c.y, level: c.number("level"), groups: c.integer("groups_requested"))
            try compare(check, c, relative: 1e-10, absolute: 1e-12, "R's linear predictor")
        }
        print("worst relative difference from R, given R's linear predictor: \(worst.relative) (\(worst.what))")
    }

    func testMeasuresThroughOurFitMatchR() throws {
        var fitted = 0
        for c in try Self.cases() {
            guard let data = c.object["data"] as? String else { continue }
            let table = try CSVReader.read(path: Fixtures.path("model_check/" + data))
            let covariates = (c.object["covariates"] as? [String]) ?? []
            let model = try LogisticModel(table: table, outcome: "y", covariates: covariates)
            let analysis = try LogisticAnalysis.run(model, options: .maximumLikelihood, intervals: .wald, likelihoodRatioTests: false)
            let check = try XCTUnwrap(analysis.check, "a model without case weights is checked")
            try compare(check, c, relative: 1e-8, absolute: 1e-10, "CohortKit's fit")
            // Apparent calibration of a maximum-likelihood fit: a = 0 and b = 1 by the score equations.
            assertClose(check.calibration.intercept, 0, relative: 0, absolute: 1e-10, "\(c.name): apparent intercept")
            assertClose(check.calibration.slope, 1, relative: 1e-10, "\(c.name): apparent slope")
            fitted += 1
        }
        XCTAssertEqual(fitted, 2)
        print("worst relative difference from R, through CohortKit's fit: \(worst.relative) (\(worst.what))")
    }

    func testTiedCutPointsCollapseTheGroupsAndKeepDF() throws {
        let c = try XCTUnwrap(Self.cases().first { $0.name == "fitted_categorical" })
        let check = LogisticModelCheck(linearPredictor: c.eta, outcome: c.y)
        XCTAssertEqual(check.hosmerLemeshow.groupCount, 5)
        XCTAssertTrue(check.hosmerLemeshow.groupsCollapsed)
        XCTAssertEqual(check.hosmerLemeshow.df, 8, "hoslem.test keeps df = g - 2")
    }

    func testUpperLimitIsCappedAtOneAsPROC() throws {
        let c = try XCTUnwrap(Self.cases().first { $0.name == "small_capped" })
        let concordance = try XCTUnwrap(ConcordanceStatistic(risk: c.eta, outcome: c.y))
        XCTAssertEqual(concordance.upper, 1)
        XCTAssertTrue(concordance.isTruncated)
        XCTAssertGreaterThan(concordance.estimate + 1.959963984540054 * concordance.standardError, 1)
    }
}
