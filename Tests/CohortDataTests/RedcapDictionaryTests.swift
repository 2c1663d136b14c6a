@testable import CohortData
import CohortTestSupport
import XCTest

/// The REDCap data dictionary reader and its codebook (issue 18): each field type, and the
/// errors for a dictionary that cannot be mapped, which must name the file, line and field.
final class RedcapDictionaryTests: XCTestCase {
    static let header = #""Variable / Field Name","Form Name","Section Header","Field Type","Field Label","Choices, Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show Slider Number","Text Validation Min","Text Validation Max","Identifier?","Branching Logic (Show field only if...)","Required Field?","Custom Alignment","Question Number (surveys only)","Matrix Group Name","Matrix Ranking?","Field Annotation""#

    /// A dictionary whose first field is a record id, then `rows` (12 columns each; the 6 unused
    /// columns are added empty).
    func dictionary(_ rows: [String]) -> [UInt8] {
        let lines = [Self.header] + (["record_id,f,,text,Record ID,,,,,,,"] + rows).map { $0 + ",,,,,," }
        return Array(lines.joined(separator: "\n").utf8) + [0x0A]
    }

    func variables(_ rows: [String]) throws -> [VariableSpec] {
        let fields = try RedcapDictionary.read(bytes: dictionary(rows), source: "dd.csv")
        return try RedcapDictionary.variables(fields, source: "dd.csv")
    }

