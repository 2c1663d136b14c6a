import CohortData
import Yams

/// Reading the fields of a YAML file the toolkit defines (study files, published-figure lists),
/// every mistake a ``CohortData/CodebookError`` that names the file and line.
public protocol YAMLFieldReader {
    /// The file, for messages.
    var source: String { get }
}

extension YAMLFieldReader {
    public func error(_ node: Node?, _ message: String) -> CodebookError {
        CodebookError(source: source, line: node?.mark?.line, message: message)
    }

    public func optionalString(_ map: Node.Mapping, _ key: String) throws(CodebookError) -> String? {
        guard let node = map[key] else { return nil }
        guard let text = node.scalar?.string else { throw error(node, "'\(key)' must be text") }
        return text
    }

    public func string(_ map: Node.Mapping, _ key: String, at parent: Node) throws(CodebookError) -> String {
        guard let text = try optionalString(map, key) else { throw error(parent, "'\(key)' is missing") }
        return text
    }

    public func list(_ map: Node.Mapping, _ key: String, at parent: Node) throws(CodebookError) -> [Node] {
        guard let node = map[key] else { throw error(parent, "'\(key)' is missing") }
        guard let items = node.sequence else { throw error(node, "'\(key)' must be a list") }
        return Array(items)
    }

    /// `key`'s number, nil when absent.
    /// - Throws: when it is not a number, or outside `rule` (the message names the key and the range).
    public func number(_ map: Node.Mapping, _ key: String, _ rule: NumberRule) throws(CodebookError) -> Double? {
        guard let node = map[key] else { return nil }
        return try number(node, key, rule)
    }

    /// The number `node` holds, within `rule`; `key` names it in messages.
    public func number(_ node: Node, _ key: String, _ rule: NumberRule) throws(CodebookError) -> Double {
        guard let text = node.scalar?.string, let value = Double(text) else { throw error(node, "'\(key)' must be a number (\(rule.expected))") }
        if let problem = rule.problem("'\(key)'", value, as: text) { throw error(node, problem) }
        return value
    }

    /// Refuses any key of `map` not in `allowed`, naming it, its line and the keys allowed there:
    /// a misspelt key is never silently ignored.
    public func onlyKeys(_ map: Node.Mapping, _ allowed: [String], what: String) throws(CodebookError) {
        if let (key, name) = YAMLText.firstUnknownKey(map, allowed: allowed) {
            throw error(key, "\(what): unknown key '\(name)'; the keys are \(allowed.joined(separator: ", "))")
        }
    }
}
