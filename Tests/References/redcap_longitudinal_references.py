#!/usr/bin/env python3
"""REDCap longitudinal CAR-T project (issue 18): what `cohort validate`, `describe` and `labs` must
give for Datasets/redcap-cart/longitudinal (two events, a repeating lab form, branching logic).

Written from REDCap's conventions, NOT from the Swift code. pandas reads the raw export as text:
  - the record's non-repeating rows (blank redcap_repeat_instrument), one an event, merged into one
    row a record (each field's value from the event that holds it);
  - the rows of the repeating instrument `labs` (one a draw), the study day being lab_date less the
    record's infusion_date;
  - each branching condition translated by hand into a pandas expression (not parsed): a blank
    field whose condition is false is "not applicable", a blank one whose condition is true missing.
Writes Tests/Fixtures/redcap/longitudinal_reference.json (sorted keys: reruns are byte-identical).
Usage, from the repository root: python3 Tests/References/redcap_longitudinal_references.py
"""
import json
import os

import pandas as pd

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FOLDER = os.path.join(ROOT, "Datasets", "redcap-cart", "longitudinal")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "redcap", "longitudinal_reference.json")


def quartiles(values):
    values = values.dropna()
    return {"n": int(values.count()), "median": float(values.median()),
            "q1": float(values.quantile(0.25)), "q3": float(values.quantile(0.75))}


def main():
    export = pd.read_csv(os.path.join(FOLDER, "export.csv"), dtype=str, keep_default_na=False)
    repeating = export["redcap_repeat_instrument"] != ""
    events = export[~repeating].replace("", None)
    patients = events.groupby("record_id", sort=False).first()
    labs = export[export["redcap_repeat_instrument"] == "labs"]
    number = lambda name: pd.to_numeric(patients[name])

    # REDCap's branching logic, by hand: [crs_any] = '1'; [icans_any] = '1';
    # [toxicity_treatment(1)] = '1'; [crs_grade] > 2 or ([icans_any] = '1' and [icans_grade] >= 3).
    shown = {
        "crs_grade": patients["crs_any"] == "1",
        "icans_grade": patients["icans_any"] == "1",
        "tocilizumab_doses": patients["toxicity_treatment___1"] == "1",
        "icu_days": (number("crs_grade") > 2) | ((patients["icans_any"] == "1") & (number("icans_grade") >= 3)),
    }
    branching = {}
    for name, condition in shown.items():
        blank = patients[name].isna()
        branching[name] = {"n": int((~blank).sum()), "missing": int((blank & condition).sum()),
                           "not_applicable": int((blank & ~condition).sum())}
    numeric = {name: quartiles(number(name)) for name in ("tocilizumab_doses", "icu_days", "age", "ferritin_peak")}

    infusion = pd.to_datetime(patients["infusion_date"])
    day = (pd.to_datetime(labs["lab_date"]) - labs["record_id"].map(infusion)).dt.days
    platelets = pd.to_numeric(labs["platelets"].replace("", None))
    window = (day >= 0) & (day <= 30)
    nadir = platelets[window].groupby(labs["record_id"][window]).min()
    product_codes = dict(item.strip().split(", ", 1) for item in "1, axi-cel | 2, tisa-cel | 3, liso-cel | 4, cilta-cel".split("|"))
    product = patients["product"].map(product_codes)
    by_product = {label: quartiles(nadir[nadir.index.isin(product.index[product == label])]) for label in sorted(set(product))}

    result = {
        "rows": int(len(export)), "records": int(len(patients)), "event_rows": int((~repeating).sum()),
        "lab_rows": int(len(labs)), "lab_days": {"min": int(day.min()), "max": int(day.max())},
        "branching": branching, "numeric": numeric, "platelet_nadir_0_30": by_product,
    }
    with open(OUT, "w") as handle:
        json.dump(result, handle, indent=1, sort_keys=True)
        handle.write("\n")


if __name__ == "__main__":
    main()
