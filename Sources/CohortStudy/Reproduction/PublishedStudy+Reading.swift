import CohortData
import CohortReport
import Yams

/// Turns the nodes of a `published.yaml` into figures, with messages that name the line.
struct FigureReader: YAMLFieldReader {
    let source: String

    static let topKeys = ["schema", "study", "title", "publication", "data", "codebook", "notes", "figures"]
    static let figureKeys = ["id", "description", "source", "tag", "derivation", "printed", "format", "expect", "compute"]
    /// Each analysis's own keys besides `analysis`; `where` only for those that take rows.
    static let analysisKeys: KeyValuePairs<String, [String]> = [
        "count": ["where"], "proportion": ["outcome", "where"], "summary": ["variable", "statistic", "where"],
        "fisher": ["outcome", "factor"], "ranksum": ["variable", "by"], "logistic": ["outcome", "covariates", "term", "method"],
        "spearman": ["x", "y"],
    ]

    /// Every figure of `figures:`, each id once: ids name the figures in the table and on stderr,
    /// and a repeated one would make a failure ambiguous.
    func figures(_ nodes: [Node]) throws(CodebookError) -> [PublishedFigure] {
        var figures: [PublishedFigure] = []
        for node in nodes {
            let figure = try self.figure(node)
            if figures.contains(where: { $0.id == figure.id }) {
                throw error(node, "figure id '\(figure.id)' is used twice; give each figure its own id")
            }
            figures.append(figure)
        }
        return figures
    }

    func figure(_ node: Node) throws(CodebookError) -> PublishedFigure {
        guard let map = node.mapping else { throw error(node, "each figure must be a mapping with 'id', 'printed' and 'compute'") }
        let id = try string(map, "id", at: node)
        try onlyKeys(map, Self.figureKeys, what: "figure '\(id)'")
        if let source = map["source"] {
            guard let sourceMap = source.mapping else { throw error(source, "figure '\(id)': 'source' must be a mapping with 'publication' and 'location'") }
            try onlyKeys(sourceMap, ["publication", "location"], what: "figure '\(id)': source")
        }
        let tag = try optionalString(map, "tag") ?? ""
        guard ["", "published", "derived"].contains(tag) else { throw error(map["tag"], "figure '\(id)': 'tag' must be published or derived, got '\(tag)'") }
        let check: PublishedFigure.Check
        switch (map["format"], map["expect"]) {
        case (let format?, nil):
            guard let name = format.string, let parsed = FigureFormat(rawValue: name) else {
                throw error(format, "figure '\(id)': unknown format '\(format.string ?? "?")'; one of \(FigureFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            check = .format(parsed)
        case (nil, let expect?):
            check = .expect(try expectations(expect, id: id))
        default:
            throw error(node, "figure '\(id)' needs exactly one of 'format' (compare the printed text) and 'expect' (conditions)")
        }
        guard let compute = map["compute"] else { throw error(node, "figure '\(id)' has no 'compute'") }
        return PublishedFigure(id: id, description: try optionalString(map, "description") ?? "", tag: tag,
                               printed: try string(map, "printed", at: node), check: check, analysis: try analysis(compute, id: id),
                               line: node.mark?.line)
    }

    func expectations(_ node: Node, id: String) throws(CodebookError) -> [Expectation] {
        guard let map = node.mapping else { throw error(node, "figure '\(id)': 'expect' must be a mapping") }
        var result: [Expectation] = []
        for (key, value) in map {
            switch key.string {
            case "p_below": result.append(.pBelow(try number(value, "p_below", InputRules.pValueThreshold)))
            case "p_at_least": result.append(.pAtLeast(try number(value, "p_at_least", InputRules.pValueThreshold)))
            case "direction":
                guard let direction = value.string, ["higher", "lower", "positive", "negative"].contains(direction) else {
                    throw error(value, "figure '\(id)': direction must be higher, lower, positive or negative")
                }
                result.append(.direction(direction))
            default: throw error(key, "figure '\(id)': unknown expectation '\(key.string ?? "?")'; use p_below, p_at_least, direction")
            }
        }
        return result
    }

    func analysis(_ node: Node, id: String) throws(CodebookError) -> FigureAnalysis {
        guard let map = node.mapping else { throw error(node, "figure '\(id)': 'compute' must be a mapping with 'analysis'") }
        let kind = try string(map, "analysis", at: node)
        // A regression request with every key of its command, and the term whose P is the figure.
        let decoder = RequestDecoder(source: source), what = "figure '\(id)' (\(kind))"
        if kind == CoxRequest.kind {
            let request = try decoder.decode(CoxRequest.self, from: node, extraKeys: ["analysis", "term"], what: what)
            return .cox(request, term: try string(map, "term", at: node))
        }
        if kind == FineGrayRequest.kind {
            let request = try decoder.decode(FineGrayRequest.self, from: node, extraKeys: ["analysis", "term"], what: what)
            return .finegray(request, term: try string(map, "term", at: node))
        }
        guard let own = Self.analysisKeys.first(where: { $0.key == kind })?.value else {
            throw error(node, "figure '\(id)': unknown analysis '\(kind)'; one of \((Self.analysisKeys.map(\.key) + [CoxRequest.kind, FineGrayRequest.kind]).joined(separator: ", "))")
        }
        try onlyKeys(map, ["analysis"] + own, what: "figure '\(id)' (\(kind))")
        func column(_ key: String) throws(CodebookError) -> String { try string(map, key, at: node) }
        let filter = try rowFilter(map["where"], id: id)
        switch kind {
        case "count": return .count(filter)
        case "proportion": return .proportion(outcome: try column("outcome"), filter: filter)
        case "summary":
            let statistic = try column("statistic")
            guard ["median", "min", "max"].contains(statistic) else { throw error(node, "figure '\(id)': statistic must be median, min or max") }
            return .summary(variable: try column("variable"), statistic: statistic, filter: filter)
        case "fisher": return .fisher(outcome: try column("outcome"), factor: try column("factor"))
        case "ranksum": return .rankSum(variable: try column("variable"), by: try column("by"))
        case "logistic":
            var covariates: [String] = []
            for item in try list(map, "covariates", at: node) {
                guard let name = item.scalar?.string else { throw error(item, "figure '\(id)': 'covariates' must list column names") }
                covariates.append(name)
            }
            guard !covariates.isEmpty else { throw error(map["covariates"], "figure '\(id)': 'covariates' is empty; list at least one column") }
            let method = try optionalString(map, "method") ?? "ml"
            guard ["ml", "firth"].contains(method) else { throw error(node, "figure '\(id)': method must be ml or firth") }
            return .logistic(outcome: try column("outcome"), covariates: covariates, term: try column("term"), firth: method == "firth")
        case "spearman": return .spearman(x: try column("x"), y: try column("y"))
        default:
            throw error(node, "figure '\(id)': unknown analysis '\(kind)'; one of \((Self.analysisKeys.map(\.key) + [CoxRequest.kind, FineGrayRequest.kind]).joined(separator: ", "))")
        }
    }

    func rowFilter(_ node: Node?, id: String) throws(CodebookError) -> SubgroupFilter {
        guard let node else { return .all }
        guard let map = node.mapping else { throw error(node, "figure '\(id)': 'where' must map columns to values") }
        var conditions: [SubgroupFilter.Condition] = []
        for (key, value) in map {
            guard let column = key.string, let text = value.string else { throw error(key, "figure '\(id)': 'where' must map columns to values") }
            conditions.append(.init(column: column, value: text))
        }
        return SubgroupFilter(conditions: conditions)
    }
}
