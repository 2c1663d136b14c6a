#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built-in definitions a codebook's derived variables may use. Each takes columns and
/// constants, computes one value a row (missing where an input it needs is missing), and names its
/// parameters, defaults and result type, so that `cohort codebook --functions` can list them and a
/// wrong call gets a message naming the parameter.
public struct DerivedFunction: Sendable {
    public enum Kind: String, Sendable {
        case column, columns, number, range, text, numberOrText = "number or text"
    }

    public struct Parameter: Sendable {
        public let name: String
        public let kind: Kind
        /// A constant's default, or nil when the parameter is required. Column parameters with
        /// `optional` may be left out.
        public let defaultValue: DerivedExpression?
        public let optional: Bool
        /// The values a number (or each end of a range) may take, where the definition has limits:
        /// a grade threshold is a grade, a window is whole days. Checked when the call is bound, so
        /// `threshold = 1e19` is a message naming the parameter rather than a trap (issue 12).
        public let accepted: NumberRule?
        /// For a laboratory or clinical component of a score: which way is abnormal. Applied to a
        /// linked table day by day, the score takes each component's most abnormal value of the day
        /// (the lowest platelet count, the highest D-dimer); nil for parameters that are not
        /// components (a threshold, an event day).
        public let abnormal: Abnormal?

        init(_ name: String, _ kind: Kind, default defaultValue: DerivedExpression? = nil, optional: Bool = false,
             accepted: NumberRule? = nil, abnormal: Abnormal? = nil) {
            self.name = name
            self.kind = kind
            self.defaultValue = defaultValue
            self.optional = optional
            self.accepted = accepted
            self.abnormal = abnormal
        }
    }

    public enum Abnormal: String, Sendable { case low, high }

    public let name: String
    public let summary: String
    public let parameters: [Parameter]

    /// A score or flag computed from components with a direction of abnormality: inside a window
    /// summary it is computed once a patient-day.
    public var isDailyScore: Bool { parameters.contains { $0.abnormal != nil } }
    public let result: VariableType
    let compute: @Sendable (DerivedArguments) -> [Double]

    public var signature: String {
        let list = parameters.map { p -> String in
            if let d = p.defaultValue { return "\(p.name) = \(d)" }
            return p.kind == .columns ? "\(p.name)..." : p.optional ? "[\(p.name)]" : p.name
        }
        return "\(name)(\(list.joined(separator: ", ")))"
    }
}

/// A call's arguments bound to the function's parameters, columns resolved to values.
struct DerivedArguments {
    let rowCount: Int
    var columns: [String: [Double]] = [:]
    var columnLists: [String: [[Double]]] = [:]
    var textColumns: [String: Column] = [:]
    var constants: [String: DerivedExpression] = [:]

    func values(_ name: String) -> [Double]? { columns[name] }
    func number(_ name: String) -> Double {
        if case .number(let x) = constants[name] { return x }
        preconditionFailure("\(name) was bound as a number")
    }
    func range(_ name: String) -> ClosedRange<Double> {
        if case .range(let r) = constants[name] { return r }
        preconditionFailure("\(name) was bound as a range")
    }

    /// `f` of the named columns row by row; a row where any is missing is missing.
    func map(_ names: String..., f: ([Double]) -> Double?) -> [Double] {
        let inputs = names.map { columns[$0]! }
        var row = [Double](repeating: 0, count: names.count)
        return (0..<rowCount).map { r in
            for k in inputs.indices {
                row[k] = inputs[k][r]
                if row[k].isNaN { return .nan }
            }
            return f(row) ?? .nan
        }
    }
}

extension Bool {
    var indicator: Double { self ? 1 : 0 }
}

extension Double {
    var orNil: Double? { isNaN ? nil : self }
}

