import CohortData
import CohortTestSupport
import XCTest

// Every definition in shared/domain/published-figures.md ("Clinical definitions the toolkit
// encodes") on hand-worked cases, with both sides of every boundary. Expected values are exact and
// the arithmetic is in the comment beside them.
//
// Coverage: each definition and boundary the issue names, and the tests that pin it.
//
// | definition / boundary                                          | test                                                           |
// |----------------------------------------------------------------|----------------------------------------------------------------|
// | day 0 anchoring; window 0...28: day 0 and day 28 in            | testWindowIncludesDay0AndDay28                                 |
// | window 0...28: day -1 and day 29 out                           | testWindowExcludesDayMinus1AndDay29                            |
// | "within N days" is days 0-N                                    | testWithinDaysStartsAtDay0                                     |
// | 3-month window includes day 91 (Johnsrud)                      | testThreeMonthWindowIncludesDay91                              |
// | window before day 0 (lymphodepletion days -7 to -5)            | testWindowBeforeInfusion                                       |
// | fractional days; missing (nil/NaN) day -> nil                  | testFractionalDayIsComparedAsItStands, testMissingDayIsUnknown |
// | study day from ISO dates: day 0, day -1, negative days         | testStudyDayFromISODates                                       |
// | ISO dates across month and year ends                           | testStudyDayAcrossMonthAndYearEnds                             |
// | ISO dates across leap Februaries (4 / 100 / 400 rule)          | testStudyDayAcrossLeapFebruary                                 |
// | day counts against an independent reference (Python)           | testDaysSinceEpochMatchesReference                             |
// | impossible or malformed ISO dates rejected                     | testImpossibleAndMalformedISODatesAreRejected                  |
// | window from ISO dates: day 28 in, day 29 out, leap year        | testWindowFromISODates                                         |
// | window from a missing date -> nil                              | testWindowFromMissingDateIsUnknown                             |
// | CRS fever: exactly 38.0 C vs 37.9; missing -> nil              | testFeverStartsAt38                                            |
// | CRS grade for all 16 hypotension x hypoxia pairs               | testCRSGradeIsTheWorseOfHypotensionAndHypoxia                  |
// | CRS: no fever, no CRS (all 16 pairs)                           | testNoFeverNoCRS                                               |
// | CRS grade 5                                                    | testDeathFromCRSIsGrade5                                       |
// | CRS O2: 6 L/min low flow vs 6.1 high flow                      | testNasalCannulaFlowBoundaryAt6LitresPerMinute                 |
// | CRS: one vasopressor (+/- vasopressin) vs several              | testVasopressinNeverMakesASecondVasopressor                    |
// | ICE score 0...10 each (bands 10/9, 7/6, 3/2); 11, -1           | testICEGradeForEveryScore                                      |
// | ICE 0 unarousable -> G4, awake -> G3                           | testICEZeroIsGrade4OnlyWhenUnarousable                         |
// | ICE bands adjustable                                           | testICEBandsAreParameters                                      |
// | ICANS from each other domain alone                             | testICANSGradeOfEachOtherDomainAlone                           |
// | ICANS is the worst domain                                      | testICANSIsTheWorstDomain                                      |
// | ICANS with ICE missing: only when it cannot matter             | testMissingICEScoreOnlyWhenItCannotChangeTheGrade              |
// | ICANS with invalid ICE -> nil; death -> 5                      | testInvalidICEScoreAndDeath                                    |
// | high-grade ICANS: grade 2 vs 3                                 | testHighGradeICANSIsGrade3OrMore                               |
// | ISTH platelets 100.1 / 100 / 99.9 and 50.1 / 50 / 49.9         | testISTHPlateletBoundaries                                     |
// | ISTH fibrin marker 1.99 / 2 / 4 / 4.01 x ULN                   | testISTHFibrinMarkerBoundaries                                 |
// | ISTH fibrin marker from value and ULN                          | testISTHFibrinMarkerFromULN                                    |
// | ISTH PT 2.9 / 3 / 5.9 / 6 s                                    | testISTHProthrombinTimeBoundaries                              |
// | ISTH fibrinogen 1.01 / 1.0 / 0.99 g/L                          | testISTHFibrinogenBoundary                                     |
// | ISTH overt DIC at 5 vs 4; maximum 8                            | testISTHOvertDICAtFive                                         |
// | ISTH hand-worked patient (score 6)                             | testISTHWorkedPatient                                          |
// | ISTH missing component (nil or NaN) -> nil                     | testISTHMissingComponentGivesNoScore                           |
// | ISTH cut-offs adjustable                                       | testISTHCutoffsAreParameters                                   |
// | Chinese: underlying disease 2                                  | testChineseBaselineIsTheUnderlyingDisease                      |
// | Chinese: clinical features 1 each; bleeding item toggle        | testChineseClinicalFeatures                                    |
// | Chinese platelets 100 / 99.9 (no cut-off) and 50.1 / 50 / 49.9 | testChinesePlateletBoundaries                                  |
// | Chinese >= 50% platelet fall in 24 h                           | testChinesePlateletFallIn24Hours                               |
// | Chinese D-dimer 4.99 / 5 / 8.99 / 9 mg/L                       | testChineseDDimerBoundaries                                    |
// | Chinese PT 3 / 6 s, APTT 10 s, item at most 2                  | testChineseCoagulationTimeBoundaries                           |
// | Chinese fibrinogen 1.0 / 0.99 g/L                              | testChineseFibrinogenBoundary                                  |
// | Chinese DIC at 6 vs 5                                          | testChineseDICAtSix                                            |
// | Chinese hand-worked patient (maximum 13)                       | testChineseWorkedPatient                                       |
// | Chinese missing inputs -> nil; add-only items score 0          | testChineseMissingInputs                                       |
// | Chinese strict rule: nil when fall / APTT could matter         | testChineseStrictMissingRule                                   |
// | Chinese cut-offs adjustable                                    | testChineseCutoffsAreParameters                                |
// | CARAC lab flags at each cut-off (strict); missing              | testCARACLaboratoryFlagBoundaries                              |
// | CARAC flags name adjusted cut-offs                             | testCARACFlagsNameTheirCutoffs                                 |
// | CARAC event on day 0 / 28 in, day -1 / 29 out                  | testCARACNeedsAnEventInDays0To28                               |
// | CARAC needs thrombocytopenia or a lab flag                     | testCARACNeedsThrombocytopeniaOrLaboratoryCoagulopathy         |
// | CARAC with unknown platelet state                              | testCARACWithUnknownPlateletsIsUnknown                         |
// | CARAC known-platelets form agrees with the three-valued one    | testCARACWithKnownPlateletsAgreesWithTheThreeValuedForm        |
// | CTCAE platelet grade at LLN / 75 / 50 / 25 (+-0.1)             | testCTCAEPlateletGradeBoundaries                               |
// | CTCAE lower limit of normal adjustable                         | testCTCAELowerLimitIsAParameter                                |
// | thrombocytopenia at 150: 150.1 / 150 / 149.9                   | testThrombocytopeniaAtTheLowerLimitOfNormal                    |
// | thrombocytopenia at a chosen cut-off (100, 75, 50)             | testThrombocytopeniaAtAChosenCutoff                            |
// | bleeding CTCAE grade 1 vs 2                                    | testClinicallySignificantBleedingIsGrade2OrMore                |
// | ISTH major: fatal, site, Hb 1.9 / 2.0, units 1 / 2             | testISTHMajorEachCriterion                                     |
// | ISTH major: each critical site                                 | testISTHMajorCriticalSites                                     |
// | ISTH major with missing values                                 | testISTHMajorWithMissingValues                                 |
// | ISTH clinically relevant non-major                             | testISTHClinicallyRelevantNonMajor                             |
// | EASIX arithmetic                                               | testEASIXArithmetic                                            |
// | log2 EASIX                                                     | testLog2EASIX                                                  |
// | EASIX missing inputs, zero platelets                           | testEASIXMissingOrZeroPlatelets                                |
// | antithrombin 70.1 / 70 / 69.9 %                                | testAntithrombinBoundaryAt70                                   |
// | fibrinogen 1.51 / 1.5 / 1.49 g/L                               | testFibrinogenReplacementTriggerAt1Point5                      |
// | every threshold's published default                            | testPublishedDefaults                                          |
final class ClinicalDefinitionsTests: XCTestCase {
    func date(_ iso: String, file: StaticString = #filePath, line: UInt = #line) throws -> CalendarDate {
        try XCTUnwrap(CalendarDate(iso: iso), iso, file: file, line: line)
    }

