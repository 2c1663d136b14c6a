import ArgumentParser
import CohortData

/// How much input one field, one record and one stream may hold (issue 12): `/dev/zero`, an
/// endless pipe or a file of one 10 GB line stop with an error naming the line and the limit.
/// Part of ``CSVReadingOptions``; every command that reads a data file applies them through
/// ``applied(to:)``.
struct InputLimitOptions: ParsableArguments {
    @Option(name: .customLong("max-field-bytes"), help: ArgumentHelp(
        "The longest field accepted, in bytes; a longer one stops the reading with an error naming its line and column. Default: 16 MiB (\(CSVOptions.defaultMaxFieldBytes)).",
        valueName: "n"))
    var maxFieldBytes: Int = CSVOptions.defaultMaxFieldBytes

    @Option(name: .customLong("max-record-bytes"), help: ArgumentHelp(
        "The longest record (line) accepted, in bytes; a longer one stops the reading with an error naming its line. Default: 64 MiB (\(CSVOptions.defaultMaxRecordBytes)).",
        valueName: "n"))
    var maxRecordBytes: Int = CSVOptions.defaultMaxRecordBytes

    @Option(name: .customLong("max-stream-bytes"), help: ArgumentHelp(
        "The most read from standard input or a pipe (held in memory; a file is mapped instead). Default: 1 GiB (\(CSVOptions.defaultMaxStreamBytes)).",
        valueName: "n"))
    var maxStreamBytes: Int = CSVOptions.defaultMaxStreamBytes

    func validate() throws {
        guard maxFieldBytes >= 1, maxRecordBytes >= 1, maxStreamBytes >= 1 else {
            throw ValidationError("--max-field-bytes, --max-record-bytes and --max-stream-bytes must be at least 1, got \(maxFieldBytes), \(maxRecordBytes) and \(maxStreamBytes)")
        }
    }

    /// `options` with these limits.
    func applied(to options: CSVOptions) -> CSVOptions {
        var options = options
        options.maxFieldBytes = maxFieldBytes
        options.maxRecordBytes = maxRecordBytes
        options.maxStreamBytes = maxStreamBytes
        return options
    }
}
