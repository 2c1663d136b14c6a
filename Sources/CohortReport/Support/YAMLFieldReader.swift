import CohortData
import Yams

/// Reading the fields of a YAML file the toolkit defines (study files, published-figure lists),
/// every mistake a ``CohortData/CodebookError`` that names the file and line.
protocol YAMLFieldReader {
    /// The file, for messages.
    var source: String { get }
}

extension YAMLFieldReader {
    func error(_ node: Node?, _ message: String) -> CodebookError {
        CodebookError(source: source, line: node?.mark?.line, message: message)
    }

    func optionalString(_ map: Node.Mapping, _ key: String) throws(CodebookError) -> String? {
        guard let node = map[key] else { return nil }
        guard let text = node.scalar?.string else { throw error(node, "'\(key)' must be text") }
        return text
    }

    func string(_ map: Node.Mapping, _ key: String, at parent: Node) throws(CodebookError) -> String {
        guard let text = try optionalString(map, key) else { throw error(parent, "'\(key)' is missing") }
        return text
    }

    func list(_ map: Node.Mapping, _ key: String, at parent: Node) throws(CodebookError) -> [Node] {
        guard let node = map[key] else { throw error(parent, "'\(key)' is missing") }
        guard let items = node.sequence else { throw error(node, "'\(key)' must be a list") }
        return Array(items)
    }
}