    // MARK: - Every threshold is a parameter with the published default

    func testPublishedDefaults() {
        // The domain notes' numbers, one by one: a changed default must fail here, not silently
        // change every study.
        let isth = DICScoring.ISTHCutoffs()
        XCTAssertEqual([isth.plateletsLow, isth.plateletsVeryLow], [100, 50])
        XCTAssertEqual([isth.fibrinModerate, isth.fibrinStrong], [2, 4])
        XCTAssertEqual([isth.ptModerate, isth.ptSevere, isth.fibrinogenLow], [3, 6, 1.0])
        XCTAssertEqual(isth.overtThreshold, 5)
        let chinese = DICScoring.ChineseCutoffs()
        XCTAssertEqual([chinese.plateletsLow, chinese.plateletFall24h], [50, 0.5])
        XCTAssertEqual([chinese.dDimerModerate, chinese.dDimerStrong], [5, 9])
        XCTAssertEqual([chinese.ptModerate, chinese.apttModerate, chinese.ptSevere, chinese.fibrinogenLow], [3, 10, 6, 1.0])
        XCTAssertEqual(chinese.dicThreshold, 6)
        XCTAssertTrue(chinese.scoresUnexplainedBleeding, "the notes score the bleeding item")
        XCTAssertTrue(chinese.missingFallOrAPTTScoresZero, "the first version's rule, which the codebook relies on")
        let carac = CARAC.LaboratoryCutoffs()
        XCTAssertEqual([carac.dDimerAbove, carac.apttProlongedAbove, carac.ptProlongedAbove, carac.fibrinogenBelow, carac.fdpAbove],
                       [5, 10, 3, 1.5, 20])
        XCTAssertEqual(carac.window, EventWindow(0...28))
        let ctcae = Platelets.CTCAECutoffs()
        XCTAssertEqual([ctcae.lowerLimitOfNormal, ctcae.grade2Below, ctcae.grade3Below, ctcae.grade4Below], [150, 75, 50, 25])
        XCTAssertEqual(Platelets.lowerLimitOfNormal, 150)
        XCTAssertEqual(Platelets.alternativeCutoffs, [100, 75, 50])
        let ice = ICANSGrading.ICEBands()
        XCTAssertEqual([ice.grade1Lowest, ice.grade2Lowest], [7, 3])
        XCTAssertEqual(ICANSGrading.highGradeThreshold, 3)
    }

    // MARK: - Day 0 and inclusive windows, from days

    func testWindowIncludesDay0AndDay28() {
        // "Within 28 days" is days 0-28: both ends count.
        let within28 = EventWindow(0...28)
        XCTAssertEqual(within28.contains(day: 0), true, "day 0, the infusion day")
        XCTAssertEqual(within28.contains(day: 28), true, "exactly day 28")
        XCTAssertEqual(within28.contains(day: 27), true)
        XCTAssertEqual(within28.description, "days 0-28")
    }

    func testWindowExcludesDayMinus1AndDay29() {
        let within28 = EventWindow(0...28)
        XCTAssertEqual(within28.contains(day: -1), false, "the day before infusion")
        XCTAssertEqual(within28.contains(day: 29), false, "the day after the window")
    }

    func testWithinDaysStartsAtDay0() {
        XCTAssertEqual(EventWindow.within(days: 28), EventWindow(0...28))
        XCTAssertEqual(EventWindow.within(days: 0).contains(day: 0), true, "a one-day window: the infusion day")
        XCTAssertEqual(EventWindow.within(days: 0).contains(day: 1), false)
    }

    func testThreeMonthWindowIncludesDay91() {
        // Johnsrud et al. report a thrombosis on day 91 inside their 3-month follow-up.
        let threeMonths = EventWindow.within(days: 91)
        XCTAssertEqual(threeMonths.contains(day: 91), true)
        XCTAssertEqual(threeMonths.contains(day: 92), false)
        XCTAssertEqual(threeMonths.description, "days 0-91")
    }

    func testWindowBeforeInfusion() {
        // NCT02965092: lymphodepletion on days -7 to -5.
        let lymphodepletion = EventWindow(-7 ... -5)
        XCTAssertEqual(lymphodepletion.contains(day: -8), false)
        XCTAssertEqual(lymphodepletion.contains(day: -7), true)
        XCTAssertEqual(lymphodepletion.contains(day: -5), true)
        XCTAssertEqual(lymphodepletion.contains(day: -4), false)
        XCTAssertEqual(lymphodepletion.description, "days -7 to -5")
    }

    func testFractionalDayIsComparedAsItStands() {
        // Documented judgement: 28.5 lies after day 28; 27.5 lies inside.
        let within28 = EventWindow(0...28)
        XCTAssertEqual(within28.contains(day: 28.5), false)
        XCTAssertEqual(within28.contains(day: 27.5), true)
        XCTAssertEqual(within28.contains(day: -0.5), false)
    }

    func testMissingDayIsUnknown() {
        // A numeric column stores a missing day as NaN: unknown, not "outside".
        let within28 = EventWindow(0...28)
        XCTAssertNil(within28.contains(day: nil))
        XCTAssertNil(within28.contains(day: .nan))
        XCTAssertNil(within28.contains(day: .infinity))
    }

    // MARK: - Day 0 from ISO dates

    func testStudyDayFromISODates() throws {
        let infusion = try date("2019-02-27")
        XCTAssertEqual(try date("2019-02-27").studyDay(dayZero: infusion), 0, "the infusion date is day 0")
        XCTAssertEqual(try date("2019-02-26").studyDay(dayZero: infusion), -1, "no gap between day -1 and day 0")
        XCTAssertEqual(try date("2019-02-20").studyDay(dayZero: infusion), -7, "lymphodepletion day -7: 27 - 20")
        XCTAssertEqual(try date("2019-02-16").studyDay(dayZero: infusion), -11, "leukapheresis day -11: 27 - 16")
    }

    func testStudyDayAcrossMonthAndYearEnds() throws {
        XCTAssertEqual(try date("2019-02-01").studyDay(dayZero: date("2019-01-31")), 1, "31 January to 1 February")
        XCTAssertEqual(try date("2019-05-01").studyDay(dayZero: date("2019-04-30")), 1, "a 30-day month")
        XCTAssertEqual(try date("2020-01-01").studyDay(dayZero: date("2019-12-31")), 1, "across a year end")
        XCTAssertEqual(try date("2019-12-31").studyDay(dayZero: date("2020-01-01")), -1)
    }

    func testStudyDayAcrossLeapFebruary() throws {
        // 28 February to 1 March: 1 day in a common year, 2 in a leap year (29 February between).
        XCTAssertEqual(try date("2019-03-01").studyDay(dayZero: date("2019-02-28")), 1, "2019 is not a leap year")
        XCTAssertEqual(try date("2020-03-01").studyDay(dayZero: date("2020-02-28")), 2, "2020 is (divisible by 4)")
        XCTAssertEqual(try date("1900-03-01").studyDay(dayZero: date("1900-02-28")), 1, "1900 is not (divisible by 100)")
        XCTAssertEqual(try date("2000-03-01").studyDay(dayZero: date("2000-02-28")), 2, "2000 is (divisible by 400)")
        XCTAssertEqual(try date("2021-02-28").studyDay(dayZero: date("2020-02-29")), 365, "29 Feb 2020 + 365 days")
    }

    func testDaysSinceEpochMatchesReference() throws {
        // Reference values from Python: (date(y, m, d) - date(1970, 1, 1)).days
        XCTAssertEqual(try date("1970-01-01").daysSinceEpoch, 0)
        XCTAssertEqual(try date("1969-12-31").daysSinceEpoch, -1)
        XCTAssertEqual(try date("1900-03-01").daysSinceEpoch, -25_508)
        XCTAssertEqual(try date("2000-02-29").daysSinceEpoch, 11_016)
        XCTAssertEqual(try date("2000-03-01").daysSinceEpoch, 11_017)
        XCTAssertEqual(try date("2019-02-27").daysSinceEpoch, 17_954)
        XCTAssertEqual(try date("2020-02-29").daysSinceEpoch, 18_321)
        XCTAssertEqual(try date("2020-02-29").description, "2020-02-29", "prints back as ISO")
    }

