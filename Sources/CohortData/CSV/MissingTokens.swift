/// Missing-value tokens, compared after stripping surrounding spaces; a table of the tokens' first
/// bytes rejects most fields (numbers) with one lookup.
struct MissingTokens: Sendable {
    let tokens: [[UInt8]]
    let firstBytes: [Bool]
    let matchesEmpty: Bool
    /// A token that reads as a number (`-99`): fields must then be compared as text before they
    /// are converted, so the parser's scan-and-convert path is off.
    let includesNumber: Bool

    init(_ tokens: [String]) {
        self.tokens = tokens.map { Array($0.trimmingSpaces().utf8) }
        var first = [Bool](repeating: false, count: 256)
        for token in self.tokens where !token.isEmpty { first[Int(token[0])] = true }
        firstBytes = first
        matchesEmpty = self.tokens.contains { $0.isEmpty }
        includesNumber = tokens.contains { NumberParser.parse($0) != nil }
    }

    func contains(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0, end = field.count
        while start < end, field[start] == 0x20 { start += 1 }
        if start == end { return matchesEmpty }
        if !firstBytes[Int(field[start])] { return false }
        while end > start, field[end - 1] == 0x20 { end -= 1 }
        let length = end - start
        tokenLoop: for token in tokens where token.count == length {
            for k in 0..<length where token[k] != field[start + k] { continue tokenLoop }
            return true
        }
        return false
    }
}

extension String {
    /// The string without leading and trailing spaces (field values, header names, option lists).
    public func trimmingSpaces() -> String {
        guard first == " " || last == " " else { return self }
        return String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
