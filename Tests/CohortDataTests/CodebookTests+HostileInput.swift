@testable import CohortData
import CohortTestSupport
import XCTest

/// Issue 12, "input that cannot hurt": YAML built to cost unbounded time, memory or stack is refused
/// at once by the one YAML entry point (`YAMLText`), with the file and line.
extension CodebookTests {
    func codebookError(_ text: String) -> String {
        do {
            _ = try CodebookFile.parse(text, source: "c.yaml")
            return "no error"
        } catch { return error.description }
    }

    /// The time `body` takes, printed so the run records what was measured.
    func timed(_ label: String, _ body: () -> String) -> (message: String, seconds: Double) {
        let start = ContinuousClock.now
        let message = body()
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        print("\(label): \(seconds) s")
        return (message, seconds)
    }

    func testIssue12_aliasBombIsRefusedWithinSeconds() {
        // 5 s, not 1 s: this machine is shared with other builds; the time measured is printed.
        for asKeys in [true, false] {
            let (message, seconds) = timed("alias bomb (as keys: \(asKeys))") { codebookError(HostileYAML.aliasBomb(asKeys: asKeys) + "variables:\n  x: real\n") }
            XCTAssertEqual(message, "c.yaml:2: '*l0' is a YAML alias; the toolkit's YAML files take no anchors and aliases (&name, *name), which can make a small file expand without bound: write the value out")
            XCTAssertLessThan(seconds, 5)
        }
    }

    func testIssue12_deepNestingIsRefusedWithinSeconds() {
        let (message, seconds) = timed("100,000 nested [") { codebookError(HostileYAML.deepNesting()) }
        XCTAssertEqual(message, "c.yaml:1: not valid YAML: lists and mappings are nested more than 1000 levels deep (the toolkit's files need four or five)")
        XCTAssertLessThan(seconds, 5)
        let blocks = String(repeating: "- ", count: 50_000)
        XCTAssertTrue(codebookError("variables: \n  " + blocks + "x\n").contains("nested more than 1000 levels deep"))
    }

    func testIssue12_oversizedCodebookIsRefusedBeforeParsing() throws {
        let big = "variables:\n  x: real\n# " + String(repeating: "x", count: YAMLText.maximumBytes) + "\n"
        XCTAssertEqual(codebookError(big), "c.yaml: the text is larger than 4 MiB; a codebook, study file or list of published figures is far smaller")
        let dir = try folder(["big.yaml": big])
        XCTAssertThrowsError(try CodebookFile.read(path: dir + "/big.yaml")) { error in
            XCTAssertEqual("\(error)", "\(dir)/big.yaml: the codebook is larger than 4 MiB; a codebook, study file or list of published figures is far smaller")
        }
    }

    /// The alias scan looks only where a node may begin: a `*` inside text is text.
    func testIssue12_starsInTextAreNotAliases() throws {
        let codebook = try CodebookFile.parse("""
            variables:
              a: {type: real, label: "Weight*", unit: kg*m}
              b: {type: real, label: 5 * 3 = 15}
              c: {type: real, label: 'see *x, in quotes after text'}
            """, source: "c.yaml")
        XCTAssertEqual(codebook.variables.map(\.label), ["Weight*", "5 * 3 = 15", "see *x, in quotes after text"])
        XCTAssertEqual(codebookError("variables:\n  a: {type: real, label: *x}\n").prefix(24), "c.yaml:2: '*x' is a YAML")
    }
}
