#!/usr/bin/env python3
"""REDCap project whose follow-up event repeats as a whole (issue 18): a SYNTHETIC fixture and what
`cohort validate` and `cohort labs` must give for it.

Part 1 writes the fixture, Tests/Fixtures/redcap/repeating_event/ (seeded, so reruns are identical):
  dictionary.csv    a data dictionary: form `enrolment` (record id, an identifier, the infusion date,
                    a radio product), form `visit` (visit date, ferritin, a yes/no fever);
  designations.csv  REDCap's instrument designations: `enrolment` at baseline_arm_1, `visit` at
                    followup_visit_arm_1;
  repeating.csv     REDCap's repeating instruments and events file: followup_visit_arm_1 repeats
                    as a whole (blank form_name);
  export.csv        the raw export (codes, unique event names; the follow-up rows carry an instance
                    number and no instrument, as REDCap writes a repeating event);
  export_labels.csv the label export (choice labels, event labels "Follow-up visit (Arm 1: Arm 1)"
                    from which REDCap derives the unique name followup_visit_arm_1).
Invented data: no real patient.

Part 2 computes the reference with pandas, written from REDCap's conventions, NOT from the Swift
code: baseline rows are the patients; the rows with a repeat instance and no repeat instrument are
the visits; the study day is visit_date less the record's infusion_date; the peak ferritin over days
0-30 by product (median, quartiles as pandas' default linear quantiles, R type 7); fever visits.
Writes Tests/Fixtures/redcap/repeating_event_reference.json (sorted keys).
Usage, from the repository root: python3 Tests/References/redcap_repeating_event.py
"""
import csv
import datetime
import json
import os
import random

import pandas as pd

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FOLDER = os.path.join(ROOT, "Tests", "Fixtures", "redcap", "repeating_event")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "redcap", "repeating_event_reference.json")

DICTIONARY_HEADER = ["Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
                     "Choices, Calculations, OR Slider Labels", "Field Note", "Text Validation Type OR Show Slider Number",
                     "Text Validation Min", "Text Validation Max", "Identifier?", "Branching Logic (Show field only if...)",
                     "Required Field?", "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name",
                     "Matrix Ranking?", "Field Annotation"]
FIELDS = [  # name, form, type, label, choices, validation, min, max, identifier
    ("record_id", "enrolment", "text", "Record ID", "", "", "", "", ""),
    ("mrn", "enrolment", "text", "Medical record number", "", "", "", "", "y"),
    ("infusion_date", "enrolment", "text", "Date of CAR-T infusion", "", "date_ymd", "", "", ""),
    ("product", "enrolment", "radio", "CAR-T product", "1, Axicabtagene ciloleucel | 2, Tisagenlecleucel", "", "", "", ""),
    ("visit_date", "visit", "text", "Date of visit", "", "date_ymd", "", "", ""),
    ("ferritin", "visit", "text", "Ferritin", "", "number", "0", "100000", ""),
    ("fever", "visit", "yesno", "Fever at visit?", "", "", "", "", ""),
]
PRODUCTS = {"1": "Axicabtagene ciloleucel", "2": "Tisagenlecleucel"}
COMPLETE = {"0": "Incomplete", "1": "Unverified", "2": "Complete"}
EXPORT_HEADER = ["record_id", "redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance", "mrn",
                 "infusion_date", "product", "enrolment_complete", "visit_date", "ferritin", "fever", "visit_complete"]


def write(name, header, rows):
    with open(os.path.join(FOLDER, name), "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def make_fixture():
    os.makedirs(FOLDER, exist_ok=True)
    rng = random.Random(20261205)
    write("dictionary.csv", DICTIONARY_HEADER,
          [[n, f, "", t, label, choices, "", v, lo, hi, ident, "", "", "", "", "", "", ""] for n, f, t, label, choices, v, lo, hi, ident in FIELDS])
    write("designations.csv", ["arm_num", "unique_event_name", "form"],
          [["1", "baseline_arm_1", "enrolment"], ["1", "followup_visit_arm_1", "visit"]])
    write("repeating.csv", ["event_name", "form_name", "custom_form_label"], [["followup_visit_arm_1", "", ""]])
    raw, labels = [], []
    for k in range(40):
        record = f"RE-{k + 1:03d}"
        mrn = f"MRN{rng.randrange(1000000, 9999999)}"
        infusion = datetime.date(2021, 1, 4) + datetime.timedelta(days=rng.randrange(0, 700))
        product = rng.choice(["1", "2"])
        raw.append([record, "baseline_arm_1", "", "", mrn, infusion.isoformat(), product, "2", "", "", "", ""])
        labels.append([record, "Baseline (Arm 1: Arm 1)", "", "", mrn, infusion.isoformat(), PRODUCTS[product], "Complete", "", "", "", ""])
        days = sorted(rng.sample(range(-3, 46), rng.randrange(1, 7)))
        for instance, day in enumerate(days, start=1):
            date = (infusion + datetime.timedelta(days=day)).isoformat()
            ferritin = "" if rng.random() < 0.1 else f"{rng.lognormvariate(7.0, 1.1):.1f}"
            fever = "" if rng.random() < 0.05 else ("1" if rng.random() < 0.3 else "0")
            status = rng.choice(["0", "2", "2"])
            raw.append([record, "followup_visit_arm_1", "", str(instance), "", "", "", "", date, ferritin, fever, status])
            labels.append([record, "Follow-up visit (Arm 1: Arm 1)", "", str(instance), "", "", "", "", date, ferritin,
                           {"1": "Yes", "0": "No", "": ""}[fever], COMPLETE[status]])
    write("export.csv", EXPORT_HEADER, raw)
    write("export_labels.csv", EXPORT_HEADER, labels)


def quartiles(values):
    values = values.dropna()
    return {"n": int(values.count()), "median": float(values.median()),
            "q1": float(values.quantile(0.25)), "q3": float(values.quantile(0.75))}


def reference():
    export = pd.read_csv(os.path.join(FOLDER, "export.csv"), dtype=str, keep_default_na=False)
    is_visit = (export["redcap_repeat_instance"] != "") & (export["redcap_repeat_instrument"] == "")
    patients = export[~is_visit].set_index("record_id")
    visits = export[is_visit].copy()
    infusion = pd.to_datetime(patients["infusion_date"])
    visits["day"] = (pd.to_datetime(visits["visit_date"]) - visits["record_id"].map(infusion)).dt.days
    visits["ferritin"] = pd.to_numeric(visits["ferritin"].replace("", None))
    window = visits[(visits["day"] >= 0) & (visits["day"] <= 30)]
    peak = window.groupby("record_id")["ferritin"].max()
    product = patients["product"].map(PRODUCTS)
    by_product = {}
    for code, name in PRODUCTS.items():
        members = patients.index[patients["product"] == code]
        by_product[name] = quartiles(peak.reindex(members))
    return {
        "rows": int(len(export)), "records": int(len(patients)), "visit_rows": int(is_visit.sum()),
        "fever_visits": int((visits["fever"] == "1").sum()), "fever_missing": int((visits["fever"] == "").sum()),
        "ferritin_peak_0_30": by_product,
        "patients_by_product": {name: int((product == name).sum()) for name in PRODUCTS.values()},
    }


if __name__ == "__main__":
    make_fixture()
    with open(OUT, "w") as f:
        json.dump(reference(), f, indent=2, sort_keys=True)
        f.write("\n")
