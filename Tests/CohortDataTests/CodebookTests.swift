@testable import CohortData
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Codebook files, the typing of columns against them, derived variables and the starter codebook.
final class CodebookTests: XCTestCase {
    /// Writes `files` (name → contents) to a fresh folder and returns its path.
    func folder(_ files: [String: String]) throws -> String {
        let path = NSTemporaryDirectoryPath() + "/cohortkit-codebook-\(UInt32.random(in: 0...UInt32.max))"
        XCTAssertEqual(mkdir(path, 0o755), 0)
        for (name, text) in files {
            let file = fopen(path + "/" + name, "wb")!
            _ = text.withCString { fputs($0, file) }
            fclose(file)
        }
        return path
    }

    func NSTemporaryDirectoryPath() -> String { String(cString: getenv("TMPDIR") ?? strdup("/tmp")) }

    func load(data: String, codebook: String) throws -> LoadedData {
        let dir = try folder(["d.csv": data, "d.codebook.yaml": codebook])
        return try CohortLoader.load(path: dir + "/d.csv", codebookPath: CohortLoader.codebookNextTo(dir + "/d.csv"))
    }

    func messages(_ loaded: LoadedData) -> [String] {
        (loaded.report.errors + loaded.report.warnings).map { p in
            (p.line.map { "\($0): " } ?? "") + (p.column.map { "\($0): " } ?? "") + (p.value.map { "'\($0)' " } ?? "") + p.message
        }
    }

    func testParsesEveryKindOfDeclaration() throws {
        let codebook = try CodebookFile.parse("""
            missing: ["", NA, "-99"]
            variables:
              patient_id: identifier
              age:
                type: integer
                label: Age at infusion
                unit: years
                range: [0, 120]
                typical: [18, 90]
              "PLT (x10^9/L)":
                type: real
                missing: [not done]
              sex:
                type: categorical
                levels: [F, M]
              bleeding:
                type: binary
                levels: [absent, present]
            derived:
              low_plt: below(`PLT (x10^9/L)`, 150)
              bleeding_3mo:
                formula: event_within(bleeding_day, 0...91)
                label: Bleeding by day 91
            """, source: "c.yaml")
        XCTAssertEqual(codebook.missing, ["", "NA", "-99"])
        XCTAssertEqual(codebook.variables.map(\.name), ["patient_id", "age", "PLT (x10^9/L)", "sex", "bleeding"])
        XCTAssertEqual(codebook.variables.map(\.type), [.identifier, .integer, .real, .categorical, .binary])
        let age = codebook.variable(named: "age")!
        XCTAssertEqual(age.range, 0...120)
        XCTAssertEqual(age.typical, 18...90)
        XCTAssertEqual(age.unit, "years")
        XCTAssertEqual(age.line, 4)
        XCTAssertEqual(codebook.variable(named: "PLT (x10^9/L)")!.missing, ["not done"])
        XCTAssertEqual(codebook.variable(named: "bleeding")!.levels, ["absent", "present"])
        XCTAssertEqual(codebook.derived.map(\.formula.description),
                       ["below(`PLT (x10^9/L)`, 150)", "event_within(bleeding_day, 0...91)"])
        XCTAssertEqual(codebook.derived[1].label, "Bleeding by day 91")
    }

