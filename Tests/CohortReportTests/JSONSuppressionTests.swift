@testable import CohortReport
import XCTest

/// Issue 13: the helper every analysis JSON hides its values with (`JSONValue.hiding`, `suppressed`).
final class JSONSuppressionTests: XCTestCase {
    func testPointersAreEscapedAsRFC6901Says() {
        XCTAssertEqual(JSONValue.pointer("rows", 2, "events"), "/rows/2/events")
        XCTAssertEqual(JSONValue.pointer("a/b", "m~n"), "/a~1b/m~0n")
    }

    func testHiddenValuesAreNullAndListedInDocumentOrder() {
        let value = JSONValue.object([
            ("n", .integer(12)),
            ("a/b", .integer(3)),
            ("rows", .array([.object([("events", .integer(2)), ("n", .integer(7))]), .object([("events", .integer(0)), ("n", .integer(5))])])),
        ])
        let pointers: Set<String> = ["/rows/1/n", "/a~1b", "/rows/0/events"]
        let (hidden, listed) = value.hiding(pointers)
        XCTAssertEqual(listed, ["/a~1b", "/rows/0/events", "/rows/1/n"])
        XCTAssertEqual(hidden.rendered(), #"{"n":12,"a/b":null,"rows":[{"events":null,"n":7},{"events":0,"n":null}]}"#)
        // Under a prefix (a streamed item), the pointers listed are the document's.
        XCTAssertEqual(JSONValue.object([("n", .integer(1))]).hiding(["/n"], prefix: "/variables/4").hidden, ["/variables/4/n"])
    }

    func testTheSuppressionKeyIsAlwaysThere() {
        let value = JSONValue.object([("n", .integer(2))])
        XCTAssertEqual(value.suppressed([], rule: .none).rendered(), #"{"n":2,"suppression":{"below":null,"hidden":[]}}"#)
        XCTAssertEqual(value.suppressed(["/n"], rule: Suppression(below: 5)).rendered(), #"{"n":null,"suppression":{"below":5,"hidden":["/n"]}}"#)
    }
}
