/// One JSON schema with and without small-cell suppression (issue 13): an analysis's JSON is built
/// with every value, then the values its suppressed tables hide are written as `null` and listed
/// by their JSON Pointers (RFC 6901) under a top-level `suppression` key, present in every case:
///
/// ```json
/// "suppression": {"below": 3, "hidden": ["/rows/0/events", "/rows/0/proportion"]}
/// "suppression": {"below": null, "hidden": []}
/// ```
///
/// Which values are hidden is never decided here: each builder asks the same function its table
/// asks (``Suppression/statuses(_:constraints:fixed:)`` and the functions built on it) and turns
/// the statuses into pointers.
extension JSONValue {
    /// The pointer of `tokens` (keys and array indices), each escaped as RFC 6901 says (`~` as
    /// `~0`, `/` as `~1`): `pointer("rows", 2, "events")` is `/rows/2/events`.
    public static func pointer(_ tokens: any CustomStringConvertible...) -> String {
        tokens.map { "/" + $0.description.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }.joined()
    }

    /// This value with the values at `pointers` (relative to it, under `prefix`) written as null,
    /// and those pointers (with `prefix`) in document order. Every pointer must name a value that
    /// exists: a pointer that names none is a builder's mistake (a renamed key), caught in tests.
    public func hiding(_ pointers: Set<String>, prefix: String = "") -> (value: JSONValue, hidden: [String]) {
        guard !pointers.isEmpty else { return (self, []) }
        var hidden: [String] = []
        let value = walk(path: "", pointers: pointers, prefix: prefix, hidden: &hidden)
        assert(hidden.count == pointers.count, "no value at \(pointers.subtracting(hidden.map { String($0.dropFirst(prefix.count)) }).sorted())")
        return (value, hidden)
    }

    private func walk(path: String, pointers: Set<String>, prefix: String, hidden: inout [String]) -> JSONValue {
        if pointers.contains(path) {
            hidden.append(prefix + path)
            return .null
        }
        switch self {
        case .array(let items):
            return .array(items.enumerated().map { i, item in item.walk(path: path + "/\(i)", pointers: pointers, prefix: prefix, hidden: &hidden) })
        case .object(let pairs):
            return .object(pairs.map { key, value in (key, value.walk(path: path + Self.pointer(key), pointers: pointers, prefix: prefix, hidden: &hidden)) })
        default:
            return self
        }
    }

    /// The value of the `suppression` key: `below` is K (null without suppression), `hidden` the
    /// pointers of the values written as null because the suppressed tables hide them.
    public static func suppression(_ rule: Suppression, hidden: [String]) -> JSONValue {
        .object([("below", rule.isActive ? .integer(rule.threshold) : .null), ("hidden", .array(hidden.map(JSONValue.string)))])
    }

    /// This object with the values at `pointers` written as null and the `suppression` key added last.
    public func suppressed(_ pointers: Set<String>, rule: Suppression) -> JSONValue {
        var (value, hidden) = hiding(pointers)
        value.append("suppression", .suppression(rule, hidden: hidden))
        return value
    }
}