    func testCodebookMistakesNameTheLine() {
        func error(_ text: String) -> String {
            do {
                _ = try CodebookFile.parse(text, source: "c.yaml")
                return "no error"
            } catch { return error.description }
        }
        XCTAssertEqual(error("variables:\n  age: number\n"),
                       "c.yaml:2: unknown type 'number'; the types are integer, real, grade, day, binary, categorical, date, text, identifier")
        XCTAssertEqual(error("variables:\n  age:\n    type: integer\n    rnage: [0, 1]\n"),
                       "c.yaml:4: variable 'age': unknown setting 'rnage'; the settings are type, label, unit, range, typical, levels, codes, missing, note, shown_if")
        // Issue 18: REDCap branching logic must be simple, and an instrument's table reads no file.
        XCTAssertEqual(error("variables:\n  g:\n    type: integer\n    shown_if: \"datediff([d], 'today', 'd') > 1\"\n"),
                       "c.yaml:4: variable 'g': 'shown_if' must be a simple condition: [field] = 'value' (or <>, !=, <, <=, >, >=), [field(code)] for a checkbox choice, joined by and / or, with parentheses; keep other logic as a 'note'")
        XCTAssertEqual(error("variables:\n  id: identifier\ntables:\n  labs: {file: l.csv, redcap_instrument: labs, id: id, day: day}\n"),
                       "c.yaml:4: table 'labs': give one of 'file' (a file beside the codebook), 'redcap_instrument' (the data file's rows of a REDCap repeating instrument) or 'redcap_event' (its rows of a REDCap repeating event), not file and redcap_instrument")
        XCTAssertEqual(error("variables:\n  id: identifier\ntables:\n  labs: {redcap_instrument: labs, id: id}\n"),
                       "c.yaml:4: table 'labs': a REDCap repeating instrument has a row an instance: give 'date' and 'index' (a date field of its forms and the patient table's day-0 date) or 'day'")
        XCTAssertEqual(error("variables:\n  id: identifier\ntables:\n  visits: {redcap_event: followup_arm_1, id: id}\n"),
                       "c.yaml:4: table 'visits': a REDCap repeating event has a row an instance: give 'date' and 'index' (a date field of its forms and the patient table's day-0 date) or 'day'")
        XCTAssertEqual(error("variables:\n  id: identifier\ntables:\n  visits: {redcap_event: followup_arm_1, redcap_instrument: visit, id: id, day: day}\n"),
                       "c.yaml:4: table 'visits': give one of 'file' (a file beside the codebook), 'redcap_instrument' (the data file's rows of a REDCap repeating instrument) or 'redcap_event' (its rows of a REDCap repeating event), not redcap_instrument and redcap_event")
        XCTAssertEqual(error("variables:\n  age:\n    type: integer\n    range: [10, 1]\n"),
                       "c.yaml:4: variable 'age': 'range' [10, 1] is empty: the lowest value comes first")
        XCTAssertEqual(error("variables:\n  sex:\n    type: text\n    levels: [F, M]\n"),
                       "c.yaml:4: variable 'sex': 'levels' applies to categorical and binary variables, not text")
        XCTAssertEqual(error("variables:\n  x: real\nderived:\n  y: below(x 150)\n"),
                       "c.yaml:4: derived 'y': at character 9: expected ',' or ')' in the call to below in 'below(x 150)'")
        XCTAssertEqual(error("columns:\n  x: real\n"), "c.yaml:1: unknown key 'columns'; a codebook has 'missing', 'variables', 'derived', 'tables'")
        XCTAssertTrue(error("variables:\n  x: [real\n").hasPrefix("c.yaml:"), "a YAML syntax error names a line")
        XCTAssertEqual(error("variables:\n  x: real\nderived:\n  x: below(x, 1)\n"),
                       "c.yaml:4: 'x' is declared more than once (as a variable or a derived variable)")
    }

    func testFormulaSyntax() throws {
        let f = try DerivedFormula.parse(" isth_dic_score( plt , `D-dimer (xULN)`, pt = 3.5, window = -7...28, level = \"B-ALL\" ) ")
        XCTAssertEqual(f.expression, .call("isth_dic_score", [.column("plt"), .column("D-dimer (xULN)")],
                                           [.init(name: "pt", value: .number(3.5)), .init(name: "window", value: .range(-7...28)),
                                            .init(name: "level", value: .text("B-ALL"))]))
        XCTAssertEqual(f.description, "isth_dic_score(plt, `D-dimer (xULN)`, pt = 3.5, window = -7...28, level = \"B-ALL\")")
        XCTAssertThrowsError(try DerivedFormula.parse("below(x, 5...1)"))
        XCTAssertThrowsError(try DerivedFormula.parse("below(x = 1, y)"))
        XCTAssertThrowsError(try DerivedFormula.parse("below(x, 1) extra"))
        XCTAssertThrowsError(try DerivedFormula.parse("below(`x, 1)"))
    }

