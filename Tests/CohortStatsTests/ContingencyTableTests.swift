import CohortStats
import CohortTestSupport
import Foundation
import XCTest

/// One case of Tests/Fixtures/contingency/references.json (Tests/References/contingency_references.R).
struct ContingencyReference: Decodable {
    struct ChiSquare: Decodable {
        let statistic: Double
        let df: Double
        let p: Double
        let method: String
        let expected: [[Double]]
        let warnings: [String]
    }

    let name: String
    let counts: [[Int]]
    let fisherMethod: String
    let fisherP: Double
    let fisherLessP: Double?
    let fisherGreaterP: Double?
    /// R's fisher.test estimate and limits (uniroot at its default tolerance, about 1e-4).
    let fisherEstimate: Double?
    let fisherLower: Double?
    let fisherUpper: Double?
    let fisherLessUpper: Double?
    let fisherGreaterLower: Double?
    /// The same quantities solved to 1e-13 from their defining equations (in R, with dhyper).
    let exactEstimate: Double?
    let exactLower: Double?
    let exactUpper: Double?
    let exactLessUpper: Double?
    let exactGreaterLower: Double?
    let chisqNaN: Bool
    let chisqCorrected: ChiSquare?
    let chisqUncorrected: ChiSquare?

    static func loadAll() throws -> [ContingencyReference] {
        struct File: Decodable { let cases: [ContingencyReference] }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let url = URL(fileURLWithPath: Fixtures.path("contingency/references.json"))
        return try decoder.decode(File.self, from: Data(contentsOf: url)).cases
    }
}

/// Fisher's exact test and Pearson's chi-square against R 4.2.2 `fisher.test` / `chisq.test`.
///
/// Tolerances (relative): P values 1e-9 (2 x 2: both sides sum the same hypergeometric terms) and
/// 1e-10 (r x c: both use the network algorithm); chi-square statistic and P 1e-10, expected
/// counts 1e-12; odds ratio and limits 1e-8 against the exact roots of their defining equations,
/// and 2.5e-4 absolute in ψ (ψ <= 1) or 1/ψ (ψ > 1) against R's own `fisher.test` output, which
/// `uniroot` solves only to its default tolerance 1.22e-4 on that scale.
final class ContingencyReferenceTests: XCTestCase {
    func testFisherAgainstR() throws {
        let references = try ContingencyReference.loadAll()
        XCTAssertEqual(references.count, 21)
        var rxcChecked = 0
        defer { XCTAssertEqual(rxcChecked, 11, "r x c cases checked") }
        for r in references {
            let table = try ContingencyTable(r.counts)
            let twoSided = try table.fisherExactTest()
            XCTAssertEqual(twoSided.method, r.fisherMethod, r.name)
            XCTAssertNil(twoSided.statistic, r.name)
            XCTAssertFalse(twoSided.pValue.isNaN, r.name)
            assertClose(twoSided.pValue, r.fisherP, relative: table.isTwoByTwo ? 1e-9 : 1e-10, "\(r.name) Fisher two-sided P")
            guard table.isTwoByTwo else {
                XCTAssertNil(twoSided.estimate, r.name)
                rxcChecked += 1
                continue
            }
            let less = try table.fisherExactTest(alternative: .less)
            let greater = try table.fisherExactTest(alternative: .greater)
            assertClose(less.pValue, try XCTUnwrap(r.fisherLessP), relative: 1e-9, "\(r.name) Fisher less P")
            assertClose(greater.pValue, try XCTUnwrap(r.fisherGreaterP), relative: 1e-9, "\(r.name) Fisher greater P")

            let estimate = try XCTUnwrap(twoSided.estimate), interval = try XCTUnwrap(twoSided.confidenceInterval)
            XCTAssertEqual(interval.level, 0.95)
            let exact: [(Double, Double?, Double?, String)] = [
                (estimate, r.exactEstimate, r.fisherEstimate, "conditional MLE"),
                (interval.lower, r.exactLower, r.fisherLower, "lower 95% limit"),
                (interval.upper, r.exactUpper, r.fisherUpper, "upper 95% limit"),
                (try XCTUnwrap(less.confidenceInterval).upper, r.exactLessUpper, r.fisherLessUpper, "less: upper 95% limit"),
                (try XCTUnwrap(greater.confidenceInterval).lower, r.exactGreaterLower, r.fisherGreaterLower, "greater: lower 95% limit"),
            ]
            for (actual, exactValue, rValue, what) in exact {
                assertClose(actual, try XCTUnwrap(exactValue), relative: 1e-8, "\(r.name) \(what) vs exact root")
                assertMatchesUniroot(actual, try XCTUnwrap(rValue), "\(r.name) \(what) vs R fisher.test")
            }
            XCTAssertEqual(try XCTUnwrap(less.confidenceInterval).lower, 0, r.name)
            XCTAssertEqual(try XCTUnwrap(greater.confidenceInterval).upper, .infinity, r.name)
        }
    }

