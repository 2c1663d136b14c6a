// cohort-bench: times CohortStats' logistic fit on in-memory data (Benchmarks/run calls it).
//
//   cohort-bench fit --data FILE.bin --p 20 [--repeats 5]
//   cohort-bench read FILE.csv [--repeats 3]      (times CSVReader.read alone, for reader work)
//   cohort-bench bootstrap FILE.csv --outcome Y --covariates A,B [--firth] [--replicates 2000] [--seed 1]
//       [--repeats 3] [--indices-out FILE] [--coefficients-out FILE]   (times the bootstrap refits alone)
//   cohort-bench cox FILE.csv --time T --status S --event 1 --covariates A,B [--repeats 3]
//       (times the Cox or Fine-Gray fit alone: SurvivalFitBenchmark.swift)
//
// FILE.bin is Benchmarks/make_data.py's layout: little-endian float64, column-major blocks
// y[0..n), x1[0..n), ..., xp[0..n); n = file size / ((p+1)*8).
// The x blocks are read straight into the design buffer behind an intercept column of ones, so the
// design exists once; the model is built once and only `CohortStats.fit` is timed, `repeats` times.
// Prints one JSON line: times, median, coefficients, SEs, iterations, peak RSS (VmHWM) and the design size.
// No Foundation: the process's memory is the library's plus the data.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CohortData
import CohortReport
import CohortStats

