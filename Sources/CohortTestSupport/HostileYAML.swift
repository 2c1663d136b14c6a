/// YAML texts built to hurt a reader (issue 12): each is small, and read naively costs unbounded
/// time, memory or stack. Shared by the codebook, study-file, published-figure and CLI tests.
public enum HostileYAML {
    /// "Billion laughs": `levels` anchors of nine aliases to the one before, 9^levels scalars when
    /// expanded. With `asKeys`, the last two are used as mapping keys, which Yams hashes in full while
    /// composing (over a minute for 9 levels before the guard); else as plain values.
    public static func aliasBomb(levels: Int = 9, asKeys: Bool = true) -> String {
        let names = (0...levels).map { "l\($0)" }
        var lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for (previous, name) in zip(names, names.dropFirst()) {
            lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]")
        }
        let last = names[levels], before = names[levels - 1]
        lines.append(asKeys ? "bomb: {? *\(last) : 1, ? *\(before) : 2}" : "bomb: [*\(last), *\(last)]")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `key: [[[[...` nested `depth` times, never closed.
    public static func deepNesting(_ depth: Int = 100_000, key: String = "variables") -> String {
        key + ": " + String(repeating: "[", count: depth) + "\n"
    }
}
