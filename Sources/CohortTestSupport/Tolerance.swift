import XCTest

/// The one tolerance check of the test suite: passes when |actual - expected| <= max(absolute,
/// relative·|expected|), and on failure prints both values and the relative and absolute errors it
/// measured, so a failing reference comparison says how far off it was.
public func assertClose(
    _ actual: Double, _ expected: Double, relative: Double, absolute: Double = 0, _ what: @autoclosure () -> String,
    file: StaticString = #filePath, line: UInt = #line
) {
    if actual.isNaN, expected.isNaN { return }
    if actual.isInfinite || expected.isInfinite {
        XCTAssertEqual(actual, expected, "\(what()): expected \(expected), got \(actual)", file: file, line: line)
        return
    }
    let error = abs(actual - expected)
    let allowed = max(absolute, relative * abs(expected))
    if !(error <= allowed) {
        let relativeError = expected == 0 ? Double.infinity : error / abs(expected)
        XCTFail("\(what()): expected \(expected), got \(actual) (abs error \(error), rel error \(relativeError); allowed rel \(relative), abs \(absolute))", file: file, line: line)
    }
}

/// Golden-text comparison with a line diff on failure. With COHORTKIT_RECORD=1 in the environment
/// the actual text is written as the new baseline and the test still fails, so recording is never
/// mistaken for passing.
public func assertMatchesGolden(_ actual: String, goldenPath: String, file: StaticString = #filePath, line: UInt = #line) {
    if ProcessInfo.processInfo.environment["COHORTKIT_RECORD"] == "1" {
        try? FileManager.default.createDirectory(atPath: (goldenPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? actual.write(toFile: goldenPath, atomically: true, encoding: .utf8)
        XCTFail("recorded \(goldenPath); unset COHORTKIT_RECORD and run again", file: file, line: line)
        return
    }
    guard let expected = try? String(contentsOfFile: goldenPath, encoding: .utf8) else {
        XCTFail("missing golden file \(goldenPath); run with COHORTKIT_RECORD=1 to create it", file: file, line: line)
        return
    }
    assertEqualLines(actual, expected, file: file, line: line)
}

/// String equality that reports the first differing lines rather than two long strings.
public func assertEqualLines(_ actual: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
    guard actual != expected else { return }
    let a = actual.components(separatedBy: "\n"), e = expected.components(separatedBy: "\n")
    var report: [String] = []
    for i in 0..<max(a.count, e.count) where (i < a.count ? a[i] : nil) != (i < e.count ? e[i] : nil) {
        report.append("line \(i + 1):\n  expected: \(i < e.count ? e[i] : "<none>")\n  actual:   \(i < a.count ? a[i] : "<none>")")
        if report.count == 8 { break }
    }
    XCTFail("text differs from the expected text:\n" + report.joined(separator: "\n"), file: file, line: line)
}
