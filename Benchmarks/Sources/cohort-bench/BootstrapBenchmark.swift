// cohort-bench bootstrap: times B bootstrap refits of a logistic model (Benchmarks/run bootstrap).
//
//   cohort-bench bootstrap FILE.csv --outcome Y --covariates A,B,C [--firth] [--replicates 2000]
//       [--seed 1] [--repeats 3] [--indices-out FILE] [--coefficients-out FILE]
//
// Loads the CSV and fits the model once (not timed), then times `Bootstrap.run` with the fit's refit
// statistic (`LogisticFit.bootstrapStatistic`): B resamples drawn and refitted on all cores, nothing
// else. `repeats` runs; the median is reported. Also times one `bootstrapIntervals` call (the same
// refits plus the n jackknife refits and the intervals). With --indices-out, writes the resamples'
// row numbers (1-based, one resample a line) so that a peer can refit the very same resamples; with
// --coefficients-out, the replicate coefficients (one resample a line, failed ones as NA).
// Prints one JSON line.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CohortData
import CohortReport
import CohortStats

func bootstrapBenchmark(_ arguments: [String]) -> Never {
    var arguments = arguments
    guard let path = arguments.first, !path.hasPrefix("--") else { fail("usage: cohort-bench bootstrap FILE.csv --outcome Y --covariates A,B") }
    arguments.removeFirst()
    var outcome: String?, covariates: [String] = [], firth = false
    var replicates = 2000, seed: UInt64 = 1, repeats = 3
    var indicesOut: String?, coefficientsOut: String?
    while !arguments.isEmpty {
        let flag = arguments.removeFirst()
        if flag == "--firth" { firth = true; continue }
        guard !arguments.isEmpty else { fail("\(flag) needs a value") }
        let value = arguments.removeFirst()
        switch flag {
        case "--outcome": outcome = value
        case "--covariates": covariates = value.split(separator: ",").map(String.init)
        case "--replicates": replicates = Int(value) ?? 0
        case "--seed": seed = UInt64(value) ?? 0
        case "--repeats": repeats = Int(value) ?? 0
        case "--indices-out": indicesOut = value
        case "--coefficients-out": coefficientsOut = value
        default: fail("unknown option \(flag)")
        }
    }
    guard let outcome, !covariates.isEmpty, replicates >= 1, repeats >= 1 else { fail("need --outcome, --covariates, --replicates >= 1, --repeats >= 1") }

    let model: LogisticModel, fitted: LogisticFit
    do {
        let table = try CSVReader.read(path: path)
        model = try LogisticModel(table: table, outcome: outcome, covariates: covariates)
        fitted = try CohortStats.fit(model, options: .defaults(for: firth ? .firth : .maximumLikelihood))
    } catch { fail("\(path): \(error)") }
    let statistic = fitted.bootstrapStatistic(model)
    let options = BootstrapOptions(replicates: replicates, seed: seed)

    var times: [Double] = []
    var last: BootstrapResult?
    for _ in 0..<repeats {
        let start = now()
        do { last = try Bootstrap.run(rowCount: model.nObservations, options: options, statistic: statistic) } catch { fail("bootstrap: \(error)") }
        times.append(now() - start)
    }
    let intervalsStart = now()
    let intervals: LogisticBootstrap
    do { intervals = try fitted.bootstrapIntervals(model, options: options) } catch { fail("bootstrapIntervals: \(error)") }
    let intervalsSeconds = now() - intervalsStart
    guard let result = last else { fail("no run") }

    if let indicesOut {
        let lines = (0..<replicates).map { r in
            Bootstrap.indices(rowCount: model.nObservations, seed: seed, replicate: r).map { String($0 + 1) }.joined(separator: " ")
        }
        writeText(lines.joined(separator: "\n") + "\n", to: indicesOut)
    }
    if let coefficientsOut {
        var byReplicate = [[Double]?](repeating: nil, count: replicates)
        let failed = Set(result.failures.map(\.replicate))
        var next = 0
        for r in 0..<replicates where !failed.contains(r) { byReplicate[r] = result.replicates[next]; next += 1 }
        let lines = byReplicate.map { row in row.map { $0.map { NumberText.shortest($0) }.joined(separator: " ") } ?? "NA" }
        writeText(lines.joined(separator: "\n") + "\n", to: coefficientsOut)
    }
    let sorted = times.sorted()
    let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    let fields: [(String, String)] = [
        ("tool", json("CohortKit")),
        ("call", json("Bootstrap.run(rowCount:options:statistic: fit.bootstrapStatistic(model))")),
        ("method", json(firth ? "firth" : "logistic")),
        ("n", "\(model.nObservations)"),
        ("replicates", "\(replicates)"),
        ("seed", "\(seed)"),
        ("failed", "\(result.failedCount)"),
        ("cores", "\(Parallel.processorCount)"),
        ("repeats", "\(repeats)"),
        ("times", json(times)),
        ("median", json(median)),
        ("intervals_seconds", json(intervalsSeconds)),
        ("estimate", json(result.estimate)),
        ("bootstrap_se", json((0..<result.estimate.count).map(result.standardError(of:)))),
        ("bca_or", JSONValue.array(intervals.bca.map { b in
            b.map { .array([.number(exp($0.lower)), .number(exp($0.upper))]) } ?? .null
        }).rendered()),
    ]
    print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    exit(0)
}

func writeText(_ text: String, to path: String) {
    guard let file = fopen(path, "w") else { fail("cannot write \(path)") }
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
}
