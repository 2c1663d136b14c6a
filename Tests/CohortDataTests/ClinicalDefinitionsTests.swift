import CohortData
import XCTest

/// Every definition in shared/domain/published-figures.md, on hand-worked cases at each boundary.
final class ClinicalDefinitionsTests: XCTestCase {
    // MARK: day 0 and windows

    func testWindowsAreInclusiveAtBothEnds() {
        let within28 = EventWindow(0...28)
        XCTAssertEqual(within28.contains(day: 0), true)
        XCTAssertEqual(within28.contains(day: 28), true, "exactly day 28 is within 28 days")
        XCTAssertEqual(within28.contains(day: 28.5), false)
        XCTAssertEqual(within28.contains(day: -1), false, "before infusion")
        XCTAssertNil(within28.contains(day: nil))
        XCTAssertEqual(EventWindow(0...91).contains(day: 91), true, "the 3-month window includes day 91 (Johnsrud's last thrombosis)")
        XCTAssertEqual(within28.description, "days 0-28")
    }

    func testStudyDaysFromISODates() throws {
        let infusion = try XCTUnwrap(CalendarDate(iso: "2019-02-27"))
        XCTAssertEqual(try XCTUnwrap(CalendarDate(iso: "2019-02-27")).studyDay(dayZero: infusion), 0)
        XCTAssertEqual(try XCTUnwrap(CalendarDate(iso: "2019-03-01")).studyDay(dayZero: infusion), 2, "2019 is not a leap year")
        XCTAssertEqual(try XCTUnwrap(CalendarDate(iso: "2020-03-01")).studyDay(dayZero: try XCTUnwrap(CalendarDate(iso: "2020-02-27"))), 3, "2020 is")
        XCTAssertEqual(try XCTUnwrap(CalendarDate(iso: "2019-02-20")).studyDay(dayZero: infusion), -7, "lymphodepletion day -7")
        XCTAssertEqual(try XCTUnwrap(CalendarDate(iso: "1970-01-01")).daysSinceEpoch, 0)
        XCTAssertEqual(try XCTUnwrap(CalendarDate(iso: "2000-03-01")).daysSinceEpoch, 11_017)
        XCTAssertEqual(try XCTUnwrap(CalendarDate(iso: "1969-12-31")).daysSinceEpoch, -1)
        for bad in ["2023-02-29", "2019-13-01", "2019-00-10", "2019-1-05", "19-01-05", "2019/01/05", "2019-01-32", ""] {
            XCTAssertNil(CalendarDate(iso: bad), bad)
        }
        XCTAssertNotNil(CalendarDate(iso: "2000-02-29"), "2000 is a leap year (divisible by 400)")
        XCTAssertNil(CalendarDate(iso: "1900-02-29"), "1900 is not")
    }

    // MARK: ASTCT CRS

    func testCRSGrades() {
        XCTAssertEqual(CRSGrading.grade(fever: false, hypotension: .withoutVasopressors, hypoxia: .none), 0, "no fever, no CRS")
        XCTAssertEqual(CRSGrading.grade(fever: true, hypotension: .none, hypoxia: .none), 1)
        XCTAssertEqual(CRSGrading.grade(fever: true, hypotension: .withoutVasopressors, hypoxia: .none), 2)
        XCTAssertEqual(CRSGrading.grade(fever: true, hypotension: .none, hypoxia: .lowFlow), 2)
        XCTAssertEqual(CRSGrading.grade(fever: true, hypotension: .oneVasopressor, hypoxia: .lowFlow), 3, "the worse of the two")
        XCTAssertEqual(CRSGrading.grade(fever: true, hypotension: .withoutVasopressors, hypoxia: .highFlow), 3)
        XCTAssertEqual(CRSGrading.grade(fever: true, hypotension: .multipleVasopressors, hypoxia: .none), 4)
        XCTAssertEqual(CRSGrading.grade(fever: true, hypotension: .none, hypoxia: .positivePressure), 4)
        XCTAssertEqual(CRSGrading.grade(fever: true, hypotension: .none, hypoxia: .none, diedOfCRS: true), 5)
        XCTAssertEqual(CRSGrading.Hypoxia.nasalCannula(litresPerMinute: 6), .lowFlow, "exactly 6 L/min is low flow")
        XCTAssertEqual(CRSGrading.Hypoxia.nasalCannula(litresPerMinute: 6.5), .highFlow)
        XCTAssertEqual(CRSGrading.Hypoxia.nasalCannula(litresPerMinute: 0), CRSGrading.Hypoxia.none)
        XCTAssertTrue(CRSGrading.isFever(celsius: 38.0), "38.0 °C is fever")
        XCTAssertFalse(CRSGrading.isFever(celsius: 37.9))
    }