    func testImpossibleAndMalformedISODatesAreRejected() {
        XCTAssertNotNil(CalendarDate(iso: "2000-02-29"), "2000 is a leap year")
        XCTAssertNotNil(CalendarDate(iso: "2019-04-30"))
        for bad in ["2019-02-29", "1900-02-29", "2019-04-31", "2019-13-01", "2019-00-10", "2019-01-00", "2019-01-32",
                    "2019-1-05", "19-01-05", "2019/01/05", "2019-01-05T10:00", " 2019-01-05", "", "2019-０1-05"] {
            XCTAssertNil(CalendarDate(iso: bad), bad)
        }
    }

    func testWindowFromISODates() throws {
        // Infusion 10 February 2020; day 28 is 9 March (19 days to 29 February + 9 into March),
        // a day earlier in the calendar than in 2019, when day 28 is 10 March (18 + 10).
        let within28 = EventWindow.within(days: 28)
        let infusion2020 = try date("2020-02-10")
        XCTAssertEqual(try date("2020-03-09").studyDay(dayZero: infusion2020), 28)
        XCTAssertEqual(within28.contains(date: try date("2020-03-09"), dayZero: infusion2020), true, "day 28")
        XCTAssertEqual(within28.contains(date: try date("2020-03-10"), dayZero: infusion2020), false, "day 29")
        XCTAssertEqual(within28.contains(date: infusion2020, dayZero: infusion2020), true, "day 0")
        XCTAssertEqual(within28.contains(date: try date("2020-02-09"), dayZero: infusion2020), false, "day -1")
        let infusion2019 = try date("2019-02-10")
        XCTAssertEqual(within28.contains(date: try date("2019-03-10"), dayZero: infusion2019), true, "day 28 in 2019")
        XCTAssertEqual(within28.contains(date: try date("2019-03-11"), dayZero: infusion2019), false, "day 29 in 2019")
    }

    func testWindowFromMissingDateIsUnknown() throws {
        let within28 = EventWindow.within(days: 28)
        XCTAssertNil(within28.contains(date: nil, dayZero: try date("2020-02-10")))
        XCTAssertNil(within28.contains(date: try date("2020-02-10"), dayZero: nil))
    }

    // MARK: - ASTCT CRS

    func testFeverStartsAt38() {
        XCTAssertEqual(CRSGrading.isFever(celsius: 38.0), true, "exactly 38.0 °C is fever")
        XCTAssertEqual(CRSGrading.isFever(celsius: 37.9), false)
        XCTAssertEqual(CRSGrading.isFever(celsius: 38.1), true)
        XCTAssertEqual(CRSGrading.isFever(celsius: 38.2, threshold: 38.3), false, "the threshold is a parameter")
        XCTAssertNil(CRSGrading.isFever(celsius: nil))
        XCTAssertNil(CRSGrading.isFever(celsius: .nan))
    }

    func testCRSGradeIsTheWorseOfHypotensionAndHypoxia() {
        // With fever, grade = max(1, hypotension grade, hypoxia grade), written out for all 16
        // combinations so that no pairing is left to the formula under test.
        typealias P = CRSGrading.Hypotension
        typealias O = CRSGrading.Hypoxia
        let expected: [(P, O, Int)] = [
            (.none, .none, 1), (.none, .lowFlow, 2), (.none, .highFlow, 3), (.none, .positivePressure, 4),
            (.withoutVasopressors, .none, 2), (.withoutVasopressors, .lowFlow, 2),
            (.withoutVasopressors, .highFlow, 3), (.withoutVasopressors, .positivePressure, 4),
            (.oneVasopressor, .none, 3), (.oneVasopressor, .lowFlow, 3),
            (.oneVasopressor, .highFlow, 3), (.oneVasopressor, .positivePressure, 4),
            (.multipleVasopressors, .none, 4), (.multipleVasopressors, .lowFlow, 4),
            (.multipleVasopressors, .highFlow, 4), (.multipleVasopressors, .positivePressure, 4),
        ]
        XCTAssertEqual(expected.count, P.allCases.count * O.allCases.count, "every combination is listed")
        for (hypotension, hypoxia, grade) in expected {
            XCTAssertEqual(CRSGrading.grade(fever: true, hypotension: hypotension, hypoxia: hypoxia), grade, "\(hypotension) + \(hypoxia)")
        }
    }

    func testNoFeverNoCRS() {
        for hypotension in CRSGrading.Hypotension.allCases {
            for hypoxia in CRSGrading.Hypoxia.allCases {
                XCTAssertEqual(CRSGrading.grade(fever: false, hypotension: hypotension, hypoxia: hypoxia), 0, "\(hypotension) + \(hypoxia)")
            }
        }
    }

    func testDeathFromCRSIsGrade5() {
        XCTAssertEqual(CRSGrading.grade(fever: true, hypotension: .multipleVasopressors, hypoxia: .positivePressure, diedOfCRS: true), 5)
        XCTAssertEqual(CRSGrading.grade(fever: false, hypotension: .none, hypoxia: .none, diedOfCRS: true), 5,
                       "death from CRS is grade 5 even when no fever was recorded")
    }

    func testNasalCannulaFlowBoundaryAt6LitresPerMinute() throws {
        XCTAssertEqual(CRSGrading.Hypoxia.nasalCannula(litresPerMinute: 0), CRSGrading.Hypoxia.none)
        XCTAssertEqual(CRSGrading.Hypoxia.nasalCannula(litresPerMinute: 0.5), .lowFlow)
        XCTAssertEqual(CRSGrading.Hypoxia.nasalCannula(litresPerMinute: 6), .lowFlow, "exactly 6 L/min is low flow (≤ 6)")
        XCTAssertEqual(CRSGrading.Hypoxia.nasalCannula(litresPerMinute: 6.1), .highFlow, "> 6 L/min is high flow")
        XCTAssertEqual(CRSGrading.Hypoxia.nasalCannula(litresPerMinute: 40), .highFlow)
        XCTAssertEqual(CRSGrading.Hypoxia.nasalCannula(litresPerMinute: 6.1, lowFlowMaximum: 8), .lowFlow, "the cut-off is a parameter")
        XCTAssertNil(CRSGrading.Hypoxia.nasalCannula(litresPerMinute: nil))
        XCTAssertNil(CRSGrading.Hypoxia.nasalCannula(litresPerMinute: .nan))
        XCTAssertNil(CRSGrading.Hypoxia.nasalCannula(litresPerMinute: -1), "a negative flow is an error, not 'none'")
        // 6 L/min with fever: grade 2; 6.1 L/min: grade 3.
        let six = try XCTUnwrap(CRSGrading.Hypoxia.nasalCannula(litresPerMinute: 6))
        let sixPointOne = try XCTUnwrap(CRSGrading.Hypoxia.nasalCannula(litresPerMinute: 6.1))
        XCTAssertEqual(CRSGrading.grade(fever: true, hypotension: .none, hypoxia: six), 2)
        XCTAssertEqual(CRSGrading.grade(fever: true, hypotension: .none, hypoxia: sixPointOne), 3)
    }

    func testVasopressinNeverMakesASecondVasopressor() {
        typealias P = CRSGrading.Hypotension
        XCTAssertEqual(P.hypotensive(vasopressorsOtherThanVasopressin: 0, vasopressin: false), .withoutVasopressors, "fluids only: G2")
        XCTAssertEqual(P.hypotensive(vasopressorsOtherThanVasopressin: 1, vasopressin: false), .oneVasopressor, "G3")
        XCTAssertEqual(P.hypotensive(vasopressorsOtherThanVasopressin: 1, vasopressin: true), .oneVasopressor,
                       "one vasopressor with vasopressin is still G3, not 'several'")
        XCTAssertEqual(P.hypotensive(vasopressorsOtherThanVasopressin: 0, vasopressin: true), .oneVasopressor,
                       "judgement call: vasopressin alone is the one vasopressor")
        XCTAssertEqual(P.hypotensive(vasopressorsOtherThanVasopressin: 2, vasopressin: false), .multipleVasopressors, "G4")
        XCTAssertEqual(P.hypotensive(vasopressorsOtherThanVasopressin: 3, vasopressin: true), .multipleVasopressors)
        XCTAssertNil(P.hypotensive(vasopressorsOtherThanVasopressin: -1, vasopressin: false))
    }

    // MARK: - ASTCT ICANS

