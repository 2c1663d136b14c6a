import CohortData
import CohortReport
import CohortStats
import Yams

extension StudyReader {
    /// One entry of `outputs`: `name`, `type` (a command's name), optional `title`, then the
    /// request's own keys, decoded into the same request the command builds from its flags.
    func output(_ node: Node, options: StudyOptions) throws(CodebookError) -> StudyOutput {
        guard let map = node.mapping else { throw error(node, "each output must be a mapping with 'name' and 'type'") }
        let name = try string(map, "name", at: node)
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), name.first != "-" else {
            throw error(map["name"], "output name '\(name)' must be letters, digits, - and _ (it becomes a file name)")
        }
        let type = try string(map, "type", at: node)
        let title = try optionalString(map, "title")
        guard let kind = AnalysisKinds.entries.first(where: { $0.kind == type }) else {
            let renamed = AnalysisKinds.renamedTypes[type].map { " ('\(type)' is now called '\($0)', the command's name)" } ?? ""
            throw error(map["type"], "output '\(name)': unknown type '\(type)'\(renamed); one of \(AnalysisKinds.entries.map(\.kind).joined(separator: ", "))")
        }
        let what = "output '\(name)' (\(type))"
        let ownKeys = kind.keys
        if let (key, old) = map.keys.lazy.compactMap({ (key: Node) -> (Node, String)? in
            guard let text = key.string, AnalysisKinds.renamedKeys[text] != nil, !ownKeys.contains(text) else { return nil }
            return (key, text)
        }).first {
            throw error(key, "\(what): '\(old)' is now called '\(AnalysisKinds.renamedKeys[old] ?? old)' (the command-line option's name)")
        }
        var defaults: [String: Node] = [:]
        if let level = options.level, kind.usesStudyLevel { defaults["level"] = Node(NumberText.shortest(level)) }
        let request = try kind.decode(node, RequestDecoder(source: source), what, defaults)
        return StudyOutput(name: name, title: title, request: request, line: node.mark?.line)
    }

    func options(_ node: Node?) throws(CodebookError) -> StudyOptions {
        var options = StudyOptions()
        guard let node else { return options }
        guard let map = node.mapping else { throw error(node, "'options' must be a mapping") }
        let keys = StudyOptions.fields.map(\.key)
        try onlyKeys(map, keys, what: "options")
        if map["p_style"]?.scalar?.string == "three-decimals" {
            throw error(map["p_style"], "options: 'p_style: three-decimals' is now 'p_style: standard' (the command line's --p-style name)")
        }
        var styleMap = map
        styleMap["level"] = nil
        styleMap["formats"] = nil
        do {
            options.style = try YAMLDecoder().decode(ReportStyle.self, from: Node.mapping(styleMap))
        } catch let failure as DecodingError {
            throw RequestDecoder(source: source).explain(failure, fields: StudyOptions.fields, map: map, at: node, what: "options")
        } catch {
            throw self.error(node, "options: \(error)")
        }
        do throws(RequestError) {
            try options.style.validate()
        } catch {
            throw self.error(error.field.flatMap { map[$0] } ?? node, "options: " + error.description)
        }
        options.level = try number(map, "level", InputRules.confidenceLevel)
        options.formats = try formats(map["formats"])
        return options
    }

    /// `formats:` as a list (`[md, docx]`) or one comma-separated text, each a `--format-set` name.
    func formats(_ node: Node?) throws(CodebookError) -> [String]? {
        guard let node else { return nil }
        let known = BatchReport.formatNames.map(\.name)
        var names: [String] = []
        for item in node.sequence.map(Array.init) ?? [node] {
            guard let text = item.scalar?.string else { throw error(item, "options: formats must be a list of format names (\(known.joined(separator: ", ")))") }
            for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !names.contains(name) {
                guard known.contains(name) else { throw error(item, "options: formats: unknown format '\(name)'; use \(known.joined(separator: ", "))") }
                names.append(name)
            }
        }
        guard !names.isEmpty else { throw error(node, "options: formats must name at least one of \(known.joined(separator: ", "))") }
        return names
    }
}

