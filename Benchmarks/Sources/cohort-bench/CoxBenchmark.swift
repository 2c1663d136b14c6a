// cohort-bench cox: times the cause-specific Cox fit alone on a cohort in memory (Benchmarks/run survival).
//
//   cohort-bench cox FILE.csv --time T --status S --event 1 --covariates A,B,C [--ties efron|breslow]
//       [--repeats 3]
//
// Loads the CSV (CSVReader.read) and builds the CoxModel once, not timed: the event indicator is
// status == event, every other status censors (what `cohort cox --competing 2` fits, and coxph's
// Surv(time, status == 1)); each covariate is a numeric column. Then times `CohortStats.fit(model,
// options:)` `repeats` times (Newton iterations, the information and its inverse: the covariance) and
// prints one JSON line: times, median, iterations, coefficients by name, peak RSS (VmHWM).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CohortData
import CohortReport
import CohortStats

func coxBenchmark(_ arguments: [String]) -> Never {
    var arguments = arguments
    let usage = "usage: cohort-bench cox FILE.csv --time T --status S --event 1 --covariates A,B [--ties efron] [--repeats 3]"
    guard let path = arguments.first, !path.hasPrefix("--") else { fail(usage) }
    arguments.removeFirst()
    var timeName: String?, statusName: String?, event: Double?, covariates: [String] = []
    var ties = CoxTies.efron, repeats = 3
    while !arguments.isEmpty {
        let flag = arguments.removeFirst()
        guard !arguments.isEmpty else { fail("\(flag) needs a value") }
        let value = arguments.removeFirst()
        switch flag {
        case "--time": timeName = value
        case "--status": statusName = value
        case "--event": event = Double(value)
        case "--covariates": covariates = value.split(separator: ",").map(String.init)
        case "--ties":
            guard let t = CoxTies(rawValue: value) else { fail("--ties: efron or breslow") }
            ties = t
        case "--repeats": repeats = Int(value) ?? 0
        default: fail("unknown option \(flag)")
        }
    }
    guard let timeName, let statusName, let event, !covariates.isEmpty, repeats >= 1 else { fail(usage) }

    let loadStart = now()
    let model: CoxModel
    do {
        let table = try CSVReader.read(path: path)
        func numbers(_ name: String) throws -> [Double] {
            guard case .numeric(let values) = try table.column(named: name).storage else { fail("\(path): column \(name) is not numeric") }
            return values
        }
        let status = try numbers(statusName)
        model = try CoxModel(times: try numbers(timeName), events: status.map { $0 == event },
                             covariates: try covariates.map { (name: $0, values: try numbers($0)) })
    } catch { fail("\(path): \(error)") }
    let loadSeconds = now() - loadStart
    let options = CoxOptions(ties: ties)

    var times: [Double] = []
    var last: CoxFit?
    for _ in 0..<repeats {
        let start = now()
        do { last = try CohortStats.fit(model, options: options) } catch { fail("fit: \(error)") }
        times.append(now() - start)
    }
    guard let result = last else { fail("no fit") }
    let sorted = times.sorted()
    let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    let coefficients = zip(result.coefficientNames, result.coefficients).map { "\(json($0)):\(json($1))" }.joined(separator: ",")
    let fields: [(String, String)] = [
        ("tool", json("CohortKit")),
        ("call", json("CohortStats.fit(model, options: CoxOptions(ties: .\(ties.rawValue)))")),
        ("rows", "\(model.nObservations)"),
        ("events", "\(model.nEvents)"),
        ("repeats", "\(repeats)"),
        ("times", json(times)),
        ("median", json(median)),
        ("load_seconds", json(loadSeconds)),
        ("iterations", "\(result.convergence.iterations)"),
        ("converged", result.convergence.isConverged ? "true" : "false"),
        ("coefficients", "{" + coefficients + "}"),
        ("peak_rss_bytes", "\(procStatusBytes("VmHWM") ?? 0)"),
    ]
    print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    exit(0)
}