    func testICEGradeForEveryScore() {
        // ICE 10 → G0, 7-9 → G1, 3-6 → G2, 0-2 → G3 (rousable patient).
        let expected = [3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 0]  // indexed by score 0...10
        for score in 0...10 {
            XCTAssertEqual(ICANSGrading.iceGrade(score), expected[score], "ICE \(score)")
        }
        XCTAssertNil(ICANSGrading.iceGrade(11))
        XCTAssertNil(ICANSGrading.iceGrade(-1))
    }

    func testICEZeroIsGrade4OnlyWhenUnarousable() {
        XCTAssertEqual(ICANSGrading.iceGrade(0, unarousable: true), 4, "0 because the patient cannot be roused")
        XCTAssertEqual(ICANSGrading.iceGrade(0), 3, "0 in an awake patient (global aphasia)")
        XCTAssertEqual(ICANSGrading.iceGrade(1, unarousable: true), 3, "only a score of 0 can be an unarousable patient's")
    }

    func testICEBandsAreParameters() {
        var bands = ICANSGrading.ICEBands()
        bands.grade1Lowest = 8
        bands.grade2Lowest = 4
        XCTAssertEqual(ICANSGrading.iceGrade(7, bands: bands), 2)
        XCTAssertEqual(ICANSGrading.iceGrade(3, bands: bands), 3)
        XCTAssertEqual(ICANSGrading.grade(iceScore: 7, bands: bands), 2)
    }

    func testICANSGradeOfEachOtherDomainAlone() {
        // ICE 10 (normal), one other domain abnormal: the grade is that domain's.
        typealias G = ICANSGrading
        XCTAssertEqual(G.grade(iceScore: 10), 0, "nothing abnormal: no ICANS")
        XCTAssertEqual(G.grade(iceScore: 10, consciousness: .awakensSpontaneously), 1)
        XCTAssertEqual(G.grade(iceScore: 10, consciousness: .awakensToVoice), 2)
        XCTAssertEqual(G.grade(iceScore: 10, consciousness: .awakensToTouchOnly), 3)
        XCTAssertEqual(G.grade(iceScore: 10, consciousness: .unarousable), 4)
        XCTAssertEqual(G.grade(iceScore: 10, seizure: .resolving), 3)
        XCTAssertEqual(G.grade(iceScore: 10, seizure: .prolongedOrRepetitive), 4)
        XCTAssertEqual(G.grade(iceScore: 10, motor: .deepFocalWeakness), 4)
        XCTAssertEqual(G.grade(iceScore: 10, edema: .focal), 3)
        XCTAssertEqual(G.grade(iceScore: 10, edema: .diffuseOrRaisedICP), 4)
    }

    func testICANSIsTheWorstDomain() {
        typealias G = ICANSGrading
        XCTAssertEqual(G.grade(iceScore: 5, consciousness: .awakensSpontaneously), 2, "ICE 5 (G2) beats G1 consciousness")
        XCTAssertEqual(G.grade(iceScore: 8, consciousness: .awakensToVoice), 2, "G2 consciousness beats ICE 8 (G1)")
        XCTAssertEqual(G.grade(iceScore: 9, seizure: .resolving), 3)
        XCTAssertEqual(G.grade(iceScore: 2, edema: .focal), 3, "ICE 2 (G3) and focal oedema (G3): 3, not added")
        XCTAssertEqual(G.grade(iceScore: 6, seizure: .resolving, motor: .deepFocalWeakness), 4)
        XCTAssertEqual(G.grade(iceScore: 0, consciousness: .unarousable), 4, "ICE 0 because unarousable")
        XCTAssertEqual(G.grade(iceScore: 0, consciousness: .awakensToTouchOnly), 3, "ICE 0 while rousable by touch")
    }

    func testMissingICEScoreOnlyWhenItCannotChangeTheGrade() {
        // A rousable patient's ICE score gives at most grade 3, so other domains at 3 or 4 settle it.
        typealias G = ICANSGrading
        XCTAssertEqual(G.grade(iceScore: nil, seizure: .prolongedOrRepetitive), 4)
        XCTAssertEqual(G.grade(iceScore: nil, edema: .focal), 3)
        XCTAssertEqual(G.grade(iceScore: nil, consciousness: .unarousable), 4, "ICE not assessable in an unarousable patient")
        XCTAssertNil(G.grade(iceScore: nil, consciousness: .awakensToVoice), "G2 so far, but an ICE of 2 would make it G3")
        XCTAssertNil(G.grade(iceScore: nil), "nothing known")
    }

    func testInvalidICEScoreAndDeath() {
        typealias G = ICANSGrading
        XCTAssertNil(G.grade(iceScore: 12))
        XCTAssertNil(G.grade(iceScore: -1, motor: .deepFocalWeakness), "a bad ICE score is a data error even when the grade is 4")
        XCTAssertEqual(G.grade(iceScore: 10, diedOfICANS: true), 5)
    }

    func testHighGradeICANSIsGrade3OrMore() {
        XCTAssertEqual(ICANSGrading.isHighGrade(2), false)
        XCTAssertEqual(ICANSGrading.isHighGrade(3), true, "high grade is grade ≥ 3")
        XCTAssertEqual(ICANSGrading.isHighGrade(4), true)
        XCTAssertEqual(ICANSGrading.isHighGrade(3, threshold: 4), false, "the threshold is a parameter")
        XCTAssertNil(ICANSGrading.isHighGrade(nil))
    }

    // MARK: - ISTH overt DIC

    /// The ISTH score with every component at a value that scores 0 (platelets 150, fibrin marker
    /// 1× ULN, PT prolonged 0 s, fibrinogen 2 g/L) except the ones a test sets.
    func isth(platelets: Double? = 150, fibrin: Double? = 1, pt: Double? = 0, fibrinogen: Double? = 2,
              cutoffs: DICScoring.ISTHCutoffs = DICScoring.ISTHCutoffs()) -> Int? {
        DICScoring.isthScore(platelets: platelets, fibrinMarkerTimesULN: fibrin, ptProlongationSeconds: pt,
                             fibrinogen: fibrinogen, cutoffs: cutoffs)
    }

    func testISTHPlateletBoundaries() {
        XCTAssertEqual(isth(), 0, "the baseline scores 0")
        XCTAssertEqual(isth(platelets: 100.1), 0)
        XCTAssertEqual(isth(platelets: 100), 0, "exactly 100: ≥ 100 scores 0")
        XCTAssertEqual(isth(platelets: 99.9), 1, "< 100 scores 1")
        XCTAssertEqual(isth(platelets: 50.1), 1)
        XCTAssertEqual(isth(platelets: 50), 1, "exactly 50 is not < 50")
        XCTAssertEqual(isth(platelets: 49.9), 2, "< 50 scores 2")
        XCTAssertEqual(isth(platelets: 0), 2)
    }

    func testISTHFibrinMarkerBoundaries() {
        XCTAssertEqual(isth(fibrin: 1.99), 0, "< 2× ULN: no rise")
        XCTAssertEqual(isth(fibrin: 2), 2, "exactly 2× ULN: moderate rise")
        XCTAssertEqual(isth(fibrin: 4), 2, "exactly 4× ULN: still moderate")
        XCTAssertEqual(isth(fibrin: 4.01), 3, "> 4× ULN: strong rise")
    }

    func testISTHFibrinMarkerFromULN() throws {
        // D-dimer 2.0 mg/L, ULN 0.5 mg/L: 2.0 / 0.5 = 4× ULN → 2; 2.1 / 0.5 = 4.2× → 3.
        XCTAssertEqual(try XCTUnwrap(DICScoring.multipleOfULN(2.0, upperLimitOfNormal: 0.5)), 4)
        XCTAssertEqual(isth(fibrin: DICScoring.multipleOfULN(2.0, upperLimitOfNormal: 0.5)), 2)
        XCTAssertEqual(isth(fibrin: DICScoring.multipleOfULN(2.1, upperLimitOfNormal: 0.5)), 3)
        XCTAssertEqual(isth(fibrin: DICScoring.multipleOfULN(0.99, upperLimitOfNormal: 0.5)), 0, "0.99 / 0.5 = 1.98×")
        XCTAssertNil(DICScoring.multipleOfULN(2.0, upperLimitOfNormal: 0), "no division by a zero limit")
        XCTAssertNil(DICScoring.multipleOfULN(nil, upperLimitOfNormal: 0.5))
        XCTAssertNil(DICScoring.multipleOfULN(2.0, upperLimitOfNormal: nil))
    }

