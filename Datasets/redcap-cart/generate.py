#!/usr/bin/env python3
"""Writes the SYNTHETIC REDCap project of Datasets/redcap-cart (issue 18): a data dictionary as
REDCap's Data Dictionary page exports it (18 columns), a raw export (codes) and a label export
(labels) of 60 invented CAR-T recipients. No row is a real patient; the record ids and medical
record numbers are invented and exist so tests can check that identifiers are never printed.

Seeded (numpy default_rng(20261204)); rerunning rewrites the three CSV files byte for byte.
Run from anywhere: python3 Datasets/redcap-cart/generate.py
"""
import csv
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
N = 60
rng = np.random.default_rng(20261204)

HEADER = ["Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
          "Choices, Calculations, OR Slider Labels", "Field Note",
          "Text Validation Type OR Show Slider Number", "Text Validation Min", "Text Validation Max",
          "Identifier?", "Branching Logic (Show field only if...)", "Required Field?",
          "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name",
          "Matrix Ranking?", "Field Annotation"]

SEX = "1, Female | 2, Male"
DIAGNOSIS = ("1, Diffuse large B-cell lymphoma | 2, Follicular lymphoma | 3, Mantle cell lymphoma | "
             "4, B-cell acute lymphoblastic leukaemia | 5, Multiple myeloma | 6, Other, specify in comments")
PRODUCT = "1, axi-cel | 2, tisa-cel | 3, liso-cel | 4, cilta-cel"
CRS_GRADE = "1, Grade 1 | 2, Grade 2 | 3, Grade 3 | 4, Grade 4"
TREATMENT = "1, Tocilizumab | 2, Corticosteroids | 3, Anakinra | 99, Other"
RESPONSE = "1, Complete response | 2, Partial response | 3, Stable disease | 4, Progressive disease"

# name, form, section, type, label, choices, note, validation, min, max, identifier, branching
FIELDS = [
    ("record_id", "enrolment", "", "text", "Record ID", "", "", "", "", "", "", ""),
    ("mrn", "enrolment", "", "text", "Medical record number", "", "", "", "", "", "y", ""),
    ("age", "enrolment", "", "text", "Age at enrolment", "", "years", "integer", "18", "90", "", ""),
    ("sex", "enrolment", "", "radio", "Sex", SEX, "", "", "", "", "", ""),
    ("diagnosis", "enrolment", "", "dropdown", "Diagnosis", DIAGNOSIS, "", "", "", "", "", ""),
    ("prior_lines", "enrolment", "", "text", "Prior lines of therapy", "", "", "integer", "1", "10", "", ""),
    ("bridging", "enrolment", "", "yesno", "Bridging therapy given?", "", "", "", "", "", "", ""),
    ("enrol_date", "enrolment", "", "text", "Date of enrolment", "", "", "date_ymd", "2019-01-01", "2025-12-31", "", ""),
    ("infusion_date", "infusion", "", "text", "Date of CAR-T infusion", "", "day 0", "date_ymd", "", "", "", ""),
    ("product", "infusion", "", "radio", "CAR-T product", PRODUCT, "", "", "", "", "", ""),
    ("weight_kg", "infusion", "", "text", "Weight", "", "kg", "number", "30", "200", "", ""),
    ("height_cm", "infusion", "", "text", "Height", "", "cm", "number", "120", "220", "", ""),
    ("bmi", "infusion", "", "calc", "Body-mass index", "round([weight_kg]/(([height_cm]/100)^2),1)", "kg/m2", "", "", "", "", ""),
    ("crs_any", "outcomes", "Toxicity", "yesno", "Cytokine release syndrome?", "", "", "", "", "", "", ""),
    ("crs_grade", "outcomes", "", "dropdown", "Highest CRS grade (ASTCT)", CRS_GRADE, "", "", "", "", "", "[crs_any] = '1'"),
    ("icans_any", "outcomes", "", "truefalse", "ICANS occurred", "", "", "", "", "", "", ""),
    ("toxicity_treatment", "outcomes", "", "checkbox", "Treatment of toxicity", TREATMENT, "tick all that apply", "", "", "", "", ""),
    ("response_header", "outcomes", "Response", "descriptive", "Response is assessed at day 30 (Lugano or IMWG).", "", "", "", "", "", "", ""),
    ("response_d30", "outcomes", "", "radio", "Best response by day 30", RESPONSE, "", "", "", "", "", ""),
    ("ferritin_peak", "outcomes", "", "text", "Peak ferritin, days 0-14", "", "ng/mL", "number", "0", "100000", "", ""),
    ("comments", "outcomes", "", "notes", "Comments", "", "", "", "", "", "", ""),
]