extension DerivedFunction {
    /// Every built-in, by name.
    public static let all: [String: DerivedFunction] = Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })

    static func comparison(_ name: String, _ summary: String, _ test: @escaping @Sendable (Double, Double) -> Bool) -> DerivedFunction {
        DerivedFunction(name: name, summary: summary, parameters: [.init("x", .column), .init("threshold", .number)], result: .binary) { a in
            let t = a.number("threshold")
            return a.map("x") { test($0[0], t).indicator }
        }
    }

    public static let list: [DerivedFunction] = [
        comparison("below", "1 when x < threshold, else 0", { $0 < $1 }),
        comparison("at_most", "1 when x <= threshold, else 0", { $0 <= $1 }),
        comparison("above", "1 when x > threshold, else 0", { $0 > $1 }),
        comparison("at_least", "1 when x >= threshold, else 0", { $0 >= $1 }),
        DerivedFunction(name: "between", summary: "1 when x lies in the inclusive range a...b, else 0",
                        parameters: [.init("x", .column), .init("range", .range)], result: .binary) { a in
            let r = a.range("range")
            return a.map("x") { r.contains($0[0]).indicator }
        },
        DerivedFunction(name: "equals", summary: "1 when x equals the value (a number, or a level of a text column), else 0",
                        parameters: [.init("x", .column), .init("value", .numberOrText)], result: .binary) { a in
            if let column = a.textColumns["x"], case .text(let codes, let levels) = column.storage {
                let wanted: String
                switch a.constants["value"] {
                case .text(let s): wanted = s
                case .number(let x): wanted = NumberText.shortest(x)
                default: wanted = ""
                }
                let code = levels.firstIndex(of: wanted).map(Int32.init) ?? -2
                return codes.map { $0 < 0 ? .nan : ($0 == code).indicator }
            }
            let target: Double
            if case .number(let x) = a.constants["value"] { target = x } else { target = .nan }
            return a.map("x") { ($0[0] == target).indicator }
        },
        DerivedFunction(name: "event_within", summary: "1 when the event day lies in the inclusive window first...last (day 0 = infusion); 0 when it lies outside or there was no event (missing day)",
                        parameters: [.init("day", .column), .init("window", .range)], result: .binary) { a in
            let window = a.range("window")
            return a.values("day")!.map { $0.isNaN ? 0 : window.contains($0).indicator }
        },
        DerivedFunction(name: "days_between", summary: "to minus from, in days (both dates, or both study days)",
                        parameters: [.init("from", .column), .init("to", .column)], result: .integer) { a in
            a.map("from", "to") { $0[1] - $0[0] }
        },
        DerivedFunction(name: "any_of", summary: "1 when any of the 0/1 columns is 1; 0 when all are 0; missing otherwise",
                        parameters: [.init("columns", .columns)], result: .binary) { a in
            let inputs = a.columnLists["columns"]!
            return (0..<a.rowCount).map { r in
                let values = inputs.map { $0[r] }
                if values.contains(where: { !$0.isNaN && $0 != 0 }) { return 1 }
                return values.contains(where: \.isNaN) ? .nan : 0
            }
        },
        DerivedFunction(name: "log2", summary: "the base-2 logarithm (missing for values <= 0)",
                        parameters: [.init("x", .column)], result: .real) { a in
            a.map("x") { $0[0] > 0 ? PortableMath.log2($0[0]) : nil }
        },
        DerivedFunction(name: "platelet_grade", summary: "CTCAE v5 platelet count decreased grade: < LLN 1, < 75 2, < 50 3, < 25 4 (x10^9/L)",
                        parameters: [.init("platelets", .column, abnormal: .low), .init("lln", .number, default: .number(Platelets.lowerLimitOfNormal))],
                        result: .grade) { a in
            let lln = a.number("lln")
            return a.map("platelets") { Platelets.ctcaeGrade($0[0], lowerLimitOfNormal: lln).map(Double.init) }
        },
        DerivedFunction(name: "thrombocytopenia", summary: "1 when platelets < cutoff (x10^9/L; 150 = LLN by default; 100, 75, 50 are common)",
                        parameters: [.init("platelets", .column, abnormal: .low), .init("cutoff", .number, default: .number(Platelets.lowerLimitOfNormal))],
                        result: .binary) { a in
            let cutoff = a.number("cutoff")
            return a.map("platelets") { Platelets.isThrombocytopenic($0[0], cutoff: cutoff)?.indicator }
        },
        DerivedFunction(name: "bleeding_significant", summary: "1 when the CTCAE bleeding grade >= threshold (2: clinically significant)",
                        parameters: [.init("grade", .column), .init("threshold", .number, default: .number(2), accepted: NumberRule(0...5, wholeNumbers: true))],
                        result: .binary) { a in
            let threshold = Int(a.number("threshold"))
            // A grade column is checked against 0-5 by its codebook type, but any numeric column may be
            // passed: a value beyond Int (1e300) is not a grade, and must not trap.
            return a.map("grade") { grade in
                Int(exactly: grade[0].rounded(.towardZero)).flatMap { BleedingSeverity.isClinicallySignificant(ctcaeGrade: $0, threshold: threshold) }?.indicator
            }
        },
        DerivedFunction(name: "easix", summary: "EASIX = creatinine (mg/dL) x LDH (U/L) / platelets (x10^9/L)",
                        parameters: [.init("creatinine", .column, abnormal: .high), .init("ldh", .column, abnormal: .high), .init("platelets", .column, abnormal: .low)], result: .real) { a in
            a.map("creatinine", "ldh", "platelets") { EASIX.value(creatinine: $0[0], ldh: $0[1], platelets: $0[2]) }
        },
        DerivedFunction(name: "log2_easix", summary: "log2 of EASIX",
                        parameters: [.init("creatinine", .column, abnormal: .high), .init("ldh", .column, abnormal: .high), .init("platelets", .column, abnormal: .low)], result: .real) { a in
            a.map("creatinine", "ldh", "platelets") { EASIX.log2Value(creatinine: $0[0], ldh: $0[1], platelets: $0[2]) }
        },
        DerivedFunction(name: "antithrombin_low", summary: "1 when antithrombin activity < threshold (% of normal)",
                        parameters: [.init("activity", .column, abnormal: .low), .init("threshold", .number, default: .number(70))], result: .binary) { a in
            let threshold = a.number("threshold")
            return a.map("activity") { CoagulationFlags.isAntithrombinDeficient($0[0], threshold: threshold)?.indicator }
        },
        DerivedFunction(name: "fibrinogen_low", summary: "1 when fibrinogen < trigger (g/L; the replacement trigger)",
                        parameters: [.init("fibrinogen", .column, abnormal: .low), .init("trigger", .number, default: .number(1.5))], result: .binary) { a in
            let trigger = a.number("trigger")
            return a.map("fibrinogen") { CoagulationFlags.meetsFibrinogenReplacementTrigger($0[0], trigger: trigger)?.indicator }
        },
        isthScore(name: "isth_dic_score", summary: "ISTH overt-DIC score 0-8 (fibrin marker as a multiple of its upper limit of normal; PT prolongation in s)",
                  result: .integer) { score, _ in Double(score) },
        isthScore(name: "isth_overt_dic", summary: "1 when the ISTH score >= threshold (5)", result: .binary) { score, cutoffs in
            (score >= cutoffs.overtThreshold).indicator
        },
        DerivedFunction(name: "chinese_dic_score",
                        summary: "Chinese DIC Scoring System (haematological malignancy): platelets, D-dimer (mg/L), PT and APTT prolongation (s), fibrinogen (g/L), 0/1 clinical items; DIC at >= 6",
                        parameters: [.init("platelets", .column, abnormal: .low), .init("ddimer", .column, abnormal: .high), .init("pt_prolongation", .column, abnormal: .high),
                                     .init("fibrinogen", .column, abnormal: .low), .init("aptt_prolongation", .column, optional: true, abnormal: .high),
                                     .init("platelet_fall", .column, optional: true, abnormal: .high), .init("bleeding", .column, optional: true, abnormal: .high),
                                     .init("shock", .column, optional: true, abnormal: .high), .init("organ_failure", .column, optional: true, abnormal: .high),
                                     .init("underlying_disease", .number, default: .number(1), accepted: NumberRule(0...1, wholeNumbers: true))],
                        result: .integer) { a in
            let flag = { (name: String, r: Int) -> Bool in (a.values(name)?[r]).map { !$0.isNaN && $0 != 0 } ?? false }
            return (0..<a.rowCount).map { r in
                var input = DICScoring.ChineseInput()
                input.underlyingDisease = a.number("underlying_disease") != 0
                input.unexplainedBleeding = flag("bleeding", r)
                input.shockOrMicrocirculatoryFailure = flag("shock", r)
                input.organFailure = flag("organ_failure", r)
                input.platelets = a.values("platelets")![r].orNil
                input.plateletFall24h = a.values("platelet_fall")?[r].orNil
                input.dDimer = a.values("ddimer")![r].orNil
                input.ptProlongationSeconds = a.values("pt_prolongation")![r].orNil
                input.apttProlongationSeconds = a.values("aptt_prolongation")?[r].orNil
                input.fibrinogen = a.values("fibrinogen")![r].orNil
                return DICScoring.chineseScore(input).map(Double.init) ?? .nan
            }
        },
        DerivedFunction(name: "crs_grade",
                        summary: "ASTCT CRS grade from fever (0/1), hypotension (0 none, 1 fluids only, 2 one vasopressor, 3 several) and hypoxia (0 none, 1 low-flow, 2 high-flow, 3 positive pressure)",
                        parameters: [.init("fever", .column, abnormal: .high), .init("hypotension", .column, abnormal: .high), .init("hypoxia", .column, abnormal: .high)], result: .grade) { a in
            a.map("fever", "hypotension", "hypoxia") { v in
                let hypotension = CRSGrading.Hypotension.allCases, hypoxia = CRSGrading.Hypoxia.allCases
                guard let h = Int(exactly: v[1]), hypotension.indices.contains(h), let o = Int(exactly: v[2]), hypoxia.indices.contains(o)
                else { return nil }
                return Double(CRSGrading.grade(fever: v[0] != 0, hypotension: hypotension[h], hypoxia: hypoxia[o]))
            }
        },
        DerivedFunction(name: "icans_grade",
                        summary: "ASTCT ICANS grade from the ICE score (0-10) and, when given, consciousness (0-4), seizure (0 none, 1 resolving, 2 prolonged), motor (0/1) and cerebral oedema (0 none, 1 focal, 2 diffuse) codes",
                        parameters: [.init("ice_score", .column, abnormal: .low), .init("consciousness", .column, optional: true, abnormal: .high),
                                     .init("seizure", .column, optional: true, abnormal: .high),
                                     .init("motor", .column, optional: true, abnormal: .high), .init("edema", .column, optional: true, abnormal: .high)], result: .grade) { a in
            func code<T>(_ name: String, _ r: Int, _ cases: [T]) -> T?? {
                guard let values = a.values(name) else { return .some(cases[0]) }
                guard let k = Int(exactly: values[r]), cases.indices.contains(k) else { return .none }
                return .some(cases[k])
            }
            return (0..<a.rowCount).map { r in
                let ice = a.values("ice_score")![r]
                guard !ice.isNaN, let iceScore = Int(exactly: ice),
                      case .some(let c?) = code("consciousness", r, ICANSGrading.Consciousness.allCases),
                      case .some(let s?) = code("seizure", r, ICANSGrading.Seizure.allCases),
                      case .some(let m?) = code("motor", r, ICANSGrading.Motor.allCases),
                      case .some(let e?) = code("edema", r, ICANSGrading.CerebralEdema.allCases) else { return .nan }
                return ICANSGrading.grade(iceScore: iceScore, consciousness: c, seizure: s, motor: m, edema: e).map(Double.init) ?? .nan
            }
        },
        DerivedFunction(name: "carac",
                        summary: "CAR-T-associated coagulopathy: bleeding or thrombosis day in the window (0...28) with platelets < platelet_cutoff or a laboratory flag (D-dimer > 5 mg/L, APTT prolonged > 10 s, PT prolonged > 3 s, fibrinogen < 1.5 g/L, FDP > 20 mg/L); missing when there is an event, no flag and no platelet count",
                        parameters: [.init("bleeding_day", .column), .init("thrombosis_day", .column), .init("platelets", .column, abnormal: .low),
                                     .init("ddimer", .column, optional: true, abnormal: .high), .init("aptt_prolongation", .column, optional: true, abnormal: .high),
                                     .init("pt_prolongation", .column, optional: true, abnormal: .high), .init("fibrinogen", .column, optional: true, abnormal: .low),
                                     .init("fdp", .column, optional: true, abnormal: .high),
                                     .init("platelet_cutoff", .number, default: .number(Platelets.lowerLimitOfNormal)),
                                     .init("window", .range, default: .range(0...28), accepted: NumberRule(-100_000...100_000, wholeNumbers: true))],
                        result: .binary) { a in
            var cutoffs = CARAC.LaboratoryCutoffs()
            let window = a.range("window")
            cutoffs.window = EventWindow(Int(window.lowerBound.rounded(.up))...Int(window.upperBound.rounded(.down)))
            let value = { (name: String, r: Int) -> Double? in a.values(name)?[r].orNil }
            return (0..<a.rowCount).map { r in
                let flags = CARAC.laboratoryFlags(dDimer: value("ddimer", r), apttProlongation: value("aptt_prolongation", r),
                                                  ptProlongation: value("pt_prolongation", r), fibrinogen: value("fibrinogen", r),
                                                  fdp: value("fdp", r), cutoffs: cutoffs)
                // Three-valued: with an event and no laboratory flag, a missing platelet count leaves
                // the answer unknown (missing), never a silent "not low" (issue 15).
                let low = Platelets.isThrombocytopenic(value("platelets", r), cutoff: a.number("platelet_cutoff"))
                return CARAC.isPresent(bleedingDay: value("bleeding_day", r), thrombosisDay: value("thrombosis_day", r),
                                       thrombocytopenia: low, laboratoryFlags: flags, cutoffs: cutoffs)?.indicator ?? .nan
            }
        },
    ]

    static func isthScore(name: String, summary: String, result: VariableType,
                          _ finish: @escaping @Sendable (Int, DICScoring.ISTHCutoffs) -> Double) -> DerivedFunction {
        let defaults = DICScoring.ISTHCutoffs()
        return DerivedFunction(
            name: name, summary: summary,
            parameters: [.init("platelets", .column, abnormal: .low), .init("fibrin_marker", .column, abnormal: .high),
                         .init("pt_prolongation", .column, abnormal: .high), .init("fibrinogen", .column, abnormal: .low),
                         .init("platelets_low", .number, default: .number(defaults.plateletsLow)),
                         .init("platelets_very_low", .number, default: .number(defaults.plateletsVeryLow)),
                         .init("fibrin_moderate", .number, default: .number(defaults.fibrinModerate)),
                         .init("fibrin_strong", .number, default: .number(defaults.fibrinStrong)),
                         .init("pt_moderate", .number, default: .number(defaults.ptModerate)),
                         .init("pt_severe", .number, default: .number(defaults.ptSevere)),
                         .init("fibrinogen_low", .number, default: .number(defaults.fibrinogenLow)),
                         .init("threshold", .number, default: .number(Double(defaults.overtThreshold)), accepted: NumberRule(0...8, wholeNumbers: true))],
            result: result) { a in
            var cutoffs = DICScoring.ISTHCutoffs()
            cutoffs.plateletsLow = a.number("platelets_low")
            cutoffs.plateletsVeryLow = a.number("platelets_very_low")
            cutoffs.fibrinModerate = a.number("fibrin_moderate")
            cutoffs.fibrinStrong = a.number("fibrin_strong")
            cutoffs.ptModerate = a.number("pt_moderate")
            cutoffs.ptSevere = a.number("pt_severe")
            cutoffs.fibrinogenLow = a.number("fibrinogen_low")
            cutoffs.overtThreshold = Int(a.number("threshold"))
            return a.map("platelets", "fibrin_marker", "pt_prolongation", "fibrinogen") { v in
                DICScoring.isthScore(platelets: v[0], fibrinMarkerTimesULN: v[1], ptProlongationSeconds: v[2], fibrinogen: v[3],
                                     cutoffs: cutoffs).map { finish($0, cutoffs) }
            }
        }
    }
}