    func testISTHProthrombinTimeBoundaries() {
        XCTAssertEqual(isth(pt: 2.9), 0, "< 3 s")
        XCTAssertEqual(isth(pt: 3), 1, "exactly 3 s: 3-6 s scores 1")
        XCTAssertEqual(isth(pt: 5.9), 1)
        XCTAssertEqual(isth(pt: 6), 2, "exactly 6 s: ≥ 6 s scores 2")
    }

    func testISTHFibrinogenBoundary() {
        XCTAssertEqual(isth(fibrinogen: 1.01), 0)
        XCTAssertEqual(isth(fibrinogen: 1.0), 0, "exactly 1.0 g/L: ≥ 1.0 scores 0")
        XCTAssertEqual(isth(fibrinogen: 0.99), 1, "< 1.0 g/L scores 1")
    }

    func testISTHOvertDICAtFive() {
        // 1 (platelets 90) + 2 (fibrin 3× ULN) + 1 (PT 3 s) + 1 (fibrinogen 0.9) = 5: overt.
        XCTAssertEqual(isth(platelets: 90, fibrin: 3, pt: 3, fibrinogen: 0.9), 5)
        XCTAssertEqual(DICScoring.isOvertDIC(isthScore: 5), true, "≥ 5 is overt")
        // The same with fibrinogen 1.2 scores 4: not overt.
        XCTAssertEqual(isth(platelets: 90, fibrin: 3, pt: 3, fibrinogen: 1.2), 4)
        XCTAssertEqual(DICScoring.isOvertDIC(isthScore: 4), false)
        XCTAssertEqual(isth(platelets: 40, fibrin: 5, pt: 7, fibrinogen: 0.8), 8, "the maximum: 2 + 3 + 2 + 1")
        XCTAssertNil(DICScoring.isOvertDIC(isthScore: nil))
    }

    func testISTHWorkedPatient() {
        // Platelets 45 (< 50 → 2), D-dimer 3.0 mg/L with ULN 0.5 (6× > 4× → 3), PT prolonged 4.2 s
        // (3-6 → 1), fibrinogen 1.3 g/L (≥ 1.0 → 0): 2 + 3 + 1 + 0 = 6.
        let score = DICScoring.isthScore(platelets: 45, fibrinMarkerTimesULN: DICScoring.multipleOfULN(3.0, upperLimitOfNormal: 0.5),
                                         ptProlongationSeconds: 4.2, fibrinogen: 1.3)
        XCTAssertEqual(score, 6)
        XCTAssertEqual(DICScoring.isOvertDIC(isthScore: score), true)
    }

    func testISTHMissingComponentGivesNoScore() {
        // Every component can change the total, so any one missing (nil or NaN) leaves it unknown.
        XCTAssertNil(isth(platelets: nil))
        XCTAssertNil(isth(fibrin: nil))
        XCTAssertNil(isth(pt: nil))
        XCTAssertNil(isth(fibrinogen: nil))
        XCTAssertNil(isth(platelets: .nan), "NaN is how a numeric column stores a missing value")
        XCTAssertNil(isth(fibrinogen: .nan))
    }

    func testISTHCutoffsAreParameters() {
        var cutoffs = DICScoring.ISTHCutoffs()
        cutoffs.fibrinModerate = 1
        cutoffs.fibrinStrong = 3
        XCTAssertEqual(isth(fibrin: 1.5, cutoffs: cutoffs), 2, "moderate from 1× ULN")
        XCTAssertEqual(isth(fibrin: 3.5, cutoffs: cutoffs), 3, "strong above 3× ULN")
        cutoffs = DICScoring.ISTHCutoffs()
        cutoffs.plateletsLow = 80
        XCTAssertEqual(isth(platelets: 90, cutoffs: cutoffs), 0)
        cutoffs.overtThreshold = 6
        XCTAssertEqual(DICScoring.isOvertDIC(isthScore: 5, cutoffs: cutoffs), false)
    }

    // MARK: - Chinese DIC Scoring System (haematological-malignancy variant)

    /// CDSS input that scores only the underlying disease's 2 points (platelets 100, no 24-hour
    /// fall, D-dimer 1 mg/L, PT and APTT not prolonged, fibrinogen 2 g/L).
    func chineseBaseline() -> DICScoring.ChineseInput {
        var input = DICScoring.ChineseInput()
        input.platelets = 100
        input.plateletFall24h = 0
        input.dDimer = 1
        input.ptProlongationSeconds = 0
        input.apttProlongationSeconds = 0
        input.fibrinogen = 2
        return input
    }

    /// The CDSS score of the baseline with `change` applied.
    func chinese(_ change: (inout DICScoring.ChineseInput) -> Void,
                 cutoffs: DICScoring.ChineseCutoffs = DICScoring.ChineseCutoffs()) -> Int? {
        var input = chineseBaseline()
        change(&input)
        return DICScoring.chineseScore(input, cutoffs: cutoffs)
    }

    func testChineseBaselineIsTheUnderlyingDisease() {
        XCTAssertEqual(chinese { _ in }, 2)
        XCTAssertEqual(chinese { $0.underlyingDisease = false }, 0)
    }

    func testChineseClinicalFeatures() {
        XCTAssertEqual(chinese { $0.unexplainedBleeding = true }, 3, "2 + 1")
        XCTAssertEqual(chinese { $0.shockOrMicrocirculatoryFailure = true }, 3, "2 + 1")
        XCTAssertEqual(chinese { $0.organFailure = true }, 3, "2 + 1")
        XCTAssertEqual(chinese { $0.unexplainedBleeding = true; $0.shockOrMicrocirculatoryFailure = true; $0.organFailure = true }, 5,
                       "2 + 1 + 1 + 1")
        var unverified = DICScoring.ChineseCutoffs()
        unverified.scoresUnexplainedBleeding = false
        XCTAssertEqual(chinese({ $0.unexplainedBleeding = true; $0.organFailure = true }, cutoffs: unverified), 3,
                       "with the bleeding item switched off: 2 + 0 + 1")
    }

    func testChinesePlateletBoundaries() {
        XCTAssertEqual(chinese { $0.platelets = 100.1 }, 2)
        XCTAssertEqual(chinese { $0.platelets = 100 }, 2, "100 is no cut-off in the malignancy variant")
        XCTAssertEqual(chinese { $0.platelets = 99.9 }, 2, "nor is < 100 (it is in the non-malignant table)")
        XCTAssertEqual(chinese { $0.platelets = 50.1 }, 2)
        XCTAssertEqual(chinese { $0.platelets = 50 }, 2, "exactly 50 is not < 50")
        XCTAssertEqual(chinese { $0.platelets = 49.9 }, 3, "< 50 scores 1")
    }

    func testChinesePlateletFallIn24Hours() throws {
        // 120 → 60 within 24 h: (120 - 60) / 120 = 0.5, a 50% fall: +1.
        XCTAssertEqual(try XCTUnwrap(DICScoring.plateletFall(from: 120, to: 60)), 0.5)
        XCTAssertEqual(chinese { $0.plateletFall24h = DICScoring.plateletFall(from: 120, to: 60) }, 3)
        XCTAssertEqual(chinese { $0.plateletFall24h = 0.49 }, 2, "a 49% fall scores nothing")
        // 80 → 40 (a 50% fall) ending below 50: 2 + 1 + 1.
        XCTAssertEqual(chinese { $0.platelets = 40; $0.plateletFall24h = DICScoring.plateletFall(from: 80, to: 40) }, 4)
        XCTAssertEqual(try XCTUnwrap(DICScoring.plateletFall(from: 50, to: 75)), -0.5, "a rise is a negative fall")
        XCTAssertNil(DICScoring.plateletFall(from: 0, to: 10))
        XCTAssertNil(DICScoring.plateletFall(from: nil, to: 10))
    }

    func testChineseDDimerBoundaries() {
        XCTAssertEqual(chinese { $0.dDimer = 4.99 }, 2, "< 5 mg/L: 0")
        XCTAssertEqual(chinese { $0.dDimer = 5 }, 4, "exactly 5: 2 + 2")
        XCTAssertEqual(chinese { $0.dDimer = 8.99 }, 4, "< 9: still 2")
        XCTAssertEqual(chinese { $0.dDimer = 9 }, 5, "exactly 9: 2 + 3")
    }