func fail(_ message: String) -> Never {
    let bytes = Array("cohort-bench: \(message)\n".utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// A field of /proc/self/status in bytes (VmHWM: peak RSS; VmRSS: current), nil if unavailable.
func procStatusBytes(_ field: String) -> Int? {
    let fd = open("/proc/self/status", O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if got <= 0 { break }
        bytes += chunk[0..<got]
    }
    for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix(field + ":") {
        return Int(String(line.dropFirst(field.count + 1).filter(\.isNumber))).map { $0 * 1024 }
    }
    return nil
}

// JSON through CohortReport's writer, so escaping and non-finite numbers follow the toolkit's rules.
func json(_ x: Double) -> String { JSONValue.optionalNumber(x).rendered() }
func json(_ xs: [Double]) -> String { JSONValue.array(xs.map(JSONValue.optionalNumber)).rendered() }
func json(_ s: String) -> String { JSONValue.string(s).rendered() }

// MARK: arguments

var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "read" { readBenchmark(Array(arguments.dropFirst())) }
if arguments.first == "bootstrap" { bootstrapBenchmark(Array(arguments.dropFirst())) }
if let model = arguments.first, ["cox", "finegray"].contains(model) { survivalFitBenchmark(model, Array(arguments.dropFirst())) }
guard arguments.first == "fit" else { fail("usage: cohort-bench fit --data FILE.bin --p P [--repeats R]") }
arguments.removeFirst()
var dataPath: String?
var p = 20
var repeats = 5
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    guard !arguments.isEmpty else { fail("\(flag) needs a value") }
    let value = arguments.removeFirst()
    switch flag {
    case "--data": dataPath = value
    case "--p":
        guard let v = Int(value) else { fail("--p: not a number: \(value)") }
        p = v
    case "--repeats":
        guard let v = Int(value) else { fail("--repeats: not a number: \(value)") }
        repeats = v
    default: fail("unknown option \(flag)")
    }
}
guard let dataPath else { fail("--data is required") }
guard p >= 1, repeats >= 1 else { fail("--p and --repeats must be at least 1") }

// MARK: load (not timed as part of the fit)

let rssAtStart = procStatusBytes("VmRSS") ?? 0
let loadStart = now()
guard let file = fopen(dataPath, "rb") else { fail("cannot open \(dataPath)") }
fseek(file, 0, SEEK_END)
let fileBytes = ftell(file)
fseek(file, 0, SEEK_SET)
let columnBytes = (p + 1) * MemoryLayout<Double>.size
guard fileBytes > 0, fileBytes % columnBytes == 0 else { fail("\(dataPath): \(fileBytes) bytes is not a multiple of (p+1)*8") }
let n = fileBytes / columnBytes

func readDoubles(into buffer: UnsafeMutableBufferPointer<Double>) {
    var done = 0
    while done < buffer.count {
        let got = fread(buffer.baseAddress! + done, MemoryLayout<Double>.size, buffer.count - done, file)
        if got == 0 { fail("\(dataPath): short read") }
        done += got
    }
}

// Little-endian on every platform Swift runs this on (x86_64, arm64).
let y = [Double](unsafeUninitializedCapacity: n) { buffer, count in
    readDoubles(into: buffer)
    count = n
}
// Column-major n x (p+1): ones, then x1..xp read in place.
let x = [Double](unsafeUninitializedCapacity: n * (p + 1)) { buffer, count in
    buffer.baseAddress!.initialize(repeating: 1, count: n)
    readDoubles(into: UnsafeMutableBufferPointer(rebasing: buffer[n...]))
    count = n * (p + 1)
}
fclose(file)
let loadSeconds = now() - loadStart

let columnNames = ["(Intercept)"] + (1...p).map { "x\($0)" }
let terms = [ModelTerm(name: "(Intercept)", kind: .intercept, columns: 0..<1)]
    + (1...p).map { ModelTerm(name: "x\($0)", kind: .numeric, columns: $0..<$0 + 1) }
let design = DesignMatrix(values: x, rowCount: n, columnNames: columnNames, terms: terms)
let modelStart = now()
let model: LogisticModel
do { model = try LogisticModel(response: y, design: design) } catch { fail("model: \(error)") }
let modelSeconds = now() - modelStart
let rssBeforeFit = procStatusBytes("VmRSS") ?? 0

// MARK: fit, timed

var times: [Double] = []
var last: LogisticFit?
for _ in 0..<repeats {
    let start = now()
    let result: LogisticFit
    do { result = try CohortStats.fit(model, options: .maximumLikelihood) } catch { fail("fit: \(error)") }
    times.append(now() - start)
    last = result
}
let result = last!
let sorted = times.sorted()
let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
let converged: Bool
switch result.convergence {
case .converged: converged = true
default: converged = false
}
let designBytes = n * (p + 1) * MemoryLayout<Double>.size

let fields: [(String, String)] = [
    ("tool", json("CohortKit")),
    ("call", json("CohortStats.fit(model, options: .maximumLikelihood)")),
    ("n", "\(n)"),
    ("p", "\(p)"),
    ("repeats", "\(repeats)"),
    ("times", json(times)),
    ("median", json(median)),
    ("load_seconds", json(loadSeconds)),
    ("model_init_seconds", json(modelSeconds)),
    ("iterations", "\(result.iterations)"),
    ("converged", converged ? "true" : "false"),
    ("convergence", json(String(describing: result.convergence))),
    ("loglik", json(result.logLikelihood)),
    ("coefficients", json(result.coefficients)),
    ("standard_errors", json(result.standardErrors)),
    ("rss_start_bytes", "\(rssAtStart)"),
    ("rss_before_fit_bytes", "\(rssBeforeFit)"),
    ("peak_rss_bytes", "\(procStatusBytes("VmHWM") ?? 0)"),
    ("design_bytes", "\(designBytes)"),
]
print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")

// MARK: read mode: `cohort-bench read FILE.csv [--repeats N]` times CSVReader.read alone.

func readBenchmark(_ arguments: [String]) -> Never {
    guard let path = arguments.first else { fail("read: give a CSV file") }
    let repeats = arguments.count >= 3 && arguments[1] == "--repeats" ? Int(arguments[2]) ?? 3 : 3
    var times: [Double] = []
    var rows = 0, columns = 0
    let rssBeforeReading = procStatusBytes("VmRSS") ?? 0
    for _ in 0..<repeats {
        let start = now()
        do {
            let table = try CSVReader.read(path: path)
            rows = table.rowCount; columns = table.columns.count
        } catch { fail("\(error)") }
        times.append(now() - start)
    }
    let sorted = times.sorted()
    print("{\"tool\":\"CohortKit\",\"call\":\"CSVReader.read\",\"rows\":\(rows),\"columns\":\(columns),\"times\":\(json(times)),\"median\":\(json(sorted[sorted.count / 2])),\"peak_rss_bytes\":\(procStatusBytes("VmHWM") ?? 0),\"rss_start_bytes\":\(rssBeforeReading)}")
    exit(0)
}
