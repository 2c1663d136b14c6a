#!/usr/bin/env python3
"""Issue 18: Excel and Stata fixtures written by the external tools, for the reader tests.

- Tests/Fixtures/spreadsheets/DATASET.xlsx: the shipped datasets (Datasets/*/cohort.csv) written with
  openpyxl, numbers as numbers and text as (shared) strings, empty fields as empty cells.
- DATASET.v117.dta / .v118.dta / .v119.dta: the same with pandas `to_stata`, whole-number columns as
  Stata byte/int/long (pandas picks the smallest), decimals as double, the text columns of the
  codebook's categorical variables as value-labelled integers (pandas Categorical), other text as str#.
- features.xlsx (openpyxl) and features.csv (what it must read as, written by Python's csv and
  datetime): dates under date formats in the 1900 system, booleans, empty cells, a second sheet.
- features1904.xlsx: the same dates in the 1904 date system (openpyxl's CALENDAR_MAC_1904).
- formulas.xlsx (written here with zipfile, since openpyxl stores no cached values and no inline
  strings): formulas with cached values, an inline string, rich-text shared strings; formulas.csv.
- features.v118.dta / features.v117.dta (pandas): float32, %td dates, strL, missing values;
  features_dta.csv is the expected CSV.
- redcap_header_labels.xlsx: the REDCap project's label export with labelled headers
  (Datasets/redcap-cart/export_header_labels.csv), numbers as numbers.
- merged.xlsx (openpyxl merge_cells on the header), corrupt.xlsx (a workbook cut short),
  encrypted.xlsx (msoffcrypto-tool, password 'cohort'), old.dta (a format-114 header).
The R script make_stata_haven.R adds haven's files (tagged missing .a-.z, variable labels).
"""
import csv, datetime, io, os, re, zipfile
import openpyxl
import pandas as pd
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests/Fixtures/spreadsheets")
FIXED = datetime.datetime(2026, 1, 1)
INT = re.compile(r"^-?[0-9]+$")


def number(text):
    if INT.match(text) and not (len(text) > 1 and text.lstrip("-").startswith("0")):
        return int(text)
    try:
        return float(text)
    except ValueError:
        return None


def fixed(wb):
    wb.properties.created = FIXED
    wb.properties.modified = FIXED


def csv_to_xlsx(source, out, title):
    with open(source, newline="") as f:
        rows = list(csv.reader(f))
    wb = openpyxl.Workbook()
    fixed(wb)
    ws = wb.active
    ws.title = title
    for k, row in enumerate(rows):
        # The header row stays text, whatever it spells.
        ws.append([None if v == "" else (number(v) if k > 0 and number(v) is not None else v) for v in row])
    wb.save(out)


def dataset_xlsx(name):
    csv_to_xlsx(os.path.join(ROOT, "Datasets", name, "cohort.csv"), os.path.join(OUT, f"{name}.xlsx"), "cohort")


def redcap_labels_xlsx():
    """The REDCap project's export with labelled headers ("Record ID", "Sex", "Complete?"), as an
    investigator saves it from Excel: its JSON must equal the CSV's."""
    csv_to_xlsx(os.path.join(ROOT, "Datasets", "redcap-cart", "export_header_labels.csv"),
                os.path.join(OUT, "redcap_header_labels.xlsx"), "export")


def categorical_columns(name):
    # The codebook's categorical variables (text levels): written as value-labelled integers.
    text = open(os.path.join(ROOT, "Datasets", name, "codebook.yaml")).read()
    return re.findall(r"^  (\w+):\n    type: categorical", text, re.M)


def dataset_dta(name):
    df = pd.read_csv(os.path.join(ROOT, "Datasets", name, "cohort.csv"), keep_default_na=False, dtype=str)
    out = {}
    labelled = set(categorical_columns(name))
    for col in df.columns:
        values = df[col]
        nums = [number(v) if v != "" else np.nan for v in values]
        if all(v is not None for v in nums):
            s = pd.Series(nums, dtype="float64")
            if s.notna().all() and (s == s.round()).all():
                s = s.astype("int64")
            out[col] = s
        elif col in labelled:
            out[col] = pd.Categorical([v if v != "" else np.nan for v in values])
        else:
            out[col] = values
    frame = pd.DataFrame(out)
    for version in (117, 118, 119):
        frame.to_stata(os.path.join(OUT, f"{name}.v{version}.dta"), write_index=False, version=version,
                       time_stamp=FIXED, data_label=f"{name} (synthetic)")


