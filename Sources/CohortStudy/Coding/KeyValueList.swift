import CohortData
import CohortReport

/// Ordered `name=value` pairs: reference levels (`factor`), term labels, event-day columns.
///
/// Written `NAME=VALUE` on the command line (repeated or comma-separated) and as a mapping in a
/// study file (`{disease: LBCL}`), in the order given, which matters where the first listed wins
/// (an event type's tie). Encoded as a list of `NAME=VALUE` texts, never as a dictionary whose
/// order would change from run to run.
public struct KeyValueList: Sendable, Equatable, Codable, Sequence {
    public var pairs: [(name: String, value: String)]

    public init(_ pairs: [(name: String, value: String)] = []) { self.pairs = pairs }

    public static func == (a: KeyValueList, b: KeyValueList) -> Bool {
        a.pairs.map(\.name) == b.pairs.map(\.name) && a.pairs.map(\.value) == b.pairs.map(\.value)
    }

    public var isEmpty: Bool { pairs.isEmpty }
    public var names: [String] { pairs.map(\.name) }
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { pairs.makeIterator() }
    public subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// The pairs as a dictionary (the names are distinct: ``firstRepeatedName`` is checked by validation).
    public var dictionary: [String: String] { Dictionary(pairs, uniquingKeysWith: { first, _ in first }) }

    /// The first name given twice, which would make one of its values silently unused.
    public var firstRepeatedName: String? {
        var seen: Set<String> = []
        return pairs.first { !seen.insert($0.name).inserted }?.name
    }

    /// `NAME=VALUE` texts (each may hold several, comma-separated, unless `splittingCommas` is
    /// false: a reference level may hold a comma); the failure names the text that is not one.
    public static func parse(_ texts: [String], splittingCommas: Bool = true) -> Result<KeyValueList, ParseFailure> {
        var pairs: [(name: String, value: String)] = []
        for text in texts {
            for item in splittingCommas ? text.split(separator: ",", omittingEmptySubsequences: false) : [Substring(text)] {
                let parts = item.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return .failure(ParseFailure(text: String(item))) }
                pairs.append((parts[0], parts[1]))
            }
        }
        return .success(KeyValueList(pairs))
    }

    public struct ParseFailure: Error, Sendable {
        public let text: String
    }

    private struct NameKey: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        if let map = try? decoder.container(keyedBy: NameKey.self) {
            // A mapping, in the order written.
            self.init(try map.allKeys.map { ($0.stringValue, try map.decode(String.self, forKey: $0)) })
            return
        }
        let texts: [String]
        if let list = try? decoder.singleValueContainer().decode([String].self) {
            texts = list
        } else {
            texts = [try decoder.singleValueContainer().decode(String.self)]
        }
        switch Self.parse(texts) {
        case .success(let list): self = list
        case .failure(let failure):
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected NAME=VALUE, got '\(failure.text)'"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var list = encoder.unkeyedContainer()
        for pair in pairs { try list.encode("\(pair.name)=\(pair.value)") }
    }
}
