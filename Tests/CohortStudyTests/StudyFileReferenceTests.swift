import CohortStudy
import CohortTestSupport
import Foundation
import XCTest

/// The study-file reference is generated from the request types; these tests keep the committed
/// `docs/study-files.md` and every request's documented keys equal to what the reader accepts.
final class StudyFileReferenceTests: XCTestCase {
    func documented<R: AnalysisRequest>(_ type: R.Type) -> (keys: [String], documented: [String]) {
        (R.keyNames, R.fields.map(\.key))
    }

    func testEveryRequestDocumentsExactlyItsKeysInOrder() {
        for type in AnalysisKinds.all {
            let (keys, documented) = documented(type)
            XCTAssertEqual(documented, keys, "\(type): the documented keys differ from the keys it decodes")
        }
        XCTAssertEqual(AnalysisKinds.all.count, Set(AnalysisKinds.all.map { "\($0)" }).count)
    }

    func testTheCommittedReferenceIsTheGeneratedOne() throws {
        let path = Fixtures.repositoryRoot + "/docs/study-files.md"
        let generated = StudyFileReference.markdown()
        if ProcessInfo.processInfo.environment["COHORTKIT_RECORD"] == "1" {
            try generated.write(toFile: path, atomically: true, encoding: .utf8)
            XCTFail("recorded \(path); rerun without COHORTKIT_RECORD")
            return
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), generated,
                       "docs/study-files.md is out of date: COHORTKIT_RECORD=1 swift test --filter StudyFileReferenceTests")
    }
}