    /// Every kind of bad value, each reported on its own line with the value and what was expected.
    func testTypingReportsEveryBadValueWithLineAndExpectation() throws {
        let loaded = try load(data: """
            id,age,sex,plt,grade,day,when,yes
            P1,34,F,120,2,5,2021-03-01,yes
            P2,2x,M,80,7,-3,2021-02-30,maybe
            P1,50,X,9000,1,10,2021-04-01,N
            P4,40.5,F,5,,,,
            """, codebook: """
            variables:
              id: identifier
              age: {type: integer, range: [0, 120]}
              sex: {type: categorical, levels: [F, M]}
              plt: {type: real, range: [0, 2000], typical: [10, 800], unit: x10^9/L}
              grade: grade
              day: day
              when: date
              yes: binary
            """)
        XCTAssertEqual(messages(loaded), [
            "3: age: '2x' is not a number; expected a whole number",
            "3: grade: '7' is outside the allowed grades 0-5",
            "3: day: '-3' is before day 0; study days count from day 0 (expected 0 or more)",
            "3: when: '2021-02-30' is not a date; expected YYYY-MM-DD (ISO 8601), a real calendar date",
            "3: yes: 'maybe' is not binary; expected 0/1, true/false, yes/no or y/n",
            "4: id: repeats the identifier on line 2; identifiers must be unique",
            "4: sex: 'X' is not a level of this variable; expected one of F, M",
            "4: plt: '9000' is outside the allowed values 0-2000 x10^9/L",
            "5: age: '40.5' is not a whole number; expected a whole number",
            "5: plt: '5' is outside the typical range 10-800 x10^9/L; check it",
        ])
        XCTAssertEqual(loaded.report.errorCount, 9)
        XCTAssertEqual(loaded.report.warningCount, 1)
        XCTAssertThrowsError(try CohortLoader.loadForAnalysis(path: loaded.table.source, codebookPath: loaded.codebook!.source)) { error in
            guard case .invalidData(let report)? = error as? DataError else { return XCTFail("\(error)") }
            XCTAssertEqual(report.errorCount, 9)
        }
    }

    func testTypedValuesAndIdentifiersWithheld() throws {
        let loaded = try load(data: """
            id,sex,when,event,plt,note
            A,M,2021-03-01,present,-99,x
            B,F,2020-02-29,absent,150,not done
            """, codebook: """
            missing: ["", "-99"]
            variables:
              id: identifier
              sex: {type: categorical, levels: [M, F]}
              when: date
              event: {type: binary, levels: [absent, present]}
              plt: real
              note: {type: text, missing: [not done]}
            derived:
              low: below(plt, 151)
              female: equals(sex, "F")
            """)
        XCTAssertTrue(loaded.report.isValid, "\(loaded.report.errors)")
        let table = loaded.table
        XCTAssertEqual(table.columnNames, ["sex", "when", "event", "plt", "note", "low", "female"])
        XCTAssertEqual(table.withheldIdentifiers, ["id"])
        XCTAssertThrowsError(try table.column(named: "id")) { error in
            XCTAssertEqual((error as? DataError)?.description,
                           "\(table.source): 'id' is an identifier column (codebook type identifier); identifiers are never analysed or printed")
        }
        let sex = try table.column(named: "sex")
        guard case .text(let codes, let levels) = sex.storage else { return XCTFail() }
        XCTAssertEqual(levels, ["M", "F"], "declared order, first level the reference")
        XCTAssertEqual(codes, [0, 1])
        XCTAssertTrue(sex.hasDeclaredLevelOrder)
        let when = try table.column(named: "when")
        XCTAssertEqual(when.displayValue(0), "2021-03-01")
        XCTAssertEqual(when.displayValue(1), "2020-02-29")
        guard case .numeric(let days) = when.storage else { return XCTFail() }
        XCTAssertEqual(days, [18687, 18321], "days since 1970-01-01")
        guard case .numeric(let event) = try table.column(named: "event").storage else { return XCTFail() }
        XCTAssertEqual(event, [1, 0])
        XCTAssertTrue(try table.column(named: "plt").isMissing(0), "-99 is a missing token")
        XCTAssertTrue(try table.column(named: "note").isMissing(1), "the variable's own missing token")
        guard case .numeric(let low) = try table.column(named: "low").storage,
              case .numeric(let female) = try table.column(named: "female").storage else { return XCTFail() }
        XCTAssertTrue(low[0].isNaN, "missing platelets give a missing flag")
        XCTAssertEqual(low[1], 1, "150 < 151")
        XCTAssertEqual(female, [0, 1])
        XCTAssertEqual(try table.column(named: "low").variable?.type, .binary)
    }