    func testChineseCoagulationTimeBoundaries() {
        XCTAssertEqual(chinese { $0.ptProlongationSeconds = 2.99 }, 2)
        XCTAssertEqual(chinese { $0.ptProlongationSeconds = 3 }, 3, "PT prolonged exactly 3 s: 2 + 1")
        XCTAssertEqual(chinese { $0.ptProlongationSeconds = 5.99 }, 3)
        XCTAssertEqual(chinese { $0.ptProlongationSeconds = 6 }, 4, "exactly 6 s: 2 + 2")
        XCTAssertEqual(chinese { $0.apttProlongationSeconds = 9.99 }, 2)
        XCTAssertEqual(chinese { $0.apttProlongationSeconds = 10 }, 3, "APTT prolonged exactly 10 s: 2 + 1")
        XCTAssertEqual(chinese { $0.ptProlongationSeconds = 3; $0.apttProlongationSeconds = 10 }, 3, "PT or APTT: 1, not 1 + 1")
        XCTAssertEqual(chinese { $0.ptProlongationSeconds = 6; $0.apttProlongationSeconds = 30 }, 4, "the item gives at most 2")
    }

    func testChineseFibrinogenBoundary() {
        XCTAssertEqual(chinese { $0.fibrinogen = 1.0 }, 2, "exactly 1.0 g/L is not < 1.0")
        XCTAssertEqual(chinese { $0.fibrinogen = 0.99 }, 3)
    }

    func testChineseDICAtSix() {
        // 2 (disease) + 2 (D-dimer 5) + 1 (APTT +10 s) + 1 (fibrinogen 0.9) = 6: DIC.
        let six = chinese { $0.dDimer = 5; $0.apttProlongationSeconds = 10; $0.fibrinogen = 0.9 }
        XCTAssertEqual(six, 6)
        XCTAssertEqual(DICScoring.isChineseDIC(chineseScore: six), true, "≥ 6")
        // The same with fibrinogen 1.0: 5, not DIC.
        let five = chinese { $0.dDimer = 5; $0.apttProlongationSeconds = 10; $0.fibrinogen = 1.0 }
        XCTAssertEqual(five, 5)
        XCTAssertEqual(DICScoring.isChineseDIC(chineseScore: five), false)
        XCTAssertNil(DICScoring.isChineseDIC(chineseScore: nil))
    }

    func testChineseWorkedPatient() {
        // Every item at its maximum: 2 (disease) + 3 (clinical) + 1 (platelets 30) + 1 (fall 60%)
        // + 3 (D-dimer 12) + 2 (PT +7 s) + 1 (fibrinogen 0.6) = 13.
        let score = chinese {
            $0.unexplainedBleeding = true; $0.shockOrMicrocirculatoryFailure = true; $0.organFailure = true
            $0.platelets = 30; $0.plateletFall24h = 0.6; $0.dDimer = 12; $0.ptProlongationSeconds = 7; $0.fibrinogen = 0.6
        }
        XCTAssertEqual(score, 13)
    }

    func testChineseMissingInputs() {
        XCTAssertNil(chinese { $0.platelets = nil })
        XCTAssertNil(chinese { $0.dDimer = nil })
        XCTAssertNil(chinese { $0.ptProlongationSeconds = nil })
        XCTAssertNil(chinese { $0.fibrinogen = nil })
        XCTAssertNil(chinese { $0.fibrinogen = .nan }, "NaN is missing")
        // By default the add-only items score 0 when missing: 2 + 0.
        XCTAssertEqual(chinese { $0.plateletFall24h = nil }, 2)
        XCTAssertEqual(chinese { $0.apttProlongationSeconds = nil }, 2)
        XCTAssertEqual(chinese { $0.apttProlongationSeconds = .nan }, 2)
    }

    func testChineseStrictMissingRule() {
        var strict = DICScoring.ChineseCutoffs()
        strict.missingFallOrAPTTScoresZero = false
        XCTAssertEqual(chinese({ _ in }, cutoffs: strict), 2, "nothing missing: the same score")
        XCTAssertNil(chinese({ $0.plateletFall24h = nil }, cutoffs: strict), "a missing 24-hour fall could add a point")
        XCTAssertNil(chinese({ $0.apttProlongationSeconds = nil }, cutoffs: strict), "PT scores 0, so the APTT could add the point")
        XCTAssertEqual(chinese({ $0.apttProlongationSeconds = nil; $0.ptProlongationSeconds = 3 }, cutoffs: strict), 3,
                       "PT +3 s already scores the point the APTT could give: 2 + 1")
        XCTAssertEqual(chinese({ $0.apttProlongationSeconds = nil; $0.ptProlongationSeconds = 6 }, cutoffs: strict), 4, "2 + 2")
    }

    func testChineseCutoffsAreParameters() {
        var cutoffs = DICScoring.ChineseCutoffs()
        cutoffs.plateletsLow = 80
        cutoffs.dDimerModerate = 4
        XCTAssertEqual(chinese({ $0.platelets = 70; $0.dDimer = 4.5 }, cutoffs: cutoffs), 5, "2 + 1 + 2")
        cutoffs.dicThreshold = 7
        XCTAssertEqual(DICScoring.isChineseDIC(chineseScore: 6, cutoffs: cutoffs), false)
    }

    // MARK: - CARAC

    func testCARACLaboratoryFlagBoundaries() {
        // Every flag is strict: the cut-off itself does not flag, a hair past it does.
        func flags(dDimer: Double? = nil, aptt: Double? = nil, pt: Double? = nil, fibrinogen: Double? = nil, fdp: Double? = nil) -> [String] {
            CARAC.laboratoryFlags(dDimer: dDimer, apttProlongation: aptt, ptProlongation: pt, fibrinogen: fibrinogen, fdp: fdp)
        }
        XCTAssertEqual(flags(dDimer: 5), [])
        XCTAssertEqual(flags(dDimer: 5.01), ["D-dimer > 5 mg/L"])
        XCTAssertEqual(flags(aptt: 10), [])
        XCTAssertEqual(flags(aptt: 10.1), ["APTT prolonged > 10 s"])
        XCTAssertEqual(flags(pt: 3), [])
        XCTAssertEqual(flags(pt: 3.1), ["PT prolonged > 3 s"])
        XCTAssertEqual(flags(fibrinogen: 1.5), [])
        XCTAssertEqual(flags(fibrinogen: 1.49), ["fibrinogen < 1.5 g/L"])
        XCTAssertEqual(flags(fdp: 20), [])
        XCTAssertEqual(flags(fdp: 20.5), ["FDP > 20 mg/L"])
        XCTAssertEqual(flags(), [], "missing values meet nothing")
        XCTAssertEqual(flags(dDimer: .nan, fibrinogen: .nan), [], "NaN is missing, not a value")
        XCTAssertEqual(flags(dDimer: 6, aptt: 11, pt: 4, fibrinogen: 1, fdp: 25),
                       ["D-dimer > 5 mg/L", "APTT prolonged > 10 s", "PT prolonged > 3 s", "fibrinogen < 1.5 g/L", "FDP > 20 mg/L"],
                       "all five, in a fixed order")
    }

    func testCARACFlagsNameTheirCutoffs() {
        var cutoffs = CARAC.LaboratoryCutoffs()
        cutoffs.dDimerAbove = 0.5
        cutoffs.fibrinogenBelow = 2
        XCTAssertEqual(CARAC.laboratoryFlags(dDimer: 1, apttProlongation: nil, ptProlongation: nil, fibrinogen: 1.8, fdp: nil, cutoffs: cutoffs),
                       ["D-dimer > 0.5 mg/L", "fibrinogen < 2 g/L"], "a changed cut-off is named in the output")
    }

