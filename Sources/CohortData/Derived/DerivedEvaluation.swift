/// Computes a codebook's derived variables, in the order written, each from the data's typed
/// columns, the linked tables and the derived variables before it.
///
/// A formula is evaluated column-wise: every node gives one value a patient, or, inside a window
/// summary (`min(labs.platelets, days = 0...28)`), one value a linked row in the window (a draw) or
/// one value a patient-day (a daily score). A patient-level value used beside draws or days stands
/// for each of the patient's draws or days. A score (a function whose parameters have a direction
/// of abnormality, ``DerivedFunction/Parameter/abnormal``) given draws is computed once a day from
/// each component's most abnormal value that day; a day without some component has no score.
struct DerivedEvaluation {
    let codebook: Codebook
    let linked: [LinkedTable]
    private(set) var problems: [DataProblem] = []
    /// What the output should say beside the values: unscorable patient-days, one line for each
    /// score, window and count, naming the derived variables it went into.
    var notes: [DailyScoreNote] {
        scoreCounts.map { DailyScoreNote(score: $0.key, variables: $0.variables, scored: $0.scored, days: $0.days) }
    }
    private var scoreCounts: [(key: String, scored: Int, days: Int, variables: [String])] = []
    /// How many draws a block of patients holds at most (but one patient) when a summary is
    /// computed block by block: a few megabytes of temporaries, whatever the table's size. The
    /// values do not depend on it (a test computes every summary with one patient a block).
    var drawsPerBlock = 1 << 16
    /// Daily scores already computed, by window and call: `max(isth_dic_score(...))` and
    /// `first_day(isth_dic_score(...) >= 5)` over one window score the days once. Only calls that
    /// read nothing but linked columns and constants are kept (their values cannot change as
    /// derived columns are added).
    private var dailyScores: [(frame: FrameKey, call: DerivedExpression, numbers: Numbers, count: (key: String, scored: Int, days: Int))] = []
    /// The frames of the window summarised last, by block (named by its first patient): the
    /// summaries of a codebook mostly share a window (`days = 0...28`), and finding a window's
    /// draws was a tenth of a derive when each summary did it again. Only one window's frames are
    /// kept (8 bytes a draw at most); a summary over another window replaces them.
    private var recentFrames: [FrameKey: WindowFrame] = [:]

    init(codebook: Codebook, linked: [LinkedTable] = []) {
        self.codebook = codebook
        self.linked = linked
    }

    /// `columns` with the derived ones appended; a derived variable that cannot be computed is
    /// reported and left out.
    mutating func appending(to columns: [Column], rowCount: Int) -> [Column] {
        var columns = columns
        for spec in codebook.derived {
            var context = Context(spec: spec, columns: columns, rowCount: rowCount)
            do throws(EvaluationError) {
                let value = try evaluate(spec.formula.expression, &context, frame: nil)
                columns.append(try column(spec, value, rowCount: rowCount))
            } catch {
                problems.append(DataProblem(.error, source: codebook.source, line: spec.line, message: "derived '\(spec.name)': \(error.message)"))
            }
            problems += context.warnings.map { DataProblem(.warning, source: codebook.source, line: spec.line, message: "derived '\(spec.name)': \($0)") }
            for count in context.scoreCounts {
                if let k = scoreCounts.firstIndex(where: { $0.key == count.key && $0.scored == count.scored && $0.days == count.days }) {
                    if !scoreCounts[k].variables.contains(spec.name) { scoreCounts[k].variables.append(spec.name) }
                } else {
                    scoreCounts.append((count.key, count.scored, count.days, [spec.name]))
                }
            }
        }
        return columns
    }

    /// The column of one formula over `columns` (a model formula's `log(x)` or `I(x^2)`), by the
    /// evaluator that computes the codebook's derived variables; warnings (values a cut left out)
    /// come back beside it.
    mutating func column(evaluating spec: DerivedSpec, columns: [Column], rowCount: Int) throws(EvaluationError) -> (column: Column, warnings: [String]) {
        var context = Context(spec: spec, columns: columns, rowCount: rowCount)
        let value = try evaluate(spec.formula.expression, &context, frame: nil)
        return (try column(spec, value, rowCount: rowCount), context.warnings)
    }

    // MARK: - Values

    struct EvaluationError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// Where a vector's values sit: one a patient, one a draw of a window, or one a patient-day.
    enum Grain: Equatable { case patient, rows, days }

