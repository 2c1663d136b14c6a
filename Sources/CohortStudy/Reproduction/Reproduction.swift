import CohortData
import CohortReport
import CohortStats

/// One figure set beside its recomputation: what `cohort reproduce` prints a row for.
public struct ReproducedFigure: Sendable, Equatable {
    public let study: String
    public let figure: String
    public let description: String
    public let published: String
    /// The computed value formatted as the journal printed it (or described, for figures printed
    /// as words); for a figure whose analysis failed, why.
    public let computed: String
    public let match: Bool
    /// For figures printed as words: the condition checked, e.g. "P < 0.05, higher".
    public let criterion: String?
    /// The unrounded computed number (``FigureValue/number``); nil when the analysis failed.
    public let value: Double?
}

/// Reproduces the figures of a study file through the toolkit's own pipeline: load the dataset
/// with its codebook (types, validation, derived variables), run each figure's analysis, format
/// the result as the journal did, and compare.
public enum Reproduction {
    /// - Throws: `DataError` when the dataset or codebook cannot be read or is invalid, since then no
    ///   figure can be computed. A figure whose own analysis fails is a row that does not match.
    public static func run(_ study: PublishedStudy) throws(DataError) -> [ReproducedFigure] {
        let table = try CohortLoader.loadForAnalysis(path: study.dataPath, codebookPath: study.codebookPath).table
        return study.figures.map { figure in
            var computed: String
            var match = false
            var criterion: String?
            var number: Double?
            do {
                let value = try figure.analysis.compute(on: table)
                number = value.number
                switch figure.check {
                case .format(let format):
                    guard let text = format.render(value) else {
                        throw FigureError(description: "format \(format.rawValue) does not apply to this analysis")
                    }
                    computed = text
                    match = text == figure.printed
                case .expect(let expectations):
                    computed = value.described
                    criterion = expectations.map(\.described).joined(separator: ", ")
                    match = value.satisfies(expectations)
                }
            } catch {
                computed = "not computed: \(error)"
            }
            return ReproducedFigure(study: study.study, figure: figure.id, description: figure.description, published: figure.printed,
                                    computed: computed, match: match, criterion: criterion, value: number)
        }
    }
}

extension Expectation {
    var described: String {
        switch self {
        case .pBelow(let limit): "P < \(NumberText.shortest(limit))"
        case .pAtLeast(let limit): "P ≥ \(NumberText.shortest(limit))"
        case .direction(let direction): direction
        }
    }
}