def features():
    header = ["id", "visit", "flag", "note", "dose"]
    dates = [datetime.date(1900, 1, 1), datetime.date(1900, 3, 1), datetime.date(1999, 12, 31), datetime.date(2024, 2, 29), None]
    rows = [[1, dates[0], True, "first, with a comma", 1.5],
            [2, dates[1], False, None, None],
            [3, dates[2], True, 'says "yes"', 0.1],
            [4, dates[3], None, "plain", 1e-7],
            [5, dates[4], False, "last", 12345678.25]]
    for epoch, file in ((openpyxl.utils.datetime.CALENDAR_WINDOWS_1900, "features.xlsx"), (openpyxl.utils.datetime.CALENDAR_MAC_1904, "features1904.xlsx")):
        wb = openpyxl.Workbook()
        fixed(wb)
        wb.epoch = epoch
        ws = wb.active
        ws.title = "visits"
        ws.append(header)
        for row in rows:
            ws.append(row)
            if row[1] is not None:
                ws.cell(row=ws.max_row, column=2).number_format = "yyyy-mm-dd"
        second = wb.create_sheet("other")
        second.append(["x", "y"])
        second.append([10, "ten"])
        wb.save(os.path.join(OUT, file))
    with open(os.path.join(OUT, "features.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([r[0], r[1].isoformat() if r[1] else "", "" if r[2] is None else ("TRUE" if r[2] else "FALSE"),
                        r[3] or "", "" if r[4] is None else repr(r[4])])
    with open(os.path.join(OUT, "other.csv"), "w", newline="") as f:
        f.write("x,y\n10,ten\n")
    # Merged header cells.
    wb = openpyxl.Workbook()
    fixed(wb)
    ws = wb.active
    ws.append(["age", "dose", None])
    ws.append([40, 1, 2])
    ws.merge_cells("B1:C1")
    wb.save(os.path.join(OUT, "merged.xlsx"))
    # A workbook cut short.
    data = open(os.path.join(OUT, "features.xlsx"), "rb").read()
    open(os.path.join(OUT, "corrupt.xlsx"), "wb").write(data[: len(data) // 2])


SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c><c r="D1" t="inlineStr"><is><t>label</t></is></c></row>
<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>42</v></c><c r="C2"><f>B2*2</f><v>84</v></c><c r="D2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c></row>
<row r="4"><c r="A4"><v>2</v></c><c r="B4"><v>0.5</v></c><c r="C4"><f>B4*2</f><v>1</v></c><c r="D4" t="s"><v>2</v></c></row>
<row r="5"><c r="A5"><v>3</v></c><c r="C5"><f>B5*2</f><v>0</v></c><c r="D5" t="e"><f>NA()</f><v>#N/A</v></c></row>
</sheetData></worksheet>"""
STRINGS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">
<si><t>value</t></si><si><r><t>dou</t></r><r><rPr><b/></rPr><t>bled</t></r></si><si><t>x &lt; y</t><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si></sst>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="calc" sheetId="1" r:id="rId1"/></sheets></workbook>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"""
TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"""


def formulas():
    with zipfile.ZipFile(os.path.join(OUT, "formulas.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        for path, text in (("[Content_Types].xml", TYPES), ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", RELS),
                           ("xl/sharedStrings.xml", STRINGS), ("xl/worksheets/sheet1.xml", SHEET)):
            info = zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0))
            z.writestr(info, text, zipfile.ZIP_DEFLATED)
    # Row 3 is empty in the sheet: a blank line keeps CSV line k on sheet row k.
    with open(os.path.join(OUT, "formulas.csv"), "w") as f:
        f.write("id,value,doubled,label\n1,42,84,ab\n\n2,0.5,1,x < y\n3,,0,#N/A\n")


def features_dta():
    frame = pd.DataFrame({
        "id": pd.Series([1, 2, 3, 4], dtype="int16"),
        "visit": pd.to_datetime(["1960-01-01", "2024-02-29", None, "1899-12-31"]),
        "ratio": pd.Series([0.1, 2.5, np.nan, -3.75], dtype="float32"),
        "big": pd.Series([123456789, -5, 7, 2147483620], dtype="int32"),
        "note": ["a long note, with a comma", "", "second", "é accent"],
        "code": ["A1", "B2", "", "D4"],
    })
    expected = "id,visit,ratio,big,note,code\n1,1960-01-01,0.1,123456789,\"a long note, with a comma\",A1\n2,2024-02-29,2.5,-5,,B2\n3,,,7,second,\n4,1899-12-31,-3.75,2147483620,é accent,D4\n"
    open(os.path.join(OUT, "features_dta.csv"), "w").write(expected)
    for version in (117, 118, 119):
        frame.to_stata(os.path.join(OUT, f"features.v{version}.dta"), write_index=False, version=version, time_stamp=FIXED,
                       convert_dates={"visit": "td"}, convert_strl=["note"] if version >= 117 else [],
                       variable_labels={"ratio": "A ratio"})
    # A format-114 header (Stata 10-12): refused by version.
    open(os.path.join(OUT, "old.dta"), "wb").write(bytes([114, 2, 1, 0]) + b"\0" * 60)


def encrypted():
    try:
        import msoffcrypto
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        print("msoffcrypto-tool missing: encrypted.xlsx not regenerated")
        return
    with open(os.path.join(OUT, "features.xlsx"), "rb") as plain, open(os.path.join(OUT, "encrypted.xlsx"), "wb") as out:
        OOXMLFile(plain).encrypt("cohort", out)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name in ("johnsrud2021", "nct02965092"):
        dataset_xlsx(name)
        dataset_dta(name)
    features()
    formulas()
    features_dta()
    encrypted()
    redcap_labels_xlsx()
