/// Computes a codebook's derived variables, in the order written, each from the data's typed
/// columns and the derived variables before it.
struct DerivedEvaluation {
    let codebook: Codebook
    private(set) var problems: [DataProblem] = []

    init(codebook: Codebook) { self.codebook = codebook }

    private mutating func fail(_ spec: DerivedSpec, _ message: String) {
        problems.append(DataProblem(.error, source: codebook.source, line: spec.line, message: "derived '\(spec.name)': \(message)"))
    }

    /// `columns` with the derived ones appended; a derived variable that cannot be computed is
    /// reported and left out.
    mutating func appending(to columns: [Column], rowCount: Int) -> [Column] {
        var columns = columns
        for spec in codebook.derived {
            if let column = evaluate(spec, columns: columns, rowCount: rowCount) { columns.append(column) }
        }
        return columns
    }

    private mutating func evaluate(_ spec: DerivedSpec, columns: [Column], rowCount: Int) -> Column? {
        guard let function = DerivedFunction.all[spec.formula.function] else {
            let names = DerivedFunction.list.map(\.name)
            fail(spec, "unknown function '\(spec.formula.function)'; the functions are \(names.joined(separator: ", ")) (cohort codebook --functions describes them)")
            return nil
        }
        // Bind positional arguments in order (a `columns` parameter takes the rest), then named ones.
        var bound: [String: [DerivedFormula.Argument]] = [:]
        var positional = spec.formula.arguments[...]
        for parameter in function.parameters where !positional.isEmpty {
            if parameter.kind == .columns {
                bound[parameter.name] = Array(positional)
                positional = []
            } else {
                bound[parameter.name] = [positional.removeFirst()]
            }
        }
        if !positional.isEmpty {
            fail(spec, "\(function.name) takes at most \(function.parameters.count) arguments: \(function.signature)")
            return nil
        }
        for argument in spec.formula.named {
            guard function.parameters.contains(where: { $0.name == argument.name }) else {
                fail(spec, "\(function.name) has no parameter '\(argument.name)': \(function.signature)")
                return nil
            }
            guard bound[argument.name] == nil else {
                fail(spec, "'\(argument.name)' is given twice")
                return nil
            }
            bound[argument.name] = [argument.value]
        }
        var arguments = DerivedArguments(rowCount: rowCount)
        for parameter in function.parameters {
            guard let given = bound[parameter.name] ?? parameter.defaultValue.map({ [$0] }) else {
                if parameter.optional { continue }
                fail(spec, "\(function.name) needs '\(parameter.name)': \(function.signature)")
                return nil
            }
            switch parameter.kind {
            case .column, .columns:
                var lists: [[Double]] = []
                for argument in given {
                    guard case .column(let name) = argument else {
                        fail(spec, "'\(parameter.name)' must be a column, not \(argument)")
                        return nil
                    }
                    guard let column = columns.first(where: { $0.name == name }) else {
                        fail(spec, "no column or earlier derived variable named '\(name)'")
                        return nil
                    }
                    if column.variable?.type == .identifier {
                        fail(spec, "'\(name)' is an identifier; identifiers are never analysed")
                        return nil
                    }
                    switch column.storage {
                    case .numeric(let values):
                        lists.append(values)
                    case .text:
                        guard function.name == "equals" else {
                            fail(spec, "'\(name)' holds text; \(function.name) needs numbers (declare its type in the codebook)")
                            return nil
                        }
                        arguments.textColumns[parameter.name] = column
                        lists.append([])
                    }
                }
                if parameter.kind == .columns {
                    arguments.columnLists[parameter.name] = lists
                } else {
                    arguments.columns[parameter.name] = lists[0]
                }
            case .number, .range, .text, .numberOrText:
                guard given.count == 1 else { return nil }
                let argument = given[0]
                let fits: Bool
                switch (parameter.kind, argument) {
                case (.number, .number), (.range, .range), (.text, .text), (.numberOrText, .number), (.numberOrText, .text): fits = true
                default: fits = false
                }
                guard fits else {
                    fail(spec, "'\(parameter.name)' must be a \(parameter.kind.rawValue), not \(argument)")
                    return nil
                }
                if let rule = parameter.accepted {
                    let numbers: [Double] = switch argument {
                    case .number(let x): [x]
                    case .range(let r): [r.lowerBound, r.upperBound]
                    default: []
                    }
                    if let problem = numbers.lazy.compactMap({ rule.problem("'\(parameter.name)'", $0) }).first {
                        fail(spec, "\(problem) (\(function.signature))")
                        return nil
                    }
                }
                arguments.constants[parameter.name] = argument
            }
        }
        let values = function.compute(arguments)
        let variable = VariableSpec(name: spec.name, type: function.result, label: spec.label, line: spec.line)
        return Column(name: spec.name, storage: .numeric(values), variable: variable)
    }
}
