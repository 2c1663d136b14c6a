import Yams

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading YAML files (codebooks, published-figure lists, study files) with messages that name the
/// file and line, for every YAML file the toolkit reads.
///
/// This is the one place YAML text is read and parsed, so the limits that keep a hostile or broken
/// file harmless (issue 12) are applied here once, before Yams sees the text:
///
/// - at most ``maximumBytes``, read with a bounded buffer (a FIFO or `/dev/zero` cannot grow memory);
/// - no aliases (`*name`): an alias is the only way a few bytes of YAML become an unbounded tree
///   ("billion laughs"), and Yams hashes every mapping key in full while composing, so an alias bomb
///   used as a key costs exponential time before any node reaches us (measured: > 60 s for a
///   200-byte file). The toolkit's files are lists of names and never need one;
/// - at most ``maximumDepth`` levels of nesting, libyaml's own limit (its parser stops there, so
///   100,000 `[` fail at once), reported in words rather than libyaml's text.
public enum YAMLText {
    /// 1 MiB: the largest shipped codebook is 10 KB (60 variables), so this holds some 6,000
    /// declared variables. Measured on the debug build, a 1 MiB list of one-letter scalars costs
    /// Yams 1.1 s and 97 MB, and 4 MiB 5 s and 309 MB: the limit bounds memory and time together.
    public static let maximumBytes = 1 << 20
    /// libyaml's `MAX_NESTING_LEVEL`; the toolkit's files nest four or five levels.
    public static let maximumDepth = 1000

    /// The file's text. - Throws: ``CodebookError`` (unreadable, too large, or not UTF-8) naming `what` it is.
    public static func read(path: String, what: String) throws(CodebookError) -> String {
        func unreadable(_ reason: String) -> CodebookError {
            CodebookError(source: path, line: nil, message: "cannot read the \(what): \(reason)", isUnreadable: true)
        }
        let descriptor = path == "-" ? 0 : open(path, O_RDONLY)
        guard descriptor >= 0 else { throw unreadable(String(cString: strerror(errno))) }
        defer { if path != "-" { close(descriptor) } }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw unreadable(String(cString: strerror(errno))) }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw unreadable("it is a directory") }
        // Read at most one byte past the limit: enough to know the file is too large, whatever it is.
        var bytes = [UInt8](repeating: 0, count: maximumBytes + 1)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { readInto($0, from: count, descriptor) }
            if got < 0 {
                if errno == EINTR { continue }
                throw unreadable(String(cString: strerror(errno)))
            }
            if got == 0 { break }
            count += got
        }
        guard count <= maximumBytes else { throw tooLarge(source: path, what: "the \(what)") }
        guard let text = String(validating: bytes[..<count], as: UTF8.self) else {
            throw CodebookError(source: path, line: nil, message: "the \(what) is not valid UTF-8")
        }
        return text
    }

    /// The document's root node (nil for an empty document).
    /// - Throws: ``CodebookError`` with the line of the first syntax error, duplicated key or alias,
    ///   or for a text beyond the size or nesting limits.
    public static func compose(_ text: String, source: String) throws(CodebookError) -> Node? {
        guard text.utf8.count <= maximumBytes else { throw tooLarge(source: source, what: "the text") }
        if let alias = firstAlias(in: text) {
            throw CodebookError(source: source, line: alias.line,
                                message: "'\(alias.text)' is a YAML alias; the toolkit's YAML files take no anchors and aliases (&name, *name), which can make a small file expand without bound: write the value out")
        }
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

    /// The first key of `map` that is not one of `allowed` (nil when there is none): the one check
    /// behind every file's "unknown key" message, so a misspelt key is never silently ignored.
    public static func firstUnknownKey(_ map: Node.Mapping, allowed: [String]) -> (node: Node, name: String)? {
        map.keys.first { !allowed.contains($0.string ?? "") }.map { ($0, $0.string ?? "?") }
    }

    private static func tooLarge(source: String, what: String) -> CodebookError {
        CodebookError(source: source, line: nil, message: "\(what) is larger than \(maximumBytes >> 20) MiB; a codebook, study file or list of published figures is far smaller")
    }

    /// The first alias of `text` and its line, found without parsing: a `*` followed by an anchor
    /// character where a node may begin (at the start of a line after indentation, or after `:`,
    /// `-`, `?`, `[`, `{` or `,`). Deliberately over-cautious: it can flag such a `*` inside quoted
    /// text or a comment (rare in these files), but never misses an alias, which may only stand
    /// where a node begins.
    static func firstAlias(in text: String) -> (line: Int, text: String)? {
        // Bytes, not characters: every character that matters is ASCII, and a 1 MiB file is scanned
        // in milliseconds. libyaml's other line breaks (NEL, LS, PS) and the byte-order mark are
        // multi-byte; they reset the line start or count as blank like their ASCII kin.
        let bytes = Array(text.utf8)
        let nameEnds: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D, 0x2C, 0x5B, 0x5D, 0x7B, 0x7D]  // blank, break, , [ ] { }
        let nodeStarts: Set<UInt8> = [0x3A, 0x2D, 0x3F, 0x5B, 0x7B, 0x2C]  // : - ? [ { ,
        var line = 1
        var previous: UInt8?  // the last byte on this line that is not blank; nil at a line start
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let next = i + 1 < bytes.count ? bytes[i + 1] : 0, afterNext = i + 2 < bytes.count ? bytes[i + 2] : 0
            switch b {
            case 0x0A:
                line += 1
                previous = nil
            case 0x0D:
                if next != 0x0A { line += 1 }
                previous = nil
            case 0x20, 0x09:
                break
            case 0xC2 where next == 0x85:  // NEL
                line += 1
                previous = nil
                i += 1
            case 0xE2 where next == 0x80 && (afterNext == 0xA8 || afterNext == 0xA9):  // LS, PS
                line += 1
                previous = nil
                i += 2
            case 0xEF where next == 0xBB && afterNext == 0xBF:  // byte-order mark
                i += 2
            case 0x2A where (previous.map(nodeStarts.contains) ?? true) && i + 1 < bytes.count && !nameEnds.contains(next):
                let name = bytes[(i + 1)...].prefix { !nameEnds.contains($0) }.prefix(40)
                return (line, "*" + String(decoding: name, as: UTF8.self))
            default:
                previous = b
            }
            i += 1
        }
        return nil
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
            if problem.hasPrefix("Maximum nesting level reached") {
                return "lists and mappings are nested more than \(maximumDepth) levels deep (the toolkit's files need four or five)"
            }
            // libyaml notices an unclosed bracket or quote only where the next thing fails to fit,
            // often a line later: name the line where the construct began when it is another one.
            if let context, context.mark.line != mark.line { return "\(problem) (\(context.text) that starts on line \(context.mark.line))" }
            return problem
        default: return "\(error)"
        }
    }
}

/// `read(2)` into `buffer` from `offset`; a free function, where `read` is the C call and not ``YAMLText/read(path:what:)``.
private func readInto(_ buffer: UnsafeMutableRawBufferPointer, from offset: Int, _ descriptor: Int32) -> Int {
    guard let base = buffer.baseAddress else { return 0 }
    return read(descriptor, base + offset, buffer.count - offset)
}
