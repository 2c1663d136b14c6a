import Foundation

/// Paths of committed test fixtures (`Tests/Fixtures/`), found from this file's location so tests
/// run offline from any working directory.
public enum Fixtures {
    public static let root: String = {
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/Fixtures").path
    }()

    public static var repositoryRoot: String { (root as NSString).deletingLastPathComponent.replacingOccurrences(of: "/Tests", with: "") }

    public static func path(_ relative: String) -> String { root + "/" + relative }

    /// Writes `files` (name → contents) to a fresh folder under `$TMPDIR` (or /tmp) and returns its
    /// path: small codebooks and tables written beside each other, as a user's are.
    public static func folder(_ files: [String: String], prefix: String = "cohortkit") throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let path = base + "/\(prefix)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: false, encoding: .utf8) }
        return path
    }
}

/// One committed reference result (R `glm`, `brglm2` or `firthmodels`), as written by the scripts
/// in `Tests/References/`. Absent values are nil.
public struct LogisticReference: Decodable {
    public struct Coefficient: Decodable {
        public let term: String
        public let estimate: Double?
        public let stdError: Double?
        public let z: Double?
        public let p: Double?
        public let aliased: Bool
        public let profileLower: Double?
        public let profileUpper: Double?
        public let waldLower: Double?
        public let waldUpper: Double?
        public let lrChisq: Double?
        public let lrP: Double?
    }

    /// R's `drop1(fit, test = "LRT")`, one per variable (glm references only). `p` is nil where R's is
    /// NA: a term whose columns the rest of the design still spans (df 0, chi-square 0; issue 12).
    public struct TermTest: Decodable {
        public let term: String
        public let chiSquare: Double
        public let df: Int
        public let p: Double?
        /// The columns the restricted model estimates (issue 12 references with aliased columns).
        public let restrictedColumns: [String]?
    }

    public let `case`: String
    public let data: String
    public let outcome: String
    public let eventLevel: String?
    public let covariates: [String]
    public let referenceLevels: [String: String]
    public let method: String
    public let tool: String
    public let n: Int
    public let nDropped: Int
    public let events: Int
    public let logLikelihood: Double?
    public let deviance: Double?
    public let nullDeviance: Double?
    public let aic: Double?
    public let bic: Double?
    public let penalizedLogLikelihood: Double?
    public let separatedTerms: [String]
    public let coefficients: [Coefficient]
    public let termTests: [TermTest]?

    public static func load(_ name: String) throws -> LogisticReference {
        let url = URL(fileURLWithPath: Fixtures.path("logistic/references/\(name).json"))
        return try JSONDecoder().decode(LogisticReference.self, from: Data(contentsOf: url))
    }

    public var dataPath: String { Fixtures.path("logistic/data/\(data)") }
}
