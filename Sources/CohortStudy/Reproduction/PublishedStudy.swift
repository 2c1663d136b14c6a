import CohortData
import CohortReport
import Yams

/// A study's `published.yaml`: every published figure with the analysis that recomputes it from
/// the study's dataset (schema in `Datasets/README.md`). Nothing here knows a study's columns: the
/// file names them.
public struct PublishedStudy: Sendable {
    public let study: String
    public let title: String
    /// The file this was read from; data and codebook paths are relative to its folder.
    public let source: String
    public let dataPath: String
    public let codebookPath: String
    public let figures: [PublishedFigure]
}

/// One printed figure and how to recompute and compare it.
public struct PublishedFigure: Sendable {
    /// How the computed value is judged.
    public enum Check: Sendable, Equatable {
        /// Formatted this way, the computed value must equal the printed text exactly.
        case format(FigureFormat)
        /// The computed result must satisfy every condition (figures printed as words).
        case expect([Expectation])
    }

    public let id: String
    public let description: String
    /// "published" or "derived".
    public let tag: String
    /// The figure exactly as printed.
    public let printed: String
    public let check: Check
    public let analysis: FigureAnalysis
    public let line: Int?
}

/// A condition on a test result, for figures printed as words ("remained associated").
public enum Expectation: Sendable, Equatable {
    case pBelow(Double)
    case pAtLeast(Double)
    /// `higher`, `lower`, `positive` or `negative`.
    case direction(String)
}

/// The analyses a figure can name: seven general kinds over named columns.
public enum FigureAnalysis: Sendable, Equatable {
    /// Rows kept by the filter.
    case count(SubgroupFilter)
    /// Rows with the 0/1 outcome equal to 1, of the rows where it is present.
    case proportion(outcome: String, filter: SubgroupFilter)
    /// A statistic (median, min, max) of a column's present values.
    case summary(variable: String, statistic: String, filter: SubgroupFilter)
    /// Two-sided Fisher's exact test of two 0/1 columns.
    case fisher(outcome: String, factor: String)
    /// Wilcoxon rank-sum test of a measurement between the rows where `by` is 1 and 0.
    case rankSum(variable: String, by: String)
    /// A logistic model's Wald P for one term, by maximum likelihood or Firth.
    case logistic(outcome: String, covariates: [String], term: String, firth: Bool)
    /// Spearman's rank correlation.
    case spearman(x: String, y: String)
    /// A Cox model's Wald P for one term (robust with a cluster): any `cohort cox` request, its
    /// keys written as in a study file.
    case cox(CoxRequest, term: String)
    /// A Fine-Gray model's Wald P for one term (crr's sandwich SE): any `cohort finegray` request.
    case finegray(FineGrayRequest, term: String)
}

/// A published figure's `where:` — a row is kept when every named column equals its value
/// (missing is not equal). A study file's `where:` is a condition of any kind (``CohortData/RowFilter``).
public struct SubgroupFilter: Sendable, Equatable {
    public let conditions: [Condition]

    public struct Condition: Sendable, Equatable {
        public let column: String
        public let value: String
    }

    public static let all = SubgroupFilter(conditions: [])
}

extension PublishedStudy {
    /// Reads a `published.yaml`; its `data:` and `codebook:` must lie inside its folder or one that
    /// `confinement` allows.
    /// - Throws: ``CohortData/CodebookError`` naming the file and line of anything missing, unknown
    ///   or outside the allowed folders.
    public static func read(path: String, confinement: FolderConfinement = FolderConfinement()) throws(CodebookError) -> PublishedStudy {
        let text = try YAMLText.read(path: path, what: "list of published figures")
        guard let root = try YAMLText.compose(text, source: path), let top = root.mapping else {
            throw CodebookError(source: path, line: nil, message: "expected a mapping with 'study', 'data', 'codebook' and 'figures'")
        }
        let reader = FigureReader(source: path)
        try reader.onlyKeys(top, FigureReader.topKeys, what: "the list of published figures")
        if let schema = top["schema"], schema.scalar?.string != "1" {
            throw reader.error(schema, "'schema' must be 1 (the only schema this version reads), got '\(schema.scalar?.string ?? "?")'")
        }
        let figureNodes = try reader.list(top, "figures", at: root)
        return PublishedStudy(
            study: try reader.string(top, "study", at: root),
            title: try reader.optionalString(top, "title") ?? "",
            source: path,
            dataPath: FolderConfinement.resolve(try reader.confinedPath(top, "data", at: root, confinement), from: path),
            codebookPath: FolderConfinement.resolve(try reader.confinedPath(top, "codebook", at: root, confinement), from: path),
            figures: try reader.figures(figureNodes))
    }
}