    func testCARACNeedsAnEventInDays0To28() {
        XCTAssertEqual(CARAC.isPresent(bleedingDay: 0, thrombosisDay: nil, thrombocytopenia: true, laboratoryFlags: []), true, "day 0")
        XCTAssertEqual(CARAC.isPresent(bleedingDay: 28, thrombosisDay: nil, thrombocytopenia: true, laboratoryFlags: []), true, "day 28")
        XCTAssertEqual(CARAC.isPresent(bleedingDay: 29, thrombosisDay: nil, thrombocytopenia: true, laboratoryFlags: []), false, "day 29")
        XCTAssertEqual(CARAC.isPresent(bleedingDay: -1, thrombosisDay: nil, thrombocytopenia: true, laboratoryFlags: []), false, "day -1")
        XCTAssertEqual(CARAC.isPresent(bleedingDay: nil, thrombosisDay: 28, thrombocytopenia: true, laboratoryFlags: []), true,
                       "a thrombosis counts like a bleed")
        XCTAssertEqual(CARAC.isPresent(bleedingDay: 40, thrombosisDay: 2, thrombocytopenia: true, laboratoryFlags: []), true,
                       "one event in the window is enough")
        XCTAssertEqual(CARAC.isPresent(bleedingDay: nil, thrombosisDay: nil, thrombocytopenia: true, laboratoryFlags: ["FDP > 20 mg/L"]), false,
                       "no event, no CARAC")
        var cutoffs = CARAC.LaboratoryCutoffs()
        cutoffs.window = .within(days: 30)
        XCTAssertEqual(CARAC.isPresent(bleedingDay: 29, thrombosisDay: nil, thrombocytopenia: true, laboratoryFlags: [], cutoffs: cutoffs), true,
                       "the window is a parameter")
    }

    func testCARACNeedsThrombocytopeniaOrLaboratoryCoagulopathy() {
        // Thrombocytopenia here at the 100 cut-off: 80 < 100.
        let thrombocytopenic = Platelets.isThrombocytopenic(80, cutoff: 100)
        XCTAssertEqual(CARAC.isPresent(bleedingDay: 10, thrombosisDay: nil, thrombocytopenia: thrombocytopenic, laboratoryFlags: []), true)
        let flags = CARAC.laboratoryFlags(dDimer: 6, apttProlongation: nil, ptProlongation: nil, fibrinogen: nil, fdp: nil)
        XCTAssertEqual(CARAC.isPresent(bleedingDay: 10, thrombosisDay: nil, thrombocytopenia: false, laboratoryFlags: flags), true)
        XCTAssertEqual(CARAC.isPresent(bleedingDay: 10, thrombosisDay: nil, thrombocytopenia: false, laboratoryFlags: []), false,
                       "an event without thrombocytopenia or laboratory coagulopathy is not CARAC")
    }

    func testCARACWithKnownPlateletsAgreesWithTheThreeValuedForm() {
        // The Bool overload (what the codebook calls) must answer exactly as the Bool? one.
        let days: [Double?] = [nil, -1, 0, 28, 29]
        for bleeding in days {
            for thrombosis in days {
                for low in [false, true] {
                    for flags in [[], ["FDP > 20 mg/L"]] {
                        let known: Bool = CARAC.isPresent(bleedingDay: bleeding, thrombosisDay: thrombosis, thrombocytopenia: low, laboratoryFlags: flags)
                        let threeValued: Bool? = CARAC.isPresent(bleedingDay: bleeding, thrombosisDay: thrombosis,
                                                                 thrombocytopenia: Optional(low), laboratoryFlags: flags)
                        XCTAssertEqual(known, threeValued, "\(String(describing: bleeding)) \(String(describing: thrombosis)) \(low) \(flags)")
                    }
                }
            }
        }
    }

    func testCARACWithUnknownPlateletsIsUnknown() {
        XCTAssertNil(CARAC.isPresent(bleedingDay: 10, thrombosisDay: nil, thrombocytopenia: nil, laboratoryFlags: []),
                     "the platelet count could decide it")
        XCTAssertEqual(CARAC.isPresent(bleedingDay: 10, thrombosisDay: nil, thrombocytopenia: nil, laboratoryFlags: ["PT prolonged > 3 s"]), true,
                       "a laboratory flag decides it whatever the platelets")
        XCTAssertEqual(CARAC.isPresent(bleedingDay: 30, thrombosisDay: nil, thrombocytopenia: nil, laboratoryFlags: []), false,
                       "no event in the window decides it")
    }

    // MARK: - Platelets: CTCAE grade and thrombocytopenia

    func testCTCAEPlateletGradeBoundaries() {
        // ≥ LLN (150) → 0, < LLN-75 → 1, < 75-50 → 2, < 50-25 → 3, < 25 → 4.
        let expected: [(Double, Int)] = [
            (150.1, 0), (150, 0), (149.9, 1),
            (75.1, 1), (75, 1), (74.9, 2),
            (50.1, 2), (50, 2), (49.9, 3),
            (25.1, 3), (25, 3), (24.9, 4), (0, 4),
        ]
        for (count, grade) in expected {
            XCTAssertEqual(Platelets.ctcaeGrade(count), grade, "platelets \(count)")
        }
        XCTAssertNil(Platelets.ctcaeGrade(nil))
        XCTAssertNil(Platelets.ctcaeGrade(.nan))
    }

    func testCTCAELowerLimitIsAParameter() {
        let lln140 = Platelets.CTCAECutoffs(lowerLimitOfNormal: 140)
        XCTAssertEqual(Platelets.ctcaeGrade(145, cutoffs: lln140), 0, "normal for a laboratory whose LLN is 140")
        XCTAssertEqual(Platelets.ctcaeGrade(140, cutoffs: lln140), 0)
        XCTAssertEqual(Platelets.ctcaeGrade(139.9, cutoffs: lln140), 1)
        XCTAssertEqual(Platelets.ctcaeGrade(74.9, cutoffs: lln140), 2, "the absolute cut-offs stay")
        XCTAssertEqual(Platelets.ctcaeGrade(139.9, lowerLimitOfNormal: 140), 1, "the shorthand the codebook uses")
        XCTAssertEqual(Platelets.ctcaeGrade(140, lowerLimitOfNormal: 140), 0)
    }

    func testThrombocytopeniaAtTheLowerLimitOfNormal() {
        XCTAssertEqual(Platelets.isThrombocytopenic(150.1), false)
        XCTAssertEqual(Platelets.isThrombocytopenic(150), false, "exactly 150 is not below 150")
        XCTAssertEqual(Platelets.isThrombocytopenic(149.9), true)
        XCTAssertNil(Platelets.isThrombocytopenic(nil))
        XCTAssertNil(Platelets.isThrombocytopenic(.nan), "a missing count is not a normal count")
    }

    func testThrombocytopeniaAtAChosenCutoff() {
        for cutoff in Platelets.alternativeCutoffs {  // 100, 75, 50
            XCTAssertEqual(Platelets.isThrombocytopenic(cutoff + 0.1, cutoff: cutoff), false, "\(cutoff) + 0.1")
            XCTAssertEqual(Platelets.isThrombocytopenic(cutoff, cutoff: cutoff), false, "exactly \(cutoff)")
            XCTAssertEqual(Platelets.isThrombocytopenic(cutoff - 0.1, cutoff: cutoff), true, "\(cutoff) - 0.1")
        }
        // Johnsrud's bleeders had a median baseline of 86: thrombocytopenic at 100, not at 75.
        XCTAssertEqual(Platelets.isThrombocytopenic(86, cutoff: 100), true)
        XCTAssertEqual(Platelets.isThrombocytopenic(86, cutoff: 75), false)
    }

    // MARK: - Bleeding severity

    func testClinicallySignificantBleedingIsGrade2OrMore() {
        XCTAssertEqual(BleedingSeverity.isClinicallySignificant(ctcaeGrade: 1), false, "grade 1 is not")
        XCTAssertEqual(BleedingSeverity.isClinicallySignificant(ctcaeGrade: 2), true, "grade 2 is")
        XCTAssertEqual(BleedingSeverity.isClinicallySignificant(ctcaeGrade: 5), true)
        XCTAssertEqual(BleedingSeverity.isClinicallySignificant(ctcaeGrade: 2, threshold: 3), false, "the threshold is a parameter")
        XCTAssertNil(BleedingSeverity.isClinicallySignificant(ctcaeGrade: nil))
    }

    func testISTHMajorEachCriterion() {
        // Each criterion alone, the others known and not met.
        func major(fatal: Bool = false, site: BleedingSeverity.Site = .other, hb: Double? = 0, units: Int? = 0) -> Bool? {
            BleedingSeverity.isISTHMajor(fatal: fatal, site: site, haemoglobinFall: hb, unitsTransfused: units)
        }
        XCTAssertEqual(major(), false, "nothing met")
        XCTAssertEqual(major(fatal: true), true, "fatal")
        XCTAssertEqual(major(site: .intracranial), true, "critical site: Johnsrud's subdural haematomas")
        XCTAssertEqual(major(hb: 1.9), false, "Hb fall 1.9 g/dL")
        XCTAssertEqual(major(hb: 2.0), true, "Hb fall of exactly 2 g/dL")
        XCTAssertEqual(major(units: 1), false, "1 unit")
        XCTAssertEqual(major(units: 2), true, "exactly 2 units")
        XCTAssertEqual(BleedingSeverity.isISTHMajor(fatal: false, site: .other, haemoglobinFall: 2.5, unitsTransfused: 2,
                                                    haemoglobinFallThreshold: 3, unitsThreshold: 3), false, "the thresholds are parameters")
    }

