import CohortData
import CohortReport
import Yams

/// Reading a request's fields, the same way for every request: lists may be written as one value,
/// defaults are the request's own (`Self()`), and a field the YAML gives in the wrong form names the
/// key and what it must be.
extension KeyedDecodingContainer {
    /// `key`'s value, or nil when absent.
    func value<T: Decodable>(_ key: Key) throws -> T? { try decodeIfPresent(T.self, forKey: key) }

    /// A list of texts; a single value counts as a list of one (`covariates: age`).
    func list(_ key: Key) throws -> [String]? {
        guard contains(key) else { return nil }
        if let single = try? decode(String.self, forKey: key) { return [single] }
        return try decode([String].self, forKey: key)
    }

    /// A list of numbers; a single number counts as a list of one.
    func numbers(_ key: Key) throws -> [Double]? {
        guard contains(key) else { return nil }
        if let single = try? decode(Double.self, forKey: key) { return [single] }
        return try decode([Double].self, forKey: key)
    }
}

/// Decodes a study file's `outputs:` entry (or a published figure's analysis) into its request,
/// every mistake a ``CohortData/CodebookError`` naming the file, the line and the key.
struct RequestDecoder {
    let source: String

    func error(_ node: Node?, _ message: String) -> CodebookError {
        CodebookError(source: source, line: node?.mark?.line, message: message)
    }

    /// - Parameters:
    ///   - node: the output's mapping; keys other than the request's and `extraKeys` are refused.
    ///   - what: how messages name the output (`output 'x' (logit)`).
    ///   - defaults: values for keys the node leaves out, when the request has them (the study's
    ///     `options: {level: ...}`).
    func decode<R: AnalysisRequest>(_ type: R.Type, from node: Node, extraKeys: [String], what: String,
                                    defaults: [String: Node] = [:]) throws(CodebookError) -> R {
        guard var map = node.mapping else { throw error(node, "\(what) must be a mapping") }
        let keys = R.Keys.allCases.map(\.rawValue)
        if let (key, name) = YAMLText.firstUnknownKey(map, allowed: extraKeys + keys) {
            let close = keys.filter { $0.replacingOccurrences(of: "_", with: "") == name.replacingOccurrences(of: "_", with: "").replacingOccurrences(of: "-", with: "").lowercased() }
            let hint = close.first.map { "; did you mean '\($0)'?" } ?? ""
            throw error(key, "\(what): unknown key '\(name)'\(hint); the keys of \(R.kind) are \(keys.joined(separator: ", "))")
        }
        for extra in extraKeys { map[extra] = nil }
        for (key, value) in defaults where keys.contains(key) && map[key] == nil { map[key] = value }
        let request: R
        do {
            request = try YAMLDecoder().decode(R.self, from: Node.mapping(map))
        } catch let failure as DecodingError {
            throw explain(failure, fields: R.fields, map: map, at: node, what: what)
        } catch {
            throw self.error(node, "\(what): \(error)")
        }
        do throws(RequestError) {
            try request.validate()
        } catch {
            throw self.error(failure: error, map: map, at: node, what: what)
        }
        return request
    }

    /// A ``RequestError`` at the line of its key (the output's line when the key is absent).
    func error(failure: RequestError, map: Node.Mapping, at node: Node, what: String) -> CodebookError {
        let keyNode = failure.field.flatMap { map[$0] } ?? node
        return error(keyNode, "\(what): " + failure.text(.studyFile))
    }

    /// A decoding failure as the key's line and what the key must hold (from `fields`).
    func explain(_ failure: DecodingError, fields: [FieldDoc], map: Node.Mapping, at node: Node, what: String) -> CodebookError {
        let path: [any CodingKey]
        switch failure {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        @unknown default: path = []
        }
        guard let key = path.first?.stringValue, let doc = fields.first(where: { $0.key == key }) else {
            return error(node, "\(what): \(failure)")
        }
        if case .keyNotFound = failure, map[key] == nil { return error(node, "\(what): '\(key)' is missing (\(doc.type))") }
        return error(map[key] ?? node, "\(what): '\(key)' must be \(doc.type)" + Self.given(map[key]))
    }

    /// `, got 'TEXT'` for a scalar the key holds (nothing for a list or mapping).
    static func given(_ node: Node?) -> String {
        guard let text = node?.scalar?.string else { return "" }
        return ", got '\(text)'"
    }
}