def labels(choices):
    return dict(item.strip().split(", ", 1) for item in choices.split("|"))


def write(path, rows):
    with open(path, "w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def main():
    write(os.path.join(HERE, "dictionary.csv"),
          [HEADER] + [list(f[:11]) + [f[11], "", "", "", "", "", ""] for f in FIELDS])

    records = []
    start = np.datetime64("2020-03-02")
    for k in range(N):
        r = {}
        r["record_id"] = f"101-{k + 1:03d}"
        r["mrn"] = f"MRN{int(rng.integers(1_000_000, 9_999_999))}"
        r["age"] = str(int(np.clip(round(rng.normal(58, 12)), 19, 84)))
        r["sex"] = "2" if rng.random() < 0.6 else "1"
        r["diagnosis"] = str(rng.choice([1, 2, 3, 4, 5, 6], p=[0.45, 0.15, 0.12, 0.12, 0.12, 0.04]))
        r["prior_lines"] = str(int(rng.integers(1, 7)))
        r["bridging"] = "1" if rng.random() < 0.55 else "0"
        enrol = start + int(rng.integers(0, 1500))
        r["enrol_date"] = str(enrol)
        r["infusion_date"] = str(enrol + int(rng.integers(20, 45)))
        r["product"] = str(rng.choice([1, 2, 3, 4], p=[0.4, 0.25, 0.2, 0.15]))
        weight = round(float(rng.normal(78, 15)), 1)
        height = round(float(rng.normal(172, 9)), 1)
        r["weight_kg"], r["height_cm"] = f"{weight:.1f}", f"{height:.1f}"
        r["bmi"] = f"{weight / (height / 100) ** 2:.1f}"
        crs = rng.random() < 0.7
        r["crs_any"] = "1" if crs else "0"
        r["crs_grade"] = str(rng.choice([1, 2, 3, 4], p=[0.5, 0.3, 0.15, 0.05])) if crs else ""
        icans = rng.random() < 0.3
        r["icans_any"] = "1" if icans else "0"
        for code, p in (("1", 0.5 if crs else 0.0), ("2", 0.6 if icans else 0.1), ("3", 0.08), ("99", 0.05)):
            r[f"toxicity_treatment___{code}"] = "1" if rng.random() < p else "0"
        r["response_d30"] = str(rng.choice([1, 2, 3, 4], p=[0.5, 0.25, 0.1, 0.15]))
        r["ferritin_peak"] = f"{float(np.exp(rng.normal(7.2, 1.0))):.0f}"
        r["comments"] = "see source documents" if rng.random() < 0.1 else ""
        records.append(r)
    # Missing values, as a real project has them: a few ages, weights (so BMI), responses, ferritins.
    for key, count in (("age", 2), ("weight_kg", 3), ("response_d30", 4), ("ferritin_peak", 6)):
        for k in rng.choice(N, size=count, replace=False):
            records[k][key] = ""
            if key == "weight_kg":
                records[k]["bmi"] = ""

    columns = []
    for f in FIELDS:
        name, form, ftype = f[0], f[1], f[3]
        if ftype == "descriptive":
            continue
        if ftype == "checkbox":
            columns += [f"{name}___{code}" for code in labels(f[5])]
        else:
            columns.append(name)
        # REDCap ends each form with its completion status (0 incomplete, 1 unverified, 2 complete).
        if f is [g for g in FIELDS if g[1] == form][-1]:
            columns.append(f"{form}_complete")
    for r in records:
        for form in ("enrolment", "infusion", "outcomes"):
            r[f"{form}_complete"] = "2"
    write(os.path.join(HERE, "export.csv"), [columns] + [[r[c] for c in columns] for r in records])

    # The label export: choices as their labels, yes/no and true/false as words, checkboxes as
    # Checked/Unchecked, completion as Complete; headers stay the field names ("raw" headers).
    words = {}
    for f in FIELDS:
        name, ftype = f[0], f[3]
        if ftype in ("radio", "dropdown"):
            words[name] = labels(f[5])
        elif ftype == "yesno":
            words[name] = {"1": "Yes", "0": "No"}
        elif ftype == "truefalse":
            words[name] = {"1": "True", "0": "False"}
        elif ftype == "checkbox":
            for code in labels(f[5]):
                words[f"{name}___{code}"] = {"1": "Checked", "0": "Unchecked"}
    for form in ("enrolment", "infusion", "outcomes"):
        words[f"{form}_complete"] = {"0": "Incomplete", "1": "Unverified", "2": "Complete"}
    write(os.path.join(HERE, "export_labels.csv"),
          [columns] + [[words.get(c, {}).get(r[c], r[c]) for c in columns] for r in records])
    # The same label export with labelled headers ("Export labels" for headers too): each column
    # headed by its field label, a checkbox as "Label (choice=Choice label)", each form's status as
    # "Complete?" (so three columns share that header).
    write(os.path.join(HERE, "export_header_labels.csv"),
          [header_labels(columns, FIELDS)] + [[words.get(c, {}).get(r[c], r[c]) for c in columns] for r in records])
    longitudinal(records, words)


def header_labels(columns, fields):
    """REDCap's labelled header for each raw column name."""
    label = {"redcap_event_name": "Event Name", "redcap_repeat_instrument": "Repeat Instrument",
             "redcap_repeat_instance": "Repeat Instance"}
    for f in fields:
        if f[3] == "checkbox":
            for code, text in labels(f[5]).items():
                label[f"{f[0]}___{code}"] = f"{f[4]} (choice={text})"
        else:
            label[f[0]] = f[4]
    return [("Complete?" if c.endswith("_complete") else label[c]) for c in columns]


# The longitudinal project (longitudinal/): the same records in two events, with more branching
# logic and a repeating lab form. Its own generator (default_rng(20261205)), so the flat files
# above are unchanged.
ICANS_GRADE = "1, Grade 1 | 2, Grade 2 | 3, Grade 3 | 4, Grade 4"
EXTRA = {
    # after the checkbox
    "toxicity_treatment": [
        ("icans_grade", "outcomes", "", "dropdown", "Highest ICANS grade", ICANS_GRADE, "", "", "", "", "", "[icans_any] = '1'"),
        ("tocilizumab_doses", "outcomes", "", "text", "Tocilizumab doses", "", "", "integer", "1", "4", "", "[toxicity_treatment(1)] = '1'"),
        ("icu_days", "outcomes", "", "text", "Days in intensive care", "", "days", "integer", "0", "60", "",
         "[crs_grade] > 2 or ([icans_any] = '1' and [icans_grade] >= 3)"),
    ],
}
LAB_FIELDS = [
    ("lab_date", "labs", "", "text", "Date of draw", "", "", "date_ymd", "", "", "", ""),
    ("platelets", "labs", "", "text", "Platelets", "", "x10^9/L", "number", "0", "2000", "", ""),
    ("crp", "labs", "", "text", "C-reactive protein", "", "mg/L", "number", "0", "500", "", ""),
]
EVENTS = {"enrolment": "screening_arm_1", "infusion": "treatment_arm_1", "outcomes": "treatment_arm_1"}
EVENT_LABELS = {"screening_arm_1": "Screening (Arm 1: Arm 1)", "treatment_arm_1": "Treatment (Arm 1: Arm 1)"}


def longitudinal(records, words):
    folder = os.path.join(HERE, "longitudinal")
    os.makedirs(folder, exist_ok=True)
    fields = []
    for f in FIELDS:
        # A complex condition (a function call): kept as a note, not evaluated.
        if f[0] == "ferritin_peak":
            f = f[:11] + ("datediff([infusion_date], [enrol_date], 'd') > 0",)
        fields.append(f)
        fields += EXTRA.get(f[0], [])
    fields += LAB_FIELDS
    write(os.path.join(folder, "dictionary.csv"),
          [HEADER] + [list(f[:11]) + [f[11], "", "", "", "", "", ""] for f in fields])
    write(os.path.join(folder, "repeating.csv"),
          [["event_name", "form_name", "custom_form_label"], ["treatment_arm_1", "labs", "[lab_date]"]])

    g = np.random.default_rng(20261205)
    labs = {}
    for r in records:
        r = r  # the flat record, extended in place with the new fields
        r["icans_grade"] = str(g.choice([1, 2, 3, 4], p=[0.4, 0.3, 0.2, 0.1])) if r["icans_any"] == "1" else ""
        r["tocilizumab_doses"] = str(int(g.integers(1, 5))) if r["toxicity_treatment___1"] == "1" else ""
        severe = (r["crs_grade"] in ("3", "4")) or (r["icans_grade"] in ("3", "4"))
        r["icu_days"] = str(int(g.integers(1, 15))) if severe else ""
        infusion = np.datetime64(r["infusion_date"])
        draws = sorted(set(int(d) for d in g.integers(-5, 31, size=int(g.integers(3, 9)))))
        rows = []
        for day in draws:
            platelets = float(np.clip(g.normal(150 - 60 * np.exp(-((day - 10) / 8) ** 2), 40), 5, 600))
            crp = float(np.clip(np.exp(g.normal(3.0 if 0 <= day <= 7 else 1.5, 0.8)), 0.2, 400))
            rows.append({"lab_date": str(infusion + day), "platelets": f"{platelets:.0f}" if g.random() > 0.08 else "",
                         "crp": f"{crp:.1f}", "labs_complete": "2"})
        labs[r["record_id"]] = rows
    # One record whose ICU days is blank though its condition is true: missing, not "not applicable".
    severe_rows = [r for r in records if r["icu_days"] != ""]
    severe_rows[0]["icu_days"] = ""

    lead = ["record_id", "redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance"]
    columns, form_of = [], {}
    for f in fields:
        name, form, ftype = f[0], f[1], f[3]
        if ftype == "descriptive" or name == "record_id":
            continue
        names = [f"{name}___{code}" for code in labels(f[5])] if ftype == "checkbox" else [name]
        for n in names:
            form_of[n] = form
        columns += names
        if f is [h for h in fields if h[1] == form][-1]:
            columns.append(f"{form}_complete")
            form_of[f"{form}_complete"] = form
    columns = lead + columns
    rows = []
    for r in records:
        for event in ("screening_arm_1", "treatment_arm_1"):
            row = {"record_id": r["record_id"], "redcap_event_name": event}
            for c in columns[4:]:
                if EVENTS.get(form_of[c]) == event:
                    row[c] = r[c]
            rows.append(row)
        for k, lab in enumerate(labs[r["record_id"]], start=1):
            row = {"record_id": r["record_id"], "redcap_event_name": "treatment_arm_1",
                   "redcap_repeat_instrument": "labs", "redcap_repeat_instance": str(k)}
            row.update(lab)
            rows.append(row)
    write(os.path.join(folder, "export.csv"), [columns] + [[row.get(c, "") for c in columns] for row in rows])

    # The label export with labelled headers: values and headers as labels; the event as its
    # label, the repeating instrument as its form's display name ("Labs").
    words = dict(words)
    for f in fields:
        if f[3] in ("radio", "dropdown"):
            words[f[0]] = labels(f[5])
    words["labs_complete"] = {"0": "Incomplete", "1": "Unverified", "2": "Complete"}
    words["redcap_event_name"] = EVENT_LABELS
    words["redcap_repeat_instrument"] = {"labs": "Labs"}
    write(os.path.join(folder, "export_labels.csv"),
          [header_labels(columns, fields)] + [[words.get(c, {}).get(row.get(c, ""), row.get(c, "")) for c in columns] for row in rows])


if __name__ == "__main__":
    main()