    func testChiSquareAgainstR() throws {
        for r in try ContingencyReference.loadAll() {
            let table = try ContingencyTable(r.counts)
            if r.chisqNaN {
                // R returns X-squared = NaN; here a clear error instead.
                for correct in [true, false] {
                    XCTAssertThrowsError(try table.chiSquareTest(correct: correct), r.name) { error in
                        guard case .emptyMargin = error as? ContingencyError else { return XCTFail("\(r.name): \(error)") }
                        XCTAssertTrue("\(error)".contains("R returns NaN"), r.name)
                    }
                }
                continue
            }
            for (correct, expected) in [(true, r.chisqCorrected), (false, r.chisqUncorrected)] {
                let reference = try XCTUnwrap(expected, r.name)
                let result = try table.chiSquareTest(correct: correct)
                let what = "\(r.name) correct=\(correct)"
                assertClose(try XCTUnwrap(result.statistic), reference.statistic, relative: 1e-10, absolute: 1e-13, "\(what) X-squared")
                assertClose(result.pValue, reference.p, relative: 1e-10, "\(what) P")
                XCTAssertEqual(result.df, reference.df, what)
                XCTAssertEqual(result.method, reference.method, what)
                XCTAssertEqual(result.warnings, reference.warnings, what)
                let actualExpected = try XCTUnwrap(result.expected)
                XCTAssertEqual(actualExpected.count, reference.expected.count, what)
                for (a, e) in zip(actualExpected.joined(), reference.expected.joined()) {
                    assertClose(a, e, relative: 1e-12, "\(what) expected count")
                }
            }
        }
    }

    /// R's fisher.test solves for ψ on (0, 1) and for 1/ψ on (eps, 1) with uniroot's default
    /// tolerance 1.22e-4 (absolute in the variable solved for): compare on that scale, at 2.5e-4.
    func assertMatchesUniroot(_ actual: Double, _ rValue: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        if !rValue.isFinite || rValue == 0 { return XCTAssertEqual(actual, rValue, what, file: file, line: line) }
        if rValue <= 1 {
            assertClose(actual, rValue, relative: 0, absolute: 2.5e-4, what + " (psi)", file: file, line: line)
        } else {
            assertClose(1 / actual, 1 / rValue, relative: 0, absolute: 2.5e-4, what + " (1/psi)", file: file, line: line)
        }
    }

    /// The references discriminate: the values a wrong implementation would most likely return
    /// (the other alternative, the other correction) are outside the tolerances used above.
    func testReferencesDiscriminate() throws {
        let r = try XCTUnwrap(ContingencyReference.loadAll().first { $0.name == "johnsrud_8of40_vs_4of87" })
        let corrected = try XCTUnwrap(r.chisqCorrected), uncorrected = try XCTUnwrap(r.chisqUncorrected)
        XCTAssertGreaterThan(abs(corrected.p - uncorrected.p) / uncorrected.p, 1e-3)
        XCTAssertGreaterThan(abs(r.fisherP - corrected.p) / corrected.p, 1e-3)
        XCTAssertGreaterThan(abs(try XCTUnwrap(r.fisherLessP) - r.fisherP) / r.fisherP, 1e-3)
        let exactUpper = try XCTUnwrap(r.exactUpper), rUpper = try XCTUnwrap(r.fisherUpper)
        XCTAssertGreaterThan(abs(exactUpper - rUpper) / exactUpper, 1e-5,
                             "R's uniroot limit differs from the exact root: that is why both are stored")
    }
}

/// Validation, limits and identities of the contingency-table tests that need no reference values.
final class ContingencyTableTests: XCTestCase {
    func testValidation() {
        XCTAssertThrowsError(try ContingencyTable([[1, 2]])) { XCTAssertEqual($0 as? ContingencyError, .tooSmall(rows: 1, columns: 2)) }
        XCTAssertThrowsError(try ContingencyTable([[1], [2]])) { XCTAssertEqual($0 as? ContingencyError, .tooSmall(rows: 2, columns: 1)) }
        XCTAssertThrowsError(try ContingencyTable([[1, 2], [3]])) { XCTAssertEqual($0 as? ContingencyError, .notRectangular(row: 1, length: 1, expected: 2)) }
        XCTAssertThrowsError(try ContingencyTable([[1, -2], [3, 4]])) { XCTAssertEqual($0 as? ContingencyError, .negativeCount(row: 0, column: 1, value: -2)) }
        XCTAssertThrowsError(try ContingencyTable([[0, 0], [0, 0]])) { XCTAssertEqual($0 as? ContingencyError, .emptyTable) }
        XCTAssertThrowsError(try ContingencyTable(events1: 5, of: 4, events2: 1, of: 3))
    }

