import Yams

/// Reading YAML files (codebooks, published-figure lists, study files) with messages that name the
/// file and line, for every YAML file the toolkit reads.
public enum YAMLText {
    /// The file's text. - Throws: ``CodebookError`` (unreadable, or not UTF-8) naming `what` it is.
    public static func read(path: String, what: String) throws(CodebookError) -> String {
        let bytes: [UInt8]
        do {
            let input = try InputBytes(path: path, source: path)
            bytes = withExtendedLifetime(input) { Array(input.buffer) }
        } catch {
            let reason = if case .fileUnreadable(_, let reason) = error { reason } else { error.description }
            throw CodebookError(source: path, line: nil, message: "cannot read the \(what): \(reason)", isUnreadable: true)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CodebookError(source: path, line: nil, message: "the \(what) is not valid UTF-8")
        }
        return text
    }

    /// The document's root node (nil for an empty document).
    /// - Throws: ``CodebookError`` with the line of the first syntax error or duplicated key.
    public static func compose(_ text: String, source: String) throws(CodebookError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch YamlError.duplicatedKeysInMapping(let duplicates, let context) {
            // Yams's own text is several lines with the whole file in it; one line names the key
            // and its first place (most often a variable declared twice).
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            throw CodebookError(source: source, line: context.mark.line > 0 ? context.mark.line : nil,
                                message: "\(duplicates.count == 1 ? "the key \(keys) appears" : "the keys \(keys) appear") more than once in the same mapping; give each once")
        } catch let error as YamlError {
            throw CodebookError(source: source, line: line(error), message: "not valid YAML: \(message(error))")
        } catch {
            throw CodebookError(source: source, line: nil, message: "not valid YAML: \(error)")
        }
    }

    private static func line(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    private static func message(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            // libyaml notices an unclosed bracket or quote only where the next thing fails to fit,
            // often a line later: name the line where the construct began when it is another one.
            if let context, context.mark.line != mark.line { "\(problem) (\(context.text) that starts on line \(context.mark.line))" } else { problem }
        default: "\(error)"
        }
    }
}