    // MARK: ASTCT ICANS

    func testICEScoreBoundaries() {
        XCTAssertEqual(ICANSGrading.iceGrade(10), 0)
        XCTAssertEqual(ICANSGrading.iceGrade(9), 1)
        XCTAssertEqual(ICANSGrading.iceGrade(7), 1)
        XCTAssertEqual(ICANSGrading.iceGrade(6), 2)
        XCTAssertEqual(ICANSGrading.iceGrade(3), 2)
        XCTAssertEqual(ICANSGrading.iceGrade(2), 3)
        XCTAssertEqual(ICANSGrading.iceGrade(0), 3)
        XCTAssertEqual(ICANSGrading.iceGrade(0, unarousable: true), 4)
        XCTAssertNil(ICANSGrading.iceGrade(11))
        XCTAssertNil(ICANSGrading.iceGrade(-1))
    }

    func testICANSIsTheWorstDomain() {
        XCTAssertEqual(ICANSGrading.grade(iceScore: 10), 0)
        XCTAssertEqual(ICANSGrading.grade(iceScore: 8, consciousness: .awakensToVoice), 2)
        XCTAssertEqual(ICANSGrading.grade(iceScore: 9, seizure: .resolving), 3)
        XCTAssertEqual(ICANSGrading.grade(iceScore: 5, edema: .focal), 3)
        XCTAssertEqual(ICANSGrading.grade(iceScore: 9, motor: .deepFocalWeakness), 4)
        XCTAssertEqual(ICANSGrading.grade(iceScore: 0, consciousness: .unarousable), 4, "ICE 0 because unarousable")
        XCTAssertEqual(ICANSGrading.grade(iceScore: nil, seizure: .prolongedOrRepetitive), 4, "ICE not assessable")
        XCTAssertEqual(ICANSGrading.grade(iceScore: 10, diedOfICANS: true), 5)
        XCTAssertNil(ICANSGrading.grade(iceScore: 12))
        XCTAssertEqual(ICANSGrading.isHighGrade(3), true, "high grade is grade >= 3")
        XCTAssertEqual(ICANSGrading.isHighGrade(2), false)
        XCTAssertNil(ICANSGrading.isHighGrade(nil))
    }

    // MARK: ISTH and Chinese DIC

