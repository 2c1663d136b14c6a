import CohortTestSupport
import Foundation
import XCTest

/// Issue 13: one `--format json` schema with and without `--suppress-below` for every analysis that
/// suppresses (describe, incidence, compare, logit, cox, finegray). Under suppression the JSON has exactly the
/// keys of the unsuppressed JSON, the values the tables hide are null and listed (in document order)
/// in `suppression.hidden`, every other value is the unsuppressed one, and no count of 1..K − 1 is
/// left anywhere.
final class SuppressedJSONCommandTests: XCTestCase {
    /// Keys whose values count patients (rows), in every analysis's JSON.
    static let countKeys: Set<String> = ["n", "nDropped", "nUsed", "events", "competing", "censored", "count", "missing", "rows", "rowsWithoutGroup"]

    func json(_ arguments: [String], in directory: String? = nil, stdin: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let result = try CohortCommand.run(arguments + ["--format", "json"], stdin: stdin, in: directory)
        XCTAssertEqual(result.exitCode, 0, result.stderr, file: file, line: line)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], file: file, line: line)
    }

    static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// Every scalar (null included) by its JSON Pointer, in document order; `suppression` left out.
    static func leaves(_ value: Any, path: String = "", into out: inout [(String, Any)]) {
        if let object = value as? [String: Any] {
            // JSONSerialization forgets key order: the pointers' order is checked against the text.
            for key in object.keys.sorted() where !(path.isEmpty && key == "suppression") {
                leaves(object[key] as Any, path: path + "/" + escape(key), into: &out)
            }
        } else if let array = value as? [Any] {
            for (i, item) in array.enumerated() { leaves(item, path: path + "/\(i)", into: &out) }
        } else {
            out.append((path, value))
        }
    }

    /// The same keys at every level, the same array lengths.
    func assertSameSchema(_ a: Any, _ b: Any, path: String = "", file: StaticString, line: UInt) {
        if let a = a as? [String: Any] {
            guard let b = b as? [String: Any] else { return XCTFail("\(path): an object in one only", file: file, line: line) }
            XCTAssertEqual(Set(a.keys), Set(b.keys), "keys of \(path.isEmpty ? "/" : path)", file: file, line: line)
            for key in a.keys where b[key] != nil && !(path.isEmpty && key == "suppression") {
                assertSameSchema(a[key] as Any, b[key] as Any, path: path + "/" + Self.escape(key), file: file, line: line)
            }
        } else if let a = a as? [Any] {
            guard let b = b as? [Any] else { return XCTFail("\(path): an array in one only", file: file, line: line) }
            XCTAssertEqual(a.count, b.count, "length of \(path)", file: file, line: line)
            for (x, y) in zip(a, b) { assertSameSchema(x, y, path: path, file: file, line: line) }
        } else {
            XCTAssertFalse(b is [String: Any] || b is [Any], "\(path): a value in one, a container in the other", file: file, line: line)
        }
    }

    /// Runs `arguments` without and with `--suppress-below k` and checks the issue's promises.
    /// - Returns: the hidden pointers.
    @discardableResult
    func checkSuppression(_ arguments: [String], k: Int, in directory: String? = nil, stdin: String? = nil, expectHidden: Bool = true,
                          file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let plain = try json(arguments, in: directory, stdin: stdin, file: file, line: line)
        let sharedResult = try CohortCommand.run(arguments + ["--format", "json", "--suppress-below", String(k)], stdin: stdin, in: directory)
        XCTAssertEqual(sharedResult.exitCode, 0, sharedResult.stderr, file: file, line: line)
        let shared = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(sharedResult.stdout.utf8)) as? [String: Any], file: file, line: line)

        // Without suppression: below null, nothing hidden.
        let plainSuppression = try XCTUnwrap(plain["suppression"] as? [String: Any], file: file, line: line)
        XCTAssertTrue(plainSuppression["below"] is NSNull, file: file, line: line)
        XCTAssertEqual((plainSuppression["hidden"] as? [Any])?.count, 0, file: file, line: line)
        XCTAssertEqual(Set(plainSuppression.keys), ["below", "hidden"], file: file, line: line)

        let suppression = try XCTUnwrap(shared["suppression"] as? [String: Any], file: file, line: line)
        XCTAssertEqual(suppression["below"] as? Int, k, file: file, line: line)
        let hidden = try XCTUnwrap(suppression["hidden"] as? [String], file: file, line: line)
        XCTAssertEqual(hidden.count, Set(hidden).count, "a pointer listed twice", file: file, line: line)
        if expectHidden {
            XCTAssertFalse(hidden.isEmpty, "nothing hidden: the case does not test suppression", file: file, line: line)
        } else {
            XCTAssertEqual(hidden, [], file: file, line: line)
        }

        assertSameSchema(plain, shared, file: file, line: line)
        var plainLeaves: [(String, Any)] = [], sharedLeaves: [(String, Any)] = []
        Self.leaves(plain, into: &plainLeaves)
        Self.leaves(shared, into: &sharedLeaves)
        let before = Dictionary(uniqueKeysWithValues: plainLeaves)
        let after = Dictionary(uniqueKeysWithValues: sharedLeaves)
        XCTAssertEqual(Set(before.keys), Set(after.keys), file: file, line: line)
        for pointer in hidden {
            XCTAssertNotNil(before[pointer], "\(pointer) names no value of the unsuppressed JSON", file: file, line: line)
            XCTAssertTrue(after[pointer] is NSNull, "\(pointer) is hidden but not null", file: file, line: line)
        }
        // Everything not listed keeps its unsuppressed value.
        for (pointer, value) in after where !hidden.contains(pointer) {
            XCTAssertTrue((value as? NSObject)?.isEqual(before[pointer]) == true, "\(pointer): \(value) under suppression, \(before[pointer] ?? "none") without", file: file, line: line)
        }
        // No count of 1..K − 1 anywhere.
        for (pointer, value) in after {
            guard let key = pointer.split(separator: "/").last.map(String.init), Self.countKeys.contains(key),
                  let number = value as? NSNumber, !(value is Bool) else { continue }
            XCTAssertFalse(number.intValue >= 1 && number.intValue < k, "\(pointer) = \(number) (below \(k)) under suppression", file: file, line: line)
        }
        // Document order: as the pointers' values first appear in the text (each hidden value is a null
        // whose key is written where the pointer says; the order of the keys' paths in the text).
        let order = try documentOrder(sharedResult.stdout)
        let positions = hidden.map { order.firstIndex(of: $0) ?? -1 }
        XCTAssertFalse(positions.contains(-1), "a hidden pointer names no null of the text", file: file, line: line)
        XCTAssertEqual(positions, positions.sorted(), "hidden is not in document order", file: file, line: line)
        return hidden
    }

    /// The pointers of the nulls of `text` in the order written (a small tokenizer over the pretty
    /// JSON: enough for the analyses' JSON, whose strings hold no unescaped quotes).
    func documentOrder(_ text: String) throws -> [String] {
        var pointers: [String] = []
        var stack: [(isArray: Bool, index: Int, key: String?)] = []
        var scanner = Substring(text)
        func current() -> String {
            stack.map { $0.isArray ? "/\($0.index)" : "/" + Self.escape($0.key ?? "") }.joined()
        }
        while let c = scanner.first {
            switch c {
            case "{": stack.append((false, 0, nil)); scanner.removeFirst()
            case "[": stack.append((true, 0, nil)); scanner.removeFirst()
            case "}", "]": stack.removeLast(); scanner.removeFirst()
            case ",":
                if let last = stack.last, last.isArray { stack[stack.count - 1].index += 1 }
                scanner.removeFirst()
            case "\"":
                scanner.removeFirst()
                var string = ""
                while let d = scanner.first, d != "\"" {
                    if d == "\\" { scanner.removeFirst() }
                    string.append(scanner.removeFirst())
                }
                scanner.removeFirst()
                let rest = scanner.drop { $0 == " " }
                if rest.first == ":", let last = stack.last, !last.isArray {
                    stack[stack.count - 1].key = string
                    scanner = rest.dropFirst()
                }
            case "n" where scanner.hasPrefix("null"):
                pointers.append(current())
                scanner.removeFirst(4)
            default: scanner.removeFirst()
            }
        }
        return pointers.filter { !$0.hasPrefix("/suppression") }
    }

    // MARK: - One case an analysis where suppression hides counts

    func testIssue13_describeJSONKeepsItsSchemaUnderSuppression() throws {
        let hidden = try checkSuppression(["describe", "cohort.csv", "--variables", "Age (years),Sex,low_platelets,Infusion date", "--by", "Disease"],
                                          k: 4, in: Fixtures.path("codebook"))
        // The small groups' N, a level's count with its percentage, a P value with its statistic,
        // and the extremes.
        XCTAssertTrue(hidden.contains("/groups/1/n"), "\(hidden)")
        XCTAssertTrue(hidden.contains { $0.hasSuffix("/percent") }, "\(hidden)")
        XCTAssertTrue(hidden.contains { $0.hasSuffix("/p") } && hidden.contains { $0.hasSuffix("/statistic") }, "\(hidden)")
        XCTAssertTrue(hidden.contains("/variables/0/overall/min") && hidden.contains("/variables/3/overall/first"), "\(hidden)")
    }

    func testIssue13_incidenceJSONKeepsItsSchemaUnderSuppression() throws {
        let hidden = try checkSuppression(["incidence", "cohort.csv", "--outcome", "bleeding_28d", "--by", "Disease"], k: 4, in: Fixtures.path("codebook"))
        XCTAssertTrue(hidden.contains("/rows/1/events") && hidden.contains("/rows/1/proportion") && hidden.contains("/rows/1/ciUpper"), "\(hidden)")
    }

    func testIssue13_compareJSONKeepsItsSchemaUnderSuppression() throws {
        let hidden = try checkSuppression(["compare", "cohort.csv", "--outcome", "bleeding_any", "--factors", "disease,icans_high,plt_baseline"],
                                          k: 10, in: Fixtures.repositoryRoot + "/Datasets/johnsrud2021")
        XCTAssertTrue(hidden.contains { $0.hasSuffix("/events") } && hidden.contains { $0.hasSuffix("/p") }, "\(hidden)")
        XCTAssertTrue(hidden.contains("/factors/2/measurement/withEvent/max"), "\(hidden)")
    }

    /// Issue 16: a two-level factor's measures of association are withheld with its table's hidden
    /// counts, and its Mantel-Haenszel analysis also when a stratum's (unprinted) table has a small cell.
    func testIssue16_compareAssociationIsWithheldWithItsCells() throws {
        let johnsrud = Fixtures.repositoryRoot + "/Datasets/johnsrud2021"
        let arguments = ["compare", "cohort.csv", "--outcome", "bleeding_any", "--factors", "icans_high,sex", "--strata", "disease"]
        let hidden = try checkSuppression(arguments, k: 10, in: johnsrud)
        for key in ["riskRatio/estimate", "riskDifference/upper", "oddsRatio/lower", "conditionalOddsRatio/estimate"] {
            XCTAssertTrue(hidden.contains("/factors/0/association/" + key), "\(key): \(hidden)")
        }
        for key in ["oddsRatio/estimate", "riskRatio/upper", "test/statistic", "test/p", "homogeneity/tarone", "homogeneity/p"] {
            XCTAssertTrue(hidden.contains("/factors/0/stratified/" + key), "\(key): \(hidden)")
        }
        // K = 3 hides no count of the printed tables, but the strata hold cells of 1 or 2.
        let strataOnly = try checkSuppression(arguments, k: 3, in: johnsrud)
        XCTAssertFalse(strataOnly.contains { $0.contains("/association/") }, "\(strataOnly)")
        XCTAssertTrue(strataOnly.contains("/factors/1/stratified/oddsRatio/estimate"), "\(strataOnly)")
        let table = try CohortCommand.run(arguments + ["--suppress-below", "3"], in: johnsrud)
        XCTAssertTrue(table.stdout.contains("the Mantel-Haenszel estimates and tests are withheld under small-cell suppression"), table.stdout)
    }

    /// 60 patients, 20 events, two of them without x: the two rows dropped are hidden, and the n
    /// used with them (the data's N gives one from the other), with what gives n back and the
    /// warning that counts the rows dropped by reason.
    static let logitCSV: String = {
        var lines = ["y,x"]
        for i in 0..<60 {
            let x = [5, 11].contains(i) ? "" : String(Double(i % 7) + Double(i) / 10)
            lines.append("\(i % 3 == 0 ? 1 : 0),\(x)")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    func testIssue13_logitJSONKeepsItsSchemaUnderSuppression() throws {
        let hidden = try checkSuppression(["logit", "-", "--outcome", "y", "--covariates", "x", "--ci", "wald"], k: 5, stdin: Self.logitCSV)
        // Issue 16: the model check's numbers are of the outcome itself (C is a fraction over events ×
        // non-events, Brier a mean over n), hidden with n as the LR statistics are.
        XCTAssertEqual(Set(hidden), ["/n", "/nDropped", "/nullDeviance", "/lrChiSquare", "/lrP", "/bic", "/eventsPerVariable", "/epvWarning",
                                     "/cStatistic/estimate", "/cStatistic/se", "/cStatistic/lower", "/cStatistic/upper",
                                     "/hosmerLemeshow/statistic", "/hosmerLemeshow/p",
                                     "/calibration/intercept", "/calibration/slope", "/calibration/brier", "/warnings/0"])
    }

    /// The table hides what the JSON hides: with n used hidden, the null deviance, BIC and LR test
    /// (functions of n and events), EPV and the rows dropped by reason.
    func testIssue13_logitTableWithholdsWhatGivesTheHiddenNBack() throws {
        let plain = try CohortCommand.run(["logit", "-", "--outcome", "y", "--covariates", "x", "--ci", "wald"], stdin: Self.logitCSV)
        XCTAssertTrue(plain.stdout.contains("missing x: 2") && plain.stdout.contains("Events per variable (EPV) = 20"), plain.stdout)
        let shared = try CohortCommand.run(["logit", "-", "--outcome", "y", "--covariates", "x", "--ci", "wald", "--suppress-below", "5"], stdin: Self.logitCSV)
        XCTAssertEqual(shared.exitCode, 0, shared.stderr)
        XCTAssertTrue(shared.stdout.contains("n = ≥5 used, <5 dropped"), shared.stdout)
        XCTAssertTrue(shared.stdout.contains("null deviance = —") && shared.stdout.contains("BIC = —") && shared.stdout.contains("LR χ² = — on 1 df, P = —"), shared.stdout)
        XCTAssertTrue(shared.stdout.contains("Events per variable (EPV): not shown"), shared.stdout)
        XCTAssertFalse(shared.stdout.contains("missing x") || shared.stderr.contains("missing x"), shared.stdout + shared.stderr)
    }

    func testIssue13_coxJSONKeepsItsSchemaUnderSuppression() throws {
        let hidden = try checkSuppression(["cox", "cohort.csv", "--time", "time", "--status", "status", "--event", "1", "--competing", "2",
                                           "--covariates", "age,sex"], k: 10, in: Fixtures.path("survival/cox_command"))
        XCTAssertEqual(hidden, ["/n", "/nDropped", "/competing"])
    }

    func testIssue13_finegrayJSONKeepsItsSchemaUnderSuppression() throws {
        let hidden = try checkSuppression(["finegray", "cohort.csv", "--time", "time", "--status", "status", "--event", "1", "--competing", "2",
                                           "--covariates", "age,sex"], k: 10, in: Fixtures.path("survival/cox_command"))
        XCTAssertTrue(hidden.contains("/n") && hidden.contains("/nDropped"), "\(hidden)")
    }

    // MARK: - Suppression asked for, nothing to hide: the same values, below K

    func testIssue13_jsonUnderSuppressionThatHidesNothingIsTheUnsuppressedJSON() throws {
        let johnsrud = Fixtures.repositoryRoot + "/Datasets/johnsrud2021"
        try checkSuppression(["incidence", "cohort.csv", "--outcome", "bleeding_any"], k: 3, in: johnsrud, expectHidden: false)
        try checkSuppression(["logit", "cohort.csv", "--outcome", "bleeding_any", "--covariates", "sex,icans_high,plt_baseline", "--firth"],
                             k: 3, in: johnsrud, expectHidden: false)
        try checkSuppression(["describe", "cohort.csv", "--variables", "sex,disease"], k: 3, in: johnsrud, expectHidden: false)
        try checkSuppression(["compare", "cohort.csv", "--outcome", "bleeding_any", "--factors", "sex"], k: 3, in: johnsrud, expectHidden: false)
    }
}
