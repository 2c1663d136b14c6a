// swift-csv-packages-bench: how fast two third-party Swift CSV packages parse one CSV file.
//
//   swift-csv-packages-bench FILE.csv [--repeats N] [--tools LIST]
//
//   --repeats N   timed repeats per tool (default 3); the median is reported
//   --tools LIST  comma-separated, in this order of output (default: csvswift,swiftcsv):
//                   csvswift            CSV.swift 2.5.2: CSVReader(string:hasHeaderRow: true), next() until nil
//                   swiftcsv            SwiftCSV 0.10.0: EnumeratedCSV(string:delimiter: .comma, loadColumns: false),
//                                       then every field of .rows
//                   swiftcsv-enumerate  SwiftCSV 0.10.0: EnumeratedCSV(..., rowLimit: 0) (header only), then
//                                       enumerateAsArray(startAt: 1, rowLimit: nil) { row in ... } (streams, keeps no rows)
//                   swiftcsv-named      SwiftCSV 0.10.0: CSV<Named>(string:delimiter: .comma, loadColumns: false),
//                                       then every value of .rows (one [String: String] per row)
//
// The file is read into memory N times (Data, then String(decoding:as: UTF8.self)); that read is timed on its own
// (`"tool": "read"`, also median of N) and is NOT part of any parse time. Each parse repeat starts from the same
// in-memory String and touches every field (sums the UTF-8 byte counts), so nothing can be optimised away; the
// rows, fields and byte totals are printed so that the tools can be checked against each other.
//
// Output: one JSON line per tool on stdout: key, tool, version, api, repeats, times_s (wall), median_s, mb_per_s
// (file bytes / 1e6 / median_s), cpu_times_s and median_cpu_s (this process's CPU time), rows (data rows, header
// excluded), fields, field_bytes, file_bytes.

import CSV        // yaslab/CSV.swift: CSVReader
import Foundation
import SwiftCSV   // swiftcsv/SwiftCSV: EnumeratedCSV, CSV<Named>

struct Usage: Error, CustomStringConvertible { let description: String }

struct Counts: Equatable {
    var rows = 0
    var fields = 0
    var bytes = 0
}

func seconds(_ d: Duration) -> Double {
    let c = d.components
    return Double(c.seconds) + Double(c.attoseconds) * 1e-18
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    let n = s.count
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
}

/// CPU time of this process (user + system, all threads), in seconds. Beside the wall time because the machine
/// may be shared: time spent waiting for a core while something else runs counts in wall time only.
func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

struct Timings {
    var wall: [Double] = []
    var cpu: [Double] = []
}

/// Runs `body` `repeats` times, returns the wall and CPU times and the counts (all runs must agree).
func timed<T: Equatable>(_ repeats: Int, _ body: () throws -> T) throws -> (Timings, T) {
    let clock = ContinuousClock()
    var t = Timings()
    var last: T?
    for _ in 0..<repeats {
        var result: T?
        let c0 = processCPUSeconds()
        let d = try clock.measure { result = try body() }
        t.cpu.append(processCPUSeconds() - c0)
        t.wall.append(seconds(d))
        if let prev = last, prev != result! {
            throw Usage(description: "results differ between repeats: \(prev) vs \(result!)")
        }
        last = result
    }
    return (t, last!)
}

// MARK: - the parsers

/// CSV.swift: the streaming reader over the String's unicode scalars; header row read by the initializer.
func parseCSVSwift(_ text: String) throws -> Counts {
    let reader = try CSVReader(string: text, hasHeaderRow: true)
    var c = Counts()
    while let row = reader.next() {
        c.rows += 1
        c.fields += row.count
        for field in row { c.bytes &+= field.utf8.count }
    }
    if let error = reader.error { throw error }
    return c
}

/// SwiftCSV, the fastest documented whole-string API: EnumeratedCSV with loadColumns: false
/// ("To speed things up, skip populating by-column access completely", README); rows become [[String]].
func parseSwiftCSV(_ text: String) throws -> Counts {
    let csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false)
    var c = Counts()
    for row in csv.rows {
        c.rows += 1
        c.fields += row.count
        for field in row { c.bytes &+= field.utf8.count }
    }
    return c
}

/// SwiftCSV's row callback (README "parsed and passed to a block on the fly"): the CSV object is made with
/// rowLimit: 0 so that its initializer parses the header only, then enumerateAsArray streams the data rows.
func parseSwiftCSVEnumerate(_ text: String) throws -> Counts {
    let csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false, rowLimit: 0)
    final class Box: @unchecked Sendable { var c = Counts() }
    let box = Box()
    try csv.enumerateAsArray(startAt: 1, rowLimit: nil) { row in
        box.c.rows += 1
        box.c.fields += row.count
        for field in row { box.c.bytes &+= field.utf8.count }
    }
    return box.c
}