    func testDerivedVariableMistakesAreReportedWithTheCodebookLine() throws {
        let loaded = try load(data: "x,s\n1,a\n", codebook: """
            variables:
              x: real
              s: text
            derived:
              a: below(y, 1)
              b: below(x)
              c: below(x, 1, 2)
              d: below(x, "one")
              e: log2(s)
              f: at_least(x, threshold = 2, level = 3)
              g: a_function(x)
              h: above(a, 0)
            """)
        XCTAssertEqual(loaded.report.errors.map(\.description), [
            "\(loaded.codebook!.source):5: derived 'a': no column or earlier derived variable named 'y'",
            "\(loaded.codebook!.source):6: derived 'b': below needs 'threshold': below(x, threshold)",
            "\(loaded.codebook!.source):7: derived 'c': below takes at most 2 arguments: below(x, threshold)",
            "\(loaded.codebook!.source):8: derived 'd': 'threshold' must be a number, not \"one\"",
            "\(loaded.codebook!.source):9: derived 'e': 's' holds text; log2 needs numbers (declare its type in the codebook)",
            "\(loaded.codebook!.source):10: derived 'f': at_least has no parameter 'level': at_least(x, threshold)",
            "\(loaded.codebook!.source):11: derived 'g': unknown function 'a_function'; the functions are \((DerivedFunction.list.map(\.name) + PreparationFunction.allCases.map(\.rawValue) + WindowSummary.allCases.map(\.rawValue)).joined(separator: ", ")) (cohort codebook --functions describes them)",
            "\(loaded.codebook!.source):12: derived 'h': no column or earlier derived variable named 'a'",
        ])
    }