    struct Numbers {
        var values: [Double]
        var grain: Grain
        var type: VariableType
    }

    enum Value {
        case numbers(Numbers)
        /// A constant: a number, or (as function arguments) text, a range or a list.
        case constant(DerivedExpression)
        /// A patient-level text column (compared with `==` to a level, or given to `equals`).
        case text(Column)
    }

    struct Context {
        let spec: DerivedSpec
        let columns: [Column]
        let rowCount: Int
        /// Daily scores computed: "isth_dic_score on labs days 0...28", days scored, days with draws.
        var scoreCounts: [(key: String, scored: Int, days: Int)] = []
        /// Worth a warning in the validation report (values outside every interval of a cut).
        var warnings: [String] = []
    }

    private func column(_ spec: DerivedSpec, _ value: Value, rowCount: Int) throws(EvaluationError) -> Column {
        switch value {
        case .numbers(let numbers):
            let variable = VariableSpec(name: spec.name, type: numbers.type, label: spec.label, line: spec.line)
            return Column(name: spec.name, storage: .numeric(numbers.values), variable: variable)
        case .constant(.number(let x)):
            let variable = VariableSpec(name: spec.name, type: x == x.rounded() ? .integer : .real, label: spec.label, line: spec.line)
            return Column(name: spec.name, storage: .numeric([Double](repeating: x.isInfinite ? .nan : x, count: rowCount)), variable: variable)
        case .constant(let other):
            throw EvaluationError("the formula is the constant \(other), not a value for each patient")
        case .text(let column):
            return Column(name: spec.name, storage: column.storage, variable: VariableSpec(name: spec.name, type: column.variable?.type ?? .text,
                                                                                          label: spec.label, levels: column.variable?.levels, line: spec.line))
        }
    }

    // MARK: - Evaluation

    mutating func evaluate(_ expression: DerivedExpression, _ context: inout Context, frame: WindowFrame?) throws(EvaluationError) -> Value {
        switch expression {
        case .number, .text, .range, .list:
            return .constant(expression)
        case .column(let name):
            guard let column = context.columns.first(where: { $0.name == name }) else {
                if linked.contains(where: { $0.name == name }) {
                    throw EvaluationError("'\(name)' is a linked table; name one of its columns, such as \(name).\(linked.first { $0.name == name }!.columns.last!.name)")
                }
                throw EvaluationError("no column or earlier derived variable named '\(name)'")
            }
            if column.variable?.type == .identifier { throw EvaluationError("'\(name)' is an identifier; identifiers are never analysed") }
            switch column.storage {
            case .numeric(let values): return .numbers(Numbers(values: values, grain: .patient, type: column.variable?.type ?? .real))
            case .text: return .text(column)
            }
        case .linked(let table, let name):
            if codebook.tables.contains(where: { $0.name == table && $0.dayRule == .perPatient }) {
                throw EvaluationError("'\(table)' is a per-patient table: its columns are joined onto the patient table, so write \(DerivedExpression.quoted(name)), not \(expression)")
            }
            guard let frame else {
                throw EvaluationError("\(expression) is a column of the linked table '\(table)', with many values a patient: summarise it over a window, such as min(\(expression), days = 0...28)")
            }
            guard table == frame.table.name else {
                throw EvaluationError("one summary reads one linked table: \(expression) is from '\(table)', the summary's other columns from '\(frame.table.name)'")
            }
            guard let column = frame.table.column(named: name) else {
                throw EvaluationError("the linked table '\(table)' has no column '\(name)'; its columns are \(frame.table.columns.map(\.name).joined(separator: ", "))")
            }
            guard let numbers = column.numbers else {
                throw EvaluationError("\(expression) holds text; summaries need numbers (declare its type under tables: \(table): variables:)")
            }
            // The window's draws, in walking order.
            let gathered = numbers.gathering(frame.rows)
            return .numbers(Numbers(values: gathered, grain: .rows, type: column.variable?.type ?? .real))
        case .negate(let inner):
            let value = try evaluate(inner, &context, frame: frame)
            if case .constant(.number(let x)) = value { return .constant(.number(-x)) }
            let numbers = try Self.numbers(value, what: "'-'")
            return .numbers(Numbers(values: numbers.values.map { -$0 }, grain: numbers.grain, type: numbers.type == .binary ? .integer : numbers.type))
        case .not(let inner):
            let numbers = try Self.numbers(try evaluate(inner, &context, frame: frame), what: "'not'", frame: frame, rowCount: context.rowCount)
            return .numbers(Numbers(values: numbers.values.map { $0.isNaN ? .nan : ($0 == 0).indicator }, grain: numbers.grain, type: .binary))
        case .binary(let op, let lhs, let rhs):
            return try binary(op, try evaluate(lhs, &context, frame: frame), try evaluate(rhs, &context, frame: frame), frame: frame, rowCount: context.rowCount)
        case .call(let name, let arguments, let named):
            if let preparation = PreparationFunction(rawValue: name) {
                return try prepare(preparation, arguments, named, &context, frame: frame)
            }
            if let summary = WindowSummary(rawValue: name) {
                guard frame == nil else { throw EvaluationError("\(name)(...) inside another summary: summarise once, then combine the results") }
                return try summarise(summary, arguments, named, &context)
            }
            return try call(name, arguments, named, &context, frame: frame)
        }
    }