/// SwiftCSV's named view: one dictionary per row.
func parseSwiftCSVNamed(_ text: String) throws -> Counts {
    let csv = try CSV<Named>(string: text, delimiter: .comma, loadColumns: false)
    var c = Counts()
    for row in csv.rows {
        c.rows += 1
        c.fields += row.count
        for (_, value) in row { c.bytes &+= value.utf8.count }
    }
    return c
}

struct Tool {
    let key: String
    let name: String
    let version: String
    let api: String
    let run: (String) throws -> Counts
}

func allTools() -> [String: Tool] { [
    "csvswift": Tool(
        key: "csvswift", name: "CSV.swift", version: "2.5.2",
        api: "CSVReader(string:hasHeaderRow: true), next() until nil", run: parseCSVSwift),
    "swiftcsv": Tool(
        key: "swiftcsv", name: "SwiftCSV", version: "0.10.0",
        api: "EnumeratedCSV(string:delimiter: .comma, loadColumns: false), then .rows", run: parseSwiftCSV),
    "swiftcsv-enumerate": Tool(
        key: "swiftcsv-enumerate", name: "SwiftCSV", version: "0.10.0",
        api: "EnumeratedCSV(..., rowLimit: 0) then enumerateAsArray(startAt: 1)", run: parseSwiftCSVEnumerate),
    "swiftcsv-named": Tool(
        key: "swiftcsv-named", name: "SwiftCSV", version: "0.10.0",
        api: "CSV<Named>(string:delimiter: .comma, loadColumns: false), then .rows", run: parseSwiftCSVNamed),
] }

// MARK: - main

func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        default:
            if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
        }
    }
    return out + "\""
}

func emit(key: String, tool: String, version: String, api: String, timings: Timings, counts: Counts?, fileBytes: Int) {
    let times = timings.wall
    let med = median(times)
    var fields = [
        "\"key\": \(jsonString(key))",
        "\"tool\": \(jsonString(tool))",
        "\"version\": \(jsonString(version))",
        "\"api\": \(jsonString(api))",
        "\"repeats\": \(times.count)",
        "\"times_s\": [\(times.map { String(format: "%.6f", $0) }.joined(separator: ", "))]",
        "\"median_s\": \(String(format: "%.6f", med))",
        "\"mb_per_s\": \(String(format: "%.3f", Double(fileBytes) / 1e6 / med))",
        "\"cpu_times_s\": [\(timings.cpu.map { String(format: "%.6f", $0) }.joined(separator: ", "))]",
        "\"median_cpu_s\": \(String(format: "%.6f", median(timings.cpu)))",
    ]
    if let c = counts {
        fields += ["\"rows\": \(c.rows)", "\"fields\": \(c.fields)", "\"field_bytes\": \(c.bytes)"]
    }
    fields.append("\"file_bytes\": \(fileBytes)")
    print("{" + fields.joined(separator: ", ") + "}")
}

func main() throws {
    let tools = allTools()
    var args = Array(CommandLine.arguments.dropFirst())
    var repeats = 3
    var toolKeys = ["csvswift", "swiftcsv"]
    var path: String?
    while !args.isEmpty {
        let a = args.removeFirst()
        switch a {
        case "--repeats":
            guard let v = args.first.flatMap(Int.init), v >= 1 else { throw Usage(description: "--repeats needs N >= 1") }
            repeats = v; args.removeFirst()
        case "--tools":
            guard let v = args.first else { throw Usage(description: "--tools needs a list") }
            toolKeys = v.split(separator: ",").map(String.init); args.removeFirst()
        case "-h", "--help":
            print("usage: swift-csv-packages-bench FILE.csv [--repeats N] [--tools \(tools.keys.sorted().joined(separator: ","))]")
            return
        default:
            if a.hasPrefix("-") || path != nil { throw Usage(description: "unexpected argument '\(a)'") }
            path = a
        }
    }
    guard let path else { throw Usage(description: "usage: swift-csv-packages-bench FILE.csv [--repeats N] [--tools LIST]") }
    for k in toolKeys where tools[k] == nil {
        throw Usage(description: "unknown tool '\(k)' (known: \(tools.keys.sorted().joined(separator: ", ")))")
    }

    // (a) the read into memory, timed on its own; the String of the last read is what every parser gets.
    let url = URL(fileURLWithPath: path)
    var text = ""
    let (readTimings, fileBytes) = try timed(repeats) { () throws -> Int in
        text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        return text.utf8.count
    }
    emit(key: "read", tool: "read", version: "Foundation", api: "Data(contentsOf:) + String(decoding:as: UTF8.self)",
         timings: readTimings, counts: nil, fileBytes: fileBytes)

    // (b), (c): each parser, `repeats` times over the same in-memory String.
    for k in toolKeys {
        let tool = tools[k]!
        let (timings, counts) = try timed(repeats) { try tool.run(text) }
        emit(key: tool.key, tool: tool.name, version: tool.version, api: tool.api, timings: timings, counts: counts,
             fileBytes: fileBytes)
    }
}

do {
    try main()
} catch {
    FileHandle.standardError.write(Data("swift-csv-packages-bench: \(error)\n".utf8))
    exit(1)
}
