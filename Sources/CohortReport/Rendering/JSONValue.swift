import CohortData

/// A minimal JSON document model with deterministic output: keys keep insertion order, numbers are
/// written in shortest round-trip form, and non-finite numbers become `null` (JSON has no NaN).
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.rendered() == b.rendered() }

    /// `nil` and non-finite values become `null`.
    public static func optionalNumber(_ x: Double?) -> JSONValue {
        guard let x, x.isFinite else { return .null }
        return .number(x)
    }

    public mutating func append(_ key: String, _ value: JSONValue) {
        guard case .object(var pairs) = self else { preconditionFailure("append on a non-object") }
        pairs.append((key, value))
        self = .object(pairs)
    }

    /// Compact when `indent` is nil; otherwise pretty-printed with that many spaces per level.
    public func rendered(indent: Int? = nil) -> String {
        var out = ""
        write(to: &out, indent: indent, level: 0)
        return out
    }

    /// This object rendered with one more pair, `key`, whose value is an array of `count` items
    /// made one at a time by `item` as they are written: the same text as `rendered(indent:)` of
    /// the whole, without the whole as a tree in memory (a description of 300,000 variables was a
    /// gigabyte of it; issue 12). `reserving` bytes are reserved first: pages never written cost
    /// no memory, a string grown by doubling costs its copies. `then` gives pairs written after
    /// the array, asked for once every item is written.
    func rendered(indent: Int?, appendingArray key: String, count: Int, reserving capacity: Int = 0, item: (Int) -> JSONValue,
                  then trailing: () -> [(String, JSONValue)] = { [] }) -> String {
        guard case .object(let pairs) = self else { preconditionFailure("appendingArray on a non-object") }
        let newline = indent == nil ? "" : "\n"
        let separator = indent == nil ? ":" : ": "
        let pad = { (l: Int) in String(repeating: " ", count: (indent ?? 0) * l) }
        var out = ""
        out.reserveCapacity(capacity)
        out += "{" + newline
        for (key, value) in pairs {
            out += pad(1) + Self.quote(key) + separator
            value.write(to: &out, indent: indent, level: 1)
            out += "," + newline
        }
        out += pad(1) + Self.quote(key) + separator
        if count == 0 {
            out += "[]"
        } else {
            out += "[" + newline
            let itemPad = pad(2)
            for i in 0..<count {
                out += itemPad
                item(i).write(to: &out, indent: indent, level: 2)
                out += (i + 1 < count ? "," : "") + newline
            }
            out += pad(1) + "]"
        }
        for (key, value) in trailing() {
            out += "," + newline + pad(1) + Self.quote(key) + separator
            value.write(to: &out, indent: indent, level: 1)
        }
        out += newline + "}"
        return out
    }

    private func write(to out: inout String, indent: Int?, level: Int) {
        let newline = indent == nil ? "" : "\n"
        let pad = { (l: Int) in String(repeating: " ", count: (indent ?? 0) * l) }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .number(let x): out += x.isFinite ? NumberText.shortest(x) : "null"
        case .string(let s): out += Self.quote(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[" + newline
            for (i, item) in items.enumerated() {
                out += pad(level + 1)
                item.write(to: &out, indent: indent, level: level + 1)
                out += (i + 1 < items.count ? "," : "") + newline
            }
            out += pad(level) + "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{" + newline
            for (i, (key, value)) in pairs.enumerated() {
                out += pad(level + 1) + Self.quote(key) + (indent == nil ? ":" : ": ")
                value.write(to: &out, indent: indent, level: level + 1)
                out += (i + 1 < pairs.count ? "," : "") + newline
            }
            out += pad(level) + "}"
        }
    }

    static func quote(_ s: String) -> String { QuotedText.doubleQuoted(s) }
}
