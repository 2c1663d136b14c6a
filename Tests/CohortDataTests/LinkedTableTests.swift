@testable import CohortData
import CohortTestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Linked long tables (lab draws), the window summaries and daily scores over them, and the formula
/// language they are written in; checked against an independent pandas computation on irregular
/// data (Tests/References/linked_table_references.py).
final class LinkedTableTests: XCTestCase {
    // MARK: - Against the reference

    func loadReferenceFixture() throws -> LoadedData {
        try CohortLoader.load(path: Fixtures.path("linked/patients.csv"), codebookPath: Fixtures.path("linked/codebook.yaml"))
    }

    /// Every summary (min, max, mean, first, last, count, first_day with four comparisons, days_below,
    /// auc), every daily score (ISTH positional and named, the Chinese DIC score with patient-level
    /// clinical items, EASIX, CARAC in three-valued logic, antithrombin and fibrinogen flags) and
    /// arithmetic on derived variables, for 60 patients with days before 0 and after the window,
    /// repeated days, missing values, unsorted rows and patients without draws: equal to pandas
    /// (exactly, EASIX included; the trapezoid area to 1e-12 relative, its sums being ordered differently).
    func testEverySummaryAndDailyScoreMatchesThePandasReference() throws {
        let loaded = try loadReferenceFixture()
        XCTAssertTrue(loaded.report.isValid, loaded.report.failureSummary)
        XCTAssertEqual(loaded.report.warningCount, 0, "\(loaded.report.warnings)")
        let expected = try CSVReader.read(path: Fixtures.path("linked/expected.csv"), options: CSVOptions(textColumns: ["patient_id"]))
        XCTAssertEqual(expected.rowCount, loaded.table.rowCount)
        let names = expected.columnNames.filter { $0 != "patient_id" }
        XCTAssertEqual(names.count, 40)
        for name in names {
            guard case .numeric(let want) = try expected.column(named: name).storage,
                  case .numeric(let got) = try loaded.table.column(named: name).storage else {
                XCTFail("\(name): not numeric"); continue
            }
            for r in want.indices {
                if want[r].isNaN || got[r].isNaN {
                    XCTAssertEqual(want[r].isNaN, got[r].isNaN, "\(name), row \(r + 2): want \(want[r]), got \(got[r])")
                } else if name == "plt_auc_0_28" {
                    XCTAssertEqual(got[r], want[r], accuracy: 1e-12 * abs(want[r]), "\(name), row \(r + 2)")
                } else {
                    XCTAssertEqual(got[r], want[r], "\(name), row \(r + 2)")
                }
            }
        }
    }

    /// The note a daily score leaves: how many patient-days had draws and how many could not be scored.
    func testUnscorablePatientDaysAreCountedAsTheReferenceCounts() throws {
        let loaded = try loadReferenceFixture()
        let reference = try CSVReader.read(path: Fixtures.path("linked/unscorable.csv"), options: CSVOptions(textColumns: ["variable", "score", "window"]))
        guard case .text(let variables, let names) = try reference.column(named: "variable").storage,
              case .numeric(let draws) = try reference.column(named: "draw_days").storage,
              case .numeric(let unscorable) = try reference.column(named: "unscorable_days").storage else { return XCTFail("reference columns") }
        XCTAssertGreaterThan(reference.rowCount, 0)
        for r in 0..<reference.rowCount {
            let variable = names[Int(variables[r])]
            let note = loaded.notes.first { $0.contains("(\(variable),") || $0.contains(", \(variable),") || $0.contains(" \(variable))") || $0.contains("(\(variable))") }
            XCTAssertNotNil(note, variable)
            XCTAssertTrue(note?.contains("of \(Int(draws[r])) patient-days with draws scored; \(Int(unscorable[r])) unscorable") == true, note ?? "")
        }
    }

