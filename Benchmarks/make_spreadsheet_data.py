#!/usr/bin/env python3
"""Issue 18: the reader suite's 1,000,000-row cohort (make_reader_data.py) as an Excel workbook and a
Stata file, for timing `cohort` against pandas `read_excel` and `read_stata` on the same data.

    make_spreadsheet_data.py CSV     writes CSV's stem + .xlsx (openpyxl, write-only mode) and .dta
                                     (pandas to_stata, format 118); prints both paths

Cells as in the CSV: numbers as numbers, text as (shared) strings, empty fields as empty cells ("NA"
stays the text NA in the workbook, a missing token for both readers; missing in the .dta).
"""
import csv, re, sys
import openpyxl
import pandas as pd

NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")

path = sys.argv[1]
stem = path[:-4]
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet("cohort")
with open(path, newline="") as f:
    for k, row in enumerate(csv.reader(f)):
        if k == 0:
            ws.append(row)
            continue
        ws.append([None if v == "" else (float(v) if "." in v else int(v)) if NUMBER.match(v) else v for v in row])
wb.save(stem + ".xlsx")
frame = pd.read_csv(path, keep_default_na=False, na_values=["", "NA"])
for col in frame.columns:
    if frame[col].dtype == object:
        frame[col] = frame[col].fillna("")
frame.to_stata(stem + ".dta", write_index=False, version=118)
print(stem + ".xlsx")
print(stem + ".dta")
