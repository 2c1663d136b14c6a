import CohortData
import CohortStats
import Yams

extension StudyReader {
    static let outputTypes = ["table1", "incidence", "compare", "logit", "cuminc", "forest", "bars", "reproduce"]

    /// One entry of `outputs`: `name`, `type`, optional `title`, then the type's own keys.
    func output(_ node: Node, options: StudyOptions) throws(CodebookError) -> StudyOutput {
        guard let map = node.mapping else { throw error(node, "each output must be a mapping with 'name' and 'type'") }
        let name = try string(map, "name", at: node)
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), name.first != "-" else {
            throw error(map["name"], "output name '\(name)' must be letters, digits, - and _ (it becomes a file name)")
        }
        let type = try string(map, "type", at: node)
        let title = try optionalString(map, "title")
        var parameters: [(key: String, value: String)] = [("type", type)]
        if let title { parameters.append(("title", title)) }
        func keys(_ own: [String]) throws(CodebookError) { try onlyKeys(map, ["name", "type", "title"] + own, what: "output '\(name)' (\(type))") }
        func required(_ key: String) throws(CodebookError) -> String {
            guard let text = try optionalString(map, key) else { throw error(node, "output '\(name)' (\(type)): '\(key)' is missing") }
            return text
        }
        func requiredList(_ key: String) throws(CodebookError) -> [String] {
            guard let values = try strings(map, key), !values.isEmpty else { throw error(node, "output '\(name)' (\(type)): '\(key)' must list at least one column") }
            return values
        }
        func record(_ key: String, _ value: String?) { if let value { parameters.append((key, value)) } }
        func list(_ values: [String]) -> String { "[" + values.joined(separator: ", ") + "]" }
        let kind: StudyOutput.Kind
        switch type {
        case "table1":
            try keys(["variables", "by", "tests", "test", "measurement_test"])
            let variables = try strings(map, "variables")
            if variables?.isEmpty == true { throw error(map["variables"], "output '\(name)' (table1): 'variables' is empty; list the columns, or leave it out for every column") }
            let by = try optionalString(map, "by"), tests = try bool(map, "tests", default: true)
            let test = try choice(map, "test", default: ContingencyTable.TestChoice.auto)
            let measurementTest = try choice(map, "measurement_test", default: MeasurementTest.rankSum)
            // As `cohort describe`: the test keys choose the tests between 'by' groups (issue 12).
            if let key = ["test", "measurement_test"].first(where: { map[$0] != nil }), by == nil || !tests {
                throw error(map[key], "output '\(name)' (table1): '\(key)' applies to the tests between groups: \(by == nil ? "add 'by'" : "drop 'tests: false'")")
            }
            record("variables", variables.map(list) ?? "all"); record("by", by); record("tests", "\(tests)")
            if tests { record("test", test.rawValue); record("measurement_test", measurementTest.rawValue) }
            kind = .table1(variables: variables, by: by, tests: tests ? GroupTests(categories: test, measurements: measurementTest) : nil)
        case "incidence":
            try keys(["outcome", "event", "by", "method", "level"])
            let outcome = try required("outcome"), event = try optionalString(map, "event"), by = try optionalString(map, "by")
            let method = try choice(map, "method", default: IntervalMethodChoice.clopperPearson), level = try level(map, default: options.level)
            record("outcome", outcome); record("event", event); record("by", by); record("method", method.rawValue); record("level", NumberText.shortest(level))
            kind = .incidence(outcome: outcome, event: event, by: by, method: method.method, level: level)
        case "compare":
            try keys(["outcome", "event", "factors", "test", "measurement_test", "trend"])
            let outcome = try required("outcome"), event = try optionalString(map, "event"), factors = try requiredList("factors")
            let test = try choice(map, "test", default: ContingencyTable.TestChoice.auto)
            let measurementTest = try choice(map, "measurement_test", default: MeasurementTest.rankSum), trend = try bool(map, "trend", default: false)
            if trend, map["test"] != nil {
                throw error(map["test"], "output '\(name)' (compare): 'test' does not apply with 'trend: true': ordered factors get the Cochran-Armitage trend test")
            }
            record("outcome", outcome); record("event", event); record("factors", list(factors)); record("test", test.rawValue)
            record("measurement_test", measurementTest.rawValue); record("trend", "\(trend)")
            kind = .compare(outcome: outcome, event: event, factors: factors, test: test, measurementTest: measurementTest, trend: trend)
        case "logit":
            try keys(["outcome", "event", "covariates", "reference", "firth", "ci", "level", "lr_tests"])
            let outcome = try required("outcome"), event = try optionalString(map, "event"), covariates = try requiredList("covariates")
            let reference = try mappingOfStrings(map, "reference"), firth = try bool(map, "firth", default: false)
            let ci = try choice(map, "ci", default: ConfidenceInterval.Method.profile), level = try level(map, default: options.level)
            let lr = try bool(map, "lr_tests", default: true)
            // The model would ignore a reference level for a column it does not fit.
            if let stray = reference.first(where: { !covariates.contains($0.0) }) {
                throw error(map["reference"], "output '\(name)' (logit): 'reference' names '\(stray.0)', which is not among the covariates (\(covariates.joined(separator: ", ")))")
            }
            record("outcome", outcome); record("event", event); record("covariates", list(covariates))
            if !reference.isEmpty { record("reference", list(reference.map { "\($0)=\($1)" })) }
            record("firth", "\(firth)"); record("ci", ci.rawValue); record("level", NumberText.shortest(level)); record("lr_tests", "\(lr)")
            kind = .logit(outcome: outcome, event: event, covariates: covariates, reference: Dictionary(reference, uniquingKeysWith: { $1 }),
                          firth: firth, ci: ci, level: level, likelihoodRatio: lr)
        case "cuminc":
            let input = try cumincInput(map, at: node, name: name, options: options, record: record)
            kind = .cuminc(input)
        case "forest":
            try keys(["logit", "labels"])
            let logit = try required("logit"), labels = try mappingOfStrings(map, "labels")
            record("logit", logit); if !labels.isEmpty { record("labels", list(labels.map { "\($0)=\($1)" })) }
            kind = .forest(logit: logit, labels: Dictionary(labels, uniquingKeysWith: { $1 }))
        case "bars":
            try keys(["column", "denominator", "axis"])
            let column = try required("column"), denominator = try bool(map, "denominator", default: true)
            let axis = try optionalString(map, "axis") ?? "Patients"
            record("column", column); record("denominator", "\(denominator)"); record("axis", axis)
            kind = .bars(column: column, denominator: denominator, axis: axis)
        case "reproduce":
            try keys(["published"])
            let published = try optionalString(map, "published") ?? "published.yaml"
            record("published", published)
            kind = .reproduce(published: published)
        default:
            throw error(map["type"], "output '\(name)': unknown type '\(type)'; one of \(Self.outputTypes.joined(separator: ", "))")
        }
        return StudyOutput(name: name, title: title, kind: kind, parameters: parameters, line: node.mark?.line)
    }

    // swiftlint:disable:next function_parameter_count
    private func cumincInput(_ map: Node.Mapping, at node: Node, name: String, options: StudyOptions,
                             record: (String, String?) -> Void) throws(CodebookError) -> CumincInput {
        try onlyKeys(map, ["name", "type", "title", "event_day", "event_type", "followup_day", "index_date", "event_date", "followup_date",
                           "time", "status", "event_days", "event", "competing", "no_event", "days", "by", "ci", "level", "rho", "figure", "time_axis",
                           "svg_max_day"],
                     what: "output '\(name)' (cuminc)")
        func column(_ key: String) throws(CodebookError) -> String {
            guard let text = try optionalString(map, key) else { throw error(node, "output '\(name)' (cuminc): '\(key)' is missing") }
            record(key, text)
            return text
        }
        let given = ["event_day", "event_type", "followup_day", "index_date", "event_date", "followup_date", "time", "status", "event_days"]
            .filter { map[$0] != nil }
        let times: CumincInput.Times
        switch Set(given) {
        case ["event_day", "event_type", "followup_day"]:
            times = .days(eventDay: try column("event_day"), eventType: try column("event_type"), followUpDay: try column("followup_day"))
        case ["index_date", "event_date", "event_type", "followup_date"]:
            times = .dates(indexDate: try column("index_date"), eventDate: try column("event_date"), eventType: try column("event_type"),
                           followUpDate: try column("followup_date"))
        case ["time", "status"]:
            times = .timeStatus(time: try column("time"), status: try column("status"))
        case ["event_days", "followup_day"]:
            let pairs = try mappingOfStrings(map, "event_days")
            guard !pairs.isEmpty else { throw error(map["event_days"], "output '\(name)': 'event_days' must map each event type to its day column") }
            record("event_days", "{" + pairs.map { "\($0): \($1)" }.joined(separator: ", ") + "}")
            times = .eventDays(types: pairs.map { (type: $0.0, column: $0.1) }, followUpDay: try column("followup_day"))
        default:
            throw error(node, "output '\(name)' (cuminc): give the times as event_day + event_type + followup_day; index_date + event_date + event_type + followup_date; time + status; or event_days + followup_day (given: \(given.isEmpty ? "none" : given.joined(separator: ", ")))")
        }
        guard let event = try optionalString(map, "event") else { throw error(node, "output '\(name)' (cuminc): 'event' is missing") }
        let competing = try strings(map, "competing") ?? []
        let noEvent = try strings(map, "no_event") ?? EventCoding.defaultNoEventValues
        // As `--event-days`: the event and the competing events are among the day columns' types.
        if case .eventDays(let types, _) = times, let stray = ([event] + competing).first(where: { name in !types.contains { $0.type == name } }) {
            throw error(map[stray == event ? "event" : "competing"], "output '\(name)' (cuminc): '\(stray)' is not one of the 'event_days' types (\(types.map(\.type).joined(separator: ", ")))")
        }
        if case .eventDays = times, map["no_event"] != nil {
            throw error(map["no_event"], "output '\(name)' (cuminc): 'no_event' does not apply with 'event_days': a row without any event day is censored at 'followup_day'")
        }
        guard let dayTexts = try strings(map, "days"), !dayTexts.isEmpty else { throw error(node, "output '\(name)' (cuminc): 'days' must list the days to read off, e.g. [28, 90, 365]") }
        var days: [Double] = []
        for text in dayTexts {
            guard let day = Double(text), InputRules.readingDay.accepts(day) else {
                throw error(map["days"], "output '\(name)' (cuminc): each of 'days' must be \(InputRules.readingDay.expected), got '\(text)'")
            }
            days.append(day)
        }
        let by = try optionalString(map, "by")
        let interval = try choice(map, "ci", default: CurveInterval.logLog), level = try level(map, default: options.level)
        let rho = try number(map, "rho", InputRules.grayRho) ?? 0
        if map["rho"] != nil, by == nil { throw error(map["rho"], "output '\(name)' (cuminc): 'rho' weights Gray's test between the 'by' groups: add 'by'") }
        let figure = try bool(map, "figure", default: true)
        let timeAxis = try optionalString(map, "time_axis") ?? "Days since infusion"
        // `cohort cuminc --svg-max-day`, by the same rule.
        let svgMaxDay = try number(map, "svg_max_day", InputRules.axisEndDay)
        if !figure, let key = ["time_axis", "svg_max_day"].first(where: { map[$0] != nil }) {
            // As `cohort cuminc` refuses --time-label and --svg-max-day without --svg: never ignored.
            throw error(map[key], "output '\(name)' (cuminc): '\(key)' applies to the figure, which 'figure: false' turns off")
        }
        record("event", event); record("competing", "[" + competing.joined(separator: ", ") + "]")
        record("no_event", "[" + noEvent.joined(separator: ", ") + "]"); record("days", "[" + days.map(NumberText.shortest).joined(separator: ", ") + "]")
        record("by", by); record("ci", interval.rawValue); record("level", NumberText.shortest(level)); record("rho", NumberText.shortest(rho))
        record("figure", "\(figure)"); record("time_axis", timeAxis); record("svg_max_day", svgMaxDay.map(NumberText.shortest) ?? "last follow-up")
        return CumincInput(times: times, event: event, competing: competing, noEvent: noEvent, days: days, by: by, interval: interval,
                           level: level, rho: rho, figure: figure, timeAxis: timeAxis, svgMaxDay: svgMaxDay)
    }
}