    /// Summaries are computed over blocks of patients to bound their memory (issue 15); every
    /// value belongs to one patient, so any block size gives the same bits and the same counts of
    /// unscorable days. With a patient a block, and with blocks of 7 draws, every derived variable
    /// of the reference fixture equals the default (one block for these 60 patients) bit for bit.
    func testSummariesBlockByBlockGiveTheSameBitsAsOnePass() throws {
        let loaded = try loadReferenceFixture()
        let codebook = try XCTUnwrap(loaded.codebook)
        let derivedNames = Set(codebook.derived.map(\.name))
        XCTAssertEqual(derivedNames.count, 40)
        let given = loaded.table.columns.filter { !derivedNames.contains($0.name) }
        for draws in [1, 7] {
            var evaluation = DerivedEvaluation(codebook: codebook, linked: loaded.table.linkedTables)
            evaluation.drawsPerBlock = draws
            let blocks = WindowFrame.blocks(of: loaded.table.linkedTables[0], draws: draws)
            XCTAssertGreaterThan(blocks.count, 20, "the fixture must be split into many blocks")
            let columns = evaluation.appending(to: given, rowCount: loaded.table.rowCount)
            XCTAssertEqual(evaluation.problems.count, 0, "\(evaluation.problems)")
            for name in derivedNames.sorted() {
                guard case .numeric(let want) = try loaded.table.column(named: name).storage,
                      case .numeric(let got) = columns.first(where: { $0.name == name })?.storage else { XCTFail(name); continue }
                XCTAssertEqual(got.map(\.bitPattern), want.map(\.bitPattern), "\(name) with blocks of \(draws) draws")
            }
            XCTAssertEqual(evaluation.notes.map { $0.text() }, loaded.notes, "unscorable days summed over blocks")
        }
    }

    /// Linked values are kept as 32-bit decimals only where the value comes back bit for bit:
    /// values with a few decimals do; a computed 0.1 + 0.2, a value beyond 32 bits, more than nine
    /// digits or a negative zero are kept as doubles beside them. Missing stays missing either way.
    func testLinkedValuesAreCompactOnlyWhereEveryValueRoundTrips() {
        let decimals: [Double] = [399, 3.61, 1.26, 0.5, .nan, -7.25, 1999.999, 0, 2_000_000.5]
        let compact = LinkedValues(decimals)
        XCTAssertTrue(compact.isCompact)
        XCTAssertEqual(compact.values.map(\.bitPattern), decimals.map(\.bitPattern))
        XCTAssertEqual(compact.gathering([8, 4, 1] as [Int32]).map(\.bitPattern), [decimals[8], decimals[4], decimals[1]].map(\.bitPattern))
        for (stray, why) in [(0.1 + 0.2, "0.30000000000000004"), (1e12, "beyond 32 bits"), (1.0000000001, "ten decimals"), (-0.0, "negative zero")] {
            let values = LinkedValues(decimals + [stray])
            XCTAssertFalse(values.isCompact, why)
            XCTAssertEqual(values.values.map(\.bitPattern), (decimals + [stray]).map(\.bitPattern), why)
        }
        // Every decimal with up to 4 places in a range a laboratory value takes: exact, compact.
        let grid = (0..<20_000).map { Double($0 * 37 - 100_000) / 10_000 }
        let stored = LinkedValues(grid)
        XCTAssertTrue(stored.isCompact)
        XCTAssertEqual(stored.values.map(\.bitPattern), grid.map(\.bitPattern))
    }

    // MARK: - Small hand-worked cases

    func folder(_ files: [String: String]) throws -> String { try Fixtures.folder(files, prefix: "cohortkit-linked") }

    let patients = "id,age,disease\nA,70,LBCL\nB,40,B-ALL\nC,55,LBCL\n"
    let labs = "id,day,plt,fib\nA,-1,200,3\nA,0,120,2.5\nA,3,40,\nA,3,60,1.2\nA,30,10,0.5\nB,2,90,1\nB,2,,0.9\n"

    func load(derived: String, patients: String? = nil, labs: String? = nil, tables: String? = nil) throws -> LoadedData {
        let table = tables ?? "tables:\n  labs: {file: labs.csv, id: id, day: day}\n"
        let dir = try folder(["p.csv": patients ?? self.patients, "labs.csv": labs ?? self.labs,
                              "p.codebook.yaml": "variables:\n  id: identifier\n  age: integer\n  disease: {type: categorical, levels: [LBCL, B-ALL]}\n\(table)derived:\n\(derived)"])
        return try CohortLoader.load(path: dir + "/p.csv", codebookPath: dir + "/p.codebook.yaml")
    }

    func values(_ loaded: LoadedData, _ name: String) throws -> [Double] {
        guard case .numeric(let v) = try loaded.table.column(named: name).storage else { throw DataError.emptyFile(source: name) }
        return v
    }

    func assertValues(_ got: [Double], _ want: [Double?], _ message: String = "", line: UInt = #line) {
        XCTAssertEqual(got.map { $0.isNaN ? nil : $0 }, want, message, line: line)
    }

