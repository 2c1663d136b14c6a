import CohortData
import CohortReport
import CohortStats
import Yams

extension StudyFile {
    /// Reads a study file; paths in it are relative to its folder.
    /// - Throws: ``CohortData/CodebookError`` naming the file and line of anything missing, unknown
    ///   or of the wrong kind (unknown keys are errors, so a misspelt option never passes silently).
    /// - Parameter confinement: the folders besides the study's own that `data:`, `codebook:` and
    ///   `published:` may name; anything else is refused.
    public static func read(path: String, confinement: FolderConfinement = FolderConfinement()) throws(CodebookError) -> StudyFile {
        try parse(try YAMLText.read(path: path, what: "study file"), source: path, confinement: confinement)
    }

    /// Parses the text of a study file read from `source`.
    public static func parse(_ text: String, source: String, confinement: FolderConfinement = FolderConfinement()) throws(CodebookError) -> StudyFile {
        guard let root = try YAMLText.compose(text, source: source), let top = root.mapping else {
            throw CodebookError(source: source, line: nil, message: "expected a mapping with 'study', 'data', 'codebook' and 'outputs'")
        }
        let reader = StudyReader(source: source)
        try reader.onlyKeys(top, ["study", "title", "data", "codebook", "derived", "where", "options", "outputs"], what: "the study file")
        let options = try reader.options(top["options"])
        let outputNodes = try reader.list(top, "outputs", at: root)
        guard !outputNodes.isEmpty else { throw reader.error(root, "'outputs' is empty: list at least one output") }
        var outputs: [StudyOutput] = []
        for node in outputNodes {
            let output = try reader.output(node, options: options)
            if outputs.contains(where: { $0.name == output.name }) {
                throw reader.error(node, "output name '\(output.name)' is used twice; each output needs its own name (it is the file name)")
            }
            outputs.append(output)
        }
        // A forest plot draws a model output listed before it: check the reference now, not at run time.
        for (index, (output, node)) in zip(outputs, outputNodes).enumerated() {
            if let forest = output.request as? ForestRequest {
                guard let target = outputs[..<index].first(where: { $0.name == forest.model }),
                      target.request is LogitRequest || target.request is CoxRequest || target.request is FineGrayRequest else {
                    throw reader.error(node, "output '\(output.name)': 'model' must name a logit, cox or finegray output listed before it; '\(forest.model)' is not one")
                }
            }
            // A meta output pools the per-level estimates of a by output listed before it.
            if let meta = output.request as? MetaRequest, let model = meta.model {
                guard let target = outputs[..<index].first(where: { $0.name == model }),
                      (target.request as? LogitRequest)?.by != nil || (target.request as? CoxRequest)?.by != nil else {
                    throw reader.error(node, "output '\(output.name)': 'model' must name a logit or cox output with 'by' listed before it; '\(model)' is not one")
                }
            }
        }
        let rowFilter = try reader.rowFilter(top["where"])
        // A reproduce output reads the data its published.yaml names, not the study's: a filter
        // there would be silently ignored.
        if rowFilter != nil, let whereNode = top["where"], let reproduce = outputs.first(where: { $0.request is ReproduceRequest }) {
            throw reader.error(whereNode, "'where' applies to every output, but output '\(reproduce.name)' (reproduce) reads the data its published-figure file names; list the published figures in a study without 'where'")
        }
        return StudyFile(study: try reader.string(top, "study", at: root), title: try reader.optionalString(top, "title") ?? "",
                         source: source, dataFile: try reader.confinedPath(top, "data", at: root, confinement),
                         codebookFile: try reader.confinedPath(top, "codebook", at: root, confinement),
                         derived: try reader.derived(top["derived"]), rowFilter: rowFilter, options: options, outputs: outputs,
                         confinement: confinement)
    }
}

/// Reads the nodes of a study file, with messages that name the line.
struct StudyReader: YAMLFieldReader {
    let source: String

    /// `where:`: one condition as text, such as `age >= 18 and disease == "LBCL"`.
    func rowFilter(_ node: Node?) throws(CodebookError) -> RowFilter? {
        guard let node else { return nil }
        guard let text = node.scalar?.string else { throw error(node, "'where' must be one condition as text, such as 'age >= 18 and disease == \"LBCL\"'") }
        do throws(FormulaSyntaxError) {
            let line = node.mark.map { ":\($0.line)" } ?? ""
            return RowFilter(formula: try DerivedFormula.parse(text), origin: "\(source)\(line): where")
        } catch {
            throw self.error(node, "'where': \(error) in '\(text)'")
        }
    }

    /// Derived variables in the codebook's own form: `name: formula` or `name: {formula, label}`.
    func derived(_ node: Node?) throws(CodebookError) -> [DerivedSpec] {
        guard let node else { return [] }
        guard let map = node.mapping else { throw error(node, "'derived' must map names to formulas") }
        var specs: [DerivedSpec] = []
        for (key, value) in map {
            guard let name = key.scalar?.string, !name.isEmpty else { throw error(key, "a derived variable needs a name") }
            var formulaNode = value
            var label: String?
            if let settings = value.mapping {
                try onlyKeys(settings, ["formula", "label"], what: "derived '\(name)'")
                guard let formula = settings["formula"] else { throw error(key, "derived '\(name)': no 'formula'") }
                formulaNode = formula
                label = try optionalString(settings, "label")
            }
            guard let text = formulaNode.scalar?.string else { throw error(formulaNode, "derived '\(name)': the formula must be text such as below(platelets, 150)") }
            do throws(FormulaSyntaxError) {
                specs.append(DerivedSpec(name: name, formula: try DerivedFormula.parse(text), label: label, line: key.mark?.line))
            } catch {
                throw self.error(formulaNode, "derived '\(name)': \(error) in '\(text)'")
            }
        }
        return specs
    }
}