    /// A value as numbers at its grain; a lone number stands for every patient (or draw, or day).
    static func numbers(_ value: Value, what: String, frame: WindowFrame? = nil, rowCount: Int = 0) throws(EvaluationError) -> Numbers {
        switch value {
        case .numbers(let numbers): return numbers
        case .constant(.number(let x)): return Numbers(values: [Double](repeating: x, count: rowCount), grain: .patient, type: .real)
        case .constant(let other): throw EvaluationError("\(what) needs numbers, not \(other)")
        case .text(let column): throw EvaluationError("\(what) needs numbers, but '\(column.name)' holds text")
        }
    }

    /// The two vectors at one grain: a patient's value stands for each of its draws or days.
    static func aligned(_ a: Numbers, _ b: Numbers, frame: WindowFrame?) throws(EvaluationError) -> (Numbers, Numbers) {
        if a.grain == b.grain { return (a, b) }
        if a.grain == .patient { return (try broadcast(a, to: b.grain, frame: frame), b) }
        if b.grain == .patient { return (a, try broadcast(b, to: a.grain, frame: frame)) }
        throw EvaluationError("this mixes single draws (a linked column) with daily scores; a score already summarises each day's draws, so compare it with a number or another score")
    }

    private static func broadcast(_ a: Numbers, to grain: Grain, frame: WindowFrame?) throws(EvaluationError) -> Numbers {
        guard a.grain == .patient, grain != .patient, let frame else { return a }
        return Numbers(values: frame.broadcast(a.values, toDays: grain == .days), grain: grain, type: a.type)
    }

    private func binary(_ op: DerivedExpression.BinaryOperator, _ left: Value, _ right: Value, frame: WindowFrame?, rowCount: Int) throws(EvaluationError) -> Value {
        // Text compared with a level: `disease == "LBCL"`.
        if op == .equal || op == .notEqual {
            if case .text(let column) = left { return try Self.compareText(column, right, negated: op == .notEqual) }
            if case .text(let column) = right { return try Self.compareText(column, left, negated: op == .notEqual) }
        }
        if op == .power {
            guard case .constant(.number(let k)) = right, k == k.rounded(), abs(k) <= 1024 else {
                throw EvaluationError("'^' takes a whole-number exponent from -1024 to 1024 (x^2, x^-1); for other powers write exp(y * log(x))")
            }
        }
        if case .constant(.number(let x)) = left, case .constant(.number(let y)) = right {
            let value = Self.apply(op, x, y)
            return .constant(.number(value))
        }
        // A constant on one side keeps the other side's grain.
        var a: Numbers, b: Numbers
        switch (left, right) {
        case (.constant(.number(let x)), _):
            b = try Self.numbers(right, what: "'\(op.rawValue)'")
            a = Numbers(values: [Double](repeating: x, count: b.values.count), grain: b.grain, type: x == x.rounded() ? .integer : .real)
        case (_, .constant(.number(let y))):
            a = try Self.numbers(left, what: "'\(op.rawValue)'")
            b = Numbers(values: [Double](repeating: y, count: a.values.count), grain: a.grain, type: y == y.rounded() ? .integer : .real)
        default:
            (a, b) = try Self.aligned(try Self.numbers(left, what: "'\(op.rawValue)'"), try Self.numbers(right, what: "'\(op.rawValue)'"), frame: frame)
        }
        var values = [Double](repeating: 0, count: a.values.count)
        for i in values.indices { values[i] = Self.apply(op, a.values[i], b.values[i]) }
        let whole: Set<VariableType> = [.integer, .binary, .grade, .day]
        let type: VariableType = op.isComparison || op.isLogical ? .binary
            : (op != .divide && whole.contains(a.type) && whole.contains(b.type)) ? .integer : .real
        return .numbers(Numbers(values: values, grain: a.grain, type: type))
    }

