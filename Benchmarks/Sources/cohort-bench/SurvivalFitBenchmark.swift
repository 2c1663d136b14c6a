// cohort-bench cox | finegray: times the cause-specific Cox fit, or the Fine-Gray fit with crr's
// sandwich SEs, alone on a cohort in memory (Benchmarks/run survival).
//
//   cohort-bench cox FILE.csv --time T --status S --event 1 --covariates A,B,C [--ties efron|breslow]
//       [--repeats 3]
//   cohort-bench finegray FILE.csv --time T --status S --event 1 --covariates A,B,C [--repeats 3]
//
// Loads the CSV (CSVReader.read) and builds the model once, not timed. Cox: the event indicator is
// status == event, every other status censors (what `cohort cox --competing 2` fits, and coxph's
// Surv(time, status == 1)). Fine-Gray: status == event is the event, 0 censored, any other code a
// competing event (crr's failcode/cencode). Each covariate is a numeric column. Then times
// `CohortStats.fit(model, options:)` `repeats` times (Newton iterations, the information, its inverse
// and, for Fine-Gray, the sandwich) and prints one JSON line: times, median, iterations, coefficients
// by name, peak RSS (VmHWM).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CohortData
import CohortReport
import CohortStats

func survivalFitBenchmark(_ model: String, _ arguments: [String]) -> Never {
    var arguments = arguments
    let usage = "usage: cohort-bench \(model) FILE.csv --time T --status S --event 1 --covariates A,B [--ties efron] [--repeats 3]"
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
    let fitOnce: () throws -> (names: [String], coefficients: [Double], iterations: Int, converged: Bool)
    let rows: Int, events: Int, call: String
    do {
        let table = try CSVReader.read(path: path)
        func numbers(_ name: String) throws -> [Double] {
            guard case .numeric(let values) = try table.column(named: name).storage else { fail("\(path): column \(name) is not numeric") }
            return values
        }
        let status = try numbers(statusName)
        let columns = try covariates.map { (name: $0, values: try numbers($0)) }
        if model == "finegray" {
            let fineGray = try FineGrayModel(times: try numbers(timeName), statusCodes: status.map { Int($0) }, eventCode: Int(event),
                                             covariates: columns)
            (rows, events, call) = (fineGray.nObservations, fineGray.nEvents, "CohortStats.fit(model, options: FineGrayOptions())")
            fitOnce = {
                let fit = try CohortStats.fit(fineGray)
                return (fit.coefficientNames, fit.coefficients, fit.convergence.iterations, fit.convergence.isConverged)
            }
        } else {
            let cox = try CoxModel(times: try numbers(timeName), events: status.map { $0 == event }, covariates: columns)
            (rows, events, call) = (cox.nObservations, cox.nEvents, "CohortStats.fit(model, options: CoxOptions(ties: .\(ties.rawValue)))")
            fitOnce = {
                let fit = try CohortStats.fit(cox, options: CoxOptions(ties: ties))
                return (fit.coefficientNames, fit.coefficients, fit.convergence.iterations, fit.convergence.isConverged)
            }
        }
    } catch { fail("\(path): \(error)") }
    let loadSeconds = now() - loadStart

    var times: [Double] = []
    var last: (names: [String], coefficients: [Double], iterations: Int, converged: Bool)?
    for _ in 0..<repeats {
        let start = now()
        do { last = try fitOnce() } catch { fail("fit: \(error)") }
        times.append(now() - start)
    }
    guard let result = last else { fail("no fit") }
    let sorted = times.sorted()
    let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    let coefficients = zip(result.names, result.coefficients).map { "\(json($0)):\(json($1))" }.joined(separator: ",")
    let fields: [(String, String)] = [
        ("tool", json("CohortKit")),
        ("call", json(call)),
        ("rows", "\(rows)"),
        ("events", "\(events)"),
        ("repeats", "\(repeats)"),
        ("times", json(times)),
        ("median", json(median)),
        ("load_seconds", json(loadSeconds)),
        ("iterations", "\(result.iterations)"),
        ("converged", result.converged ? "true" : "false"),
        ("coefficients", "{" + coefficients + "}"),
        ("peak_rss_bytes", "\(procStatusBytes("VmHWM") ?? 0)"),
    ]
    print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    exit(0)
}