    func testGroupsInitialiser() throws {
        let table = try ContingencyTable(events1: 8, of: 40, events2: 4, of: 87)
        XCTAssertEqual(table.counts, [[8, 32], [4, 83]])
        XCTAssertEqual(table.rowTotals, [40, 87])
        XCTAssertEqual(table.columnTotals, [12, 115])
        XCTAssertEqual(table.total, 127)
    }

    func testOneSidedNeedsTwoByTwo() throws {
        let table = try ContingencyTable([[3, 1, 4], [1, 5, 9]])
        XCTAssertThrowsError(try table.fisherExactTest(alternative: .less)) {
            XCTAssertEqual($0 as? ContingencyError, .oneSidedNeedsTwoByTwo(rows: 2, columns: 3))
        }
        XCTAssertThrowsError(try table.fisherExactTest(confidenceLevel: 1)) {
            XCTAssertEqual($0 as? ContingencyError, .invalidConfidenceLevel(1))
        }
    }

    /// Above the work limit the network algorithm stops with a message pointing to the chi-square test.
    func testTableLimit() throws {
        let table = try ContingencyTable([[2, 0, 3], [1, 4, 1], [3, 1, 0]])
        let full = try table.fisherExactTest()
        XCTAssertTrue(full.methodDetails.contains("network algorithm"), full.methodDetails)
        XCTAssertThrowsError(try table.fisherExactTest(tableLimit: 10)) { error in
            XCTAssertEqual(error as? ContingencyError, .tooManyTables(limit: 10))
            XCTAssertTrue("\(error)".contains("chi-square"))
        }
    }

    /// Transposing the table or permuting rows and columns leaves the r x c P unchanged, and the
    /// P of all tables (every table counted) is 1: the network counts each table once.
    func testEnumerationIdentities() throws {
        let counts = [[1, 2, 0, 3], [2, 0, 4, 1], [0, 3, 2, 2]]
        let p = try ContingencyTable(counts).fisherExactTest().pValue
        let transposed = (0..<4).map { j in counts.map { $0[j] } }
        assertClose(try ContingencyTable(transposed).fisherExactTest().pValue, p, relative: 1e-12, "transposed")
        assertClose(try ContingencyTable(counts.reversed()).fisherExactTest().pValue, p, relative: 1e-12, "rows reversed")
        // A table where every other table is at most as probable as the observed one: the most
        // probable table under these margins (all equal counts) gives P = 1.
        assertClose(try ContingencyTable([[2, 2, 2], [2, 2, 2]]).fisherExactTest().pValue, 1, relative: 1e-12, "modal table")
    }

    /// n = 35,000: the log-space arithmetic stays finite and the 2 x 2 P equals
    /// the r x c network algorithm's P on the same table padded with a zero column.
    func testLargeTablesStayFinite() throws {
        let table = try ContingencyTable([[10_000, 7_500], [7_000, 10_500]])
        let result = try table.fisherExactTest()
        XCTAssertTrue(result.pValue >= 0 && result.pValue < 1e-100, "\(result.pValue)")
        let estimate = try XCTUnwrap(result.estimate)
        XCTAssertTrue(estimate.isFinite && estimate > 1, "\(estimate)")

        let small = try ContingencyTable([[5, 15], [7, 100]])
        let padded = try ContingencyTable([[5, 15, 0], [7, 100, 0]])
        assertClose(try padded.fisherExactTest().pValue, try small.fisherExactTest().pValue, relative: 1e-10, "zero column padding")
    }

    /// Zero margin: P = 1, estimate 0, interval [0, Inf] as R, with a warning, never NaN.
    func testDegenerateNoEvents() throws {
        let result = try ContingencyTable(events1: 0, of: 40, events2: 0, of: 87).fisherExactTest()
        XCTAssertEqual(result.pValue, 1)
        XCTAssertEqual(result.estimate, 0)
        XCTAssertEqual(result.confidenceInterval?.lower, 0)
        XCTAssertEqual(result.confidenceInterval?.upper, .infinity)
        XCTAssertEqual(result.warnings.count, 1)
        XCTAssertThrowsError(try ContingencyTable(events1: 0, of: 40, events2: 0, of: 87).chiSquareTest()) {
            XCTAssertEqual($0 as? ContingencyError, .emptyMargin(.column, index: 0))
        }
    }
}