    func testISTHComponentBoundaries() {
        func score(_ plt: Double, _ fibrin: Double, _ pt: Double, _ fib: Double) -> Int? {
            DICScoring.isthScore(platelets: plt, fibrinMarkerTimesULN: fibrin, ptProlongationSeconds: pt, fibrinogen: fib)
        }
        XCTAssertEqual(score(100, 1, 0, 2), 0, "exactly 100 platelets scores 0")
        XCTAssertEqual(score(99, 1, 0, 2), 1)
        XCTAssertEqual(score(50, 1, 0, 2), 1, "exactly 50 is not < 50")
        XCTAssertEqual(score(49, 1, 0, 2), 2)
        XCTAssertEqual(score(150, 1.99, 0, 2), 0)
        XCTAssertEqual(score(150, 2, 0, 2), 2, "2x ULN is a moderate rise")
        XCTAssertEqual(score(150, 4, 0, 2), 2, "4x ULN is still moderate")
        XCTAssertEqual(score(150, 4.01, 0, 2), 3)
        XCTAssertEqual(score(150, 1, 2.9, 2), 0)
        XCTAssertEqual(score(150, 1, 3, 2), 1, "PT prolonged by exactly 3 s")
        XCTAssertEqual(score(150, 1, 6, 2), 2, "exactly 6 s")
        XCTAssertEqual(score(150, 1, 0, 1.0), 0, "fibrinogen exactly 1.0 g/L scores 0")
        XCTAssertEqual(score(150, 1, 0, 0.99), 1)
        XCTAssertEqual(score(40, 5, 7, 0.8), 8, "the maximum")
        XCTAssertEqual(DICScoring.isOvertDIC(isthScore: score(90, 3, 3, 0.9)), true, "1 + 2 + 1 + 1 = 5 is overt")
        XCTAssertEqual(DICScoring.isOvertDIC(isthScore: score(90, 3, 3, 1.2)), false, "4 is not")
        XCTAssertNil(DICScoring.isthScore(platelets: 90, fibrinMarkerTimesULN: nil, ptProlongationSeconds: 3, fibrinogen: 1))
        var strict = DICScoring.ISTHCutoffs()
        strict.fibrinModerate = 1
        XCTAssertEqual(DICScoring.isthScore(platelets: 150, fibrinMarkerTimesULN: 1.5, ptProlongationSeconds: 0, fibrinogen: 2, cutoffs: strict), 2,
                       "the fibrin-marker operationalisation is a parameter")
    }

    func testChineseScore() {
        var input = DICScoring.ChineseInput()
        input.platelets = 60; input.dDimer = 4.9; input.ptProlongationSeconds = 2; input.fibrinogen = 2
        XCTAssertEqual(DICScoring.chineseScore(input), 2, "underlying disease only")
        input.dDimer = 5
        XCTAssertEqual(DICScoring.chineseScore(input), 4, "D-dimer exactly 5 mg/L scores 2")
        input.dDimer = 9
        XCTAssertEqual(DICScoring.chineseScore(input), 5, "exactly 9 scores 3")
        input.apttProlongationSeconds = 10
        XCTAssertEqual(DICScoring.chineseScore(input), 6, "APTT prolonged by 10 s scores 1: DIC at 6")
        input.ptProlongationSeconds = 6
        XCTAssertEqual(DICScoring.chineseScore(input), 7, "PT >= 6 s scores 2, not 1 + 2")
        input.platelets = 49; input.plateletFall24h = 0.5; input.fibrinogen = 0.9
        input.unexplainedBleeding = true; input.shockOrMicrocirculatoryFailure = true; input.organFailure = true
        XCTAssertEqual(DICScoring.chineseScore(input), 2 + 3 + 1 + 1 + 3 + 2 + 1)
        input.fibrinogen = nil
        XCTAssertNil(DICScoring.chineseScore(input))
    }

    // MARK: CARAC

    func testCARAC() {
        let flags = CARAC.laboratoryFlags(dDimer: 5.1, apttProlongation: 10, ptProlongation: 3.5, fibrinogen: 1.5, fdp: 20.5)
        XCTAssertEqual(flags, ["D-dimer > 5 mg/L", "PT prolonged > 3 s", "FDP > 20 mg/L"],
                       "strict inequalities: APTT +10 s and fibrinogen 1.5 g/L do not flag")
        XCTAssertEqual(CARAC.laboratoryFlags(dDimer: 5, apttProlongation: nil, ptProlongation: nil, fibrinogen: 1.49, fdp: nil), ["fibrinogen < 1.5 g/L"])
        XCTAssertTrue(CARAC.isPresent(bleedingDay: 28, thrombosisDay: nil, thrombocytopenia: true, laboratoryFlags: []), "a bleed on day 28 counts")
        XCTAssertFalse(CARAC.isPresent(bleedingDay: 29, thrombosisDay: nil, thrombocytopenia: true, laboratoryFlags: []))
        XCTAssertTrue(CARAC.isPresent(bleedingDay: nil, thrombosisDay: 2, thrombocytopenia: false, laboratoryFlags: flags))
        XCTAssertFalse(CARAC.isPresent(bleedingDay: 10, thrombosisDay: nil, thrombocytopenia: false, laboratoryFlags: []),
                       "an event without thrombocytopenia or laboratory coagulopathy is not CARAC")
        XCTAssertFalse(CARAC.isPresent(bleedingDay: nil, thrombosisDay: nil, thrombocytopenia: true, laboratoryFlags: flags))
    }