    func error(_ rows: [String]) -> String {
        do {
            _ = try variables(rows)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testEachFieldTypeBecomesItsCodebookType() throws {
        let specs = try variables([
            #"sex,f,,radio,Sex,"1, Female | 2, Male",,,,,,"#,
            #"dx,f,,dropdown,Diagnosis,"1, DLBCL | 6, Other, specify",,,,,,"#,
            "bridging,f,,yesno,Bridging?,,,,,,,",
            "icans,f,,truefalse,ICANS,,,,,,,",
            #"tx,f,,checkbox,Treatment,"1, Tocilizumab | -1, None",tick all,,,,,"#,
            "age,f,,text,Age,,years,integer,18,90,,",
            "wt,f,,text,Weight,,,number_1dp,30,,,",
            "d0,f,,text,Infusion date,,,date_ymd,,,,",
            "t0,f,,text,Infusion time,,,datetime_ymd,,,,",
            #"bmi,f,,calc,BMI,"[wt]/2",,,,,,"#,
            "pain,f,,slider,Pain,,,,,,,",
            "mrn,f,,text,MRN,,,,,,y,",
            "hdr,f,,descriptive,Section text,,,,,,,",
            #"grade,f,,radio,Grade,"1, 1 | 2, 2",,,,,,"#,
            #"why,f,,notes,Why,,,,,,,"[icans] = '1'""#,
        ])
        let byName = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0) })
        XCTAssertEqual(specs.map(\.name), ["record_id", "sex", "dx", "bridging", "icans", "tx___1", "tx____1", "age", "wt", "d0", "t0", "bmi", "pain", "mrn", "grade", "why"])
        XCTAssertEqual(byName["record_id"]?.type, .identifier)
        XCTAssertEqual(byName["sex"]?.type, .categorical)
        XCTAssertEqual(byName["sex"]?.levels, ["Female", "Male"])
        XCTAssertEqual(byName["sex"]?.codes, ["1", "2"])
        XCTAssertEqual(byName["dx"]?.levels, ["DLBCL", "Other, specify"])
        XCTAssertEqual(byName["bridging"]?.type, .binary)
        XCTAssertEqual(byName["bridging"]?.levels, ["No", "Yes"])
        XCTAssertEqual(byName["bridging"]?.codes, ["0", "1"])
        XCTAssertEqual(byName["icans"]?.levels, ["False", "True"])
        XCTAssertEqual(byName["tx___1"]?.type, .binary)
        XCTAssertEqual(byName["tx___1"]?.label, "Treatment: Tocilizumab")
        XCTAssertEqual(byName["tx____1"]?.levels, ["Unchecked", "Checked"])
        XCTAssertEqual(byName["tx___1"]?.note, "tick all")
        XCTAssertEqual(byName["age"]?.type, .integer)
        XCTAssertEqual(byName["age"]?.range, 18...90)
        XCTAssertEqual(byName["age"]?.note, "years")
        XCTAssertEqual(byName["wt"]?.type, .real)
        XCTAssertEqual(byName["wt"]?.range, 30...Double.greatestFiniteMagnitude)
        XCTAssertEqual(byName["d0"]?.type, .date)
        XCTAssertEqual(byName["t0"]?.type, .text)
        XCTAssertEqual(byName["t0"]?.note, "REDCap validation datetime_ymd")
        XCTAssertEqual(byName["bmi"]?.type, .real)
        XCTAssertEqual(byName["pain"]?.type, .integer)
        XCTAssertEqual(byName["pain"]?.range, 0...100)
        XCTAssertEqual(byName["mrn"]?.type, .identifier)
        XCTAssertNil(byName["hdr"], "a descriptive field holds no data")
        XCTAssertNil(byName["grade"]?.codes, "codes equal to their labels are not repeated")
        // Simple branching logic is evaluated (issue 18), complex logic kept as a note.
        XCTAssertNil(byName["why"]?.note)
        XCTAssertEqual(byName["why"]?.shownIf, "[icans] = '1'")
        let id = RedcapField(name: "record_id", form: "f", type: "text", label: "Record", choices: "", note: "", validation: "", minimum: "",
                             maximum: "", isIdentifier: false, branching: "", line: 2)
        var complex = RedcapField(name: "late", form: "f", type: "text", label: "Late", choices: "", note: "", validation: "", minimum: "",
                                  maximum: "", isIdentifier: false, branching: "datediff([d0], 'today', 'd') > 30", line: 9)
        XCTAssertEqual(try RedcapDictionary.variables([id, complex], source: "d.csv").last?.note, "shown only if datediff([d0], 'today', 'd') > 30")
        XCTAssertNil(try RedcapDictionary.variables([id, complex], source: "d.csv").last?.shownIf)
        complex.branching = "[icans] = '1' and [pain] >= 3"
        XCTAssertEqual(try RedcapDictionary.variables([id, complex], source: "d.csv").last?.shownIf, complex.branching)
    }

    func testWrittenCodebookReadsBackAsTheSameVariables() throws {
        let rows = [#"sex,f,,radio,"Sex ""at birth""","1, Female | 2, Male",,,,,,"#, "age,f,,text,Age,,,integer,18,90,,",
                    #"tx,f,,checkbox,Tx,"1, A | 2, B",,,,,,"#, "ok,f,,yesno,OK,,,,,,,"]
        let fields = try RedcapDictionary.read(bytes: dictionary(rows), source: "dd.csv")
        let yaml = try RedcapDictionary.yaml(fields, source: "dd.csv")
        let read = try CodebookFile.parse(yaml, source: "cb.yaml")
        let expected = try RedcapDictionary.variables(fields, source: "dd.csv")
        XCTAssertEqual(read.variables.map(\.name), expected.map(\.name))
        for (a, b) in zip(read.variables, expected) {
            XCTAssertEqual(a.type, b.type)
            XCTAssertEqual(a.levels, b.levels)
            XCTAssertEqual(a.codes, b.codes)
            XCTAssertEqual(a.range, b.range)
            XCTAssertEqual(a.label, b.label)
            XCTAssertEqual(a.note, b.note)
        }
    }

    func testBadDictionariesNameFileLineAndField() {
        XCTAssertEqual(error(["x,f,,matrix,X,,,,,,,"]),
                       "dd.csv:3: field 'x': unknown field type 'matrix'; REDCap's types are calc, checkbox, descriptive, dropdown, file, notes, radio, slider, sql, text, truefalse, yesno")
        XCTAssertEqual(error([#"x,f,,radio,X,"1, A | 2 B",,,,,,"#]),
                       "dd.csv:3: field 'x' (radio): the choice '2 B' has no comma; each choice is 'code, label', such as '1, Yes'")
        XCTAssertEqual(error([#"x,f,,dropdown,X,"1, A | 1, B",,,,,,"#]), "dd.csv:3: field 'x' (dropdown): the code '1' is listed twice")
        XCTAssertEqual(error(["x,f,,radio,X,,,,,,,"]), "dd.csv:3: field 'x' (radio): no choices; write them as '1, Yes | 0, No'")
        XCTAssertEqual(error([#"x,f,,radio,X,"1, 2 | 2, 1",,,,,,"#]),
                       "dd.csv:3: field 'x': the code '1' of '2' is also the label of choice 2, so an export's '1' would mean two choices")
        XCTAssertEqual(error(["x,f,,text,X,,,integer,low,9,,"]), "dd.csv:3: field 'x': the validation minimum 'low' is not a number")
        XCTAssertEqual(error(["record_id,f,,text,Again,,,,,,,"]), "dd.csv:3: field 'record_id' is declared again (first on line 2)")
    }

    func testMissingDictionaryColumnsAreNamed() {
        let bytes = Array("Variable / Field Name,Form Name,Field Type\nrecord_id,f,text\n".utf8)
        XCTAssertThrowsError(try RedcapDictionary.read(bytes: bytes, source: "dd.csv")) { error in
            XCTAssertEqual("\(error)", "dd.csv:1: not a REDCap data dictionary: no column 'Field Label', 'Choices, Calculations, OR Slider Labels', 'Field Note', 'Text Validation Type OR Show Slider Number', 'Text Validation Min', 'Text Validation Max', 'Identifier?', 'Branching Logic (Show field only if...)'; export it from REDCap's Data Dictionary page (CSV), whose header names the 18 columns")
        }
    }

    /// Codes stand for their levels in raw exports, and labels are accepted as they are (a label
    /// export); a code that is another level's label is refused by the codebook reader.
    func testCodesReadAsTheirLevels() throws {
        let codebook = """
            variables:
              id: identifier
              sex: {type: categorical, levels: [Female, Male], codes: ["1", "2"]}
              ok: {type: binary, levels: ["No", "Yes"], codes: ["0", "1"]}
            """
        let dir = try Fixtures.folder(["d.csv": "id,sex,ok\na,1,1\nb,Male,No\nc,2,0\nd,3,2\n", "d.codebook.yaml": codebook])
        let loaded = try CohortLoader.load(path: dir + "/d.csv", codebookPath: CohortLoader.codebookNextTo(dir + "/d.csv"))
        let sex = try XCTUnwrap(loaded.table.columns.first { $0.name == "sex" })
        XCTAssertEqual((0..<4).map { sex.displayValue($0) }, ["Female", "Male", "Male", ""])
        let ok = try XCTUnwrap(loaded.table.columns.first { $0.name == "ok" })
        XCTAssertEqual((0..<4).map { ok.displayValue($0) }, ["1", "0", "0", ""])
        XCTAssertEqual(loaded.report.errors.map(\.message), [
            "is not a level of this variable; expected one of Female, Male (or their codes 1, 2)",
            "is not binary; expected No (absent) or Yes (present)",
        ])
        XCTAssertThrowsError(try CodebookFile.parse("variables:\n  g: {type: categorical, levels: [\"1\", \"2\"], codes: [\"2\", \"3\"]}\n", source: "cb.yaml")) { error in
            XCTAssertEqual("\(error)", "cb.yaml:2: variable 'g': the code '2' of level '1' is also the level '2', so a value '2' would mean two levels")
        }
    }

    /// A label export's event ("Label (Arm N: Arm name)") matches the unique event name REDCap made
    /// from it: lowercased, only a-z, 0-9, _ and spaces kept, spaces as _, cut to 18 characters, `_arm_N`.
    func testLabelExportEventsMatchTheirUniqueNames() {
        for (value, unique) in [("followup_arm_1", "followup_arm_1"), ("Follow-up visit (Arm 1: Arm 1)", "followup_visit_arm_1"),
                                ("Baseline (Arm 2: Control)", "baseline_arm_2"), ("Day 7 (+/- 1 day) (Arm 1: Treated)", "day_7__1_day_arm_1"),
                                ("Month 12 follow-up assessment (Arm 1: Arm 1)", "month_12_followup_arm_1")] {
            XCTAssertTrue(RedcapExport.eventMatches(value, uniqueName: unique), "\(value) is \(unique)")
        }
        for (value, unique) in [("Baseline (Arm 1: Arm 1)", "baseline_arm_2"), ("Baseline", "baseline_arm_1"), ("Follow-up (Arm 1: Arm 1)", "followup_visit_arm_1"),
                                ("Baseline (Arm x: Arm 1)", "baseline_arm_1")] {
            XCTAssertFalse(RedcapExport.eventMatches(value, uniqueName: unique), "\(value) is not \(unique)")
        }
    }
}