    /// Worked by hand: A has days -1, 0, 3 (two draws, one fibrinogen missing), 30; B day 2 twice
    /// (one platelet missing); C no draws.
    func testSummariesWorkedByHand() throws {
        let loaded = try load(derived: """
              nadir: min(labs.plt, days = 0...28)
              n: count(labs.plt, days = 0...28)
              firstv: first(labs.plt, days = 0...28)
              lastv: last(labs.fib, days = 0...28)
              mean: mean(labs.plt, days = -1...3)
              low_day: first_day(labs.fib < 1.5, days = 0...28)
              below50: days_below(labs.plt, 100, days = 0...28)
              area: auc(labs.plt, days = 0...3)
              drop: firstv - nadir
              old_and_low: age >= 60 and nadir < 50
              lbcl: disease == "LBCL"
            """)
        XCTAssertTrue(loaded.report.isValid, loaded.report.failureSummary)
        assertValues(try values(loaded, "nadir"), [40, 90, nil])
        assertValues(try values(loaded, "n"), [3, 1, 0])
        assertValues(try values(loaded, "firstv"), [120, 90, nil])
        assertValues(try values(loaded, "lastv"), [1.2, 0.9, nil], "file order within day 3: the missing one is skipped; B's day 2: 1 then 0.9")
        assertValues(try values(loaded, "mean"), [105, 90, nil], "(200 + 120 + 40 + 60) / 4")
        assertValues(try values(loaded, "low_day"), [3, 2, nil])
        assertValues(try values(loaded, "below50"), [1, 1, 0], "A: one distinct day (3) with values below 100; day 0 is 120")
        assertValues(try values(loaded, "area"), [3 * (120 + 50) / 2, nil, nil], "day 3 averages 40 and 60; B has one day only")
        assertValues(try values(loaded, "drop"), [80, 0, nil])
        assertValues(try values(loaded, "old_and_low"), [1, 0, 0], "C: age 55 is not >= 60, so 'and' is 0 whatever the nadir")
        assertValues(try values(loaded, "lbcl"), [1, 0, 1])
        XCTAssertEqual(loaded.table.columns.first { $0.name == "old_and_low" }?.variable?.type, .binary)
        XCTAssertEqual(loaded.table.columns.first { $0.name == "n" }?.variable?.type, .integer)
    }

    /// The most abnormal value of each component that day, from different draws; a day lacking a
    /// component has no score.
    func testDailyScoreUsesEachComponentsMostAbnormalValueOfTheDay() throws {
        let labs = "id,day,plt,dd,pt,fib\nA,1,120,1,1,2\nA,2,45,1,,2\nA,2,80,5,7,0.8\nA,3,30,,4,0.5\nB,1,90,3,3,1\n"
        let loaded = try load(derived: """
              worst: max(isth_dic_score(labs.plt, labs.dd, labs.pt, labs.fib), days = 0...28)
              onset: first_day(isth_dic_score(platelets = labs.plt, fibrin_marker = labs.dd, pt_prolongation = labs.pt, fibrinogen = labs.fib) >= 5, days = 0...28)
              scored: count(isth_dic_score(labs.plt, labs.dd, labs.pt, labs.fib), days = 0...28)
            """, labs: labs)
        XCTAssertTrue(loaded.report.isValid, loaded.report.failureSummary)
        // A day 2: platelets 45 (2) + D-dimer 5 xULN (3) + PT 7 s (2) + fibrinogen 0.8 (1) = 8; day 3 lacks D-dimer.
        assertValues(try values(loaded, "worst"), [8, 4, nil], "B day 1: 90 (1) + 3 xULN (2) + 3 s (1) + 1 g/L (0)")
        assertValues(try values(loaded, "onset"), [2, nil, nil])
        assertValues(try values(loaded, "scored"), [2, 1, 0])
        XCTAssertEqual(loaded.notes, ["isth_dic_score on labs days 0...28 (worst, onset, scored): 3 of 4 patient-days with draws scored; 1 unscorable (a component missing that day)"])
    }

    func testDateAndIndexDateGiveStudyDays() throws {
        let patients = "id,age,disease,infused\nA,70,LBCL,2024-01-10\nB,40,B-ALL,2024-02-01\nC,55,LBCL,2024-03-01\n"
        let labs = "id,drawn,plt\nA,2024-01-09,200\nA,2024-01-13,40\nB,2024-02-03,90\n"
        let dir = try folder(["p.csv": patients, "labs.csv": labs, "p.codebook.yaml": """
            variables:
              id: identifier
              age: integer
              disease: categorical
              infused: date
            tables:
              labs: {file: labs.csv, id: id, date: drawn, index: infused}
            derived:
              nadir_day: first_day(labs.plt < 50, days = 0...28)
              pre: min(labs.plt, days = -7...-1)
            """])
        let loaded = try CohortLoader.load(path: dir + "/p.csv", codebookPath: dir + "/p.codebook.yaml")
        XCTAssertTrue(loaded.report.isValid, loaded.report.failureSummary)
        assertValues(try values(loaded, "nadir_day"), [3, nil, nil])
        assertValues(try values(loaded, "pre"), [200, nil, nil])
    }