    // MARK: platelets, bleeding, EASIX, flags

    func testPlateletGradesAndThrombocytopenia() {
        XCTAssertEqual(Platelets.ctcaeGrade(150), 0, "at the LLN")
        XCTAssertEqual(Platelets.ctcaeGrade(149), 1)
        XCTAssertEqual(Platelets.ctcaeGrade(75), 1, "exactly 75 is grade 1")
        XCTAssertEqual(Platelets.ctcaeGrade(74.9), 2)
        XCTAssertEqual(Platelets.ctcaeGrade(50), 2)
        XCTAssertEqual(Platelets.ctcaeGrade(49), 3)
        XCTAssertEqual(Platelets.ctcaeGrade(25), 3)
        XCTAssertEqual(Platelets.ctcaeGrade(24), 4)
        XCTAssertNil(Platelets.ctcaeGrade(nil))
        XCTAssertEqual(Platelets.isThrombocytopenic(150), false, "exactly 150 is not below 150")
        XCTAssertEqual(Platelets.isThrombocytopenic(149), true)
        XCTAssertEqual(Platelets.isThrombocytopenic(100, cutoff: 100), false, "exactly 100 platelets at cut-off 100")
        XCTAssertEqual(Platelets.isThrombocytopenic(99, cutoff: 100), true)
    }

    func testBleedingSeverity() {
        XCTAssertEqual(BleedingSeverity.isClinicallySignificant(ctcaeGrade: 2), true)
        XCTAssertEqual(BleedingSeverity.isClinicallySignificant(ctcaeGrade: 1), false)
        XCTAssertTrue(BleedingSeverity.isISTHMajor(fatal: false, site: .intracranial, haemoglobinFall: nil, unitsTransfused: nil), "subdural haematoma")
        XCTAssertTrue(BleedingSeverity.isISTHMajor(fatal: false, site: .other, haemoglobinFall: 2.0, unitsTransfused: 0), "Hb fall of exactly 2 g/dL")
        XCTAssertFalse(BleedingSeverity.isISTHMajor(fatal: false, site: .other, haemoglobinFall: 1.9, unitsTransfused: 1))
        XCTAssertTrue(BleedingSeverity.isISTHMajor(fatal: false, site: .other, haemoglobinFall: nil, unitsTransfused: 2))
        XCTAssertTrue(BleedingSeverity.isISTHMajor(fatal: true, site: .other, haemoglobinFall: nil, unitsTransfused: nil))
    }

    func testEASIXAndFlags() throws {
        XCTAssertEqual(try XCTUnwrap(EASIX.value(creatinine: 1.2, ldh: 300, platelets: 90)), 4.0, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(EASIX.log2Value(creatinine: 1.2, ldh: 300, platelets: 90)), 2.0, accuracy: 1e-15)
        XCTAssertNil(EASIX.value(creatinine: 1, ldh: 200, platelets: 0), "no division by zero platelets")
        XCTAssertNil(EASIX.value(creatinine: nil, ldh: 200, platelets: 100))
        XCTAssertEqual(CoagulationFlags.isAntithrombinDeficient(69.9), true)
        XCTAssertEqual(CoagulationFlags.isAntithrombinDeficient(70), false, "exactly 70% is not below 70%")
        XCTAssertEqual(CoagulationFlags.isAntithrombinDeficient(75, threshold: 80), true, "the threshold is a parameter")
        XCTAssertEqual(CoagulationFlags.meetsFibrinogenReplacementTrigger(1.5), false)
        XCTAssertEqual(CoagulationFlags.meetsFibrinogenReplacementTrigger(1.49), true)
    }
}
