#!/usr/bin/env python3
"""REDCap CAR-T project (issue 18): what `cohort describe` must print for Datasets/redcap-cart.

Written from REDCap's own conventions (the data dictionary's 18 columns, `code, label | ...`
choice lists, checkbox columns `field___code` holding 0/1, yes/no and true/false as 1/0), NOT from
the Swift code: it reads dictionary.csv and export.csv with pandas, every cell as text, and for each
field of the export computes
  radio, dropdown            rows per choice label (codes looked up in the dictionary) and missing;
  yesno, truefalse, checkbox rows with 1 ("present"), rows with a value, missing;
  integer, number, calc      rows with a value, missing, and the median and quartiles
                             (pandas' linear interpolation, R's type 7).
A field with branching logic (crs_grade: [crs_any] = '1', translated here by hand) counts a blank
where the condition is false as "not applicable", not missing.
Identifiers (Identifier? = y, and the first field, the record id) and text fields are skipped: no
output may print them. Writes Tests/Fixtures/redcap/cart_describe.json (sorted keys, so reruns are
byte-identical). Usage, from the repository root: python3 Tests/References/redcap_cart_references.py
"""
import json
import os

import pandas as pd

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FOLDER = os.path.join(ROOT, "Datasets", "redcap-cart")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "redcap", "cart_describe.json")


def choices(text):
    # REDCap splits each choice at its first comma: the label may hold commas.
    return [tuple(part.strip() for part in item.split(",", 1)) for item in text.split("|")]


def main():
    dictionary = pd.read_csv(os.path.join(FOLDER, "dictionary.csv"), dtype=str, keep_default_na=False)
    export = pd.read_csv(os.path.join(FOLDER, "export.csv"), dtype=str, keep_default_na=False)
    rows = len(export)
    # Branching logic, by hand: where it is false, a blank is not applicable.
    shown = {"crs_grade": export["crs_any"] == "1"}
    result = {"rows": rows, "categorical": {}, "binary": {}, "numeric": {}}
    for index, field in dictionary.iterrows():
        name = field["Variable / Field Name"]
        kind = field["Field Type"]
        validation = field["Text Validation Type OR Show Slider Number"]
        if index == 0 or field["Identifier?"] == "y":
            continue
        if kind in ("radio", "dropdown"):
            column = export[name]
            counts = {label: int((column == code).sum()) for code, label in choices(field["Choices, Calculations, OR Slider Labels"])}
            blank = column == ""
            result["categorical"][name] = {"levels": counts, "missing": int((blank & shown.get(name, True)).sum())}
            if name in shown:
                result["categorical"][name]["not_applicable"] = int((blank & ~shown[name]).sum())
        elif kind in ("yesno", "truefalse"):
            column = export[name]
            result["binary"][name] = {"present": int((column == "1").sum()), "n": int((column != "").sum()), "missing": int((column == "").sum())}
        elif kind == "checkbox":
            for code, _ in choices(field["Choices, Calculations, OR Slider Labels"]):
                column = export[f"{name}___{code.lower()}"]
                result["binary"][f"{name}___{code.lower()}"] = {"present": int((column == "1").sum()), "n": int((column != "").sum()), "missing": int((column == "").sum())}
        elif kind == "calc" or (kind == "text" and (validation == "integer" or validation.startswith("number"))):
            values = pd.to_numeric(export[name].replace("", None))
            present = values.dropna()
            result["numeric"][name] = {
                "n": int(present.count()), "missing": int(values.isna().sum()),
                "median": float(present.median()), "q1": float(present.quantile(0.25)), "q3": float(present.quantile(0.75)),
            }
    with open(OUT, "w") as handle:
        json.dump(result, handle, indent=1, sort_keys=True)
        handle.write("\n")


if __name__ == "__main__":
    main()