    // MARK: - Bad long tables: clear errors naming the file, line and column

    func messages(_ loaded: LoadedData) -> [String] { loaded.report.errors.map(\.description) }

    func testAnUnknownIdIsAnErrorNamingFileLineColumnAndId() throws {
        let loaded = try load(derived: "  n: count(labs.plt, days = 0...28)\n", labs: "id,day,plt\nA,1,100\nZ9,2,50\n")
        XCTAssertEqual(messages(loaded).count, 1)
        XCTAssertTrue(messages(loaded)[0].hasSuffix("labs.csv:3: column 'id': 'Z9' is not a patient of \(loaded.table.source) (no row there has this id)"), messages(loaded)[0])
    }

    /// Many bad rows are counted, but only the first thousand messages are kept.
    func testManyUnknownIdsAreCountedWithoutKeepingEveryMessage() throws {
        let labs = "id,day,plt\n" + (0..<3000).map { "X\($0),1,100\n" }.joined()
        let loaded = try load(derived: "  n: count(labs.plt, days = 0...28)\n", labs: labs)
        XCTAssertEqual(loaded.report.errorCount, 3000)
        XCTAssertEqual(loaded.report.errors.count, ValidationReport.limit)
    }

    func testAnUnparseableNonWholeOrMissingDayIsAnErrorNamingFileLineColumn() throws {
        let loaded = try load(derived: "  n: count(labs.plt, days = 0...28)\n", labs: "id,day,plt\nA,day3,100\nA,2.5,50\nB,,40\n")
        let errors = messages(loaded)
        XCTAssertEqual(errors.count, 3, "\(errors)")
        XCTAssertTrue(errors[0].contains("labs.csv:2: column 'day': 'day3'"), errors[0])
        XCTAssertTrue(errors[1].contains("labs.csv:3: column 'day': '2.5'"), errors[1])
        XCTAssertTrue(errors[2].hasSuffix("labs.csv:4: column 'day': the day is missing; every row of a linked table needs one"), errors[2])
    }

    func testADuplicatedPatientIsAnError() throws {
        // Declared as an identifier: the identifier check names both lines (not the value).
        var loaded = try load(derived: "  n: count(labs.plt, days = 0...28)\n", patients: "id,age,disease\nA,70,LBCL\nA,40,B-ALL\n")
        XCTAssertTrue(messages(loaded).contains { $0.contains("p.csv:3: column 'id': repeats the identifier on line 2") }, "\(messages(loaded))")
        // Not declared as one: the link check says it.
        let dir = try folder(["p.csv": "id,age\nA,70\nB,1\nA,40\n", "labs.csv": labs,
                              "p.codebook.yaml": "variables:\n  id: text\n  age: integer\ntables:\n  labs: {file: labs.csv, id: id, day: day}\n"])
        loaded = try CohortLoader.load(path: dir + "/p.csv", codebookPath: dir + "/p.codebook.yaml")
        XCTAssertTrue(messages(loaded).contains { $0.hasSuffix("p.csv:4: column 'id': repeats the patient id on line 2; a patient table with linked tables has one row a patient") },
                      "\(messages(loaded))")
    }