    /// One operation on two values; missing (NaN) in, missing out, except where logic decides
    /// anyway (`0 and missing` is 0, `1 or missing` is 1, as in R). Division by zero is missing.
    static func apply(_ op: DerivedExpression.BinaryOperator, _ x: Double, _ y: Double) -> Double {
        switch op {
        case .and:
            if (!x.isNaN && x == 0) || (!y.isNaN && y == 0) { return 0 }
            return x.isNaN || y.isNaN ? .nan : 1
        case .or:
            if (!x.isNaN && x != 0) || (!y.isNaN && y != 0) { return 1 }
            return x.isNaN || y.isNaN ? .nan : 0
        default: break
        }
        if x.isNaN || y.isNaN { return .nan }
        switch op {
        case .less: return (x < y).indicator
        case .lessOrEqual: return (x <= y).indicator
        case .greater: return (x > y).indicator
        case .greaterOrEqual: return (x >= y).indicator
        case .equal: return (x == y).indicator
        case .notEqual: return (x != y).indicator
        case .add: return x + y
        case .subtract: return x - y
        case .multiply: return x * y
        case .divide: return y == 0 ? .nan : x / y
        case .power: return wholePower(x, y)
        case .and, .or: return .nan
        }
    }

    /// `x ^ k` by repeated multiplication in a fixed order (libm's `pow` may take a different path
    /// on a CPU with FMA); a negative `k` is `1 / x^|k|`. The exponent was checked to be whole.
    static func wholePower(_ x: Double, _ k: Double) -> Double {
        guard k == k.rounded(), abs(k) <= 1024 else { return .nan }
        var result = 1.0
        for _ in 0..<Int(abs(k)) { result *= x }
        return k < 0 ? (result == 0 ? .nan : 1 / result) : result
    }