    func testISTHMajorCriticalSites() {
        for site in BleedingSeverity.Site.allCases where site != .other {
            XCTAssertEqual(BleedingSeverity.isISTHMajor(fatal: false, site: site, haemoglobinFall: 0, unitsTransfused: 0), true, site.rawValue)
        }
        XCTAssertFalse(BleedingSeverity.Site.other.isCritical, "gross haematuria, soft tissue, GI: not critical by site")
        XCTAssertEqual(BleedingSeverity.Site.allCases.count, 8, "seven critical sites and 'other'")
    }

    func testISTHMajorWithMissingValues() {
        XCTAssertNil(BleedingSeverity.isISTHMajor(fatal: false, site: .other, haemoglobinFall: nil, unitsTransfused: 0),
                     "an unknown Hb fall could make it major")
        XCTAssertNil(BleedingSeverity.isISTHMajor(fatal: false, site: .other, haemoglobinFall: 1, unitsTransfused: nil))
        XCTAssertNil(BleedingSeverity.isISTHMajor(fatal: false, site: .other, haemoglobinFall: .nan, unitsTransfused: 0))
        XCTAssertEqual(BleedingSeverity.isISTHMajor(fatal: false, site: .intracranial, haemoglobinFall: nil, unitsTransfused: nil), true,
                       "a critical site decides it without the laboratory values")
        XCTAssertEqual(BleedingSeverity.isISTHMajor(fatal: false, site: .other, haemoglobinFall: nil, unitsTransfused: 3), true)
    }

    func testISTHClinicallyRelevantNonMajor() {
        typealias B = BleedingSeverity
        XCTAssertEqual(B.isISTHClinicallyRelevantNonMajor(isMajor: false, medicalIntervention: true,
                                                          hospitalisationOrIncreasedCare: false, faceToFaceEvaluation: false), true)
        XCTAssertEqual(B.isISTHClinicallyRelevantNonMajor(isMajor: false, medicalIntervention: false,
                                                          hospitalisationOrIncreasedCare: true, faceToFaceEvaluation: false), true)
        XCTAssertEqual(B.isISTHClinicallyRelevantNonMajor(isMajor: false, medicalIntervention: false,
                                                          hospitalisationOrIncreasedCare: false, faceToFaceEvaluation: true), true)
        XCTAssertEqual(B.isISTHClinicallyRelevantNonMajor(isMajor: false, medicalIntervention: false,
                                                          hospitalisationOrIncreasedCare: false, faceToFaceEvaluation: false), false,
                       "no criterion: a minor bleed")
        XCTAssertEqual(B.isISTHClinicallyRelevantNonMajor(isMajor: true, medicalIntervention: true,
                                                          hospitalisationOrIncreasedCare: true, faceToFaceEvaluation: true), false,
                       "a major bleed is not non-major")
        XCTAssertNil(B.isISTHClinicallyRelevantNonMajor(isMajor: nil, medicalIntervention: true,
                                                        hospitalisationOrIncreasedCare: false, faceToFaceEvaluation: false),
                     "major or non-major cannot be told apart")
        XCTAssertEqual(B.isISTHClinicallyRelevantNonMajor(isMajor: nil, medicalIntervention: false,
                                                          hospitalisationOrIncreasedCare: false, faceToFaceEvaluation: false), false)
    }

    // MARK: - EASIX

    func testEASIXArithmetic() throws {
        // creatinine × LDH / platelets, each case chosen so the answer is exact.
        assertClose(try XCTUnwrap(EASIX.value(creatinine: 1.2, ldh: 300, platelets: 90)), 4, relative: 1e-15, "1.2 × 300 / 90 = 360 / 90")
        assertClose(try XCTUnwrap(EASIX.value(creatinine: 0.8, ldh: 250, platelets: 200)), 1, relative: 1e-15, "0.8 × 250 / 200 = 200 / 200")
        assertClose(try XCTUnwrap(EASIX.value(creatinine: 2, ldh: 150, platelets: 100)), 3, relative: 1e-15, "2 × 150 / 100")
        assertClose(try XCTUnwrap(EASIX.value(creatinine: 1, ldh: 512, platelets: 16)), 32, relative: 1e-15, "512 / 16")
    }

    func testLog2EASIX() throws {
        assertClose(try XCTUnwrap(EASIX.log2Value(creatinine: 1.2, ldh: 300, platelets: 90)), 2, relative: 1e-15, "log2 4")
        assertClose(try XCTUnwrap(EASIX.log2Value(creatinine: 1, ldh: 512, platelets: 16)), 5, relative: 1e-15, "log2 32")
        XCTAssertEqual(EASIX.log2Value(creatinine: 0.8, ldh: 250, platelets: 200), 0, "log2 1 is exactly 0")
        // log2 3 = ln 3 / ln 2 = 1.5849625007211562 (Python math.log2(3)).
        assertClose(try XCTUnwrap(EASIX.log2Value(creatinine: 2, ldh: 150, platelets: 100)), 1.584_962_500_721_156_2, relative: 1e-15, "log2 3")
        assertClose(try XCTUnwrap(EASIX.log2Value(creatinine: 1, ldh: 100, platelets: 400)), -2, relative: 1e-15, "log2 0.25: negative, not missing")
    }

    func testEASIXMissingOrZeroPlatelets() {
        XCTAssertNil(EASIX.value(creatinine: 1, ldh: 200, platelets: 0), "no division by zero platelets")
        XCTAssertNil(EASIX.value(creatinine: 1, ldh: 200, platelets: -5))
        XCTAssertNil(EASIX.value(creatinine: nil, ldh: 200, platelets: 100))
        XCTAssertNil(EASIX.value(creatinine: 1, ldh: nil, platelets: 100))
        XCTAssertNil(EASIX.value(creatinine: 1, ldh: 200, platelets: nil))
        XCTAssertNil(EASIX.value(creatinine: .nan, ldh: 200, platelets: 100), "NaN is missing")
        XCTAssertEqual(EASIX.value(creatinine: 0, ldh: 200, platelets: 100), 0)
        XCTAssertNil(EASIX.log2Value(creatinine: 0, ldh: 200, platelets: 100), "log2 0 is not a number")
        XCTAssertNil(EASIX.log2Value(creatinine: 1, ldh: 200, platelets: nil))
    }

    // MARK: - Antithrombin and fibrinogen flags

    func testAntithrombinBoundaryAt70() {
        XCTAssertEqual(CoagulationFlags.isAntithrombinDeficient(70.1), false)
        XCTAssertEqual(CoagulationFlags.isAntithrombinDeficient(70), false, "exactly 70% is not below 70%")
        XCTAssertEqual(CoagulationFlags.isAntithrombinDeficient(69.9), true)
        XCTAssertEqual(CoagulationFlags.isAntithrombinDeficient(80, threshold: 80), false, "the upper end of the seed's 70-80%")
        XCTAssertEqual(CoagulationFlags.isAntithrombinDeficient(79.9, threshold: 80), true)
        XCTAssertNil(CoagulationFlags.isAntithrombinDeficient(nil))
        XCTAssertNil(CoagulationFlags.isAntithrombinDeficient(.nan))
    }

    func testFibrinogenReplacementTriggerAt1Point5() {
        XCTAssertEqual(CoagulationFlags.meetsFibrinogenReplacementTrigger(1.51), false)
        XCTAssertEqual(CoagulationFlags.meetsFibrinogenReplacementTrigger(1.5), false, "exactly 1.5 g/L is not below 1.5")
        XCTAssertEqual(CoagulationFlags.meetsFibrinogenReplacementTrigger(1.49), true)
        XCTAssertEqual(CoagulationFlags.meetsFibrinogenReplacementTrigger(1.9, trigger: 2), true, "the trigger is a parameter")
        XCTAssertNil(CoagulationFlags.meetsFibrinogenReplacementTrigger(nil))
        XCTAssertNil(CoagulationFlags.meetsFibrinogenReplacementTrigger(.nan))
    }
}