    func testMistakesInTablesAndFormulasAreNamed() throws {
        func error(_ derived: String, tables: String? = nil) throws -> String {
            let loaded = try load(derived: "  x: \(derived)\n", tables: tables)
            return loaded.report.errors.first.map { "\($0.message)" } ?? "no error"
        }
        XCTAssertEqual(try error("labs.plt + 1"), "derived 'x': labs.plt is a column of the linked table 'labs', with many values a patient: summarise it over a window, such as min(labs.plt, days = 0...28)")
        XCTAssertEqual(try error("min(labs.nope, days = 0...28)"), "derived 'x': the linked table 'labs' has no column 'nope'; its columns are id, day, plt, fib")
        XCTAssertEqual(try error("min(lab.plt, days = 0...28)"), "derived 'x': no linked table named 'lab'; the tables are labs")
        XCTAssertEqual(try error("min(labs.plt)"), "derived 'x': min needs 'days': min(table.column, days = first...last)")
        XCTAssertEqual(try error("min(age, days = 0...28)"), "derived 'x': min(...) summarises a linked table's column over days, such as min(labs.platelets, days = 0...28); age names none")
        XCTAssertEqual(try error("first_day(labs.plt, days = 0...28)"), "derived 'x': first_day needs a condition, such as first_day(labs.fibrinogen < 1.5, days = 0...28); labs.plt is not one")
        XCTAssertEqual(try error("max(min(labs.plt, days = 0...3), days = 0...28)"), "derived 'x': min(...) inside another summary: summarise once, then combine the results")
        XCTAssertEqual(try error("disease == \"DLBCL\""), "derived 'x': \"DLBCL\" is not a level of 'disease'; its levels are \"LBCL\", \"B-ALL\"")
        XCTAssertEqual(try error("max(isth_dic_score(labs.plt, labs.plt, labs.plt, labs.fib) + labs.plt, days = 0...28)"),
                       "derived 'x': this mixes single draws (a linked column) with daily scores; a score already summarises each day's draws, so compare it with a number or another score")
    }

    func testATableOutsideTheCodebooksFolderIsRefused() {
        XCTAssertThrowsError(try CodebookFile.parse("variables:\n  id: identifier\ntables:\n  labs: {file: ../labs.csv, id: id, day: day}\n", source: "c.yaml")) { error in
            XCTAssertEqual("\(error)", "c.yaml:4: table 'labs': '../labs.csv' is outside the codebook's folder; name a file beside the codebook or below it")
        }
        XCTAssertThrowsError(try CodebookFile.parse("variables:\n  id: identifier\ntables:\n  labs: {file: labs.csv, id: id, day: day, date: drawn, index: infused}\n", source: "c.yaml")) { error in
            XCTAssertEqual("\(error)", "c.yaml:4: table 'labs': give 'day' (a study-day column) or 'date' with 'index' (a date column and the patient table's day-0 date), not both; or neither, for a per-patient table")
        }
    }

    // MARK: - The formula language

    func testOperatorPrecedenceAndSpelling() throws {
        let cases: [(String, String)] = [
            ("a + b * c", "a + b * c"),
            ("(a + b) * c", "(a + b) * c"),
            ("a - (b - c)", "a - (b - c)"),
            ("not a and b or c", "not a and b or c"),
            ("not (a and b)", "not (a and b)"),
            ("-x / 2", "-x / 2"),
            ("min(labs.`PLT x`, days = -7...0) < 50", "min(labs.`PLT x`, days = -7...0) < 50"),
            ("cut(ldh, breaks = [0, 250, 500, inf])", "cut(ldh, breaks = [0, 250, 500, inf])"),
        ]
        for (text, spelled) in cases {
            XCTAssertEqual(try DerivedFormula.parse(text).description, spelled, text)
            XCTAssertEqual(try DerivedFormula.parse(spelled), try DerivedFormula.parse(text), "round trip of \(text)")
        }
        XCTAssertEqual(try DerivedFormula.parse("a + b * c").expression, .binary(.add, .column("a"), .binary(.multiply, .column("b"), .column("c"))))
        XCTAssertEqual(try DerivedFormula.parse("a or b and c").expression, .binary(.or, .column("a"), .binary(.and, .column("b"), .column("c"))))
        for (bad, message) in [("a < b < c", "comparisons do not chain"), ("a = 1", "'=' names an argument"), ("(a + b", "expected ')'"), ("", "the formula is empty")] {
            XCTAssertThrowsError(try DerivedFormula.parse(bad), bad) { error in
                XCTAssertTrue("\(error)".contains(message), "\(bad): \(error)")
            }
        }
    }

    /// Missing stays missing through arithmetic and comparisons; logic decides where it can, as R does.
    func testMissingValuesThroughOperators() {
        let nan = Double.nan
        XCTAssertTrue(DerivedEvaluation.apply(.add, 1, nan).isNaN)
        XCTAssertTrue(DerivedEvaluation.apply(.less, nan, 1).isNaN)
        XCTAssertTrue(DerivedEvaluation.apply(.divide, 1, 0).isNaN)
        XCTAssertEqual(DerivedEvaluation.apply(.and, 0, nan), 0)
        XCTAssertTrue(DerivedEvaluation.apply(.and, 1, nan).isNaN)
        XCTAssertEqual(DerivedEvaluation.apply(.or, 1, nan), 1)
        XCTAssertTrue(DerivedEvaluation.apply(.or, 0, nan).isNaN)
    }
}