    private static func compareText(_ column: Column, _ other: Value, negated: Bool) throws(EvaluationError) -> Value {
        guard case .text(let codes, let levels) = column.storage else { throw EvaluationError("'\(column.name)' holds no text") }
        let wanted: String
        switch other {
        case .constant(.text(let s)): wanted = s
        case .constant(.number(let x)): wanted = NumberText.shortest(x)
        default: throw EvaluationError("'\(column.name)' holds text: compare it with a level in double quotes, such as \(column.name) == \"\(levels.first ?? "A")\"")
        }
        let declared = column.variable?.levels ?? Array(levels)
        guard let code = levels.firstIndex(of: wanted) ?? (declared.contains(wanted) ? -2 : nil) else {
            throw EvaluationError("\"\(wanted)\" is not a level of '\(column.name)'; its levels are \(declared.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        let target = Int32(code)
        let values = codes.map { $0 < 0 ? Double.nan : (($0 == target) != negated).indicator }
        return .numbers(Numbers(values: values, grain: .patient, type: .binary))
    }

    // MARK: - Built-in functions

    private mutating func call(_ name: String, _ arguments: [DerivedExpression], _ named: [DerivedExpression.NamedArgument],
                               _ context: inout Context, frame: WindowFrame?) throws(EvaluationError) -> Value {
        let expression = DerivedExpression.call(name, arguments, named)
        let memoKey = frame.map { FrameKey(table: $0.table.name, low: $0.window.lowerBound, high: $0.window.upperBound, firstPatient: $0.patients.lowerBound) }
        if let memoKey, let hit = dailyScores.first(where: { $0.frame == memoKey && $0.call == expression }) {
            context.scoreCounts.append(hit.count)
            return .numbers(hit.numbers)
        }
        guard let function = DerivedFunction.all[name] else {
            let names = DerivedFunction.list.map(\.name) + PreparationFunction.allCases.map(\.rawValue) + WindowSummary.allCases.map(\.rawValue)
            throw EvaluationError("unknown function '\(name)'; the functions are \(names.joined(separator: ", ")) (cohort codebook --functions describes them)")
        }
        // Bind positional arguments in order (a `columns` parameter takes the rest), then named ones.
        var bound: [String: [DerivedExpression]] = [:]
        var positional = arguments[...]
        for parameter in function.parameters where !positional.isEmpty {
            if parameter.kind == .columns {
                bound[parameter.name] = Array(positional)
                positional = []
            } else {
                bound[parameter.name] = [positional.removeFirst()]
            }
        }
        if !positional.isEmpty { throw EvaluationError("\(function.name) takes at most \(function.parameters.count) arguments: \(function.signature)") }
        for argument in named {
            guard function.parameters.contains(where: { $0.name == argument.name }) else {
                throw EvaluationError("\(function.name) has no parameter '\(argument.name)': \(function.signature)")
            }
            guard bound[argument.name] == nil else { throw EvaluationError("'\(argument.name)' is given twice") }
            bound[argument.name] = [argument.value]
        }
        // Evaluate the column arguments; note which are draws.
        var vectors: [(parameter: DerivedFunction.Parameter, values: [Numbers])] = []
        var constants: [String: DerivedExpression] = [:]
        var textColumns: [String: Column] = [:]
        for parameter in function.parameters {
            guard let given = bound[parameter.name] ?? parameter.defaultValue.map({ [$0] }) else {
                if parameter.optional { continue }
                throw EvaluationError("\(function.name) needs '\(parameter.name)': \(function.signature)")
            }
            switch parameter.kind {
            case .column, .columns:
                var list: [Numbers] = []
                for argument in given {
                    let value = try evaluate(argument, &context, frame: frame)
                    if case .text(let column) = value {
                        guard function.name == "equals" else {
                            throw EvaluationError("'\(column.name)' holds text; \(function.name) needs numbers (declare its type in the codebook)")
                        }
                        textColumns[parameter.name] = column
                        list.append(Numbers(values: [], grain: .patient, type: .text))
                        continue
                    }
                    if case .constant(let constant) = value, case .number = constant {} else if case .constant(let constant) = value {
                        throw EvaluationError("'\(parameter.name)' must be a column, not \(constant)")
                    }
                    var numbers = try Self.numbers(value, what: "\(function.name)'s '\(parameter.name)'", frame: frame, rowCount: context.rowCount)
                    // A score's laboratory component: each day's most abnormal value, taken now so that
                    // the draws are freed before the next component is gathered (as below, earlier).
                    if function.isDailyScore, let abnormal = parameter.abnormal, numbers.grain == .rows, let frame {
                        numbers = Numbers(values: frame.dailyMostAbnormal(numbers.values, abnormal), grain: .days, type: numbers.type)
                    }
                    list.append(numbers)
                }
                vectors.append((parameter, list))
            case .number, .range, .text, .numberOrText:
                guard given.count == 1 else { throw EvaluationError("'\(parameter.name)' takes one value") }
                var argument = given[0]
                if case .negate(.number(let x)) = argument { argument = .number(-x) }
                let fits: Bool
                switch (parameter.kind, argument) {
                case (.number, .number), (.range, .range), (.text, .text), (.numberOrText, .number), (.numberOrText, .text): fits = true
                default: fits = false
                }
                guard fits else { throw EvaluationError("'\(parameter.name)' must be a \(parameter.kind.rawValue), not \(argument)") }
                if let rule = parameter.accepted {
                    let numbers: [Double] = switch argument {
                    case .number(let x): [x]
                    case .range(let r): [r.lowerBound, r.upperBound]
                    default: []
                    }
                    if let problem = numbers.lazy.compactMap({ rule.problem("'\(parameter.name)'", $0) }).first {
                        throw EvaluationError("\(problem) (\(function.signature))")
                    }
                }
                constants[parameter.name] = argument
            }
        }
        // The grain of the call: a daily score given draws works by day; otherwise the finest given.
        let grains = vectors.flatMap { $0.values.map(\.grain) }
        var target: Grain = .patient
        if grains.contains(.rows) || grains.contains(.days) {
            guard let frame else { throw EvaluationError("internal: draws outside a window") }
            if function.isDailyScore {
                target = .days
                for (parameter, list) in vectors where list.contains(where: { $0.grain == .rows }) && parameter.abnormal == nil {
                    throw EvaluationError("\(function.name)'s '\(parameter.name)' is not a laboratory component: give it a patient-level column, not draws of \(frame.table.name)")
                }
            } else if grains.contains(.rows) && grains.contains(.days) {
                throw EvaluationError("\(function.name) mixes single draws with daily scores")
            } else {
                target = grains.contains(.rows) ? .rows : .days
            }
        }
        var arguments = DerivedArguments(rowCount: context.rowCount)
        arguments.constants = constants
        arguments.textColumns = textColumns
        for (parameter, list) in vectors {
            var lists: [[Double]] = []
            for numbers in list {
                if numbers.type == .text { lists.append([]); continue }
                var numbers = numbers
                if numbers.grain == .rows, target == .days, let frame {
                    numbers = Numbers(values: frame.dailyMostAbnormal(numbers.values, parameter.abnormal!), grain: .days, type: numbers.type)
                }
                lists.append(try Self.broadcast(numbers, to: target, frame: frame).values)
            }
            if parameter.kind == .columns { arguments.columnLists[parameter.name] = lists } else { arguments.columns[parameter.name] = lists[0] }
        }
        let length = target == .patient ? context.rowCount : target == .rows ? frame!.rows.count : frame!.dayCount
        arguments = arguments.resized(to: length)
        let values = function.compute(arguments)
        let numbers = Numbers(values: values, grain: target, type: function.result)
        if target == .days, let frame {
            let unscorable = values.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
            let count = ("\(function.name) on \(frame.table.name) days \(DerivedExpression.range(frame.window))", values.count - unscorable, values.count)
            context.scoreCounts.append(count)
            if let memoKey, !expression.readsPatientColumns { dailyScores.append((memoKey, expression, numbers, count)) }
        }
        return .numbers(numbers)
    }

    // MARK: - Window summaries

    private mutating func summarise(_ summary: WindowSummary, _ arguments: [DerivedExpression], _ named: [DerivedExpression.NamedArgument],
                                    _ context: inout Context) throws(EvaluationError) -> Value {
        let parameters = summary.parameters
        var bound: [String: DerivedExpression] = [:]
        guard arguments.count <= parameters.count else { throw EvaluationError("\(summary.rawValue) takes at most \(parameters.count) arguments: \(summary.signature)") }
        for (parameter, argument) in zip(parameters, arguments) { bound[parameter] = argument }
        for argument in named {
            guard parameters.contains(argument.name) else { throw EvaluationError("\(summary.rawValue) has no parameter '\(argument.name)': \(summary.signature)") }
            guard bound[argument.name] == nil else { throw EvaluationError("'\(argument.name)' is given twice") }
            bound[argument.name] = argument.value
        }
        for parameter in parameters where bound[parameter] == nil { throw EvaluationError("\(summary.rawValue) needs '\(parameter)': \(summary.signature)") }
        guard case .range(let window) = bound["days"]! else { throw EvaluationError("'days' must be a range of study days such as 0...28, not \(bound["days"]!)") }
        let inner = bound["x"]!
        let tables = Set(inner.linkedTables)
        guard let tableName = tables.first else {
            throw EvaluationError("\(summary.rawValue)(...) summarises a linked table's column over days, such as \(summary.rawValue)(labs.platelets, days = 0...28); \(inner) names none")
        }
        guard tables.count == 1 else { throw EvaluationError("one summary reads one linked table; \(inner) names \(tables.sorted().joined(separator: " and "))") }
        guard let table = linked.first(where: { $0.name == tableName }) else {
            let known = codebook.tables.map(\.name)
            throw EvaluationError("no linked table named '\(tableName)'" + (known.isEmpty ? "; declare it under 'tables:' in the codebook" : "; the tables are \(known.joined(separator: ", "))"))
        }
        var threshold = 0.0
        if summary == .daysBelow {
            var argument = bound["threshold"]!
            if case .negate(.number(let x)) = argument { argument = .number(-x) }
            guard case .number(let x) = argument else { throw EvaluationError("days_below's 'threshold' must be a number, not \(argument)") }
            threshold = x
        }
        // Block by block (``WindowFrame/blocks(of:draws:)``): the same bits as one pass.
        var result: [Double] = []
        result.reserveCapacity(context.rowCount)
        var type = VariableType.real
        let countsBefore = context.scoreCounts.count
        for block in WindowFrame.blocks(of: table, draws: drawsPerBlock) {
            let key = FrameKey(table: table.name, low: window.lowerBound, high: window.upperBound, firstPatient: block.lowerBound)
            let frame: WindowFrame
            if let recent = recentFrames[key], recent.patients == block {
                frame = recent
            } else {
                if let other = recentFrames.keys.first, other.table != key.table || other.low != key.low || other.high != key.high {
                    recentFrames = [:]
                }
                frame = WindowFrame(table: table, window: window, patients: block)
                recentFrames[key] = frame
            }
            let value = try evaluate(inner, &context, frame: frame)
            let numbers = try Self.numbers(value, what: summary.rawValue, frame: frame, rowCount: context.rowCount)
            guard numbers.grain != .patient else {
                throw EvaluationError("\(summary.rawValue)(...) needs a value a draw or a day; \(inner) has one a patient")
            }
            if summary == .firstDay, numbers.type != .binary {
                throw EvaluationError("first_day needs a condition, such as first_day(labs.fibrinogen < 1.5, days = 0...28); \(inner) is not one")
            }
            type = summary.resultType(of: numbers.type)
            result += frame.summarise(numbers.values, byDay: numbers.grain == .days, summary, threshold: threshold)
        }
        // A daily score counted its days block by block: one count a score, summed in block order.
        var merged: [(key: String, scored: Int, days: Int)] = []
        for count in context.scoreCounts[countsBefore...] {
            if let k = merged.firstIndex(where: { $0.key == count.key }) {
                merged[k].scored += count.scored
                merged[k].days += count.days
            } else {
                merged.append(count)
            }
        }
        context.scoreCounts.replaceSubrange(countsBefore..., with: merged)
        return .numbers(Numbers(values: result, grain: .patient, type: type))
    }
}

/// A window of a table over a block of patients (the block named by its first patient).
private struct FrameKey: Hashable {
    let table: String
    let low: Double
    let high: Double
    let firstPatient: Int
}

extension DerivedArguments {
    /// The same arguments for `length` values (draws or days instead of patients).
    func resized(to length: Int) -> DerivedArguments {
        var copy = DerivedArguments(rowCount: length)
        copy.columns = columns
        copy.columnLists = columnLists
        copy.textColumns = textColumns
        copy.constants = constants
        return copy
    }
}

extension DerivedExpression {
    /// Whether a formula reads a column of the patient table or a derived variable.
    var readsPatientColumns: Bool { !columnNames.isEmpty }

    /// The patient-table columns a formula names.
    var columnNames: [String] {
        switch self {
        case .column(let name): [name]
        case .number, .text, .range, .linked: []
        case .list(let items): items.flatMap(\.columnNames)
        case .call(_, let arguments, let named): arguments.flatMap(\.columnNames) + named.flatMap(\.value.columnNames)
        case .negate(let x), .not(let x): x.columnNames
        case .binary(_, let a, let b): a.columnNames + b.columnNames
        }
    }

    /// The linked tables a formula reads.
    var linkedTables: [String] {
        switch self {
        case .linked(let table, _): [table]
        case .number, .text, .column, .range: []
        case .list(let items): items.flatMap(\.linkedTables)
        case .call(_, let arguments, let named): arguments.flatMap(\.linkedTables) + named.flatMap(\.value.linkedTables)
        case .negate(let x), .not(let x): x.linkedTables
        case .binary(_, let a, let b): a.linkedTables + b.linkedTables
        }
    }
}

extension DataTable {
    /// One value a row of `formula` over this table's columns, computed by the evaluator of the
    /// codebook's derived variables (so `log`, `cut`, `if_else`, arithmetic and `^` mean the same in
    /// a model formula as in a codebook). Window summaries of linked tables are not available here:
    /// summarise lab draws in the codebook and name the derived column.
    ///
    /// - Parameter name: the name of the resulting column (a model term's text, `I(age^2)`).
    /// - Throws: ``DerivedFormulaError`` saying why the formula has no value a row.
    public func evaluating(_ formula: DerivedFormula, name: String) throws(DerivedFormulaError) -> (column: Column, warnings: [String]) {
        var evaluation = DerivedEvaluation(codebook: Codebook(source: source, variables: []), linked: [])
        do throws(DerivedEvaluation.EvaluationError) {
            return try evaluation.column(evaluating: DerivedSpec(name: name, formula: formula), columns: columns, rowCount: rowCount)
        } catch {
            throw DerivedFormulaError(formula: name, message: error.message)
        }
    }
}

/// Why a formula over a table's columns has no value a row.
public struct DerivedFormulaError: Error, Equatable, CustomStringConvertible {
    public let formula: String
    public let message: String
    public var description: String { "\(formula): \(message)" }
}