    /// Hand-worked rows through each clinical function, boundaries included.
    func testClinicalDerivedFunctions() throws {
        let loaded = try load(data: """
            plt,ddimer_x,pt_prol,fib,ldh,creat,at,bday,tday,fever,hypo,oxy,ice,bleed_grade
            100,2,3,1.0,500,1.0,70,28,,1,0,0,10,2
            99.9,4.1,6,0.9,400,2.0,69.9,29,3,1,2,1,6,1
            49,,1,2,,1,,,,0,3,3,0,0
            """, codebook: """
            variables:
              plt: real
              ddimer_x: real
              pt_prol: real
              fib: real
              ldh: real
              creat: real
              at: real
              bday: day
              tday: day
              fever: binary
              hypo: integer
              oxy: integer
              ice: integer
              bleed_grade: grade
            derived:
              isth: isth_dic_score(plt, ddimer_x, pt_prol, fib)
              overt: isth_overt_dic(plt, ddimer_x, pt_prol, fib)
              grade: platelet_grade(plt)
              low100: thrombocytopenia(plt, 100)
              easix: easix(creat, ldh, plt)
              l2: log2_easix(creat, ldh, plt)
              at_low: antithrombin_low(at)
              fib_low: fibrinogen_low(fib)
              crs: crs_grade(fever, hypo, oxy)
              icans: icans_grade(ice)
              sig: bleeding_significant(bleed_grade)
              carac: carac(bday, tday, plt, fibrinogen = fib)
              by28: event_within(bday, 0...28)
              cdss: chinese_dic_score(plt, ddimer_x, pt_prol, fib)
            """)
        XCTAssertTrue(loaded.report.isValid, "\(loaded.report.errors)")
        func values(_ name: String) throws -> [Double?] {
            guard case .numeric(let v) = try loaded.table.column(named: name).storage else { throw DataError.emptyFile(source: name) }
            return v.map { $0.isNaN ? nil : $0 }
        }
        // Row 1: platelets exactly 100 (0 points), fibrin marker exactly 2xULN (2), PT +3 s (1), fibrinogen 1.0 (0) = 3.
        // Row 2: 99.9 (1) + 4.1xULN (3) + 6 s (2) + 0.9 (1) = 7, overt DIC.
        XCTAssertEqual(try values("isth"), [3, 7, nil])
        XCTAssertEqual(try values("overt"), [0, 1, nil])
        XCTAssertEqual(try values("grade"), [1, 1, 3], "100 and 99.9 are below the LLN 150 but not below 75; 49 < 50")
        XCTAssertEqual(try values("low100"), [0, 1, 1], "exactly 100 is not below 100")
        XCTAssertEqual(try values("easix"), [5, 2.0 * 400 / 99.9, nil])
        XCTAssertEqual(try values("l2")[0], log2(5.0))
        XCTAssertEqual(try values("at_low"), [0, 1, nil], "exactly 70 % is not deficient")
        XCTAssertEqual(try values("fib_low"), [1, 1, 0], "1.0 and 0.9 are below the 1.5 g/L trigger")
        XCTAssertEqual(try values("crs"), [1, 3, 0], "fever alone 1; one vasopressor 3; no fever 0")
        XCTAssertEqual(try values("icans"), [0, 2, 3], "ICE 10 normal, 6 grade 2, 0 grade 3")
        XCTAssertEqual(try values("sig"), [1, 0, 0])
        XCTAssertEqual(try values("by28"), [1, 0, 0], "day 28 is inside 0...28, day 29 outside, no event 0")
        XCTAssertEqual(try values("carac"), [1, 1, 0], "bleeding day 28 + low fibrinogen; thrombosis day 3 + platelets < 150")
        // CDSS row 1: underlying disease 2 + platelets ≥ 50 (0) + D-dimer 2 mg/L (0) + PT +3 s (1) + fibrinogen 1.0 (0) = 3.
        XCTAssertEqual(try values("cdss"), [3, 2 + 0 + 0 + 2 + 1, nil])
    }

    func testStarterCodebookRoundTripsThroughTheParser() throws {
        let table = try CSVReader.read(bytes: Array("""
            patient_id,age,sex,bleeding,when,crs_grade,plt,note
            P001,34,F,yes,2021-03-01,0,120.5,long free text a
            P002,56,M,no,2021-03-02,2,80,b
            P003,45,F,yes,2021-03-04,1,,c
            """.utf8), source: "t.csv")
        let yaml = StarterCodebook.yaml(for: table, missingTokens: CSVOptions.defaultMissingTokens)
        let codebook = try CodebookFile.parse(yaml, source: "starter.yaml")
        XCTAssertEqual(codebook.variables.map(\.type), [.identifier, .integer, .categorical, .binary, .date, .grade, .real, .categorical])
        XCTAssertEqual(codebook.variable(named: "sex")?.levels, ["F", "M"])
        XCTAssertEqual(codebook.missing, CSVOptions.defaultMissingTokens)
        XCTAssertTrue(yaml.contains("  plt:   # observed 80 to 120.5, 1 missing\n"), yaml)
    }

    func testDateConversionIsTheInverseOfDaysSinceEpoch() {
        for days in stride(from: -719_162, through: 2_932_896, by: 997) {  // 0001-01-01 to 9999-12-31
            let date = CalendarDate(daysSinceEpoch: days)
            XCTAssertEqual(date.daysSinceEpoch, days)
            XCTAssertEqual(CalendarDate(iso: date.description), date)
        }
        XCTAssertEqual(CalendarDate(daysSinceEpoch: 0).description, "1970-01-01")
        XCTAssertEqual(CalendarDate(daysSinceEpoch: 11016).description, "2000-02-29")
    }
}
