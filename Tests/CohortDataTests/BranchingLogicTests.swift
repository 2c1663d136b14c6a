@testable import CohortData
import XCTest

/// REDCap branching logic (issue 18): which conditions are simple enough to evaluate, and their
/// values on hand-made records, worked out from REDCap's rules.
final class BranchingLogicTests: XCTestCase {
    func testSimpleConditionsParse() throws {
        XCTAssertEqual(BranchingLogic.parse("[bleeding] = '1'"), .compare(.field("bleeding", code: nil), "=", .value("1")))
        XCTAssertEqual(BranchingLogic.parse("[grade] > 2"), .compare(.field("grade", code: nil), ">", .value("2")))
        XCTAssertEqual(BranchingLogic.parse("[tx(99)] = \"1\""), .compare(.field("tx", code: "99"), "=", .value("1")))
        let nested = try XCTUnwrap(BranchingLogic.parse("[a] = '1' OR ([b] <> '' and [c] >= 3)"))
        XCTAssertEqual(nested, .or(.compare(.field("a", code: nil), "=", .value("1")),
                                   .and(.compare(.field("b", code: nil), "<>", .value("")), .compare(.field("c", code: nil), ">=", .value("3")))))
        XCTAssertEqual(nested.columns, ["a", "b", "c"])
        XCTAssertEqual(BranchingLogic.parse("[tx(-1)] = '1'")?.columns, ["tx____1"])
        // `and` binds tighter than `or`.
        XCTAssertEqual(BranchingLogic.parse("[a] = 1 or [b] = 1 and [c] = 1"),
                       .or(.compare(.field("a", code: nil), "=", .value("1")),
                           .and(.compare(.field("b", code: nil), "=", .value("1")), .compare(.field("c", code: nil), "=", .value("1")))))
    }

    func testComplexLogicIsNotParsed() {
        for text in ["datediff([a], [b], 'd') > 0", "[a] + [b] > 2", "[event_1_arm_1][a] = '1'", "[a] = '1' and", "([a] = '1'", "'1' = '1'",
                     "[user-name] = 'x'", "[a] = [b] = 1", "", "[a]", "sum([a],[b]) > 1", "[a] = 'x"] {
            XCTAssertNil(BranchingLogic.parse(text), text)
        }
    }

    func testValuesFollowREDCapRules() throws {
        func holds(_ text: String, _ record: [String: String]) throws -> Bool {
            try XCTUnwrap(BranchingLogic.parse(text), text).holds { record[$0] }
        }
        XCTAssertTrue(try holds("[x] = '1'", ["x": "1"]))
        XCTAssertTrue(try holds("[x] = '1'", ["x": "1.0"]), "numbers compare as numbers")
        XCTAssertFalse(try holds("[x] = '1'", [:]))
        XCTAssertTrue(try holds("[x] = ''", [:]), "a blank field is the empty text")
        XCTAssertTrue(try holds("[x] <> '1'", [:]))
        XCTAssertFalse(try holds("[x] > 2", [:]), "an order comparison with a blank is false")
        XCTAssertFalse(try holds("[x] <= 2", [:]))
        XCTAssertTrue(try holds("[x] > 2", ["x": "3"]))
        XCTAssertFalse(try holds("[x] > 2", ["x": "abc"]))
        XCTAssertTrue(try holds("[x] = 'abc'", ["x": "abc"]))
        XCTAssertTrue(try holds("[tx(1)] = '1' and [g] >= 3", ["tx___1": "1", "g": "3"]))
        XCTAssertFalse(try holds("[tx(1)] = '1' and [g] >= 3", ["tx___1": "1", "g": "2"]))
        XCTAssertTrue(try holds("[tx(1)] = '1' or [g] >= 3", ["g": "4"]))
    }
}
