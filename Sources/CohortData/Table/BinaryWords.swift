/// The spellings a yes/no value may take in a data file, compared in lower case: one list for the
/// codebook's `binary` type, the starter codebook's guesses and a model's outcome coding.
public enum BinaryWords {
    /// Present, true, the event.
    public static let present: Set<String> = ["1", "true", "yes", "y", "t"]
    /// Absent, false, no event.
    public static let absent: Set<String> = ["0", "false", "no", "n", "f"]

    /// 1 for a present word, 0 for an absent one, nil for anything else (any case).
    public static func value(_ text: String) -> Double? {
        let word = text.lowercased()
        return present.contains(word) ? 1 : absent.contains(word) ? 0 : nil
    }
}
