import CohortData
import CohortReport
import CohortStats

/// `cohort reproduce`: every figure of one or more `published.yaml` files recomputed from their
/// datasets and compared with the printed value.
public struct ReproduceRequest: AnalysisRequest {
    public static let kind = "reproduce"
    public static let summary = "Every published figure of a published.yaml recomputed from its dataset and compared with the printed value."

    /// The `published.yaml` files (relative to the study file's folder in a study).
    public var published: [String] = ["published.yaml"]

    public init() {}

    public enum CodingKeys: String, CodingKey, CaseIterable { case published }
    public typealias Keys = CodingKeys

    public init(from decoder: any Decoder) throws {
        published = try decoder.container(keyedBy: Keys.self).list(.published) ?? ["published.yaml"]
    }

    public static let fields: [FieldDoc] = [
        FieldDoc("published", "file, or list of files", default: "published.yaml", "The published-figure files, relative to the study file; they name their own data and codebook."),
    ]

    public func validate() throws(RequestError) {
        if published.isEmpty { throw RequestError("published", "must name at least one published-figure file") }
    }

    public var unsuppressible: String? { "the reproduced published figures" }

    /// The studies read (their data and codebook inside their folder or an allowed one).
    public func studies(_ paths: InputPaths) throws -> [PublishedStudy] {
        try published.map { path in try PublishedStudy.read(path: try paths.resolve(path, field: "published"), confinement: paths.confinement) }
    }

    public func run(on input: AnalysisInput) throws -> AnalysisResult {
        let studies = try studies(input.paths)
        var figures: [ReproducedFigure] = []
        for study in studies { figures += try Reproduction.run(study) }
        var result = AnalysisResult(tables: [ReproductionTable.make(figures, studies: studies)], json: ReproductionJSON.render(figures))
        result.mismatches = figures.filter { !$0.match }
        result.warnings = result.mismatches.map { "\($0.figure): published \($0.published), computed \($0.computed)" }
        return result
    }
}
